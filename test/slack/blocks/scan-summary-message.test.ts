import type {
  EscalatedOffender,
  FailedDm,
  FailedScanSummaryInput,
  ScanSummaryInput,
  UnownedOffender,
  UnownedReason,
} from '../../../src/domain/notifications';
import { buildRemediation } from '../../../src/domain/remediation';
import type { FailedAccount } from '../../../src/domain/scan';
import type { ActionsBlock, Block, SectionBlock, SlackMessage } from '../../../src/slack/blocks/block-kit';
import { buildFailedScanMessage } from '../../../src/slack/blocks/failed-scan-message';
import { BLOCKS_TEXT_BUDGET, blocksTextLength } from '../../../src/slack/blocks/limits';
import { buildScanSummaryMessage, unownedReasonWords } from '../../../src/slack/blocks/scan-summary-message';
import { blocksTextLength as independentTextLength } from '../../support/block-kit-limits';
import { userResult } from '../../support/user-result';
import { accountLine, DAY, HOSTILE, longNames, messageUsers, NOW, offender, summaryInput, unownedOf } from './fixtures';
import { allStrings, limitProblems, unescapedProblems } from './limits-check';

const blockText = (block: Block): string => {
  switch (block.type) {
    case 'section':
      return [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text)].join('\n');
    case 'context':
      return block.elements.map((e) => e.text).join('\n');
    case 'header':
      return block.text.text;
    default:
      return '';
  }
};
const allText = (message: SlackMessage): string => message.blocks.map(blockText).join('\n');
const actions = (message: SlackMessage): ActionsBlock[] =>
  message.blocks.filter((b): b is ActionsBlock => b.type === 'actions');
/** Unowned users shown compact: one section each, with Recheck as its button. */
const compactSections = (message: SlackMessage): SectionBlock[] =>
  message.blocks.filter((b): b is SectionBlock => b.type === 'section' && b.accessory !== undefined);
const summaryMore = (text: string): number[] =>
  [...text.matchAll(/and (\d+) more — use \/mfa-status summary/g)].map((m) => Number(m[1]));

const escalated = (name: string, extra: Partial<EscalatedOffender> = {}): EscalatedOffender => ({
  user: offender(name, 12),
  since: new Date(NOW.getTime() - 12 * DAY),
  ownerSlackId: 'U0BOB1234',
  newlyEscalated: false,
  ...extra,
});

/** Everything at once, everything long and hostile. */
const worstCase = (count: number): ScanSummaryInput => {
  const names = longNames(count).map((n) => `<&>${n}`.slice(0, 64));
  const users = messageUsers(names).map((u) => ({
    ...u,
    user: { ...u.user, owner: { kind: 'email' as const, value: HOSTILE, source: 'tag:owner' } },
  }));
  const reasons: UnownedReason[] = [
    { kind: 'no_owner' },
    { kind: 'not_in_slack', owner: HOSTILE },
    { kind: 'deactivated', owner: HOSTILE },
    { kind: 'lookup_failed', owner: HOSTILE, error: `${HOSTILE} ${'x'.repeat(3000)}` },
  ];
  return summaryInput({
    accounts: [
      accountLine({
        account: { accountId: `${HOSTILE}`, partition: 'aws', alias: null },
        strategy: { name: 'per-user', reason: HOSTILE.repeat(200) },
        counts: {
          non_compliant: count,
          grace: count,
          exempt: count,
          error: count,
          compliant: count,
          no_console: count,
        },
        rootWithoutMfa: true,
      }),
    ],
    unowned: users.map((u, i) => ({ ...u, why: reasons[i % reasons.length] ?? { kind: 'no_owner' } })),
    escalated: users.map((u, i) => ({
      user: u.user,
      since: new Date(NOW.getTime() - 40 * DAY),
      ownerSlackId: i % 2 === 0 ? 'U0BOB1234' : null,
      newlyEscalated: i % 3 === 0,
    })),
    reopened: names.map((userName) => ({
      accountId: '111122223333',
      userName,
      chainStartedAt: new Date(NOW.getTime() - 30 * DAY),
    })),
    exemptUsers: names.map((n) => userResult(n, 'exempt', { reason: `${HOSTILE} ${'z'.repeat(1000)}` })),
    errorUsers: names.map((n) => userResult(n, 'error', { reason: `${HOSTILE} ${'y'.repeat(2000)}` })),
    issues: names.map((n) => ({
      code: 'tags_unreadable',
      message: HOSTILE.repeat(50),
      userName: n,
      accountId: '111122223333',
    })),
    failedDms: names.map((n) => ({
      recipient: HOSTILE,
      users: names.map((userName) => ({ accountId: '111122223333', userName })),
      error: HOSTILE.repeat(20) + n,
    })),
  });
};

