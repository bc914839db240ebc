import {
  type Figure,
  missedTargets,
  percentile,
  reportStrategyCallBudget,
  slackFirstScanBudget,
  slackFloorSeconds,
  targetState,
  throttleFloorSeconds,
} from '../../bench/stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  it.each<[string, readonly number[], number, number]>([
    ['p50 of 1..100', hundred, 50, 50],
    ['p95 of 1..100', hundred, 95, 95],
    ['p99 of 1..100', hundred, 99, 99],
    ['p100 is the largest', hundred, 100, 100],
    ['p0 is the smallest', hundred, 0, 1],
    ['p99 of 20 values is the largest', Array.from({ length: 20 }, (_, i) => i), 99, 19],
    ['p50 of two values is the lower', [7, 3], 50, 3],
    ['one value is every percentile', [42], 99, 42],
  ])('%s', (_name, values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('the budgets and floors of the issue', () => {
  it.each<[string, number, number]>([
    ['calls ÷ rate', throttleFloorSeconds(8100, 20), 405],
    ['report strategy at 1,000 users, 20 live, no polls: 5 + 1 + 0 + 60', reportStrategyCallBudget(1000, 0, 20), 66],
    ['report strategy at 5,000 users, 100 live, 2 polls: 5 + 5 + 2 + 300', reportStrategyCallBudget(5000, 2, 100), 312],
    ['report strategy at 5,001 users rounds the pages up', reportStrategyCallBudget(5001, 0, 0), 11],
    ['Slack first scan, 50 owners with findings', slackFirstScanBudget(50, 50), 151],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each<[string, Parameters<typeof slackFloorSeconds>[0], number]>([
    ['nothing sent takes no time', { tier3PerMethod: [], tier4PerMethod: [], postsPerChannel: [] }, 0],
    [
      '50 lookups by email are a minute at Tier 3',
      { tier3PerMethod: [50, 10], tier4PerMethod: [], postsPerChannel: [] },
      60,
    ],
    ['100 users.info are a minute at Tier 4', { tier3PerMethod: [], tier4PerMethod: [100], postsPerChannel: [] }, 60],
    [
      'the busiest channel at a message a second decides when it is the slowest',
      { tier3PerMethod: [5], tier4PerMethod: [5], postsPerChannel: [1, 90, 1] },
      90,
    ],
  ])('%s', (_name, counts, expected) => {
    expect(slackFloorSeconds(counts)).toBe(expected);
  });
});

describe('targets', () => {
  const figure = (over: Partial<Figure>): Figure => ({ scenario: 's', what: 'w', value: 1, unit: 's', ...over });
  it.each<[string, Figure, ReturnType<typeof targetState>]>([
    ['no target', figure({}), 'none'],
    ['met', figure({ target: '≤ 2', met: true }), 'met'],
    ['missed', figure({ target: '≤ 0', met: false }), 'missed'],
    ['an estimated miss is only estimated', figure({ target: '≥ 10', met: false, estimated: true }), 'estimated'],
  ])('%s', (_name, f, expected) => {
    expect(targetState(f)).toBe(expected);
  });

  it('fails the bench only on measured misses', () => {
    const measuredMiss = figure({ what: 'measured', target: '< 1', met: false });
    const estimatedMiss = figure({ what: 'estimated', target: '< 1', met: false, estimated: true });
    expect(missedTargets([figure({ target: '< 2', met: true }), measuredMiss, estimatedMiss])).toEqual([measuredMiss]);
  });
});
