/**
 * Messages about several AWS accounts: the owner's DM grouped by account (full and compact forms),
 * the re-rendered DM keeping its groups, and the run's summary (failed accounts first, one line per
 * account with findings, cut with a count), all within Slack's limits.
 */
import type { RecheckedUser } from '../../../src/domain/interaction-messages';
import type { AccountRunLine, AccountUsers, MessageUser } from '../../../src/domain/notifications';
import type { FailedAccount } from '../../../src/domain/scan';
import type { AccountRef } from '../../../src/domain/types';
import type { SlackMessage } from '../../../src/slack/blocks/block-kit';
import { BLOCKS_TEXT_BUDGET } from '../../../src/slack/blocks/limits';
import { buildCompactNudgeMessage, buildNudgeMessage } from '../../../src/slack/blocks/nudge-message';
import { buildRecheckedNudgeMessage } from '../../../src/slack/blocks/rechecked-nudge-message';
import { buildScanSummaryMessage } from '../../../src/slack/blocks/scan-summary-message';
import { blocksTextLength } from '../../support/block-kit-limits';
import { accountLine, HOSTILE, longNames, NOW, nudgeInput, offender, summaryInput, unownedOf } from './fixtures';
import { limitProblems, unescapedProblems } from './limits-check';

const account = (i: number, alias: string | null = `acct-${i}`): AccountRef => ({
  accountId: String(100000000000 + i),
  partition: 'aws',
  alias,
});

/** Users of one account, with finding refs unique across accounts. */
const usersIn = (ref: AccountRef, names: readonly string[], firstRef: number): MessageUser[] =>
  names.map((name, i) => ({
    user: offender(name, 3 + i, { accountId: ref.accountId }),
    ref: `finding:${firstRef + i}`,
  }));

const sectionTexts = (message: SlackMessage): string[] =>
  message.blocks.flatMap((b) => (b.type === 'section' && b.text !== undefined ? [b.text.text] : []));
const text = (message: SlackMessage): string => sectionTexts(message).join('\n');

const PROD = account(1, 'acme-prod');
const STAGING = account(2, 'acme-staging');
const SANDBOX = account(3, null);
const threeAccounts = (perAccount: readonly string[][]): AccountUsers[] =>
  [PROD, STAGING, SANDBOX].map((ref, i) => ({ account: ref, users: usersIn(ref, perAccount[i] ?? [], i * 1000 + 1) }));

