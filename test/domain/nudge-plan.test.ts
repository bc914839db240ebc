import {
  byUrgency,
  nudgeTolerance,
  planNudges,
  type PreviousNudge,
  type SlackOwner,
  userKey,
} from '../../src/domain/nudge-plan';
import type { UserResult } from '../../src/domain/types';
import { FIXTURE_NOW, userResult } from '../support/user-result';

const HOUR = 3_600_000;
const CHANNEL = 'C0SECURITY01';
const hoursBefore = (hours: number): Date => new Date(FIXTURE_NOW.getTime() - hours * HOUR);
const offender = (name: string, sinceHours = 48, extra: Partial<UserResult> = {}): UserResult =>
  userResult(name, 'non_compliant', { nonCompliantSince: hoursBefore(sinceHours), ...extra });
const slack = (slackId: string): SlackOwner => ({ kind: 'slack', slackId });
/** Owners by user name, for users of userResult's account (whose UserId is AIDA + the name). */
const owners = (entries: Record<string, SlackOwner>): Map<string, SlackOwner> =>
  new Map(
    Object.entries(entries).map(([name, owner]) => [
      userKey({ accountId: '111122223333', userId: `AIDA${name.toUpperCase()}` }),
      owner,
    ]),
  );
const nudged = (name: string, recipient: string, hoursAgo: number): PreviousNudge => ({
  accountId: '111122223333',
  userId: `AIDA${name.toUpperCase()}`,
  recipient,
  at: hoursBefore(hoursAgo),
});

const plan = (
  users: UserResult[],
  ownerMap: Map<string, SlackOwner>,
  previous: PreviousNudge[] = [],
  intervalHours = 24,
) =>
  planNudges({
    users,
    owners: ownerMap,
    previousNudges: previous,
    scanStartedAt: FIXTURE_NOW,
    intervalHours,
    unownedRecipient: CHANNEL,
  });

