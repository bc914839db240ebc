import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';

import { slackError, slackErrorCode } from '../../../src/adapters/slack/error-mapping';
import { AppError, type AppErrorCode } from '../../../src/errors';

const refusal = (error: string, extra: Record<string, unknown> = {}) =>
  new WebAPIPlatformError({ ok: false, error, ...extra });
const shown = (error: AppError): string => `${error.message} ${error.hint ?? ''}`;

describe('slackError', () => {
  it.each<[string, AppErrorCode]>([
    ['invalid_auth', 'slack_auth'],
    ['not_authed', 'slack_auth'],
    ['account_inactive', 'slack_auth'],
    ['token_revoked', 'slack_auth'],
    ['token_expired', 'slack_auth'],
    ['missing_scope', 'slack_auth'],
    ['not_in_channel', 'slack_not_in_channel'],
    ['channel_not_found', 'slack_channel_not_found'],
    ['is_archived', 'slack_channel_not_found'],
    ['cannot_dm_bot', 'slack_user_unreachable'],
    ['user_disabled', 'slack_user_unreachable'],
    ['user_not_found', 'slack_user_unreachable'],
    ['user_not_visible', 'slack_user_unreachable'],
    ['ratelimited', 'slack_rate_limited'],
    ['rate_limited', 'slack_rate_limited'],
    ['invalid_blocks', 'slack_invalid_message'],
    ['msg_too_long', 'slack_invalid_message'],
    ['msg_blocks_too_long', 'slack_invalid_message'],
    ['no_text', 'slack_invalid_message'],
    ['invalid_arguments', 'slack_invalid_message'],
    ['internal_error', 'slack_request_failed'],
    ['fatal_error', 'slack_request_failed'],
    ['message_not_found', 'slack_error'],
    ['restricted_action', 'slack_error'],
  ])('maps %s to %s, naming the method and the Slack code', (code, expected) => {
    const cause = refusal(code);
    const error = slackError('chat.postMessage', cause, { target: 'C123' });
    expect(error.code).toBe(expected);
    expect(error.message).toContain('chat.postMessage for C123');
    expect(error.message).toContain(code);
    expect(error.hint).toEqual(expect.any(String));
    expect(error.cause).toBe(cause);
  });

  it('phrases a refusal as "Slack refused <method>: <code> — <why>"', () => {
    expect(slackError('conversations.open', refusal('cannot_dm_bot'), { target: 'UBOT' }).message).toBe(
      'Slack refused conversations.open for UBOT: cannot_dm_bot — that Slack user is a bot, and bots cannot be sent DMs.',
    );
  });

  it('says which scope is missing and to reinstall from manifest.yml', () => {
    const error = slackError(
      'conversations.info',
      refusal('missing_scope', { needed: 'channels:read', provided: 'chat:write,im:write' }),
    );
    expect(error.message).toBe(
      'Slack refused conversations.info: missing_scope — the bot token lacks a scope this method requires (needs channels:read; has chat:write,im:write).',
    );
    expect(error.hint).toContain('reinstall the app from manifest.yml');
  });

  it('leaves the scopes out when Slack does not name them', () => {
    expect(slackError('auth.test', refusal('missing_scope')).message).toBe(
      'Slack refused auth.test: missing_scope — the bot token lacks a scope this method requires.',
    );
  });

  it('tells how to invite the bot on not_in_channel', () => {
    expect(slackError('chat.postMessage', refusal('not_in_channel')).hint).toContain('/invite @');
  });

  it("includes Slack's response_metadata messages for a malformed message", () => {
    const cause = refusal('invalid_blocks', {
      response_metadata: {
        messages: ['[ERROR] must be at most 3000 characters [json-pointer:/blocks/0/text/text]', '[ERROR] second'],
      },
    });
    expect(slackError('chat.postMessage', cause).message).toBe(
      'Slack refused chat.postMessage: invalid_blocks — the message was malformed or too large. ' +
        'Slack said: [ERROR] must be at most 3000 characters [json-pointer:/blocks/0/text/text]; [ERROR] second',
    );
  });

  it.each<[string, unknown, AppErrorCode, string]>([
    [
      'a rate-limit rejection',
      new WebAPIRateLimitedError(30),
      'slack_rate_limited',
      'Slack kept rate-limiting auth.test (HTTP 429, Retry-After 30 s) after all retries.',
    ],
    [
      'a 429 the client gave up on',
      new WebAPIRequestError(
        new Error('A rate limit was exceeded (url: https://slack.com/api/auth.test, retry-after: 12)'),
      ),
      'slack_rate_limited',
      'Slack kept rate-limiting auth.test (HTTP 429, Retry-After 12 s) after all retries.',
    ],
    [
      'a 429 without a usable Retry-After',
      new Error(
        'Retry header did not contain a valid timeout (url: https://slack.com/api/auth.test, retry-after header: soon)',
      ),
      'slack_rate_limited',
      'Slack kept rate-limiting auth.test (HTTP 429 without a valid Retry-After) after all retries.',
    ],
    [
      'an HTTP 429',
      new WebAPIHTTPError(429, 'Too Many Requests', {}),
      'slack_rate_limited',
      'Slack kept rate-limiting auth.test (HTTP 429) after all retries.',
    ],
    [
      'an HTTP 503',
      new WebAPIHTTPError(503, 'Service Unavailable', {}),
      'slack_request_failed',
      'mfa-guard could not complete auth.test: Slack answered HTTP 503 Service Unavailable.',
    ],
    [
      'an HTTP 404',
      new WebAPIHTTPError(404, 'Not Found', {}),
      'slack_request_failed',
      'mfa-guard could not complete auth.test: the Slack API answered HTTP 404 Not Found.',
    ],
    [
      'a timeout',
      new WebAPIRequestError(
        Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      ),
      'slack_request_failed',
      'mfa-guard could not complete auth.test: the request timed out.',
    ],
    [
      'a network failure',
      new WebAPIRequestError(new Error('fetch failed')),
      'slack_request_failed',
      'mfa-guard could not complete auth.test: the request failed (fetch failed).',
    ],
    [
      'something else',
      new RangeError('boom'),
      'slack_error',
      'Slack call auth.test failed unexpectedly (RangeError: boom).',
    ],
    ['a non-error', 'weird', 'slack_error', 'Slack call auth.test failed unexpectedly (weird).'],
  ])('maps %s', (_name, cause, code, message) => {
    const error = slackError('auth.test', cause);
    expect(error.code).toBe(code);
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.hint).toEqual(expect.any(String));
  });

  it('points HTTP 4xx at SLACK_API_URL and 5xx at Slack', () => {
    expect(slackError('auth.test', new WebAPIHTTPError(404, 'Not Found', {})).hint).toContain('SLACK_API_URL');
    expect(slackError('auth.test', new WebAPIHTTPError(502, 'Bad Gateway', {})).hint).toContain("Slack's side");
  });

  it('passes an AppError through unchanged', () => {
    const original = new AppError('slack_auth', 'already mapped');
    expect(slackError('auth.test', original)).toBe(original);
  });

  it.each([
    ['a bot token', 'xoxb-1234-5678-abcdef'],
    ['a user token', 'xoxp-1-2-3-abc'],
    ['an app-level token', 'xapp-1-A0-123-abc'],
    ['a rotating token', 'xoxe.xoxb-1-abc'],
  ])('never shows %s, wherever Slack or the network put it', (_name, token) => {
    const causes: unknown[] = [
      refusal(`weird_${token}`),
      refusal('invalid_blocks', { response_metadata: { messages: [`[ERROR] ${token}`] } }),
      new WebAPIRequestError(new Error(`connect ECONNREFUSED with ${token}`)),
      new Error(`Bearer ${token}`),
    ];
    for (const cause of causes) {
      const error = slackError('auth.test', cause, { target: token });
      expect(shown(error)).not.toContain(token);
      expect(shown(error)).toContain('[redacted token]');
    }
  });

  it('keeps Slack text to one bounded line', () => {
    const error = slackError('auth.test', refusal(`<html>\n${'x'.repeat(500)}\u0007</html>`));
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
    expect(error.message).not.toMatch(/[\n\u0007]/);
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toContain('…');
  });
});

describe('slackErrorCode', () => {
  it('reads the Slack code of a refusal and nothing else', () => {
    expect(slackErrorCode(refusal('users_not_found'))).toBe('users_not_found');
    expect(slackErrorCode(new WebAPIHTTPError(500, 'x', {}))).toBeUndefined();
    expect(slackErrorCode(new Error('users_not_found'))).toBeUndefined();
  });
});
