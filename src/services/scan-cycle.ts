import type { AccountScan } from '../domain/scan';
import { type AppError, describeError } from '../errors';
import type { Logger } from '../ports/logging';
import {
  type NotifyDeps,
  notifyFailedRun,
  type NotifyResult,
  notifyRun,
  type NotifySettings,
  type SummaryOutcome,
} from './notify-scan';
import { asScanFailure, type RunScanResult } from './run-scan';
import { settlesWithin } from './settles-within';

export type CycleTrigger = 'schedule' | 'start' | 'command';

export type CycleOutcome =
  | { readonly kind: 'completed'; readonly scanId: number; readonly scan: AccountScan; readonly notify: NotifyResult }
  | { readonly kind: 'failed'; readonly error: AppError; readonly summary: SummaryOutcome }
  /** Another process (the CLI, another bot) holds the scan lease. */
  | { readonly kind: 'busy'; readonly holder: string }
  /** This process is already scanning. */
  | { readonly kind: 'already_running' };

export interface ScanCycleDeps {
  readonly scan: () => Promise<RunScanResult>;
  readonly notify: NotifyDeps;
  readonly settings: NotifySettings;
  readonly logger: Logger;
}

export interface ScanCycle {
  /** Scan, then DMs and summary. Never throws: whatever happens is logged and in the outcome. */
  run(trigger: CycleTrigger): Promise<CycleOutcome>;
  isRunning(): boolean;
  /** Resolves true once no cycle runs, or false when `timeoutMs` passes first. */
  waitForIdle(timeoutMs: number): Promise<boolean>;
}

/**
 * One scan at a time in this process (the lease keeps other processes out). A failed scan becomes a
 * message in the security channel and the schedule goes on.
 */
export const createScanCycle = (deps: ScanCycleDeps): ScanCycle => {
  let running: Promise<CycleOutcome> | null = null;

  const cycle = async (trigger: CycleTrigger): Promise<CycleOutcome> => {
    deps.logger.info('scan starting', { trigger });
    let result: RunScanResult;
    try {
      result = await deps.scan();
    } catch (error) {
      // runScan records its own failures; this is for a failure before it could (e.g. the database).
      const appError = asScanFailure(error);
      deps.logger.error('scan failed', { trigger, error: describeError(appError) });
      const now = deps.notify.clock.now();
      const summary = await notifyFailedRun(deps.notify, deps.settings, {
        runId: null,
        startedAt: now,
        finishedAt: now,
        message: appError.message,
        hint: appError.hint ?? null,
        accounts: [],
      });
      return { kind: 'failed', error: appError, summary };
    }

    if (result.outcome === 'busy') {
      deps.logger.warn('another scan holds the scan lease; this one did not start', { trigger, holder: result.holder });
      return { kind: 'busy', holder: result.holder };
    }
    if (result.outcome === 'failed') {
      // TEMPORARY bridge until run-scan reports runs (the SCAN branch replaces this): a failed scan
      // is a run whose one account failed.
      const summary = await notifyFailedRun(deps.notify, deps.settings, {
        runId: null,
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
        message: result.error.message,
        hint: result.error.hint ?? null,
        accounts:
          result.accountId === null
            ? []
            : [
                {
                  accountId: result.accountId,
                  alias: null,
                  via: 'ambient credentials',
                  code: result.error.code,
                  message: result.error.message,
                  hint: result.error.hint ?? null,
                  scanId: result.scanId,
                  startedAt: result.startedAt,
                  finishedAt: result.finishedAt,
                },
              ],
      });
      return { kind: 'failed', error: result.error, summary };
    }
    try {
      // TEMPORARY bridge until run-scan reports runs (the SCAN branch replaces this): a run of one account.
      const { saved, scan } = result;
      const notify = await notifyRun(deps.notify, deps.settings, {
        runId: saved.scanId,
        startedAt: scan.startedAt,
        finishedAt: scan.finishedAt,
        accounts: [{ outcome: 'completed', scan, saved }],
      });
      deps.logger.info('notifications sent', {
        dms: notify.dmsSent,
        failedDms: notify.failedDms.length,
        summary: notify.summary,
      });
      return { kind: 'completed', scanId: result.saved.scanId, scan: result.scan, notify };
    } catch (error) {
      const appError = asScanFailure(error);
      deps.logger.error('the scan finished but its notifications failed', { error: describeError(appError) });
      return { kind: 'failed', error: appError, summary: 'failed' };
    }
  };

  return {
    run: (trigger) => {
      if (running !== null) return Promise.resolve({ kind: 'already_running' });
      const current = cycle(trigger).finally(() => {
        running = null;
      });
      running = current;
      return current;
    },
    isRunning: () => running !== null,
    waitForIdle: async (timeoutMs) => running === null || (await settlesWithin(running, timeoutMs)),
  };
};