describe('buildScanSummaryMessage stays within every Slack limit', () => {
  it.each([
    ['a quiet scan', summaryInput()],
    ['1 unowned user', summaryInput({ unowned: unownedOf(messageUsers(['alice'])) })],
    ['3 unowned users', summaryInput({ unowned: unownedOf(messageUsers(['a', 'b', 'c'])) })],
    ['7 unowned users', summaryInput({ unowned: unownedOf(messageUsers(['a', 'b', 'c', 'd', 'e', 'f', 'g'])) })],
    ['30 unowned users with 64-character names', summaryInput({ unowned: unownedOf(messageUsers(longNames(30))) })],
    ['200 unowned users with 64-character names', summaryInput({ unowned: unownedOf(messageUsers(longNames(200))) })],
    ['everything hostile, 1 of each', worstCase(1)],
    ['everything hostile, 7 of each', worstCase(7)],
    ['everything hostile, 30 of each', worstCase(30)],
    ['everything hostile, 200 of each', worstCase(200)],
  ])('%s', (_what, input) => {
    for (const removalEnabled of [true, false]) {
      const message = buildScanSummaryMessage({ ...input, removalEnabled });
      // Includes Slack's limit on the text of all blocks together (msg_blocks_too_long).
      expect(limitProblems(message)).toEqual([]);
      expect(unescapedProblems(message)).toEqual([]);
      expect(blocksTextLength(message.blocks)).toBe(independentTextLength(message.blocks));
      expect(blocksTextLength(message.blocks)).toBeLessThanOrEqual(BLOCKS_TEXT_BUDGET);
      // The first user nobody can be nudged about always gets its buttons, however crowded the rest.
      const cards = actions(message);
      if (input.unowned.length > 0) expect(cards[0]?.elements[0]?.value).toBe(input.unowned[0]?.ref);
      // Every unowned user is a card, a compact section or counted in the last "and N more" of that part.
      const compact = compactSections(message);
      const text = allText(message);
      const unownedPart = text.slice(
        text.indexOf('nobody in Slack to nudge'),
        text.indexOf('*Errors') === -1 ? undefined : text.indexOf('*Errors'),
      );
      const more = input.unowned.length === 0 ? 0 : (summaryMore(unownedPart)[0] ?? 0);
      expect(cards.length + compact.length + more).toBe(input.unowned.length);
    }
  });

  it('keeps every part of the worst case, each cut with a count', () => {
    const text = allText(buildScanSummaryMessage(worstCase(200)));
    expect(text).toContain('has no MFA');
    expect(text).toContain('*Non-compliant for more than 7 days (200)*');
    expect(text).toContain('nobody in Slack to nudge');
    expect(text).toContain('*Errors');
    expect(text).toContain('*DMs that failed (200)*');
    expect(text).toContain('*Exempt from the MFA policy (200)*');
    expect(text).toContain('Strategy: per-user');
    expect(text.match(/and \d+ more — use \/mfa-status summary/g)?.length).toBeGreaterThanOrEqual(4);
  });
});

describe('exemptions', () => {
  it('lists exempt users with their reasons, escaped', () => {
    const text = allText(
      buildScanSummaryMessage(
        summaryInput({ exemptUsers: [userResult('kiosk', 'exempt', { reason: `Shared kiosk ${HOSTILE}` })] }),
      ),
    );
    expect(text).toContain('*Exempt from the MFA policy (1)*');
    expect(text).toContain('`kiosk`: Shared kiosk &lt;!channel&gt; &lt;https://evil|click&gt; &amp; co');
  });

  it('has no exemption section when nobody is exempt', () => {
    expect(allText(buildScanSummaryMessage(summaryInput()))).not.toContain('Exempt from the MFA policy');
  });
});

