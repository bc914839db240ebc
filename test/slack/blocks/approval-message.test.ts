import type { ApprovalMessageInput, ApprovalUserFacts } from '../../../src/domain/interaction-messages';
import { REMOVAL_STATES, type RemovalRequest, type RemovalState } from '../../../src/domain/removal';
import { buildApprovalMessage } from '../../../src/slack/blocks/approval-message';
import { ACCOUNT, HOSTILE, NOW } from './fixtures';
import { buttons, HOUR, problems, request, textOf, unescaped } from './interaction-fixtures';

const FACTS: ApprovalUserFacts = {
  status: 'non_compliant',
  passwordLastUsed: new Date('2026-11-20T08:15:00Z'),
  ownerSlackId: 'U0OWNER1',
  ownerText: null,
};
const DECIDED_AT = new Date('2026-11-28T13:30:00Z');

const approval = (extra: Partial<RemovalRequest> = {}, input: Partial<ApprovalMessageInput> = {}) =>
  buildApprovalMessage({ request: request(extra), account: ACCOUNT, user: FACTS, now: NOW, ...input });

const decided = (state: RemovalState, detail: string | null = null) =>
  approval({ state, decidedBy: 'U0APPROVER', decidedAt: DECIDED_AT, detail });

describe('buildApprovalMessage: the request', () => {
  it('says who asked, which user and account, its status and last console use, when, until when and the request number', () => {
    const text = textOf(approval());
    expect(text).toContain(
      '<@U0REQUESTER> asks to remove the console password of IAM user `alice` in AWS account `111122223333` (request #7).',
    );
    expect(text).toContain('*Status*\nconsole password without MFA');
    expect(text).toContain('*Last console sign-in*\n2026-11-20 08:15 UTC');
    expect(text).toContain('*Owner*\n<@U0OWNER1>');
    expect(text).toContain('*Requested*\n2026-11-28 12:00 UTC');
    expect(text).toContain('*Expires*\n2026-12-01 12:00 UTC');
  });

  it.each<[string, ApprovalUserFacts | null, string | null]>([
    [
      'never signed in, owner as text',
      { ...FACTS, passwordLastUsed: null, ownerSlackId: null, ownerText: 'a&b@example.com' },
      '*Owner*\na&amp;b@example.com',
    ],
    ['unowned', { ...FACTS, ownerSlackId: null, ownerText: null }, '*Owner*\nno owner set'],
    ['unknown user', null, null],
  ])('%s', (_what, user, owner) => {
    const message = approval({}, { user });
    const text = textOf(message);
    if (owner === null) expect(text).not.toContain('*Owner*');
    else expect(text).toContain(owner);
    if (user?.passwordLastUsed === null) expect(text).toContain('*Last console sign-in*\nnever');
    expect(problems(message)).toEqual([]);
  });
});

describe('buttons', () => {
  it('pending: Approve removal (danger, confirm) and Deny, both with the removal ref', () => {
    const [approve, deny, ...rest] = buttons(approval({ id: 12 }));
    expect(rest).toEqual([]);
    expect(approve).toMatchObject({
      action_id: 'mfa_approve_removal',
      value: 'removal:12',
      style: 'danger',
      text: { text: 'Approve removal' },
    });
    expect(deny).toMatchObject({ action_id: 'mfa_deny_removal', value: 'removal:12', text: { text: 'Deny' } });
    expect(deny?.style).toBeUndefined();
    const confirm = approve?.confirm;
    expect(confirm?.text.text).toContain('removes the console password of IAM user alice');
    expect(confirm?.text.text).toContain('cannot be undone from Slack');
    expect(confirm?.text.text).toContain('Console sessions already open are not ended');
    expect(confirm?.style).toBe('danger');
  });

  it('failed: one Retry removal (the Approve action, danger, confirm) and the AWS error, escaped', () => {
    const message = decided('failed', 'EntityTemporarilyUnmodifiable: <!channel> & retry');
    const all = buttons(message);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      action_id: 'mfa_approve_removal',
      value: 'removal:7',
      style: 'danger',
      text: { text: 'Retry removal' },
    });
    expect(all[0]?.confirm).toBeDefined();
    expect(textOf(message)).toContain('EntityTemporarilyUnmodifiable: &lt;!channel&gt; &amp; retry');
    expect(textOf(message)).toContain('An approver may retry');
  });

  it.each(['executing', 'done', 'not_needed', 'denied', 'expired'] as const)('%s: no buttons', (state) => {
    expect(buttons(decided(state))).toEqual([]);
  });

  it.each(['pending', 'failed'] as const)('%s past its expiry: no buttons, and says it expired', (state) => {
    const message = approval({ state, expiresAt: new Date(NOW.getTime() - HOUR) });
    expect(buttons(message)).toEqual([]);
    expect(textOf(message)).toMatch(/[Ee]xpired at 2026-11-28 13:00 UTC/);
  });
});

describe('decided states say who decided what and when', () => {
  it.each<[RemovalState, string]>([
    ['executing', 'Removing… approved by <@U0APPROVER>'],
    ['done', 'Removed by <@U0APPROVER> at 2026-11-28 13:30 UTC.'],
    ['denied', 'Denied by <@U0APPROVER> at 2026-11-28 13:30 UTC.'],
    ['expired', 'Expired at 2026-12-01 12:00 UTC; nobody approved it.'],
    [
      'not_needed',
      'Not needed: MFA is enabled now (checked by <@U0APPROVER> at 2026-11-28 13:30 UTC); nothing was deleted.',
    ],
  ])('%s', (state, words) => {
    const message = decided(state, 'MFA is enabled now');
    expect(textOf(message)).toContain(words);
    expect(message.text).toContain(words);
  });
});

describe('a done removal with something worth knowing', () => {
  it('adds its detail as a note after who removed it', () => {
    const text = textOf(decided('done', 'recorded late: the password was removed after <!channel> & co'));
    expect(text).toContain(
      'Removed by <@U0APPROVER> at 2026-11-28 13:30 UTC. Note: recorded late: the password was removed after &lt;!channel&gt; &amp; co.',
    );
  });

  it('adds no note when there is nothing to say', () => {
    expect(textOf(decided('done'))).not.toContain('Note:');
  });
});

describe('limits and escaping', () => {
  it.each([
    ['ordinary', 'alice', 'U0REQUESTER'],
    ['hostile', HOSTILE, 'U1> <!channel'],
    ['64-character hostile', `${HOSTILE}${'&'.repeat(64 - HOSTILE.length)}`, '<!here>'],
    ['*bold*', '*bold*_it_```', 'U0REQUESTER'],
  ])('%s names in every state', (_what, userName, requestedBy) => {
    for (const state of REMOVAL_STATES) {
      const message = buildApprovalMessage({
        request: request({
          state,
          userName,
          requestedBy,
          decidedBy: requestedBy,
          decidedAt: DECIDED_AT,
          detail: `${HOSTILE}${'&'.repeat(5000)}`,
        }),
        account: ACCOUNT,
        user: { ...FACTS, ownerSlackId: null, ownerText: HOSTILE },
        now: NOW,
      });
      expect({ state, problems: problems(message) }).toEqual({ state, problems: [] });
      expect({ state, unescaped: unescaped(message) }).toEqual({ state, unescaped: [] });
      for (const button of buttons(message)) expect(button.value).toBe('removal:7');
    }
  });
});
