import { createTokenBucket } from '../support/token-bucket';

/** Takes a token at each time (ms); what each answered. */
const run = (settings: { ratePerSecond: number; burst: number }, times: readonly number[]): boolean[] => {
  const bucket = createTokenBucket(settings, 0);
  return times.map((t) => bucket.take(t));
};

describe('the fake AWS endpoint token bucket', () => {
  it.each<[string, { ratePerSecond: number; burst: number }, readonly number[], boolean[]]>([
    [
      'a full bucket answers a burst, then refuses',
      { ratePerSecond: 1, burst: 3 },
      [0, 0, 0, 0],
      [true, true, true, false],
    ],
    [
      'refills at the rate: one token every 50 ms at 20 a second',
      { ratePerSecond: 20, burst: 1 },
      [0, 10, 49, 50, 60, 100],
      [true, false, false, true, false, true],
    ],
    [
      'never holds more than the burst, however long it waited',
      { ratePerSecond: 10, burst: 2 },
      [0, 0, 60_000, 60_000, 60_000],
      [true, true, true, true, false],
    ],
    [
      'a clock going backwards mints nothing',
      { ratePerSecond: 10, burst: 1 },
      [1000, 500, 600, 1099, 1100],
      [true, false, false, false, true],
    ],
    ['a refused call takes no token', { ratePerSecond: 10, burst: 1 }, [0, 50, 99, 100], [true, false, false, true]],
  ])('%s', (_name, settings, times, expected) => {
    expect(run(settings, times)).toEqual(expected);
  });
});
