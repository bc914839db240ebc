import type { Notice, RestrictedAction } from '../../../src/domain/interaction-messages';
import type { RemovalState } from '../../../src/domain/removal';
import { buildNotice } from '../../../src/slack/blocks/notice-message';
import { userResult } from '../../support/user-result';
import { HOSTILE, NOW } from './fixtures';
import { buttons, problems, request, textOf, unescaped } from './interaction-fixtures';

const COUNTS = { non_compliant: 3, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 };
const LINK = 'https://acme.slack.com/archives/C0APPROVALS/p1700000000000100';
const NAME_64 = `${HOSTILE}${'&'.repeat(64 - HOSTILE.length)}`;

/** One notice of every kind, with the untrusted parts as hostile as they get. */
const everyNotice = (text: string): Notice[] => [
  { kind: 'help', problem: null },
  { kind: 'help', problem: text },
  { kind: 'no_such_user', userName: text, didYouMean: null },
  { kind: 'no_such_user', userName: text, didYouMean: text },
  { kind: 'not_yours', userName: text, didYouMean: 'summary' },
  ...(['summary', 'scan', 'approve', 'deny', 'recheck', 'request_removal'] as const).map((action): Notice => ({
    kind: 'not_allowed',
    action,
  })),
  { kind: 'self_approval', requestId: 12 },
  { kind: 'removal_disabled' },
  { kind: 'scan_started', channel: 'C0SECURITY' },
  { kind: 'scan_started', channel: text },
  { kind: 'scan_already_running' },
  { kind: 'scan_busy', holder: text },
  { kind: 'scan_finished', counts: COUNTS, channel: text },
  { kind: 'scan_failed', error: text },
  { kind: 'unknown_button' },
  { kind: 'recheck_result', result: userResult(text, 'error', { reason: text }), closed: null },
  { kind: 'recheck_result', result: userResult(text, 'compliant'), closed: 'fixed' },
  { kind: 'removal_pending', request: request({ userName: text }), link: LINK },
  { kind: 'removal_pending', request: request({ userName: text }), link: text },
  { kind: 'removal_already_open', request: request({ userName: text, requestedBy: text }), link: null },
  { kind: 'removal_not_needed', result: userResult(text, 'exempt', { reason: text }) },
  { kind: 'user_gone', userName: text },
  { kind: 'removal_post_failed', error: text },
  ...(['pending', 'executing', 'done', 'failed', 'not_needed', 'denied', 'expired'] as const).map((state): Notice => ({
    kind: 'removal_decided',
    request: request({ state, userName: text, decidedBy: text, decidedAt: NOW, detail: text }),
    now: NOW,
  })),
  { kind: 'rate_limited', retryAt: new Date(NOW.getTime() + 35_000), now: NOW },
  { kind: 'error', error: text },
];

describe('buildNotice stays within every Slack limit and escapes everything', () => {
  it.each([
    ['ordinary text', 'alice'],
    ['hostile text', HOSTILE],
    ['a 64-character hostile name', NAME_64],
    ['*bold* and _it_', '*bold* _it_ ``` `'],
    ['a 10,000-character error', `${HOSTILE}${'&'.repeat(10_000)}`],
  ])('%s', (_what, text) => {
    for (const notice of everyNotice(text)) {
      const message = buildNotice(notice);
      expect({ kind: notice.kind, problems: problems(message) }).toEqual({ kind: notice.kind, problems: [] });
      expect({ kind: notice.kind, unescaped: unescaped(message) }).toEqual({ kind: notice.kind, unescaped: [] });
      expect(buttons(message)).toEqual([]);
      expect(message.text.length).toBeGreaterThan(0);
    }
  });
});