describe('planNudges', () => {
  it('groups every offender of an owner into one DM, longest-standing first', () => {
    const result = plan(
      [offender('b', 10), offender('a', 100), offender('c', 50)],
      owners({ a: slack('U1'), b: slack('U1'), c: slack('U2') }),
    );
    expect(result.nudges.map((n) => [n.ownerSlackId, n.users.map((u) => u.userName)])).toEqual([
      ['U1', ['a', 'b']],
      ['U2', ['c']],
    ]);
    expect(result.unowned).toEqual([]);
  });

  it.each([
    ['never nudged', undefined, true],
    ['nudged 25 h ago', 25, true],
    ['nudged 23.5 h ago (inside the hour of tolerance)', 23.5, true],
    ['nudged exactly 23 h ago (edge of the tolerance)', 23, true],
    ['nudged 22.9 h ago', 22.9, false],
    ['nudged 1 h ago', 1, false],
  ])('a user %s is due: %s', (_label, hoursAgo, due) => {
    const previous = hoursAgo === undefined ? [] : [nudged('a', 'U1', hoursAgo)];
    const result = plan([offender('a')], owners({ a: slack('U1') }), previous);
    expect(result.nudges.length > 0).toBe(due);
  });

  it('a daily schedule nudges every day even when the DM went out after the previous scan started', () => {
    // Yesterday's scan started at 14:00 and its DM went out at 14:03; today's scan starts at 14:00.
    const result = plan([offender('a')], owners({ a: slack('U1') }), [nudged('a', 'U1', 24 - 0.05)]);
    expect(result.nudges).toHaveLength(1);
  });

  it('one due user brings the owner all of their offenders, and says which were due', () => {
    const result = plan([offender('a'), offender('b')], owners({ a: slack('U1'), b: slack('U1') }), [
      nudged('a', 'U1', 2),
    ]);
    expect(result.nudges).toHaveLength(1);
    expect(result.nudges[0]?.users.map((u) => u.userName)).toEqual(['a', 'b']);
    expect(result.nudges[0]?.due.map((u) => u.userName)).toEqual(['b']);
  });

  it('an owner none of whose users is due gets no DM', () => {
    const result = plan([offender('a'), offender('b')], owners({ a: slack('U1'), b: slack('U1') }), [
      nudged('a', 'U1', 2),
      nudged('b', 'U1', 3),
    ]);
    expect(result.nudges).toEqual([]);
  });

  it('a new owner is nudged at once even if the previous owner was nudged an hour ago', () => {
    const result = plan([offender('a')], owners({ a: slack('U2') }), [nudged('a', 'U1', 1)]);
    expect(result.nudges.map((n) => n.ownerSlackId)).toEqual(['U2']);
  });

  it('a recreated user (new UserId) is due at once', () => {
    const recreated = offender('a', 1, { userId: 'AIDANEWONE' });
    const result = plan([recreated], new Map([[userKey(recreated), slack('U1')]]), [nudged('a', 'U1', 1)]);
    expect(result.nudges).toHaveLength(1);
  });

  it('the latest of several nudges counts', () => {
    const result = plan([offender('a')], owners({ a: slack('U1') }), [
      nudged('a', 'U1', 100),
      nudged('a', 'U1', 2),
      nudged('a', 'U1', 50),
    ]);
    expect(result.nudges).toEqual([]);
  });

  it.each(['grace', 'exempt', 'error', 'compliant', 'no_console'] as const)(
    'a %s user is never nudged nor listed as unowned',
    (status) => {
      const result = plan(
        [userResult('a', status, { graceUntil: status === 'grace' ? hoursBefore(-1) : null })],
        owners({ a: slack('U1') }),
      );
      expect(result).toEqual({ nudges: [], unowned: [], dueUnowned: [] });
    },
  );

  it('offenders without a Slack owner are listed with why, whatever their cadence', () => {
    const result = plan(
      [offender('a'), offender('b'), offender('c')],
      owners({
        a: { kind: 'unowned', why: { kind: 'not_in_slack', owner: 'x@example.com' } },
        b: { kind: 'unowned', why: { kind: 'deactivated', owner: 'U9' } },
      }),
      [nudged('a', 'U1', 1)],
    );
    expect(result.nudges).toEqual([]);
    expect(result.unowned.map((u) => [u.user.userName, u.why.kind])).toEqual([
      ['a', 'not_in_slack'],
      ['b', 'deactivated'],
      ['c', 'no_owner'],
    ]);
  });

  it('gives unowned offenders a cadence in the security channel', () => {
    const unowned = owners({});
    expect(plan([offender('a'), offender('b')], unowned).dueUnowned.map((u) => u.userName)).toEqual(['a', 'b']);
    expect(
      plan([offender('a'), offender('b')], unowned, [nudged('a', CHANNEL, 2)]).dueUnowned.map((u) => u.userName),
    ).toEqual(['b']);
    expect(plan([offender('a')], unowned, [nudged('a', CHANNEL, 23.5)]).dueUnowned.map((u) => u.userName)).toEqual([
      'a',
    ]);
    // A DM to someone else about the user does not count for the channel.
    expect(plan([offender('a')], unowned, [nudged('a', 'U1', 1)]).dueUnowned.map((u) => u.userName)).toEqual(['a']);
  });

  describe('users of several accounts', () => {
    const B = '444455556666';
    // The same name and, as test data and fakes make them, the same UserId in two accounts.
    const inB = (name: string, sinceHours = 48): UserResult =>
      offender(name, sinceHours, { accountId: B, arn: `arn:aws:iam::${B}:user/${name}` });
    const ownersOf = (entries: [UserResult, SlackOwner][]): Map<string, SlackOwner> =>
      new Map(entries.map(([user, owner]) => [userKey(user), owner]));

    it('one DM per owner across accounts; the same name in two accounts goes to each own owner', () => {
      const a = offender('deploy', 100);
      const b = inB('deploy', 50);
      const c = inB('ci', 10);
      const result = plan(
        [a, b, c],
        ownersOf([
          [a, slack('U1')],
          [b, slack('U2')],
          [c, slack('U1')],
        ]),
      );
      expect(result.nudges.map((n) => [n.ownerSlackId, n.users.map((u) => `${u.accountId}/${u.userName}`)])).toEqual([
        ['U1', ['111122223333/deploy', `${B}/ci`]],
        ['U2', [`${B}/deploy`]],
      ]);
    });

    it('a nudge about a user of one account does not count for the same UserId in another', () => {
      const a = offender('deploy');
      const b = inB('deploy');
      const result = plan(
        [a, b],
        ownersOf([
          [a, slack('U1')],
          [b, slack('U1')],
        ]),
        [nudged('deploy', 'U1', 1)],
      );
      expect(result.nudges.map((n) => n.due.map((u) => u.accountId))).toEqual([[B]]);
      expect(result.nudges[0]?.users).toHaveLength(2);
    });

    it('unowned users of each account have their own cadence in the channel', () => {
      const result = plan([offender('x'), inB('x')], new Map(), [nudged('x', CHANNEL, 1)]);
      expect(result.unowned).toHaveLength(2);
      expect(result.dueUnowned.map((u) => u.accountId)).toEqual([B]);
    });
  });

  it.each([
    [24, HOUR],
    [1, HOUR / 4],
    [2, HOUR / 2],
  ])('tolerance for an interval of %s h is %s ms', (interval, expected) => {
    expect(nudgeTolerance(interval)).toBe(expected);
  });

  it('byUrgency puts users without a start date last and breaks ties by name', () => {
    const users = [offender('z', 1), userResult('y', 'non_compliant'), offender('b', 5), offender('a', 5)];
    expect([...users].sort(byUrgency).map((u) => u.userName)).toEqual(['a', 'b', 'z', 'y']);
  });
});