describe('counts', () => {
  it('shows every count with the right number', () => {
    const message = buildScanSummaryMessage(
      summaryInput({
        accounts: [
          accountLine({
            counts: { non_compliant: 3, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 },
            newSinceLastScan: 6,
            fixedSinceLastScan: 7,
          }),
        ],
      }),
    );
    // Nothing reopened: the count is there (0), the plain text leaves it out.
    const fields = message.blocks.flatMap((b) => (b.type === 'section' ? (b.fields ?? []) : [])).map((f) => f.text);
    expect(fields).toEqual([
      '*Users scanned*\n16',
      '*Console users*\n12',
      '*Non-compliant*\n3',
      '*New since last scan*\n6',
      '*Reopened since last scan*\n0',
      '*Fixed since last scan*\n7',
      '*In grace period*\n1',
      '*Exempt*\n2',
      '*Could not check*\n1',
    ]);
    expect(message.text).toBe(
      'MFA scan of AWS account 111122223333: 3 non-compliant (6 new, 7 fixed since the last scan); 1 error.',
    );
  });

  it('says which account, when, how long and with which strategy', () => {
    const text = allText(
      buildScanSummaryMessage(
        summaryInput({ accounts: [accountLine({ finishedAt: new Date(NOW.getTime() + 125_000) })] }),
      ),
    );
    expect(text).toContain('Scan of AWS account `111122223333` (aws) started 2026-11-28 14:00 UTC, took 2 min 5 s.');
    expect(text).toContain('Strategy: credential-report (the credential report was fresh) · took 2 min 5 s');
  });
});

describe('root without MFA', () => {
  it.each([true, false])('rootWithoutMfa=%s', (rootWithoutMfa) => {
    const message = buildScanSummaryMessage(summaryInput({ accounts: [accountLine({ rootWithoutMfa })] }));
    expect(allText(message).includes('*The root user of AWS account `111122223333` has no MFA.*')).toBe(rootWithoutMfa);
    expect(message.text.includes('root user has no MFA')).toBe(rootWithoutMfa);
  });
});

describe('escalated users', () => {
  it.each<[string, EscalatedOffender, string]>([
    ['owner in Slack', escalated('alice'), '• `alice`: no MFA for 12 days, owner <@U0BOB1234>'],
    [
      'newly escalated',
      escalated('alice', { newlyEscalated: true }),
      '• `alice`: no MFA for 12 days, owner <@U0BOB1234> *(newly escalated)*',
    ],
    ['no owner at all', escalated('alice', { ownerSlackId: null }), '• `alice`: no MFA for 12 days, no owner in Slack'],
    [
      'owner not in Slack',
      escalated('alice', {
        ownerSlackId: null,
        user: offender('alice', 12, { owner: { kind: 'email', value: 'a@example.com', source: 'tag:owner' } }),
      }),
      '• `alice`: no MFA for 12 days, no owner in Slack (owner: a@example.com)',
    ],
    [
      'a bad Slack id',
      escalated('alice', { ownerSlackId: '<!here>' }),
      '• `alice`: no MFA for 12 days, owner &lt;!here&gt;',
    ],
    [
      'a reopened finding: counted from its chain, and said so',
      escalated('alice', { user: offender('alice', 1), since: new Date(NOW.getTime() - 15 * DAY) }),
      '• `alice`: no MFA for 15 days (MFA was on only briefly in between), owner <@U0BOB1234>',
    ],
  ])('%s', (_what, offenderIn, line) => {
    const text = allText(buildScanSummaryMessage(summaryInput({ escalated: [offenderIn], escalateAfterDays: 7 })));
    expect(text).toContain('*Non-compliant for more than 7 days (1)*');
    expect(text.split('\n')).toContain(line);
  });
});

