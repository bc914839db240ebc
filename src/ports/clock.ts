export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
  /**
   * Calls `run` once `ms` have passed on this clock (a removal's heartbeat, an IAM call's deadline);
   * the answer cancels it. A pending timer never keeps the process alive on its own.
   */
  after(ms: number, run: () => void): () => void;
}

export interface Schedule {
  start(): void;
  /** Stops future runs; a run in progress is not interrupted. */
  stop(): void;
  nextRun(): Date | null;
}
