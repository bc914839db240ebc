import type { Clock } from '../../src/ports/clock';

/** A clock that only moves when told to, or when someone sleeps on it (sleeping takes no real time). */
export const createFakeClock = (start: Date): Clock & { advance(ms: number): void; slept: number[] } => {
  let current = start.getTime();
  const slept: number[] = [];
  return {
    now: () => new Date(current),
    sleep: async (ms) => {
      slept.push(ms);
      current += ms;
    },
    advance: (ms) => {
      current += ms;
    },
    slept,
  };
};
