import { createTask, type Logger as CronLogger } from 'node-cron';

import { AppError, describeError } from '../errors';
import type { Schedule } from '../ports/clock';
import type { Logger } from '../ports/logging';

export interface CronScheduleOptions {
  /** Five-field cron expression, already checked by the config. */
  readonly expression: string;
  /** IANA zone the expression is read in. */
  readonly timezone: string;
  readonly run: () => Promise<void>;
  readonly logger: Logger;
}

const TASK_NAME = 'mfa-guard-scan';

/**
 * Runs `run` on a node-cron 4 schedule. node-cron's `noOverlap` skips a tick while the previous run
 * is still going; the scan lease is what keeps other starters (CLI, /mfa-status scan) out.
 */
export const createCronSchedule = (options: CronScheduleOptions): Schedule => {
  const { expression, timezone, logger } = options;
  assertTimeZone(timezone);
  let task: ReturnType<typeof createTask>;
  try {
    // createTask (unlike schedule) leaves the task stopped until start().
    task = createTask(expression, guardRun(options.run, logger), {
      timezone,
      noOverlap: true,
      name: TASK_NAME,
      logger: cronLogger(logger),
    });
  } catch (error) {
    throw new AppError('config_invalid', 'The scan schedule is not a valid five-field cron expression.', {
      hint: 'Fix SCAN_SCHEDULE (for example SCAN_SCHEDULE=0 14 * * 1-5).',
      cause: error,
    });
  }
  return {
    start: () => {
      void task.start();
      logger.info('scan schedule started', { expression, timezone, nextRun: task.getNextRun()?.toISOString() ?? null });
    },
    stop: () => {
      void task.stop();
      logger.info('scan schedule stopped');
    },
    // node-cron answers null while the task is stopped: a stopped schedule has no next run.
    nextRun: () => task.getNextRun(),
  };
};

/**
 * Wraps a scheduled run so that a failure is logged and swallowed. A rejection must not reach
 * node-cron (which would log it its own way) or the process (an unhandled rejection ends it);
 * the schedule itself keeps going either way, so the next run still fires.
 */
export const guardRun =
  (run: () => Promise<void>, logger: Logger): (() => Promise<void>) =>
  async () => {
    try {
      await run();
    } catch (error) {
      logger.error('scheduled scan failed; the schedule keeps running', { error: describeError(error) });
    }
  };

/** Routes node-cron's own messages (missed runs, overlap skips) to our logger. */
const cronLogger = (logger: Logger): CronLogger => ({
  info: (message) => logger.info(`node-cron: ${message}`),
  warn: (message) => logger.warn(`node-cron: ${message}`),
  error: (message, err) =>
    logger.error(`node-cron: ${describeError(message)}`, err === undefined ? {} : { error: describeError(err) }),
  debug: (message, err) =>
    logger.debug(`node-cron: ${describeError(message)}`, err === undefined ? {} : { error: describeError(err) }),
});

// node-cron accepts any zone and throws only when it computes the first run, inside start().
const assertTimeZone = (timezone: string): void => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch (error) {
    throw new AppError('config_invalid', 'The scan time zone is not a known IANA time zone.', {
      hint: 'Fix SCAN_TIMEZONE (for example SCAN_TIMEZONE=UTC or Europe/Berlin).',
      cause: error,
    });
  }
};
