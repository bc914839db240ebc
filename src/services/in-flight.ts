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
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        while (running.size > 0) {
          const idle = await Promise.race([Promise.all([...running]).then(() => true), timeout]);
          if (!idle) return false;
        }
        return true;
      } finally {
        clearTimeout(timer);
      }
    },
    count: () => running.size,
  };
};
