import { LogLevel, type RetryOptions, type WebClientOptions } from '@slack/web-api';

import type { Logger } from '../../ports/logging';
import { toSlackLogger } from './slack-logger';

/**
 * Retries for one scan's Slack calls: about 15 s of back-off over 4 retries (plus whatever each
 * Retry-After asks for), instead of WebClient's default of 10 retries over about 30 minutes,
 * which would hold a scheduled scan — and the scan lease — for half an hour.
 */
export const SCAN_RETRY_POLICY: RetryOptions = {
  retries: 4,
  factor: 2,
  minTimeout: 1_000,
  maxTimeout: 20_000,
};

/** One HTTP attempt; a hung connection must not stall the scan. */
export const SLACK_REQUEST_TIMEOUT_MS = 30_000;

export interface SlackClientSettings {
  /** SLACK_API_URL, e.g. https://slack.com/api/ */
  readonly apiUrl: string;
  readonly logger: Logger;
  /** SCAN_RETRY_POLICY when left out; `null` leaves retries to the library (Bolt's own client). */
  readonly retryConfig?: RetryOptions | null;
  /** Defaults to info: Slack's debug lines carry request bodies. */
  readonly logLevel?: LogLevel;
  readonly timeoutMs?: number;
}

/** Options for every WebClient mfa-guard creates (its own and Bolt's `clientOptions`). */
export const slackClientOptions = (settings: SlackClientSettings): WebClientOptions => ({
  slackApiUrl: settings.apiUrl,
  ...(settings.retryConfig === null ? {} : { retryConfig: settings.retryConfig ?? SCAN_RETRY_POLICY }),
  // The client then waits out Retry-After and retries within retryConfig.
  rejectRateLimitedCalls: false,
  timeout: settings.timeoutMs ?? SLACK_REQUEST_TIMEOUT_MS,
  // A method name that is an absolute URL must never send the bot token outside SLACK_API_URL.
  allowAbsoluteUrls: false,
  logger: toSlackLogger(settings.logger, settings.logLevel ?? LogLevel.INFO),
});