describe('a DM about users in three accounts', () => {
  it('is one message with a heading per account before its users', () => {
    const groups = threeAccounts([['deploy', 'etl'], ['deploy'], ['tester']]);
    const message = buildNudgeMessage({ ...nudgeInput([]), groups });
    expect(limitProblems(message)).toEqual([]);
    expect(message.text).toBe(
      'You own 4 IAM users in 3 AWS accounts that can sign in to the AWS Console without MFA: ' +
        'deploy in acme-prod (100000000001), etl in acme-prod (100000000001), ' +
        'deploy in acme-staging (100000000002), tester in 100000000003.',
    );
    const sections = sectionTexts(message);
    const heading = (ref: AccountRef, n: string): number =>
      sections.indexOf(
        `*AWS account ${ref.alias === null ? '' : `\`${ref.alias}\` (`}\`${ref.accountId}\`${ref.alias === null ? '' : ')'}* · ${n}`,
      );
    const at = [heading(PROD, '2 IAM users'), heading(STAGING, '1 IAM user'), heading(SANDBOX, '1 IAM user')];
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The staging `deploy` entry comes after the staging heading and names staging.
    const stagingDeploy = sections.findIndex((s) => s.startsWith('*IAM user `deploy`* in AWS account `acme-staging`'));
    expect(stagingDeploy).toBeGreaterThan(at[1] ?? Number.POSITIVE_INFINITY);
    expect(message.shownUsers).toBe(4);
  });

  it('a DM about one account has no account headings, as before', () => {
    const message = buildNudgeMessage(nudgeInput(usersIn(PROD, ['deploy', 'etl'], 1), { account: PROD }));
    expect(sectionTexts(message).some((s) => s.startsWith('*AWS account '))).toBe(false);
    expect(text(message)).toContain('You own 2 IAM users in AWS account `acme-prod` (`100000000001`)');
  });

  it.each([1, 5, 30, 200])(
    '%i long-named users in each of three accounts stay within the budget, cut with a count',
    (n) => {
      const names = longNames(n);
      const groups = threeAccounts([names, names, names]);
      for (const build of [buildNudgeMessage, buildCompactNudgeMessage]) {
        const message = build({ ...nudgeInput([]), groups });
        expect(limitProblems(message)).toEqual([]);
        expect(blocksTextLength(message.blocks)).toBeLessThanOrEqual(BLOCKS_TEXT_BUDGET);
        const more = /and (\d+) more — use \/mfa-status/.exec(text(message));
        expect(message.shownUsers + Number(more?.[1] ?? 0)).toBe(3 * n);
      }
    },
  );

  it('the compact form names each user’s account', () => {
    const groups = threeAccounts([['deploy'], ['deploy'], []]);
    const message = buildCompactNudgeMessage({ ...nudgeInput([]), groups });
    expect(text(message)).toContain('in 2 AWS accounts');
    expect(text(message)).toContain('• `deploy` in `acme-prod` (`100000000001`): no MFA');
    expect(text(message)).toContain('• `deploy` in `acme-staging` (`100000000002`): no MFA');
  });

  it('escapes a hostile alias everywhere', () => {
    const hostile = account(9, HOSTILE);
    const groups = [...threeAccounts([['a'], [], []]), { account: hostile, users: usersIn(hostile, ['b'], 9000) }];
    for (const build of [buildNudgeMessage, buildCompactNudgeMessage]) {
      expect(unescapedProblems(build({ ...nudgeInput([]), groups }))).toEqual([]);
    }
  });
});

describe('a re-rendered DM about several accounts', () => {
  const open = (user: MessageUser): RecheckedUser => ({ kind: 'open', user, checkedAt: null });

  it('keeps its account groups, and names the account of a user that is done', () => {
    const [prodDeploy] = usersIn(PROD, ['deploy'], 1);
    const [stagingDeploy] = usersIn(STAGING, ['deploy'], 2);
    const message = buildRecheckedNudgeMessage({
      groups: [
        { account: PROD, users: [{ kind: 'closed', userName: 'etl', reason: 'fixed', at: NOW }, open(prodDeploy!)] },
        { account: STAGING, users: [open(stagingDeploy!)] },
      ],
      removalEnabled: true,
      now: NOW,
    });
    expect(limitProblems(message)).toEqual([]);
    const all = text(message);
    expect(all).toContain('You own 2 IAM users in 2 AWS accounts that can still sign in');
    expect(all).toContain('✅ `etl` in `acme-prod` (`100000000001`) is fixed');
    expect(all).toContain('*AWS account `acme-prod` (`100000000001`)* · 1 IAM user');
    expect(all).toContain('*AWS account `acme-staging` (`100000000002`)* · 1 IAM user');
  });

  it('says thank you across accounts when all are done', () => {
    const message = buildRecheckedNudgeMessage({
      groups: [
        { account: PROD, users: [{ kind: 'closed', userName: 'etl', reason: 'fixed', at: NOW }] },
        { account: STAGING, users: [{ kind: 'closed', userName: 'ci', reason: 'deleted', at: NOW }] },
      ],
      removalEnabled: true,
      now: NOW,
    });
    expect(text(message)).toContain('Every IAM user this message was about in 2 AWS accounts is taken care of.');
  });
});

