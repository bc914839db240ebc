import { settlesWithin } from './settles-within';

/**
 * Work started by people's clicks and commands, so a shutdown can let it finish (bounded) before
 * the database closes: a removal cut off between its claim and its outcome would otherwise stay
 * "executing" until housekeeping marks it failed.
 */
export interface InFlight {
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  waitForIdle(timeoutMs: number): Promise<boolean>;
  count(): number;
}

export const createInFlight = (): InFlight => {
  const running = new Set<Promise<unknown>>();
  return {
    track: <T>(work: () => Promise<T>): Promise<T> => {
      const promise = work();
      const settled = promise.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      return promise;
    },
    waitForIdle: async (timeoutMs) => {
      const until = Date.now() + timeoutMs;
      // Work may start while we wait (a reply's follow-up), so wait until the set stays empty.
      while (running.size > 0) {
        if (!(await settlesWithin(Promise.all([...running]), Math.max(0, until - Date.now())))) return false;
      }
      return true;
    },
    count: () => running.size,
  };
};
