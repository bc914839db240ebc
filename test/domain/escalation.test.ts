import { findEscalations } from '../../src/domain/escalation';
import { FIXTURE_NOW, userResult } from '../support/user-result';

const DAY = 86_400_000;
const since = (days: number) =>
  userResult(`u${days}`, 'non_compliant', { nonCompliantSince: new Date(FIXTURE_NOW.getTime() - days * DAY) });

describe('findEscalations', () => {
  it.each([
    [6.9, false],
    [7, true],
    [30, true],
  ])('non_compliant for %s days with a 7-day threshold escalates: %s', (days, escalated) => {
    const result = findEscalations({
      offenders: [since(days)],
      escalateAfterDays: 7,
      now: FIXTURE_NOW,
      findingIds: new Map(),
      escalationSince: new Map(),
      alreadyEscalated: new Set(),
    });
    expect(result.length).toBe(escalated ? 1 : 0);
  });

  it('announces a finding as newly escalated only once', () => {
    const findingIds = new Map([
      ['u8', 1],
      ['u9', 2],
    ]);
    const result = findEscalations({
      offenders: [since(8), since(9)],
      escalateAfterDays: 7,
      now: FIXTURE_NOW,
      findingIds,
      escalationSince: new Map(),
      alreadyEscalated: new Set([2]),
    });
    expect(result.map((e) => [e.user.userName, e.findingId, e.newlyEscalated])).toEqual([
      ['u8', 1, true],
      ['u9', 2, false],
    ]);
  });

  it('ignores users without a start date', () => {
    const result = findEscalations({
      offenders: [userResult('x', 'non_compliant')],
      escalateAfterDays: 1,
      now: FIXTURE_NOW,
      findingIds: new Map(),
      escalationSince: new Map(),
      alreadyEscalated: new Set(),
    });
    expect(result).toEqual([]);
  });

  it.each<[string, number, number | null, boolean, number]>([
    ['a reopened finding 1 day old in a chain 8 days old escalates', 1, 8, true, 8],
    ['a reopened finding 1 day old in a chain 6 days old does not', 1, 6, false, 0],
    ['without a chain start, nonCompliantSince counts', 8, null, true, 8],
    ['a chain start later than nonCompliantSince never delays escalation', 8, 2, true, 8],
  ])('%s', (_name, findingDays, chainDays, escalated, sinceDays) => {
    const user = since(findingDays);
    const result = findEscalations({
      offenders: [user],
      escalateAfterDays: 7,
      now: FIXTURE_NOW,
      findingIds: new Map([[user.userName, 4]]),
      escalationSince: new Map(
        chainDays === null ? [] : [[user.userName, new Date(FIXTURE_NOW.getTime() - chainDays * DAY)]],
      ),
      alreadyEscalated: new Set(),
    });
    expect(result).toEqual(
      escalated
        ? [{ user, findingId: 4, since: new Date(FIXTURE_NOW.getTime() - sinceDays * DAY), newlyEscalated: true }]
        : [],
    );
  });
});
