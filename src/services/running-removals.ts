/**
 * The removals this process is executing right now. Housekeeping fails removals that look cut off
 * (claimed long ago, still executing), and must leave these alone: they are merely slow.
 */
export interface RunningRemovals {
  /** Runs the removal of request `id`, counted as running until `work` settles. */
  run<T>(id: number, work: () => Promise<T>): Promise<T>;
  /** The ids running now. */
  ids(): readonly number[];
}

export const createRunningRemovals = (): RunningRemovals => {
  const running = new Set<number>();
  return {
    run: async (id, work) => {
      running.add(id);
      try {
        return await work();
      } finally {
        running.delete(id);
      }
    },
    ids: () => [...running],
  };
};
