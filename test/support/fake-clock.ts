import type { Clock } from '../../src/ports/clock';

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly run: () => void;
}

/**
 * A clock that only moves when told to, or when someone sleeps on it (sleeping takes no real time).
 * Timers set with `after` fire as the clock passes their time, in time order, with `now()` at their
 * due time while they run; a timer set by a timer fires in the same move if it is due by then.
 */
export const createFakeClock = (
  start: Date,
): Clock & { advance(ms: number): void; slept: number[]; readonly pendingTimers: number } => {
  let current = start.getTime();
  let seq = 0;
  let timers: Timer[] = [];
  const slept: number[] = [];

  const moveTo = (target: number): void => {
    for (;;) {
      const next = timers.filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (next === undefined) break;
      timers = timers.filter((t) => t !== next);
      current = Math.max(current, next.due);
      next.run();
    }
    current = Math.max(current, target);
  };

  return {
    now: () => new Date(current),
    sleep: async (ms) => {
      slept.push(ms);
      moveTo(current + ms);
    },
    after: (ms, run) => {
      seq += 1;
      const timer: Timer = { due: current + Math.max(0, ms), seq, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance: (ms) => moveTo(current + ms),
    slept,
    get pendingTimers() {
      return timers.length;
    },
  };
};