describe('help', () => {
  it('lists every form of /mfa-status', () => {
    const text = textOf(buildNotice({ kind: 'help', problem: null }));
    for (const usage of [
      '`/mfa-status`',
      '`/mfa-status &lt;iam-user-name&gt;`',
      '`/mfa-status summary`',
      '`/mfa-status scan`',
      '`/mfa-status help`',
    ]) {
      expect(text).toContain(usage);
    }
    expect(text).toContain('approvers');
  });

  it('shows the problem first, escaped', () => {
    const text = textOf(buildNotice({ kind: 'help', problem: 'Not a valid IAM user name: <!here>' }));
    expect(text.startsWith(':warning: Not a valid IAM user name: &lt;!here&gt;')).toBe(true);
    expect(text).toContain('`/mfa-status summary`');
  });
});

describe('no_such_user and not_yours', () => {
  it('no_such_user names the user and suggests the subcommand', () => {
    const text = textOf(buildNotice({ kind: 'no_such_user', userName: 'sumary', didYouMean: 'summary' }));
    expect(text).toContain('No IAM user named `sumary` in this account.');
    expect(text).toContain('Did you mean `/mfa-status summary`?');
  });

  it('no_such_user without a suggestion asks nothing', () => {
    expect(textOf(buildNotice({ kind: 'no_such_user', userName: 'bob', didYouMean: null }))).not.toContain(
      'Did you mean',
    );
  });

  it('not_yours says how to become the owner and is worded so it cannot tell whether the user exists', () => {
    const text = textOf(buildNotice({ kind: 'not_yours', userName: 'bob', didYouMean: null }));
    expect(text).toBe(
      'You can only look up IAM users you own, as mfa-guard has them on record (the owners file, or the last scan). ' +
        'If `bob` is yours, ask your security team to add it to the owners file, or an approver to look it up.',
    );
    expect(text).not.toMatch(/no IAM user|exist|not found/i);
  });
});

describe('rate_limited', () => {
  it.each([
    ['35 s from now', 35_000, 'Try again at 2026-11-28 14:00:35 UTC (in 35 seconds).'],
    ['a fraction of a second: rounded up', 400, 'Try again at 2026-11-28 14:00:00 UTC (in 1 second).'],
    ['a full minute', 60_000, 'Try again at 2026-11-28 14:01:00 UTC (in 60 seconds).'],
  ])('%s', (_label, inMs, says) => {
    const text = textOf(buildNotice({ kind: 'rate_limited', retryAt: new Date(NOW.getTime() + inMs), now: NOW }));
    expect(text).toContain('Too many live IAM checks');
    expect(text).toContain(says);
  });
});

describe('not_allowed', () => {
  it.each<[RestrictedAction, string]>([
    ['summary', 'Only approvers'],
    ['scan', 'Only approvers'],
    ['approve', 'Only approvers'],
    ['deny', 'Only approvers'],
    ['recheck', "Only the IAM user's owner and the approvers"],
    ['request_removal', "Only the IAM user's owner and the approvers"],
  ])('%s: "%s"', (action, who) => {
    expect(textOf(buildNotice({ kind: 'not_allowed', action }))).toMatch(new RegExp(`^${who}`));
  });
});

