export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export interface Schedule {
  start(): void;
  /** Stops future runs; a run in progress is not interrupted. */
  stop(): void;
  nextRun(): Date | null;
}
