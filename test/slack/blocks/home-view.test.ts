import type { HomeViewInput, PendingRemovalLink, StatusUser } from '../../../src/domain/interaction-messages';
import { buildHomeView, HOME_MAX_BLOCKS } from '../../../src/slack/blocks/home-view';
import { homeViewProblems } from '../../support/block-kit-limits';
import { HOSTILE, longNames, NOW } from './fixtures';
import {
  buttons,
  COMPLETED_SCAN,
  HOUR,
  nonCompliant,
  problems,
  request,
  statusUser,
  textOf,
  unescaped,
} from './interaction-fixtures';

const COUNTS = { non_compliant: 3, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 };
const LINK = 'https://acme.slack.com/archives/C0APPROVALS/p1700000000000100';

const home = (
  users: readonly StatusUser[],
  approver: HomeViewInput['approver'] = null,
  extra: Partial<HomeViewInput> = {},
) =>
  buildHomeView({
    users,
    lastScan: COMPLETED_SCAN,
    emailUnknown: false,
    ownerUnknown: false,
    approver,
    now: NOW,
    ...extra,
  });

const pendingOf = (
  count: number,
  userName = (i: number) => `user-${i}`,
  link: string | null = LINK,
): PendingRemovalLink[] =>
  Array.from({ length: count }, (_, i) => ({ request: request({ id: i + 1, userName: userName(i) }), link }));

const approverOf = (pending: readonly PendingRemovalLink[]): HomeViewInput['approver'] => ({
  overviews: [{ accountId: '111122223333', alias: null, counts: COUNTS }],
  pending,
});

describe('buildHomeView', () => {
  it("is a home view with the viewer's users and the last scan", () => {
    const view = home([nonCompliant('alice', 3), statusUser('bob', 'compliant')]);
    expect(view.type).toBe('home');
    const text = textOf(view);
    expect(text).toContain('Last scan: 2026-11-28 13:00 UTC, completed.');
    expect(text).toContain('`alice`: needs MFA: console password without MFA since 2026-11-25 14:00 UTC (3 days)');
    expect(text).toContain('`bob`: fixed: has MFA');
    expect(text).not.toContain('Pending removal requests');
    expect(text).not.toContain('AWS account');
    expect(homeViewProblems(view)).toEqual([]);
  });

  it('is friendly with no users', () => {
    expect(textOf(home([]))).toContain('Nothing needs your attention');
  });

  it('gives no all-clear while users that could not be checked have no owner on record', () => {
    const empty = textOf(home([], null, { ownerUnknown: true }));
    expect(empty).toContain('cannot confirm that none of yours needs attention');
    expect(empty).not.toContain('Nothing needs your attention');
    const listed = textOf(home([statusUser('alice', 'compliant')], null, { ownerUnknown: true }));
    expect(listed).toContain('`alice`');
    expect(listed).toContain('cannot confirm that none of yours needs attention');
  });

  it('shows a failed last scan with its error, escaped', () => {
    const view = home([], null, { lastScan: { finishedAt: NOW, outcome: 'failed', error: 'AccessDenied <!channel>' } });
    expect(textOf(view)).toContain('*failed*: AccessDenied &lt;!channel&gt;');
  });

  it('approvers also get the counts and each pending request with a link to its approval message', () => {
    const view = home([], approverOf(pendingOf(2)));
    const text = textOf(view);
    expect(text).toContain('*AWS account `111122223333`:* 3 need MFA');
    expect(text).toContain(
      `• <${LINK}|request #1>: remove the console password of IAM user \`user-0\`, asked by <@U0REQUESTER> at 2026-11-28 12:00 UTC; expires 2026-12-01 12:00 UTC`,
    );
    expect(text).toContain(`<${LINK}|request #2>`);
    expect(unescaped(view)).toEqual([]);
  });

  it('says when an approver has no pending requests', () => {
    expect(textOf(home([], approverOf([])))).toContain('*Pending removal requests*\nNone.');
  });

  it.each([null, 'http://acme.slack.com/x', 'javascript:alert(1)', '<!channel>', 'https://a|b'])(
    'does not link %s',
    (link) => {
      const view = home([], approverOf(pendingOf(1, () => 'alice', link)));
      expect(textOf(view)).toContain('• request #1: remove');
      expect(unescaped(view)).toEqual([]);
    },
  );

  it('marks executing and expired requests', () => {
    const view = home(
      [],
      approverOf([
        { request: request({ id: 1, state: 'executing' }), link: null },
        { request: request({ id: 2, expiresAt: new Date(NOW.getTime() - HOUR) }), link: null },
      ]),
    );
    expect(textOf(view)).toContain('being removed right now');
    expect(textOf(view)).toContain('expired at 2026-11-28 13:00 UTC');
  });

  it('never has Approve or Deny buttons, nor any other', () => {
    const view = home([nonCompliant('alice')], approverOf(pendingOf(3)));
    expect(buttons(view)).toEqual([]);
    expect(JSON.stringify(view)).not.toMatch(/mfa_approve_removal|mfa_deny_removal/);
  });

  it.each([
    [
      '200 users and 200 pending requests',
      longNames(200).map((n) => nonCompliant(n)),
      pendingOf(200, (i) => longNames(200)[i] ?? ''),
    ],
    [
      '200 hostile users and 200 hostile requests',
      longNames(200).map((n) => nonCompliant(`${HOSTILE}${n}`.slice(0, 64))),
      pendingOf(200, (i) => `${HOSTILE}${longNames(200)[i] ?? ''}`.slice(0, 64)),
    ],
    ['200 users, no requests', longNames(200).map((n) => nonCompliant(n)), []],
    ['3 users and 200 requests', longNames(3).map((n) => nonCompliant(n)), pendingOf(200)],
  ])('%s: at most 100 blocks, within limits, both lists cut with the right counts', (_what, users, pending) => {
    const view = home(users, approverOf(pending));
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(homeViewProblems(view)).toEqual([]);
    expect(problems(view, HOME_MAX_BLOCKS)).toEqual([]);
    expect(unescaped(view)).toEqual([]);
    const text = textOf(view);
    const shownUsers = (text.match(/^• :\w+: `/gm) ?? []).length;
    const shownRequests = (text.match(/^• <https:[^|]+\|request #\d+>/gm) ?? []).length;
    const userMore = /…and (\d+) more\. Run `\/mfa-status`/.exec(text);
    const requestMore = /…and (\d+) more pending requests/.exec(text);
    expect(shownUsers + Number(userMore?.[1] ?? 0)).toBe(users.length);
    expect(shownRequests + Number(requestMore?.[1] ?? 0)).toBe(pending.length);
    expect(shownUsers).toBeGreaterThan(0);
    if (pending.length > 0) expect(shownRequests).toBeGreaterThan(0);
  });
});
