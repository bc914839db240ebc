import type { RemovalOutcomeInput } from '../../../src/domain/interaction-messages';
import { userSecurityCredentialsUrl } from '../../../src/domain/partition';
import { REMOVAL_STATES, type RemovalRequest, type RemovalState } from '../../../src/domain/removal';
import type { Partition } from '../../../src/domain/types';
import { buildRemovalOutcomeMessage } from '../../../src/slack/blocks/removal-outcome-message';
import { ACCOUNT, HOSTILE } from './fixtures';
import { buttons, problems, request, textOf, unescaped } from './interaction-fixtures';

const DECIDED_AT = new Date('2026-11-28T13:30:00Z');

const outcome = (
  state: RemovalState,
  extra: Partial<RemovalRequest> = {},
  audience: RemovalOutcomeInput['audience'] = 'requester',
) =>
  buildRemovalOutcomeMessage({
    request: request({ state, decidedBy: 'U0APPROVER', decidedAt: DECIDED_AT, detail: 'MFA is enabled now', ...extra }),
    audience,
    account: ACCOUNT,
  });

describe('buildRemovalOutcomeMessage', () => {
  it.each<[RemovalState, string]>([
    ['done', 'Removed by <@U0APPROVER> at 2026-11-28 13:30 UTC.'],
    ['denied', 'Denied by <@U0APPROVER> at 2026-11-28 13:30 UTC'],
    ['expired', 'Request #7 expired at 2026-12-01 12:00 UTC without a decision'],
    [
      'not_needed',
      'it was not needed (MFA is enabled now). Checked by <@U0APPROVER> at 2026-11-28 13:30 UTC; nothing was deleted.',
    ],
    ['failed', 'failed: MFA is enabled now.'],
  ])('%s says what happened, who and when', (state, words) => {
    for (const audience of ['requester', 'owner'] as const) {
      const message = outcome(state, {}, audience);
      expect(textOf(message)).toContain(words);
      expect(message.text.length).toBeGreaterThan(0);
      expect(buttons(message)).toEqual([]);
      expect(problems(message)).toEqual([]);
    }
  });

  it('tells the requester they asked, and the owner who asked', () => {
    expect(textOf(outcome('done', {}, 'requester'))).toContain(
      'You asked for this at 2026-11-28 12:00 UTC (request #7).',
    );
    const owner = textOf(outcome('done', {}, 'owner'));
    expect(owner).toContain('The console password of your IAM user `alice`');
    expect(owner).toContain('<@U0REQUESTER> asked for this at 2026-11-28 12:00 UTC (request #7).');
  });

  it.each(['requester', 'owner'] as const)(
    'done, to the %s: always the note on open sessions and access keys',
    (audience) => {
      const text = textOf(outcome('done', {}, audience));
      expect(text).toContain('Console sessions already open are not ended.');
      expect(text).toContain('stays valid until it expires or the user signs out');
      expect(text).toContain('Access keys keep working');
    },
  );

  it.each<Partition>(['aws', 'aws-us-gov', 'aws-cn'])(
    'done: how to give console access back, in the %s console, with no command to paste',
    (partition) => {
      const message = buildRemovalOutcomeMessage({
        request: request({ state: 'done', decidedBy: 'U0APPROVER', decidedAt: DECIDED_AT }),
        audience: 'owner',
        account: { accountId: '111122223333', partition, alias: null },
      });
      const text = textOf(message);
      expect(text).toContain(`<${userSecurityCredentialsUrl(partition, 'alice')}|open alice in the IAM console>`);
      expect(text).toContain('enable console access');
      expect(text).toContain('require a password reset');
      // A command with a password in it could not run as printed, and would put the password in shell history.
      expect(text).not.toContain('create-login-profile');
      expect(text).not.toContain('```');
    },
  );

  it.each(['not_needed', 'failed', 'denied', 'expired'] as const)(
    '%s: no session note (nothing was removed)',
    (state) => {
      expect(textOf(outcome(state))).not.toContain('Console sessions already open');
    },
  );

  it('done, recorded late: the requester is told it corrects what they were told before', () => {
    const message = buildRemovalOutcomeMessage({
      request: request({ state: 'done', decidedBy: 'U0APPROVER', decidedAt: DECIDED_AT }),
      audience: 'requester',
      account: ACCOUNT,
      correction: true,
    });
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Console password removed (correction)' },
    });
    expect(textOf(message)).toContain(
      '*Correction:* an earlier message about request #7 said it did not go through; it did. The console password of IAM user `alice`',
    );
    expect(message.text).toMatch(/^Console password removed \(correction\): /);
    expect(problems(message)).toEqual([]);
  });

  it.each(['failed', 'not_needed'] as const)('%s: never a correction, whatever the flag says', (state) => {
    const message = buildRemovalOutcomeMessage({
      request: request({ state, decidedBy: 'U0APPROVER', decidedAt: DECIDED_AT }),
      audience: 'requester',
      account: ACCOUNT,
      correction: true,
    });
    expect(textOf(message)).not.toContain('orrection');
  });

  it('failed: the AWS error, escaped, and that an approver may retry', () => {
    const text = textOf(outcome('failed', { detail: 'EntityTemporarilyUnmodifiable <!channel> & co' }));
    expect(text).toContain('EntityTemporarilyUnmodifiable &lt;!channel&gt; &amp; co');
    expect(text).toContain('An approver may retry');
  });

  it.each([
    ['hostile', HOSTILE, 'U1> <!channel'],
    ['64-character hostile', `${HOSTILE}${'&'.repeat(64 - HOSTILE.length)}`, '<!here>'],
    ['*bold*', '*bold*_it_```', 'U0REQUESTER'],
  ])('%s names stay escaped and within limits in every state', (_what, userName, who) => {
    for (const state of REMOVAL_STATES) {
      for (const audience of ['requester', 'owner'] as const) {
        const message = outcome(
          state,
          { userName, requestedBy: who, decidedBy: who, detail: `${HOSTILE}${'&'.repeat(5000)}` },
          audience,
        );
        expect({ state, problems: problems(message) }).toEqual({ state, problems: [] });
        expect({ state, unescaped: unescaped(message) }).toEqual({ state, unescaped: [] });
      }
    }
  });
});
