import type { Clock } from '../ports/clock';

interface Timer {
  /** Due on this clock, in ms since the epoch. */
  readonly due: number;
  readonly run: () => void;
  real: ReturnType<typeof setTimeout> | null;
}

export interface SettableClock extends Clock {
  /** Moves this clock forward by `ms`; the timers it passes fire, in time order. */
  advance(ms: number): void;
}

/**
 * Real time plus an offset that only grows: the playground's clock, which a person moves forward
 * (an hour, a day, a week) to watch re-nudges, escalation and expiry. Time still passes as usual
 * in between, so sleeps and timers also fire on their own, in real time.
 */
export const createSettableClock = (realNow: () => number = Date.now): SettableClock => {
  let offset = 0;
  const timers = new Set<Timer>();
  const now = (): number => realNow() + offset;

  const fire = (timer: Timer): void => {
    if (!timers.delete(timer)) return;
    if (timer.real !== null) clearTimeout(timer.real);
    timer.run();
  };

  return {
    now: () => new Date(now()),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
    after: (ms, run) => {
      const timer: Timer = { due: now() + Math.max(0, ms), run, real: null };
      timers.add(timer);
      timer.real = setTimeout(() => fire(timer), Math.max(0, ms));
      // As the system clock's: what the timer guards keeps the process alive if it must.
      timer.real.unref();
      return () => {
        timers.delete(timer);
        if (timer.real !== null) clearTimeout(timer.real);
      };
    },
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`The clock only moves forward; got ${ms} ms.`);
      offset += ms;
      const target = now();
      for (const timer of [...timers].filter((t) => t.due <= target).sort((a, b) => a.due - b.due)) fire(timer);
    },
  };
};