describe('the summary of a run of many accounts', () => {
  const failed = (i: number): FailedAccount => ({
    accountId: account(i).accountId,
    alias: `acct-${i}`,
    name: null,
    via: `arn:aws:iam::${account(i).accountId}:role/mfa-guard-scanner`,
    code: 'aws_access_denied',
    message: `AccessDenied: sts:AssumeRole refused for account ${i} ${'x'.repeat(200)}`,
    hint: 'Deploy the member-account role to this account.',
    scanId: null,
    startedAt: NOW,
    finishedAt: NOW,
  });
  const lines = (n: number, extra: (i: number) => Partial<AccountRunLine> = () => ({})): AccountRunLine[] =>
    Array.from({ length: n }, (_, i) =>
      accountLine({
        account: account(i + 1),
        counts: { non_compliant: i % 3, grace: 0, exempt: 0, error: 0, compliant: 10, no_console: 2 },
        newSinceLastScan: i % 3 === 2 ? 1 : 0,
        fixedSinceLastScan: 0,
        ...extra(i),
      }),
    );

  it('puts failed accounts first, then one line per account with findings, most non-compliant first', () => {
    const message = buildScanSummaryMessage(
      summaryInput({
        failedAccounts: [failed(50)],
        accounts: lines(4),
      }),
    );
    expect(limitProblems(message)).toEqual([]);
    const sections = sectionTexts(message);
    expect(sections[0]).toContain('*1 AWS account could not be scanned*');
    expect(sections[0]).toContain(
      '• `acct-50` (`100000000050`) via `arn:aws:iam::100000000050:role/mfa-guard-scanner`: AccessDenied',
    );
    expect(sections[0]).toContain('*What to do:* Deploy the member-account role to this account.');
    const all = sections.join('\n');
    expect(all).toContain('*Accounts with findings (2 of 4 scanned)* — 2 with none');
    const order = ['acct-3', 'acct-2'].map((alias) => all.indexOf(`• \`${alias}\``));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(all).toContain('• `acct-3` (`100000000003`): 14 users, 2 non-compliant (1 new, 0 fixed)');
    expect(all).not.toContain('• `acct-1` (');
    expect(all).not.toContain('• `acct-4` (');
    expect(message.text).toMatch(/^1 account could not be scanned; MFA scan of 5 AWS accounts: 3 non-compliant/);
  });

  it('200 accounts, 30 failed, every list full: within every limit, each part cut with a count', () => {
    const accounts = lines(200, (i) => ({ rootWithoutMfa: i % 7 === 0 }));
    const users = accounts.slice(0, 60).map((line, i) => ({
      user: offender(longNames(1)[0] ?? 'x', 12, { accountId: line.account.accountId, reason: HOSTILE }),
      ref: `finding:${i + 1}`,
    }));
    const input = summaryInput({
      failedAccounts: Array.from({ length: 30 }, (_, i) => failed(300 + i)),
      accounts,
      unowned: unownedOf(users),
      escalated: users.map((u) => ({ user: u.user, since: NOW, ownerSlackId: null, newlyEscalated: true })),
      reopened: users.map((u) => ({ accountId: u.user.accountId, userName: u.user.userName, chainStartedAt: NOW })),
      errorUsers: users.map((u) => ({ ...u.user, status: 'error' as const })),
      exemptUsers: users.map((u) => ({ ...u.user, status: 'exempt' as const })),
      issues: users.map((u) => ({ code: 'x', message: HOSTILE, accountId: u.user.accountId })),
      failedDms: users.map((u) => ({ recipient: 'U0BOB1234', users: [u.user], error: 'cannot_dm_bot' })),
    });
    for (const removalEnabled of [true, false]) {
      const message = buildScanSummaryMessage({ ...input, removalEnabled });
      expect(limitProblems(message)).toEqual([]);
      expect(unescapedProblems(message)).toEqual([]);
      expect(blocksTextLength(message.blocks)).toBeLessThanOrEqual(BLOCKS_TEXT_BUDGET);
      const all = text(message);
      expect(sectionTexts(message)[0]).toContain('*30 AWS accounts could not be scanned*');
      expect(all).toMatch(/and \d+ more accounts that could not be scanned/);
      expect(all).toMatch(/and \d+ more accounts with findings — use \/mfa-status summary/);
      expect(all).toContain('*The root user has no MFA in 29 AWS accounts:*');
      expect(all).toContain('*Non-compliant for more than 7 days (60)*');
      expect(all).toContain('nobody in Slack to nudge');
      expect(all).toContain('*DMs that failed (60)*');
      // Every user line names its account.
      expect(all).toMatch(/• `[^`]+` in `acct-1` \(`100000000001`\): no MFA/);
    }
  });
});
