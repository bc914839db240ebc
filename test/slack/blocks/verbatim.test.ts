/**
 * Every mrkdwn text object any builder makes has `verbatim: true`: without it Slack turns bare URLs
 * and `#channel` names in text we did not write (tag values, exemption reasons, AWS errors) into
 * links. The walk goes through the whole JSON, so a new place for text cannot be missed.
 */
import type { Notice, RecheckedUser } from '../../../src/domain/interaction-messages';
import { REMOVAL_STATES } from '../../../src/domain/removal';
import { buildAccountSummaryMessage } from '../../../src/slack/blocks/account-summary-message';
import { buildAccountsSummaryMessage } from '../../../src/slack/blocks/accounts-summary-message';
import { buildApprovalMessage } from '../../../src/slack/blocks/approval-message';
import { buildStepsView } from '../../../src/slack/blocks/cli-steps-view';
import { buildDmHelpMessage, buildDmRecheckMessage } from '../../../src/slack/blocks/dm-reply-message';
import { buildFailedScanMessage } from '../../../src/slack/blocks/failed-scan-message';
import { buildHomeView } from '../../../src/slack/blocks/home-view';
import { buildMyStatusMessage } from '../../../src/slack/blocks/my-status-message';
import { buildNotice } from '../../../src/slack/blocks/notice-message';
import { buildCompactNudgeMessage, buildNudgeMessage } from '../../../src/slack/blocks/nudge-message';
import { buildPersonStatusMessage } from '../../../src/slack/blocks/person-status-message';
import { buildRecheckedNudgeMessage } from '../../../src/slack/blocks/rechecked-nudge-message';
import { buildRemovalOutcomeMessage } from '../../../src/slack/blocks/removal-outcome-message';
import { buildScanSummaryMessage } from '../../../src/slack/blocks/scan-summary-message';
import { buildUserAccountsMessage } from '../../../src/slack/blocks/user-accounts-message';
import { buildUserCheckMessage } from '../../../src/slack/blocks/user-check-message';
import { userResult } from '../../support/user-result';
import { ACCOUNT, accountLine, HOSTILE, messageUsers, NOW, offender, summaryInput, unownedOf } from './fixtures';
import { COMPLETED_SCAN, nonCompliant, request, statusUser } from './interaction-fixtures';

type Json = { readonly [key: string]: unknown };

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON pointers of every mrkdwn text object without `verbatim: true`, anywhere in `value`. */
const notVerbatim = (value: unknown, pointer = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((item, i) => notVerbatim(item, `${pointer}/${i}`));
  if (!isObject(value)) return [];
  const own = value['type'] === 'mrkdwn' && value['verbatim'] !== true ? [pointer] : [];
  return [...own, ...Object.entries(value).flatMap(([key, item]) => notVerbatim(item, `${pointer}/${key}`))];
};

