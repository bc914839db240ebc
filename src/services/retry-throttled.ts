import { isAppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';

export interface ThrottleRetry {
  readonly attempts: number;
  readonly initialDelayMs: number;
}

// After the SDK's own retries, IAM may still be throttling the account (another tool scanning at
// the same time). For the calls a scan cannot do without, wait longer rather than give up.
export const DEFAULT_THROTTLE_RETRY: ThrottleRetry = { attempts: 4, initialDelayMs: 5_000 };

const retryable = (error: unknown): boolean =>
  isAppError(error) && (error.code === 'iam_throttled' || error.code === 'iam_limit_exceeded');

/** Calls `fn`, and on throttling waits (doubling) and calls again, `attempts` times in all. */
export const retryWhenThrottled = async <T>(
  what: string,
  fn: () => Promise<T>,
  clock: Clock,
  logger: Logger,
  { attempts, initialDelayMs }: ThrottleRetry = DEFAULT_THROTTLE_RETRY,
): Promise<T> => {
  let delay = initialDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!retryable(error) || attempt >= attempts) throw error;
      logger.warn(`${what} is throttled; waiting before trying again`, { attempt, delayMs: delay });
      await clock.sleep(delay);
      delay *= 2;
    }
  }
};
