/**
 * `ask`, asked once and its answer kept for every later call (concurrent callers share the one
 * question). A failure is not kept: the next call asks again, so one hiccup is not remembered for good.
 */
export const rememberOnce = <T>(ask: () => Promise<T>): (() => Promise<T>) => {
  let known: Promise<T> | null = null;
  return () => {
    known ??= ask().catch((error: unknown) => {
      known = null;
      throw error;
    });
    return known;
  };
};
