import { silentLogger } from '../../src/adapters/stderr-logger';
import { AppError, type AppErrorCode } from '../../src/errors';
import { retryWhenThrottled } from '../../src/services/retry-throttled';
import { createFakeClock } from '../support/fake-clock';

const failingTimes = (times: number, code: AppErrorCode) => {
  let calls = 0;
  const fn = async (): Promise<string> => {
    calls += 1;
    if (calls <= times) throw new AppError(code, `${code} #${calls}`);
    return 'users';
  };
  return { fn, calls: () => calls };
};

describe('retryWhenThrottled', () => {
  it.each<[number, AppErrorCode, string | null, number[]]>([
    [0, 'iam_throttled', 'users', []],
    [1, 'iam_throttled', 'users', [5000]],
    [3, 'iam_throttled', 'users', [5000, 10000, 20000]],
    [3, 'iam_limit_exceeded', 'users', [5000, 10000, 20000]],
    [4, 'iam_throttled', null, [5000, 10000, 20000]],
  ])('%i failure(s) with %s', async (times, code, expected, sleeps) => {
    const clock = createFakeClock(new Date('2026-11-28T14:00:00Z'));
    const { fn } = failingTimes(times, code);
    const call = retryWhenThrottled('iam:ListUsers', fn, clock, silentLogger);
    if (expected === null) await expect(call).rejects.toMatchObject({ code });
    else await expect(call).resolves.toBe(expected);
    expect(clock.slept).toEqual(sleeps);
  });

  it.each<AppErrorCode>(['iam_access_denied', 'iam_service_failure', 'iam_unexpected'])(
    'does not retry %s',
    async (code) => {
      const clock = createFakeClock(new Date('2026-11-28T14:00:00Z'));
      const { fn, calls } = failingTimes(1, code);
      await expect(retryWhenThrottled('iam:ListUsers', fn, clock, silentLogger)).rejects.toMatchObject({ code });
      expect(calls()).toBe(1);
      expect(clock.slept).toEqual([]);
    },
  );
});
