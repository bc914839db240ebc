import type { UserCheckInput } from '../../../src/domain/interaction-messages';
import { buildRemediation } from '../../../src/domain/remediation';
import type { UserResult, UserStatus } from '../../../src/domain/types';
import { buildUserCheckMessage } from '../../../src/slack/blocks/user-check-message';
import { userResult } from '../../support/user-result';
import { ACCOUNT, DAY, HOSTILE, longNames, NOW } from './fixtures';
import { buttons, problems, textOf, unescaped } from './interaction-fixtures';

const check = (result: UserResult, extra: Partial<UserCheckInput> = {}) =>
  buildUserCheckMessage({ account: ACCOUNT, result, ref: null, removalEnabled: true, now: NOW, ...extra });

const offender = (name: string, extra: Partial<UserResult> = {}) =>
  userResult(name, 'non_compliant', { nonCompliantSince: new Date(NOW.getTime() - 3 * DAY), ...extra });

describe('buildUserCheckMessage', () => {
  it.each<[UserStatus, Partial<UserResult>, string]>([
    [
      'non_compliant',
      { nonCompliantSince: new Date(NOW.getTime() - 3 * DAY) },
      'needs MFA: console password without MFA since 2026-11-25 14:00 UTC (3 days)',
    ],
    [
      'grace',
      { graceUntil: new Date('2026-12-01T09:00:00Z') },
      'in its grace period until 2026-12-01 09:00 UTC: MFA needed by then',
    ],
    ['exempt', { reason: 'break-glass' }, 'exempt (break-glass)'],
    ['error', { reason: 'AccessDenied' }, 'could not be checked (AccessDenied)'],
    ['compliant', {}, 'OK: has MFA'],
    ['no_console', {}, 'OK: no console password'],
  ])('%s: says the status in words', (status, extra, words) => {
    const message = check(userResult('alice', status, extra));
    expect(textOf(message)).toContain(`*IAM user \`alice\`* in AWS account \`111122223333\`: ${words}.`);
    expect(message.text).toContain(words);
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
  });

  it.each<[string, Partial<UserResult>, string, string]>([
    [
      'a Slack owner',
      { owner: { kind: 'slack', value: 'U0OWNER1', source: 'tag:owner' } },
      '*Owner*\n<@U0OWNER1>',
      '*Last console sign-in*\nnever',
    ],
    [
      'an email owner and a sign-in',
      {
        owner: { kind: 'email', value: 'a&b@example.com', source: 'owners-file:*' },
        passwordLastUsed: new Date('2026-11-20T08:15:00Z'),
      },
      '*Owner*\na&amp;b@example.com',
      '*Last console sign-in*\n2026-11-20 08:15 UTC',
    ],
    ['no owner', {}, '*Owner*\nno owner set', '*Checked*\n2026-11-28 14:00 UTC (live)'],
    [
      'a hostile Slack owner',
      { owner: { kind: 'slack', value: 'U1> <!channel', source: 'tag:owner' } },
      '*Owner*\nU1&gt; &lt;!channel',
      '*Last console sign-in*\nnever',
    ],
  ])('shows %s', (_what, extra, owner, other) => {
    const message = check(userResult('alice', 'compliant', extra));
    const text = textOf(message);
    expect(text).toContain(owner);
    expect(text).toContain(other);
    expect(unescaped(message)).toEqual([]);
  });

  it('a non_compliant user with an open finding gets the entry of a DM: the console fix, Recheck, Remove and Show CLI steps', () => {
    const message = check(offender('alice'), { ref: 'finding:42' });
    expect(buttons(message).map((b) => [b.action_id, b.value])).toEqual([
      ['mfa_recheck', 'finding:42'],
      ['mfa_request_removal', 'finding:42'],
      ['mfa_show_steps', 'finding:42'],
    ]);
    const r = buildRemediation({ ...ACCOUNT, userName: 'alice' });
    expect(textOf(message)).toContain(`<${r.enableMfa.consoleUrl}|Open alice in the IAM console>`);
    // The AWS CLI is behind Show CLI steps.
    expect(textOf(message)).not.toContain(r.removeConsoleAccess.command);
    expect(problems(message)).toEqual([]);
  });

  it('a user ref (no finding yet) gets the same buttons, pointing at the user', () => {
    const ref = 'user:AIDAALICE0000000001:alice';
    const message = check(offender('alice'), { ref });
    expect(buttons(message).map((b) => [b.action_id, b.value])).toEqual([
      ['mfa_recheck', ref],
      ['mfa_request_removal', ref],
      ['mfa_show_steps', ref],
    ]);
    expect(textOf(message)).toContain('the next scan opens one');
  });

  it('respects removalEnabled=false', () => {
    const message = check(offender('alice'), { ref: 'finding:42', removalEnabled: false });
    expect(buttons(message).map((b) => b.action_id)).toEqual(['mfa_recheck', 'mfa_show_steps']);
  });

  it('a non_compliant user without a ref gets the console steps but no buttons, and is told a scan opens one', () => {
    const message = check(offender('alice'));
    expect(buttons(message)).toEqual([]);
    expect(textOf(message)).toContain('the next scan opens one');
    const r = buildRemediation({ ...ACCOUNT, userName: 'alice' });
    r.enableMfa.consoleSteps.forEach((step) => expect(textOf(message)).toContain(step));
  });

  it.each(['grace', 'exempt', 'error', 'compliant', 'no_console'] as const)(
    '%s: no buttons and no card, even with a ref',
    (status) => {
      const message = check(userResult('alice', status), { ref: 'finding:42' });
      expect(buttons(message)).toEqual([]);
      expect(textOf(message)).not.toContain('Fix 1');
    },
  );

  it.each([
    ['a hostile name', HOSTILE],
    ['a 64-character hostile name', `${HOSTILE}${'&'.repeat(64 - HOSTILE.length)}`],
    ['*bold* and backticks', '*bold*_it_```'],
    ['a 64-character name', longNames(1)[0] ?? ''],
    ['a name longer than IAM allows', `${HOSTILE}${'&'.repeat(1000)}`],
  ])('%s stays within the limits and escaped, with and without a finding', (_what, name) => {
    for (const ref of [null, 'finding:1']) {
      const message = check(
        offender(name, { reason: HOSTILE, owner: { kind: 'email', value: HOSTILE, source: HOSTILE } }),
        { ref },
      );
      expect(problems(message)).toEqual([]);
      expect(unescaped(message)).toEqual([]);
      expect(buttons(message).every((b) => b.value === 'finding:1')).toBe(true);
      if (ref !== null) expect(buttons(message).length).toBeGreaterThan(0);
    }
  });
});
