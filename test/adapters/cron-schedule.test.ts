import { createCronSchedule, guardRun } from '../../src/adapters/cron-schedule';
import type { Schedule } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logging';

interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

const recordingLogger = (): Logger & { readonly lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const log = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, fields });
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Jest's modern fake timers replace Date as well as setTimeout, so node-cron (which reads the real
// clock) computes runs from these fixed instants, and firing is tested without waiting a minute.
// nextTick / queueMicrotask stay real so that awaited promises settle normally.
const useClockAt = (iso: string): void => {
  jest.useFakeTimers({ now: new Date(iso), doNotFake: ['nextTick', 'queueMicrotask'] });
};

describe('createCronSchedule', () => {
  const schedules: Schedule[] = [];
  const make = (options: Parameters<typeof createCronSchedule>[0]): Schedule => {
    const schedule = createCronSchedule(options);
    schedules.push(schedule);
    return schedule;
  };

  afterEach(() => {
    for (const schedule of schedules.splice(0)) schedule.stop();
    jest.useRealTimers();
  });

  it.each([
    // [now, zone, expected next run] for `0 14 * * 1-5`
    ['2026-01-05T10:00:00Z', 'UTC', '2026-01-05T14:00:00.000Z'], // Monday morning → same day
    ['2026-01-05T14:00:30Z', 'UTC', '2026-01-06T14:00:00.000Z'], // just after → Tuesday
    ['2026-01-09T15:00:00Z', 'UTC', '2026-01-12T14:00:00.000Z'], // Friday afternoon → Monday
    ['2026-01-10T09:00:00Z', 'UTC', '2026-01-12T14:00:00.000Z'], // Saturday → Monday
    ['2026-01-05T10:00:00Z', 'America/New_York', '2026-01-05T19:00:00.000Z'], // EST is UTC-5
    ['2026-07-06T10:00:00Z', 'America/New_York', '2026-07-06T18:00:00.000Z'], // EDT is UTC-4
    ['2026-01-05T20:00:00Z', 'America/New_York', '2026-01-06T19:00:00.000Z'], // after 14:00 New York time
    ['2026-01-05T10:00:00Z', 'Asia/Tokyo', '2026-01-06T05:00:00.000Z'], // already 19:00 Monday in Tokyo
    ['2026-01-09T06:00:00Z', 'Asia/Tokyo', '2026-01-12T05:00:00.000Z'], // Friday 15:00 Tokyo → Monday
  ])('from %s in %s the next run of 0 14 * * 1-5 is %s', (now, timezone, expected) => {
    useClockAt(now);
    const schedule = make({ expression: '0 14 * * 1-5', timezone, run: async () => {}, logger: recordingLogger() });
    expect(schedule.nextRun()).toBeNull();
    schedule.start();
    expect(schedule.nextRun()?.toISOString()).toBe(expected);
  });

  it('has no next run once stopped, and one again after a restart', () => {
    useClockAt('2026-01-05T10:00:00Z');
    const schedule = make({
      expression: '0 14 * * 1-5',
      timezone: 'UTC',
      run: async () => {},
      logger: recordingLogger(),
    });
    schedule.start();
    schedule.stop();
    expect(schedule.nextRun()).toBeNull();
    schedule.start();
    expect(schedule.nextRun()?.toISOString()).toBe('2026-01-05T14:00:00.000Z');
  });

  it('fires at the scheduled minute in its time zone, and not while stopped', async () => {
    useClockAt('2026-01-05T18:58:00Z');
    const runs: string[] = [];
    const schedule = make({
      expression: '0 14 * * 1-5',
      timezone: 'America/New_York',
      run: async () => void runs.push(new Date().toISOString()),
      logger: recordingLogger(),
    });
    schedule.start();
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(runs).toEqual([]);
    await jest.advanceTimersByTimeAsync(MINUTE + 1000);
    expect(runs).toEqual(['2026-01-05T19:00:00.000Z']);
    schedule.stop();
    await jest.advanceTimersByTimeAsync(2 * DAY);
    expect(runs).toHaveLength(1);
  });

  it('logs a failing run and still fires the next one', async () => {
    useClockAt('2026-01-05T13:59:00Z');
    const logger = recordingLogger();
    let calls = 0;
    const schedule = make({
      expression: '0 14 * * 1-5',
      timezone: 'UTC',
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('AccessDenied: iam:GenerateCredentialReport');
      },
      logger,
    });
    schedule.start();
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    expect(calls).toBe(1);
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([
      {
        level: 'error',
        message: expect.stringContaining('scheduled scan failed'),
        fields: { error: 'Error: AccessDenied: iam:GenerateCredentialReport' },
      },
    ]);
    expect(schedule.nextRun()?.toISOString()).toBe('2026-01-06T14:00:00.000Z');
    await jest.advanceTimersByTimeAsync(DAY);
    expect(calls).toBe(2);
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('does not start a second run while one is still going (noOverlap)', async () => {
    useClockAt('2026-01-05T13:59:30Z');
    let started = 0;
    let finish: () => void = () => {};
    const logger = recordingLogger();
    const schedule = make({
      expression: '* * * * *',
      timezone: 'UTC',
      run: () => {
        started += 1;
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
      logger,
    });
    schedule.start();
    await jest.advanceTimersByTimeAsync(3 * MINUTE);
    expect(started).toBe(1);
    expect(logger.lines.some((l) => l.level === 'warn' && l.message.startsWith('node-cron: '))).toBe(true);
    finish();
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(started).toBe(2);
  });

  it.each([
    ['an invalid expression', '0 25 * * *', 'UTC', /SCAN_SCHEDULE/],
    ['an unknown time zone', '0 14 * * 1-5', 'Mars/Olympus_Mons', /SCAN_TIMEZONE/],
  ])('refuses %s with a config_invalid error naming the setting', (_name, expression, timezone, hint) => {
    expect(() => createCronSchedule({ expression, timezone, run: async () => {}, logger: recordingLogger() })).toThrow(
      expect.objectContaining({ code: 'config_invalid', hint: expect.stringMatching(hint) }),
    );
  });
});

describe('guardRun', () => {
  it.each([
    ['a rejected promise', async () => Promise.reject(new Error('boom'))],
    [
      'a synchronous throw',
      () => {
        throw new Error('boom');
      },
    ],
  ])('logs %s and resolves instead of rejecting', async (_name, run: () => Promise<void>) => {
    const logger = recordingLogger();
    await expect(guardRun(run, logger)()).resolves.toBeUndefined();
    expect(logger.lines).toEqual([
      { level: 'error', message: expect.stringContaining('scheduled scan failed'), fields: { error: 'Error: boom' } },
    ]);
  });

  it('runs the function and logs nothing when it succeeds', async () => {
    const logger = recordingLogger();
    let ran = false;
    await guardRun(async () => void (ran = true), logger)();
    expect(ran).toBe(true);
    expect(logger.lines).toEqual([]);
  });
});