describe('reopened findings', () => {
  it('counts them apart from new ones and lists each with the start of its chain', () => {
    const message = buildScanSummaryMessage(
      summaryInput({
        accounts: [accountLine({ newSinceLastScan: 2 })],
        reopened: [
          { accountId: '111122223333', userName: 'alice', chainStartedAt: new Date(NOW.getTime() - 9 * DAY) },
          { accountId: '111122223333', userName: '<b>ob', chainStartedAt: new Date(NOW.getTime() - 3 * DAY) },
        ],
      }),
    );
    const text = allText(message);
    expect(text).toContain('*New since last scan*\n2');
    expect(text).toContain('*Reopened since last scan*\n2');
    expect(text).toContain('*Reopened: MFA was on only briefly since the last finding (2)*');
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        '• `alice`: no MFA again; escalation counts from its first finding, 2026-11-19 14:00 UTC (9 days ago)',
        '• `&lt;b&gt;ob`: no MFA again; escalation counts from its first finding, 2026-11-25 14:00 UTC (3 days ago)',
      ]),
    );
    expect(message.text).toContain('(2 new, 2 reopened, 2 fixed since the last scan)');
  });

  it('has no list, and no word in the text, when nothing was reopened', () => {
    const message = buildScanSummaryMessage(summaryInput());
    expect(allText(message)).not.toContain('Reopened: MFA');
    expect(message.text).not.toContain('reopened');
  });
});