describe('removal_decided says what happened, who decided and when', () => {
  const at = new Date('2026-11-28T13:30:00Z');
  it.each<[RemovalState, string]>([
    ['done', 'Already removed by <@U0APPROVER> at 2026-11-28 13:30 UTC.'],
    ['denied', 'Denied by <@U0APPROVER> at 2026-11-28 13:30 UTC.'],
    ['expired', 'Expired at 2026-12-01 12:00 UTC without a decision.'],
    ['executing', '<@U0APPROVER> is removing it right now.'],
    [
      'not_needed',
      'It was not needed: MFA was enabled &amp; more (checked by <@U0APPROVER> at 2026-11-28 13:30 UTC). Nothing was deleted.',
    ],
    ['failed', 'The removal failed: MFA was enabled &amp; more. An approver may retry'],
  ])('%s', (state, words) => {
    const message = buildNotice({
      kind: 'removal_decided',
      request: request({ state, decidedBy: 'U0APPROVER', decidedAt: at, detail: 'MFA was enabled & more.' }),
      now: at,
    });
    expect(textOf(message)).toContain('Removal request #7 (the console password of IAM user `alice`)');
    expect(textOf(message)).toContain(words);
  });

  it('a failed request past its expiry says it can no longer be retried', () => {
    const failed = request({ state: 'failed', decidedBy: 'U0APPROVER', decidedAt: NOW, detail: 'ServiceFailure.' });
    const late = new Date(failed.expiresAt.getTime() + 60_000);
    const early = new Date(failed.expiresAt.getTime() - 60_000);
    expect(textOf(buildNotice({ kind: 'removal_decided', request: failed, now: late }))).toContain(
      'can no longer be retried',
    );
    expect(textOf(buildNotice({ kind: 'removal_decided', request: failed, now: early }))).toContain(
      'An approver may retry',
    );
    expect(textOf(buildNotice({ kind: 'removal_decided', request: failed, now: early }))).not.toContain(
      'ServiceFailure..',
    );
  });

  it('never mentions a decider that is not a Slack user ID', () => {
    const text = textOf(
      buildNotice({
        kind: 'removal_decided',
        request: request({ state: 'denied', decidedBy: 'U1> <!channel', decidedAt: NOW }),
        now: NOW,
      }),
    );
    expect(text).toContain('Denied by U1&gt; &lt;!channel at');
  });
});

describe('removal requests', () => {
  it('removal_pending says the approvers were asked, the request number and links it', () => {
    const text = textOf(buildNotice({ kind: 'removal_pending', request: request(), link: LINK }));
    expect(text).toContain('Asked the approvers to remove the console password of IAM user `alice` (request #7).');
    expect(text).toContain(`<${LINK}|Open the request>`);
  });

  it.each(['http://acme.slack.com/x', 'javascript:alert(1)', 'https://evil|click', 'https://a b'])(
    'does not link %s',
    (link) => {
      const text = textOf(buildNotice({ kind: 'removal_pending', request: request(), link }));
      expect(text).not.toContain('<');
      expect(text).toContain('Open the request');
    },
  );

  it('removal_already_open points to the open request and who asked', () => {
    const text = textOf(buildNotice({ kind: 'removal_already_open', request: request(), link: LINK }));
    expect(text).toContain('request #7, asked by <@U0REQUESTER> at 2026-11-28 12:00 UTC');
    expect(text).toContain('No new request was made.');
  });
});

describe('recheck_result', () => {
  it('says the finding is closed when it was', () => {
    const text = textOf(
      buildNotice({ kind: 'recheck_result', result: userResult('alice', 'compliant'), closed: 'fixed' }),
    );
    expect(text).toContain('`alice`: fixed: has MFA');
    expect(text).toContain('Its finding is closed');
  });

  it('says it still has no MFA when it has not', () => {
    const result = userResult('alice', 'non_compliant', { nonCompliantSince: new Date(NOW.getTime() - 86_400_000) });
    const text = textOf(buildNotice({ kind: 'recheck_result', result, closed: null }));
    expect(text).toContain('needs MFA');
    expect(text).toContain('Still no MFA');
    expect(text).not.toContain('closed');
  });
});

describe('scan notices', () => {
  it('mentions a real channel ID as a channel', () => {
    expect(textOf(buildNotice({ kind: 'scan_started', channel: 'C0SECURITY' }))).toContain('<#C0SECURITY>');
  });

  it('scan_finished gives the counts', () => {
    expect(textOf(buildNotice({ kind: 'scan_finished', counts: COUNTS, channel: 'C0SECURITY' }))).toContain(
      '3 need MFA',
    );
  });
});

describe('users named like a subcommand', () => {
  it.each(['scan', 'Summary', 'HELP'])('never prints `/mfa-status %s`, which would run the subcommand', (userName) => {
    const text = textOf(buildNotice({ kind: 'user_gone', userName }));
    expect(text).not.toContain(`/mfa-status ${userName}\``);
    expect(text).toContain('Home tab');
  });

  it('prints the command for any other name', () => {
    expect(textOf(buildNotice({ kind: 'user_gone', userName: 'scanner' }))).toContain('`/mfa-status scanner`');
  });
});