const counts = { non_compliant: 3, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 };
const users = messageUsers(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace']);
const hostileUser = userResult('mallory', 'exempt', { reason: `${HOSTILE} see https://example.com #general` });
const nudgeInput = { ownerSlackId: 'U0OWNER1', groups: [{ account: ACCOUNT, users }], now: NOW, removalEnabled: true };
const OTHER = { accountId: '222233334444', partition: 'aws', alias: HOSTILE } as const;
const inOther = users.map((u) => ({ ...u, user: { ...u.user, accountId: OTHER.accountId } }));
const failedAccount = {
  accountId: '222233334444',
  alias: null,
  // An organization's name is outside text as much as an alias: shown in its place, verbatim.
  name: HOSTILE,
  via: `arn:aws:iam::222233334444:role/${HOSTILE}`,
  code: 'aws_access_denied',
  message: HOSTILE,
  hint: HOSTILE,
  scanId: 7,
  startedAt: NOW,
  finishedAt: NOW,
};
const rechecked: RecheckedUser[] = [
  { kind: 'open', user: users[0] ?? { user: offender('alice'), ref: 'finding:1' }, checkedAt: NOW },
  { kind: 'error', user: users[1] ?? { user: offender('bob'), ref: 'finding:2' }, reason: HOSTILE, checkedAt: NOW },
  { kind: 'closed', userName: 'carol', reason: 'fixed', at: NOW },
];
const notices: Notice[] = [
  { kind: 'help', problem: HOSTILE },
  { kind: 'no_such_user', userName: 'alice', didYouMean: 'alicia' },
  { kind: 'not_yours', userName: 'alice', didYouMean: null },
  { kind: 'not_allowed', action: 'approve' },
  { kind: 'only_your_own' },
  { kind: 'other_organization' },
  { kind: 'self_approval', requestId: 7 },
  { kind: 'removal_disabled' },
  { kind: 'scan_started', channel: 'C0SECURITY' },
  { kind: 'scan_already_running' },
  { kind: 'scan_busy', holder: 'cli:host:1' },
  { kind: 'scan_finished', counts, channel: 'C0SECURITY' },
  { kind: 'scan_failed', error: HOSTILE },
  { kind: 'unknown_button' },
  { kind: 'recheck_result', result: offender('alice'), closed: null },
  { kind: 'removal_pending', request: request(), link: 'https://fake.slack.test/archives/C1/p1' },
  { kind: 'removal_already_open', request: request(), link: null },
  { kind: 'removal_not_needed', result: userResult('alice', 'compliant') },
  { kind: 'user_gone', userName: 'alice' },
  { kind: 'removal_post_failed', error: HOSTILE },
  { kind: 'removal_decided', request: request({ state: 'denied', decidedBy: 'U0X', decidedAt: NOW }), now: NOW },
  { kind: 'error', error: HOSTILE },
];

/** What every builder makes for a few inputs each, by name. */
const outputs: readonly (readonly [string, unknown])[] = [
  ['nudge', buildNudgeMessage(nudgeInput)],
  ['nudge, removal off', buildNudgeMessage({ ...nudgeInput, removalEnabled: false })],
  ['compact nudge', buildCompactNudgeMessage(nudgeInput)],
  [
    'rechecked nudge',
    buildRecheckedNudgeMessage({ groups: [{ account: ACCOUNT, users: rechecked }], removalEnabled: true, now: NOW }),
  ],
  [
    'nudge about two accounts',
    buildNudgeMessage({ ...nudgeInput, groups: [...nudgeInput.groups, { account: OTHER, users: inOther }] }),
  ],
  [
    'compact nudge about two accounts',
    buildCompactNudgeMessage({ ...nudgeInput, groups: [...nudgeInput.groups, { account: OTHER, users: inOther }] }),
  ],
  [
    'rechecked nudge about two accounts',
    buildRecheckedNudgeMessage({
      groups: [
        { account: ACCOUNT, users: rechecked },
        { account: OTHER, users: [{ kind: 'closed', userName: HOSTILE, reason: 'fixed', at: NOW }] },
      ],
      removalEnabled: true,
      now: NOW,
    }),
  ],
  [
    'scan summary',
    buildScanSummaryMessage(
      summaryInput({
        unowned: unownedOf(users),
        accounts: [accountLine({ rootWithoutMfa: true })],
        escalated: [
          {
            user: offender('alice', 12),
            ownerSlackId: 'U0BOB1234',
            newlyEscalated: true,
            since: offender('alice', 12).nonCompliantSince ?? NOW,
          },
        ],
        exemptUsers: [hostileUser],
        errorUsers: [userResult('err', 'error', { reason: HOSTILE })],
        issues: [{ code: 'x', message: HOSTILE, accountId: ACCOUNT.accountId }],
        failedDms: [
          { recipient: 'U0CAROL12', users: [{ accountId: ACCOUNT.accountId, userName: 'carol' }], error: HOSTILE },
        ],
      }),
    ),
  ],
  [
    'summary of several accounts',
    buildScanSummaryMessage(
      summaryInput({
        failedAccounts: [failedAccount],
        accounts: [accountLine({ rootWithoutMfa: true }), accountLine({ account: OTHER, rootWithoutMfa: true })],
        unowned: unownedOf(inOther),
        exemptUsers: [hostileUser],
        errorUsers: [userResult('err', 'error', { reason: HOSTILE })],
        issues: [{ code: 'x', message: HOSTILE, accountId: OTHER.accountId }],
        reopened: [{ accountId: OTHER.accountId, userName: HOSTILE, chainStartedAt: NOW }],
        failedDms: [
          { recipient: 'U0CAROL12', users: [{ accountId: OTHER.accountId, userName: HOSTILE }], error: HOSTILE },
        ],
      }),
    ),
  ],
  [
    'failed scan',
    buildFailedScanMessage({ startedAt: NOW, finishedAt: NOW, message: HOSTILE, hint: HOSTILE, accounts: [] }),
  ],
  [
    'failed run of several accounts',
    buildFailedScanMessage({
      startedAt: NOW,
      finishedAt: NOW,
      message: HOSTILE,
      hint: HOSTILE,
      accounts: [failedAccount, { ...failedAccount, accountId: null, via: HOSTILE }],
    }),
  ],
  ...['non_compliant', 'grace', 'exempt', 'error', 'compliant', 'no_console'].map(
    (status) =>
      [
        `user check (${status})`,
        buildUserCheckMessage({
          account: ACCOUNT,
          result: status === 'non_compliant' ? offender('alice') : userResult('alice', 'compliant'),
          ref: 'finding:1',
          removalEnabled: true,
          now: NOW,
        }),
      ] as const,
  ),
  [
    'my status',
    buildMyStatusMessage({
      users: [nonCompliant('alice'), statusUser('bob', 'exempt', { reason: HOSTILE })],
      lastScan: COMPLETED_SCAN,
      emailUnknown: true,
      ownerUnknown: true,
      overviews: [{ accountId: ACCOUNT.accountId, alias: 'acme-prod', counts }],
      now: NOW,
    }),
  ],
  [
    'my status, empty',
    buildMyStatusMessage({
      users: [],
      lastScan: null,
      emailUnknown: false,
      ownerUnknown: false,
      overviews: [],
      now: NOW,
    }),
  ],
  [
    'person status',
    buildPersonStatusMessage({
      slackId: 'U0BOB12345',
      users: [nonCompliant('bob'), statusUser('bob2', 'exempt', { reason: HOSTILE })],
      lastScan: COMPLETED_SCAN,
      emailUnknown: true,
      ownerUnknown: true,
      now: NOW,
    }),
  ],
  [
    'person status, empty',
    buildPersonStatusMessage({
      slackId: 'U0BOB12345',
      users: [],
      lastScan: null,
      emailUnknown: false,
      ownerUnknown: false,
      now: NOW,
    }),
  ],
  [
    'account summary',
    buildAccountSummaryMessage({
      overview: { accountId: ACCOUNT.accountId, alias: 'acme-prod', counts },
      lastScan: COMPLETED_SCAN,
      offenders: [nonCompliant('alice')],
      now: NOW,
    }),
  ],
  [
    'accounts summary',
    buildAccountsSummaryMessage({
      accounts: [
        { accountId: ACCOUNT.accountId, alias: 'acme-prod', name: null, finishedAt: NOW, counts },
        { accountId: '444455556666', alias: null, name: HOSTILE, finishedAt: NOW, counts },
      ],
      lastScan: COMPLETED_SCAN,
      offenders: [{ ...nonCompliant('alice'), account: { accountId: '444455556666', alias: null } }],
      now: NOW,
    }),
  ],
  [
    'user in several accounts',
    buildUserAccountsMessage({
      userName: 'alice',
      places: [
        { account: { accountId: ACCOUNT.accountId, alias: 'acme-prod' }, result: nonCompliant('alice').result },
        { account: { accountId: '444455556666', alias: null }, result: nonCompliant('alice').result },
      ],
      source: 'stored',
      now: NOW,
    }),
  ],
  [
    'home',
    buildHomeView({
      users: [nonCompliant('alice')],
      lastScan: COMPLETED_SCAN,
      emailUnknown: true,
      ownerUnknown: true,
      approver: {
        overviews: [{ accountId: ACCOUNT.accountId, alias: 'acme-prod', counts }],
        pending: [{ request: request(), link: null }],
      },
      now: NOW,
    }),
  ],
  ...REMOVAL_STATES.map(
    (state) =>
      [
        `approval (${state})`,
        buildApprovalMessage({
          request: request({ state, decidedBy: 'U0APPROVER', decidedAt: NOW, detail: HOSTILE }),
          account: ACCOUNT,
          user: { status: 'non_compliant', passwordLastUsed: null, ownerSlackId: null, ownerText: HOSTILE },
          now: NOW,
        }),
      ] as const,
  ),
  ...REMOVAL_STATES.flatMap((state) =>
    (['requester', 'owner'] as const).map(
      (audience) =>
        [
          `removal outcome (${state}, ${audience})`,
          buildRemovalOutcomeMessage({
            request: request({ state, decidedBy: 'U0APPROVER', decidedAt: NOW, detail: HOSTILE }),
            audience,
            account: ACCOUNT,
          }),
        ] as const,
    ),
  ),
  ...notices.map((notice) => [`notice (${notice.kind})`, buildNotice(notice)] as const),
  [
    'DM reply: rechecked',
    buildDmRecheckMessage({
      kind: 'rechecked',
      lines: [
        { kind: 'closed', userName: 'alice', reason: 'fixed' },
        { kind: 'still_open', userName: 'bob' },
        { kind: 'error', userName: 'carol', reason: HOSTILE },
        { kind: 'checked', result: hostileUser },
        { kind: 'not_yours', userName: 'dave' },
        { kind: 'unknown', userName: 'erin' },
        { kind: 'rate_limited', userName: 'frank', retryAt: NOW },
      ],
      more: 3,
      nudgeUpdated: true,
      now: NOW,
    }),
  ],
  ['DM reply: nothing to recheck', buildDmRecheckMessage({ kind: 'nothing', why: 'no_findings' })],
  ['DM reply: help', buildDmHelpMessage({ securityChannel: 'C0SECURITY', removalEnabled: true })],
  ['CLI steps', buildStepsView({ kind: 'steps', account: ACCOUNT, userName: 'alice' })],
  ['CLI steps, loading', buildStepsView({ kind: 'loading' })],
  ['CLI steps, not allowed', buildStepsView({ kind: 'not_allowed', userName: HOSTILE })],
  ['CLI steps, unknown', buildStepsView({ kind: 'unknown' })],
  ['CLI steps, error', buildStepsView({ kind: 'error', error: HOSTILE })],
];

describe('verbatim: true on every mrkdwn text object', () => {
  it('the walk finds a mrkdwn object without it, however deep (the check can fail)', () => {
    const bad = {
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'ok', verbatim: true } },
        {
          type: 'context',
          elements: [
            { type: 'plain_text', text: 'fine' },
            { type: 'mrkdwn', text: 'bare' },
          ],
        },
        {
          type: 'actions',
          elements: [{ type: 'button', confirm: { text: { type: 'mrkdwn', text: 'x', verbatim: false } } }],
        },
      ],
    };
    expect(notVerbatim(bad)).toEqual(['/blocks/1/elements/1', '/blocks/2/elements/0/confirm/text']);
  });

  it.each(outputs)('%s', (_name, output) => {
    expect(JSON.stringify(output)).toContain('"type":"mrkdwn"');
    expect(notVerbatim(output)).toEqual([]);
  });
});
