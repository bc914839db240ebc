import { LogLevel, type RetryOptions, type WebClientOptions } from '@slack/web-api';

import type { Logger } from '../../ports/logging';
import { toSlackLogger } from './slack-logger';

/**
 * Retries for one scan's Slack calls: about 15 s of back-off over 4 retries, instead of
 * WebClient's default of 10 retries over about 30 minutes, which would hold a scheduled scan — and
 * the scan lease — for half an hour. A 429 is retried by the gateway (SCAN_RATE_LIMITS).
 */
export const SCAN_RETRY_POLICY: RetryOptions = {
  retries: 4,
  factor: 2,
  minTimeout: 1_000,
  maxTimeout: 20_000,
};

/**
 * Retries for the answers to people (buttons, /mfa-status, App Home): a person is waiting, and
 * Slack gives a modal's trigger_id 3 seconds. At most 2 retries of a failed request, a second
 * apart at most; a 429 is retried by the gateway (INTERACTION_RATE_LIMITS).
 */
export const INTERACTION_RETRY_POLICY: RetryOptions = {
  retries: 2,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 1_000,
};

/** How a gateway answers an HTTP 429: how often it waits out Retry-After and calls again. */
export interface RateLimitPolicy {
  readonly retries: number;
  /** A longer Retry-After fails the call at once: for a person waiting, an answer beats a long wait. */
  readonly maxRetryAfterSeconds: number;
}

/** The scan honours whatever Retry-After Slack asks for (as WebClient would), within SCAN_RETRY_POLICY's retries. */
export const SCAN_RATE_LIMITS: RateLimitPolicy = {
  retries: SCAN_RETRY_POLICY.retries ?? 4,
  maxRetryAfterSeconds: Number.POSITIVE_INFINITY,
};

/** At most 2 retries, each after a Retry-After of at most 10 s. */
export const INTERACTION_RATE_LIMITS: RateLimitPolicy = { retries: 2, maxRetryAfterSeconds: 10 };

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

/**
 * Options for every WebClient mfa-guard creates (its own and Bolt's `clientOptions`). Our own
 * clients reject a 429 at once and leave it to the gateway (createSlackGateway), which waits out
 * Retry-After within its RateLimitPolicy; WebClient's own wait has no cap and pauses every call of
 * the client. Bolt's client (`retryConfig: null`) keeps the library's behaviour.
 */
export const slackClientOptions = (settings: SlackClientSettings): WebClientOptions => ({
  slackApiUrl: settings.apiUrl,
  ...(settings.retryConfig === null ? {} : { retryConfig: settings.retryConfig ?? SCAN_RETRY_POLICY }),
  rejectRateLimitedCalls: settings.retryConfig !== null,
  timeout: settings.timeoutMs ?? SLACK_REQUEST_TIMEOUT_MS,
  // A method name that is an absolute URL must never send the bot token outside SLACK_API_URL.
  allowAbsoluteUrls: false,
  logger: toSlackLogger(settings.logger, settings.logLevel ?? LogLevel.INFO),
});