describe('unowned offenders', () => {
  it.each<[UnownedReason, string]>([
    [{ kind: 'no_owner' }, 'no owner is set (no owners-file entry and no owner tag)'],
    // Slack answers users_not_found for a deactivated account's email too, so the words cover both.
    [
      { kind: 'not_in_slack', owner: 'alice@example.com' },
      'owner alice@example.com was not found in Slack (not a member, or deactivated)',
    ],
    [{ kind: 'deactivated', owner: 'U0DEAD123' }, 'owner <@U0DEAD123> is deactivated in Slack'],
    [{ kind: 'deactivated', owner: 'bob@example.com' }, 'owner bob@example.com is deactivated in Slack'],
    [
      { kind: 'lookup_failed', owner: 'c@example.com', error: 'ratelimited' },
      'owner c@example.com could not be looked up in Slack: ratelimited',
    ],
    [
      { kind: 'not_in_slack', owner: HOSTILE },
      'owner &lt;!channel&gt; &lt;https://evil|click&gt; &amp; co was not found in Slack (not a member, or deactivated)',
    ],
  ])('%j reads "%s"', (why, words) => {
    expect(unownedReasonWords(why)).toBe(words);
    const offenderIn: UnownedOffender = {
      ...(messageUsers(['alice'])[0] ?? { user: offender('alice'), ref: 'finding:1' }),
      why,
    };
    expect(allText(buildScanSummaryMessage(summaryInput({ unowned: [offenderIn] })))).toContain(
      `*Nobody to nudge:* ${words}.`,
    );
  });

  it('each gets one compact line with the same buttons as in a DM, and no steps', () => {
    const message = buildScanSummaryMessage(summaryInput({ unowned: unownedOf(messageUsers(['alice', 'bob'])) }));
    expect(actions(message).map((a) => a.elements.map((e) => [e.action_id, e.value]))).toEqual([
      [
        ['mfa_recheck', 'finding:1'],
        ['mfa_request_removal', 'finding:1'],
        ['mfa_show_steps', 'finding:1'],
      ],
      [
        ['mfa_recheck', 'finding:2'],
        ['mfa_request_removal', 'finding:2'],
        ['mfa_show_steps', 'finding:2'],
      ],
    ]);
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'bob' });
    const lines = allText(message).split('\n');
    expect(lines).toContain(
      `*IAM user \`bob\`*: console password without MFA for *3 days*. <${r.enableMfa.consoleUrl}|Open it in the IAM console>`,
    );
    expect(allText(message)).not.toContain('aws iam');
    expect(allText(message)).not.toContain('```');
    expect(allText(message)).not.toContain(r.enableMfa.consoleSteps[1] ?? 'no step');
  });

  it('removalEnabled=false drops the removal button', () => {
    const message = buildScanSummaryMessage(
      summaryInput({ unowned: unownedOf(messageUsers(['alice'])), removalEnabled: false }),
    );
    expect(actions(message).map((a) => a.elements.map((e) => e.action_id))).toEqual([
      ['mfa_recheck', 'mfa_show_steps'],
    ]);
  });

  it.each([1, 3, 7, 20, 30, 200])(
    '%i unowned: lines with buttons, then lines with Recheck, then "and N more"; all accounted for',
    (count) => {
      const names = longNames(count);
      const unowned = unownedOf(messageUsers(names));
      const message = buildScanSummaryMessage(summaryInput({ unowned }));
      const cards = actions(message).length;
      const compact = compactSections(message);
      const more = summaryMore(allText(message))[0] ?? 0;
      expect(cards).toBeGreaterThan(0);
      expect(cards + compact.length + more).toBe(count);
      // Cards come in the given order, then the compact users continue where they stopped.
      expect(actions(message).map((a) => a.elements[0]?.value)).toEqual(
        names.slice(0, cards).map((_, i) => `finding:${i + 1}`),
      );
      expect(compact.map((c) => c.accessory)).toEqual(
        unowned.slice(cards, cards + compact.length).map((u) => ({
          type: 'button',
          action_id: 'mfa_recheck',
          text: { type: 'plain_text', text: 'Recheck', emoji: true },
          value: u.ref,
        })),
      );
      compact.forEach((c, i) => {
        const user = unowned[cards + i];
        expect(c.text?.text).toContain(
          `*IAM user \`${user?.user.userName}\`*: console password without MFA for *3 days*.`,
        );
        expect(c.text?.text).toContain(`*Nobody to nudge:* ${user === undefined ? '' : unownedReasonWords(user.why)}.`);
        expect(c.text?.text).toContain('|Open it in the IAM console>');
      });
      if (more > 0) expect(blocksTextLength(message.blocks)).toBeGreaterThan(BLOCKS_TEXT_BUDGET - 500);
    },
  );

  it('says why it matters once, above the users, in words that fit every user', () => {
    const message = buildScanSummaryMessage(
      summaryInput({ unowned: unownedOf(messageUsers(['alice', 'bob', 'carol'])) }),
    );
    const text = allText(message);
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'alice' });
    expect(text.split(`*Why it matters:* ${r.whyItMatters.replace('alice', 'Each of these IAM users')}`)).toHaveLength(
      2,
    );
    expect(text.split(`*Risk:* ${r.risk}`)).toHaveLength(2);
    expect(text.indexOf('*Why it matters:*')).toBeLessThan(text.indexOf('*IAM user `alice`*'));
    expect(actions(message)).toHaveLength(3);
  });

  it('a crowded summary still gives the first unowned user its buttons and every list a count', () => {
    const message = buildScanSummaryMessage(worstCase(200));
    const first = worstCase(200).unowned[0];
    expect(actions(message)[0]?.elements.map((e) => [e.action_id, e.value])).toEqual([
      ['mfa_recheck', first?.ref],
      ['mfa_request_removal', first?.ref],
      ['mfa_show_steps', first?.ref],
    ]);
    // Escalated, reopened, unowned, errors, failed DMs and exemptions: each cut, each with its count.
    expect(summaryMore(allText(message))).toHaveLength(6);
  });

  it.each(['&'.repeat(64), '+'.repeat(64)])(
    'a crowded summary still has room for the buttons of a first user named %s (64 characters)',
    (name) => {
      const input = worstCase(200);
      const [first, ...rest] = input.unowned;
      if (first === undefined) throw new Error('no unowned user');
      const message = buildScanSummaryMessage({
        ...input,
        unowned: [{ ...first, user: { ...first.user, userName: name } }, ...rest],
      });
      expect(limitProblems(message)).toEqual([]);
      expect(actions(message)[0]?.elements.map((e) => e.value)).toEqual([first.ref, first.ref, first.ref]);
    },
  );
});

