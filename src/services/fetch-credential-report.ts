import { parseCredentialReport, type ParsedCredentialReport } from '../domain/credential-report';
import { describeError, isAppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';
import type { Logger } from '../ports/logging';

export type ReportOutcome =
  | { readonly kind: 'report'; readonly report: ParsedCredentialReport; readonly generatedAt: Date }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface FetchReportOptions {
  readonly timeoutMs: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

// What IAM says while a report is on its way (or must be generated again): worth waiting, not worth a warning.
const EXPECTED_WHILE_WAITING = new Set([
  'iam_report_not_ready',
  'iam_report_not_present',
  'iam_report_expired',
  'iam_limit_exceeded',
  'iam_throttled',
]);

/**
 * GenerateCredentialReport, poll with exponential backoff until COMPLETE, GetCredentialReport,
 * parse. Never throws: when the report cannot be had in time (or is denied), it says why, and the
 * scan falls back to checking every user live.
 */
export const fetchCredentialReport = async (
  iam: IamGateway,
  clock: Clock,
  logger: Logger,
  { timeoutMs, initialDelayMs = 1000, maxDelayMs = 15_000 }: FetchReportOptions,
): Promise<ReportOutcome> => {
  const deadline = clock.now().getTime() + timeoutMs;
  let delay = initialDelayMs;
  // Every attempt says what went wrong before the deadline is checked.
  let lastProblem: string;

  for (;;) {
    try {
      const state = await iam.generateCredentialReport();
      if (state === 'COMPLETE') {
        const { content, generatedAt } = await iam.getCredentialReport();
        return { kind: 'report', report: parseCredentialReport(content), generatedAt };
      }
      lastProblem = `the report was still ${state === 'STARTED' ? 'starting' : 'in progress'}`;
    } catch (error) {
      if (isAppError(error) && error.code === 'iam_access_denied') {
        return { kind: 'unavailable', reason: `the credential report is not readable: ${describeError(error)}` };
      }
      if (isAppError(error) && error.code === 'report_invalid') {
        return { kind: 'unavailable', reason: `the credential report could not be parsed: ${error.message}` };
      }
      lastProblem = describeError(error);
      // Anything unexpected is still retried until the deadline, but said out loud.
      if (!(isAppError(error) && EXPECTED_WHILE_WAITING.has(error.code))) {
        logger.warn('credential report attempt failed; will retry', { error: lastProblem });
      }
    }

    if (clock.now().getTime() + delay > deadline) {
      return {
        kind: 'unavailable',
        reason: `no credential report within ${Math.round(timeoutMs / 1000)} s (last: ${lastProblem})`,
      };
    }
    logger.debug('waiting for the credential report', { delayMs: delay });
    await clock.sleep(delay);
    delay = Math.min(delay * 2, maxDelayMs);
  }
};
