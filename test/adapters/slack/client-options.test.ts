import { LogLevel } from '@slack/web-api';

import {
  INTERACTION_RATE_LIMITS,
  INTERACTION_RETRY_POLICY,
  SCAN_RATE_LIMITS,
  SCAN_RETRY_POLICY,
  SLACK_REQUEST_TIMEOUT_MS,
  slackClientOptions,
} from '../../../src/adapters/slack/client-options';
import type { Logger } from '../../../src/ports/logging';

const lines: string[] = [];
const logger: Logger = {
  debug: (m) => lines.push(`debug ${m}`),
  info: (m) => lines.push(`info ${m}`),
  warn: (m) => lines.push(`warn ${m}`),
  error: (m) => lines.push(`error ${m}`),
};

/** The back-off waits node-retry computes without randomisation: min(max, min * factor^n). */
const backoffMs = (policy: typeof SCAN_RETRY_POLICY): number[] =>
  Array.from({ length: policy.retries ?? 10 }, (_, n) =>
    Math.min(policy.maxTimeout ?? Infinity, (policy.minTimeout ?? 1000) * (policy.factor ?? 2) ** n),
  );

describe('SCAN_RETRY_POLICY', () => {
  it('retries, but gives up within a minute of back-off rather than the default half hour', () => {
    expect(SCAN_RETRY_POLICY.retries).toBeGreaterThanOrEqual(2);
    const total = backoffMs(SCAN_RETRY_POLICY).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(60_000);
    expect(backoffMs(SCAN_RETRY_POLICY)).toEqual([1000, 2000, 4000, 8000]);
  });
});

describe('the policies for answers to people', () => {
  it('retry at most twice, within two seconds of back-off, and wait out a Retry-After of at most 10 s', () => {
    expect(INTERACTION_RETRY_POLICY.retries).toBe(2);
    expect(backoffMs(INTERACTION_RETRY_POLICY).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2000);
    expect(INTERACTION_RATE_LIMITS).toEqual({ retries: 2, maxRetryAfterSeconds: 10 });
  });

  it('the scan honours any Retry-After, within its retries', () => {
    expect(SCAN_RATE_LIMITS).toEqual({ retries: 4, maxRetryAfterSeconds: Number.POSITIVE_INFINITY });
  });
});

describe('slackClientOptions', () => {
  it('points the client at SLACK_API_URL, retries within the scan policy, leaves 429s to the gateway, and stays inside the URL', () => {
    const options = slackClientOptions({ apiUrl: 'https://slack.example.gov/api/', logger });
    expect(options).toMatchObject({
      slackApiUrl: 'https://slack.example.gov/api/',
      retryConfig: SCAN_RETRY_POLICY,
      // WebClient's own wait has no cap and holds every call of the client; the gateway waits instead.
      rejectRateLimitedCalls: true,
      timeout: SLACK_REQUEST_TIMEOUT_MS,
      allowAbsoluteUrls: false,
    });
    expect(SLACK_REQUEST_TIMEOUT_MS).toBe(30_000);
  });

  it('takes another retry policy and timeout', () => {
    const options = slackClientOptions({ apiUrl: 'http://x/api/', logger, retryConfig: { retries: 0 }, timeoutMs: 5 });
    expect(options.retryConfig).toEqual({ retries: 0 });
    expect(options.timeout).toBe(5);
  });

  it('leaves retries to the library when told to (Bolt and Socket Mode keep their own reconnect policy)', () => {
    const options = slackClientOptions({ apiUrl: 'http://x/api/', logger, retryConfig: null });
    expect('retryConfig' in options).toBe(false);
    expect(options.rejectRateLimitedCalls).toBe(false);
    expect(options.slackApiUrl).toBe('http://x/api/');
    expect(options.allowAbsoluteUrls).toBe(false);
  });

  it('logs through our logger at info unless told otherwise', () => {
    lines.length = 0;
    const quiet = slackClientOptions({ apiUrl: 'http://x/api/', logger }).logger;
    const chatty = slackClientOptions({ apiUrl: 'http://x/api/', logger, logLevel: LogLevel.DEBUG }).logger;
    quiet?.debug('hidden');
    quiet?.info('shown');
    chatty?.debug('shown too');
    expect(quiet?.getLevel()).toBe(LogLevel.INFO);
    expect(lines).toEqual(['info shown', 'debug shown too']);
  });
});