describe('errors and failed DMs', () => {
  it('lists error users, issues and failed DMs escaped, in words a person can act on', () => {
    const failed: FailedDm = {
      recipient: 'U0CAROL12',
      users: [
        { accountId: '111122223333', userName: 'carol' },
        { accountId: '111122223333', userName: 'dave' },
      ],
      error: 'cannot_dm_bot',
    };
    const message = buildScanSummaryMessage(
      summaryInput({
        errorUsers: [userResult('err', 'error', { reason: 'AccessDenied: not allowed iam:GetLoginProfile & <more>' })],
        issues: [
          { code: 'tags', message: 'Could not read tags: add iam:ListUserTags', accountId: '111122223333' },
          { code: 'x', message: 'odd', userName: 'zed', accountId: '111122223333' },
        ],
        failedDms: [failed, { recipient: 'owner@example.com', users: [], error: HOSTILE }],
      }),
    );
    const lines = allText(message).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '• `err` could not be checked: AccessDenied: not allowed iam:GetLoginProfile &amp; &lt;more&gt;',
        '• Could not read tags: add iam:ListUserTags',
        '• `zed`: odd',
        '*DMs that failed (2)*',
        '• DM to <@U0CAROL12> about `carol`, `dave` failed: cannot_dm_bot',
        '• DM to owner@example.com about no users failed: &lt;!channel&gt; &lt;https://evil|click&gt; &amp; co',
      ]),
    );
    expect(message.text).toContain('2 DMs failed');
    expect(unescapedProblems(message)).toEqual([]);
  });

  it('a hostile string appears nowhere unescaped', () => {
    const strings = allStrings(buildScanSummaryMessage(worstCase(3)));
    expect(
      strings.filter((s) => s.includes('<!channel>') || s.includes('<https://evil') || s.includes('& co')),
    ).toEqual([]);
  });
});

describe('buildFailedScanMessage', () => {
  const awsError = 'AWS denied iam:GenerateCredentialReport for arn:aws:sts::111122223333:assumed-role/mfa-guard/x.';
  const awsHint = 'Add iam:GenerateCredentialReport and iam:GetCredentialReport to the mfa-guard role.';
  const failedAccount = (accountId: string | null, extra: Partial<FailedAccount> = {}): FailedAccount => ({
    accountId,
    alias: null,
    name: null,
    via: 'ambient credentials',
    code: 'aws_access_denied',
    message: awsError,
    hint: awsHint,
    scanId: 1,
    startedAt: NOW,
    finishedAt: new Date(NOW.getTime() + 4000),
    ...extra,
  });
  // A run of one account that failed: the account's error is the run's.
  const failedInput: FailedScanSummaryInput = {
    startedAt: NOW,
    finishedAt: new Date(NOW.getTime() + 4000),
    message: awsError,
    hint: awsHint,
    accounts: [failedAccount('111122223333')],
  };

  it('says what failed, what to do, and that the bot carries on', () => {
    const message = buildFailedScanMessage(failedInput);
    expect(limitProblems(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain(
      '*The scan of AWS account `111122223333` failed* (started 2026-11-28 14:00 UTC, gave up after 4.0 s).',
    );
    expect(text).toContain(failedInput.message);
    expect(text).toContain(`*What to do:* ${failedInput.hint}`);
    expect(text).toContain('the next scheduled scan will try again');
    expect(message.text).toBe(`MFA scan of AWS account 111122223333 failed: ${failedInput.message}`);
  });

  it('works without an account or hint', () => {
    const message = buildFailedScanMessage({ ...failedInput, accounts: [], hint: null });
    expect(allText(message)).toContain('*The scan of the AWS account failed*');
    expect(allText(message)).not.toContain('What to do');
  });

  it('escapes and cuts hostile, huge text, keeping the hint', () => {
    const message = buildFailedScanMessage({
      ...failedInput,
      accounts: [failedAccount(HOSTILE)],
      message: HOSTILE.repeat(500),
      hint: HOSTILE.repeat(100),
    });
    expect(limitProblems(message)).toEqual([]);
    expect(blocksTextLength(message.blocks)).toBeLessThanOrEqual(BLOCKS_TEXT_BUDGET);
    expect(unescapedProblems(message)).toEqual([]);
    expect(allText(message)).toContain('*What to do:* &lt;!channel&gt;');
  });
});
