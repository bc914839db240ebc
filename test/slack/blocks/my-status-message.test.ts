import type { MyStatusInput, StatusUser } from '../../../src/domain/interaction-messages';
import { buildMyStatusMessage } from '../../../src/slack/blocks/my-status-message';
import { DAY, HOSTILE, longNames, NOW } from './fixtures';
import {
  buttons,
  COMPLETED_SCAN,
  HOUR,
  moreCount,
  nonCompliant,
  problems,
  statusUser,
  textOf,
  unescaped,
} from './interaction-fixtures';

const myStatus = (users: readonly StatusUser[], extra: Partial<MyStatusInput> = {}) =>
  buildMyStatusMessage({
    users,
    lastScan: COMPLETED_SCAN,
    overviews: [],
    emailUnknown: false,
    ownerUnknown: false,
    now: NOW,
    ...extra,
  });

const COUNTS = { non_compliant: 3, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 };

describe('buildMyStatusMessage', () => {
  it('is friendly when nothing needs attention', () => {
    const message = myStatus([]);
    expect(textOf(message)).toContain('Nothing needs your attention');
    expect(message.text).toContain('Nothing needs your attention');
    expect(problems(message)).toEqual([]);
  });

  it.each<[string, StatusUser, string]>([
    [
      'non_compliant',
      nonCompliant('alice', 3),
      '`alice`: needs MFA: console password without MFA since 2026-11-25 14:00 UTC (3 days)',
    ],
    [
      'non_compliant, just found',
      statusUser('alice', 'non_compliant'),
      '`alice`: needs MFA: console password without MFA',
    ],
    [
      'grace',
      statusUser('alice', 'grace', { graceUntil: new Date('2026-12-01T09:00:00Z') }),
      '`alice`: in its grace period until 2026-12-01 09:00 UTC',
    ],
    [
      'exempt',
      statusUser('alice', 'exempt', { reason: 'break-glass <!channel>' }),
      '`alice`: exempt (break-glass &lt;!channel&gt;)',
    ],
    [
      'error',
      statusUser('alice', 'error', { reason: 'AccessDenied & more' }),
      '`alice`: could not be checked (AccessDenied &amp; more)',
    ],
    ['compliant', statusUser('alice', 'compliant'), '`alice`: fixed: has MFA'],
    ['no_console', statusUser('alice', 'no_console'), '`alice`: fixed: no console password'],
  ])('words a %s user', (_status, user, words) => {
    const message = myStatus([user]);
    expect(textOf(message)).toContain(words);
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
  });

  it('says when all users are fixed that nothing needs attention', () => {
    expect(textOf(myStatus([statusUser('alice', 'compliant')]))).toContain('Nothing needs your attention right now');
    expect(textOf(myStatus([nonCompliant('alice')]))).toContain('1 IAM user needs your attention');
  });

  it.each([
    [COMPLETED_SCAN, 'Last scan: 2026-11-28 13:00 UTC, completed.'],
    [
      { finishedAt: new Date(NOW.getTime() - HOUR), outcome: 'failed' as const, error: 'AccessDenied <!here>' },
      'Last scan: 2026-11-28 13:00 UTC, *failed*: AccessDenied &lt;!here&gt;.',
    ],
    [null, 'No scan has run yet.'],
  ])('shows the last scan (%#)', (lastScan, words) => {
    expect(textOf(myStatus([nonCompliant('alice')], { lastScan }))).toContain(words);
  });

  it('shows the account counts to approvers only', () => {
    const overview = { accountId: '111122223333', alias: null, counts: COUNTS };
    expect(textOf(myStatus([], { overviews: [overview] }))).toContain(
      '*AWS account `111122223333`:* 3 need MFA · 1 in grace period',
    );
    expect(textOf(myStatus([]))).not.toContain('AWS account');
  });

  it('has no buttons', () => {
    expect(buttons(myStatus([nonCompliant('alice')]))).toEqual([]);
  });

  it.each([
    ['200 users with 64-character names', longNames(200).map((n, i) => nonCompliant(n, i + 1))],
    ['200 hostile 64-character names', longNames(200).map((n, i) => nonCompliant(`${HOSTILE}${n}`.slice(0, 64), i))],
    [
      '200 users with 600-character reasons',
      longNames(200).map((n) => statusUser(n, 'error', { reason: `${HOSTILE}${'&'.repeat(600)}` })),
    ],
  ])('%s: cut to fit, with the right "…and N more"', (_what, users) => {
    const message = myStatus(users, { overviews: [{ accountId: '111122223333', alias: null, counts: COUNTS }] });
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
    const text = textOf(message);
    const shown = (text.match(/^• /gm) ?? []).length;
    expect(shown).toBeGreaterThan(5);
    expect(moreCount(text)).toBe(200 - shown);
    // The counts and the last scan survive the cut.
    expect(text).toContain('3 need MFA');
    expect(text).toContain('Last scan:');
  });

  it('shows every user, in order, when they fit', () => {
    const users = ['zed', 'amy', 'bob'].map((n, i) => nonCompliant(n, i + 1));
    const text = textOf(myStatus(users));
    expect([...text.matchAll(/• :red_circle: `([^`]+)`/g)].map((m) => m[1])).toEqual(['zed', 'amy', 'bob']);
    expect(moreCount(text)).toBeNull();
  });

  it('escapes names in the text fallback too', () => {
    const message = myStatus([nonCompliant(HOSTILE)]);
    expect(unescaped(message.text)).toEqual([]);
    expect(message.text).toContain('1 without MFA');
  });

  it('uses now for how long', () => {
    const message = buildMyStatusMessage({
      users: [nonCompliant('alice', 3)],
      lastScan: null,
      overviews: [],
      emailUnknown: false,
      ownerUnknown: false,
      now: new Date(NOW.getTime() + 2 * DAY),
    });
    expect(textOf(message)).toContain('(5 days)');
  });
});

describe('an empty list', () => {
  it.each([
    ['after a scan: an all-clear', COMPLETED_SCAN, 'Nothing needs your attention', 'cannot tell yet'],
    ['before any scan: no all-clear', null, 'No scan has finished yet', 'Nothing needs your attention'],
  ] as const)('%s', (_label, lastScan, says, never) => {
    const message = buildMyStatusMessage({
      users: [],
      lastScan,
      overviews: [],
      emailUnknown: false,
      ownerUnknown: false,
      now: NOW,
    });
    expect(textOf(message)).toContain(says);
    expect(textOf(message)).not.toContain(never);
    expect(message.text).toContain(says);
  });
});

describe('when Slack did not tell the caller’s email', () => {
  it('never gives an all-clear for an empty list', () => {
    const message = myStatus([], { emailUnknown: true });
    expect(textOf(message)).toContain('Slack did not tell mfa-guard your email address');
    expect(textOf(message)).not.toContain('Nothing needs your attention');
    expect(message.text).toContain('Slack did not tell mfa-guard your email address');
  });

  it('warns under a list that may be missing users', () => {
    const message = myStatus([nonCompliant('alice')], { emailUnknown: true });
    expect(textOf(message)).toContain('`alice`');
    expect(textOf(message)).toContain('are not shown here');
  });
});

describe('when users that could not be checked have no owner on record', () => {
  it.each([
    ['an empty list', [] as StatusUser[]],
    ['a list where nothing needs action', [statusUser('alice', 'compliant')]],
  ])('never gives an all-clear: %s', (_label, users) => {
    const message = myStatus(users, { ownerUnknown: true });
    expect(textOf(message)).toContain('cannot confirm that none of yours needs attention');
    expect(textOf(message)).not.toContain('Nothing needs your attention');
    expect(message.text).not.toContain('Nothing needs your attention');
    expect(problems(message)).toEqual([]);
  });

  it('says both when the email is unknown too, the unknown owner first', () => {
    const body = textOf(myStatus([], { ownerUnknown: true, emailUnknown: true }));
    expect(body.indexOf('cannot confirm')).toBeGreaterThan(-1);
    expect(body.indexOf('cannot confirm')).toBeLessThan(body.indexOf('Slack did not tell mfa-guard your email'));
  });
});
