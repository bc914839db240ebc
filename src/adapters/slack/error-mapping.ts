import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';

import { AppError, type AppErrorCode, isAppError } from '../../errors';
import { redactSlackTokens } from './slack-logger';

/** What the call was about (a channel ID, a user ID, an email), to name it in the message. */
export interface SlackCallContext {
  readonly target?: string | undefined;
}

const AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);
const CHANNEL = new Set(['channel_not_found', 'is_archived']);
const USER = new Set(['cannot_dm_bot', 'user_disabled', 'user_not_found', 'users_not_found', 'user_not_visible']);
const RATE = new Set(['ratelimited', 'rate_limited']);
const MESSAGE = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'invalid_arguments',
]);
// views.open: a click's trigger_id is good for 3 seconds and once.
const TRIGGER = new Set(['expired_trigger_id', 'exchanged_trigger_id', 'invalid_trigger_id']);
// Slack's own "try again" answers: the request was fine, Slack was not.
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

const MAX_SHOWN = 200;

/** Slack's words are shown to a person: one line, bounded, and never a token. */
const clean = (text: string): string => {
  const oneLine = redactSlackTokens(text)
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim();
  return oneLine.length > MAX_SHOWN ? `${oneLine.slice(0, MAX_SHOWN)}…` : oneLine;
};

const stringField = (data: object, key: string): string | undefined => {
  const value: unknown = Reflect.get(data, key);
  return typeof value === 'string' && value !== '' ? clean(value) : undefined;
};

/** The Slack error code (`cannot_dm_bot`, …) of a Web API refusal, if that is what `error` is. */
export const slackErrorCode = (error: unknown): string | undefined =>
  error instanceof WebAPIPlatformError ? clean(String(error.data.error)) : undefined;

const on = (method: string, context: SlackCallContext): string =>
  context.target === undefined ? method : `${method} for ${clean(context.target)}`;

const SLACK_SIDE_HINT = "This is on Slack's side; try again later and check https://slack-status.com if it persists.";
const NETWORK_HINT = 'Check network access to Slack (proxy, firewall) and SLACK_API_URL if it is set.';

const rateLimited = (method: string, context: SlackCallContext, cause: unknown, said: string): AppError =>
  new AppError('slack_rate_limited', `Slack kept rate-limiting ${on(method, context)} (${said}) after all retries.`, {
    hint: 'Slack limits how fast an app may call each method; wait a minute and try again.',
    cause,
  });

/** WebClient's own words when it gave up on a 429. */
const rateLimitGivenUp = (message: string): string | undefined => {
  const retryAfter = /^A rate limit was exceeded .*retry-after: (\d+)/.exec(message);
  if (retryAfter) return `HTTP 429, Retry-After ${retryAfter[1]} s`;
  return message.startsWith('Retry header did not contain a valid timeout')
    ? 'HTTP 429 without a valid Retry-After'
    : undefined;
};

// Checked by name and by text: fetch's DOMException may come from another realm (Jest's vm), where
// WebClient re-wraps it as a plain Error whose message starts with the name.
const isTimeout = (error: Error): boolean =>
  error.name === 'TimeoutError' || error.name === 'AbortError' || /^(TimeoutError|AbortError)\b/.test(error.message);

const requestFailed = (
  method: string,
  context: SlackCallContext,
  cause: unknown,
  what: string,
  hint: string,
): AppError =>
  new AppError('slack_request_failed', `mfa-guard could not complete ${on(method, context)}: ${what}.`, {
    hint,
    cause,
  });

const platformError = (method: string, error: WebAPIPlatformError, context: SlackCallContext): AppError => {
  const code = clean(String(error.data.error));
  const what = on(method, context);
  const refused = (explanation: string) => `Slack refused ${what}: ${code} — ${explanation}.`;
  const make = (appCode: AppErrorCode, message: string, hint: string) =>
    new AppError(appCode, message, { hint, cause: error });

  if (code === 'missing_scope') {
    const needed = stringField(error.data, 'needed');
    const provided = stringField(error.data, 'provided');
    const scopes = [needed && `needs ${needed}`, provided && `has ${provided}`].filter(Boolean).join('; ');
    return make(
      'slack_auth',
      refused(`the bot token lacks a scope this method requires${scopes === '' ? '' : ` (${scopes})`}`),
      'Add the missing scope to manifest.yml if it is not there, reinstall the app from manifest.yml, and restart mfa-guard with the Bot User OAuth Token it shows.',
    );
  }
  if (AUTH.has(code)) {
    return make(
      'slack_auth',
      refused('Slack did not accept the bot token'),
      'Check SLACK_BOT_TOKEN: it must be the Bot User OAuth Token (xoxb-…) of an installed app. If it was revoked or the app was removed, reinstall the app from manifest.yml and use the new token.',
    );
  }
  if (code === 'not_in_channel') {
    return make(
      'slack_not_in_channel',
      refused('the bot is not a member of the channel'),
      'Invite the bot to the channel: type /invite @<the bot name> in it.',
    );
  }
  if (CHANNEL.has(code)) {
    return make(
      'slack_channel_not_found',
      refused(code === 'is_archived' ? 'the channel is archived' : 'no channel with that ID is visible to the bot'),
      code === 'is_archived'
        ? 'Unarchive the channel or configure another one.'
        : 'Use the channel ID (like C0123456789, from the channel details), not its name; for a private channel, invite the bot first.',
    );
  }
  if (USER.has(code)) {
    const why: Readonly<Record<string, string>> = {
      cannot_dm_bot: 'that Slack user is a bot, and bots cannot be sent DMs',
      user_disabled: 'that Slack user is deactivated',
      user_not_visible: 'the bot is not allowed to see that Slack user',
    };
    return make(
      'slack_user_unreachable',
      refused(why[code] ?? 'no such Slack user'),
      'Point the owner (owners file or IAM tag) at a current, human Slack user.',
    );
  }
  if (RATE.has(code)) return rateLimited(method, context, error, code);
  if (MESSAGE.has(code)) {
    const messages = (error.data.response_metadata?.messages ?? []).slice(0, 5).map(clean);
    const detail = messages.length === 0 ? '' : ` Slack said: ${messages.join('; ')}`;
    return make(
      'slack_invalid_message',
      `${refused('the message was malformed or too large')}${detail}`,
      'This is a bug in mfa-guard; please report it together with this message.',
    );
  }
  if (TRIGGER.has(code)) {
    return make(
      'slack_error',
      refused('the click could no longer open a window (Slack allows 3 seconds, and one window per click)'),
      'Click the button again.',
    );
  }
  if (TRANSIENT.has(code)) {
    return make('slack_request_failed', refused('Slack failed while handling the request'), SLACK_SIDE_HINT);
  }
  return make(
    'slack_error',
    refused('an answer mfa-guard does not handle'),
    `See https://docs.slack.dev/reference/methods/${method} for what ${code} means.`,
  );
};

/**
 * Turns anything a WebClient call threw into the one AppError shape. The only place that knows
 * Slack's error codes; `cause` keeps the original for debugging.
 */
export const slackError = (method: string, error: unknown, context: SlackCallContext = {}): AppError => {
  if (isAppError(error)) return error;
  if (error instanceof WebAPIPlatformError) return platformError(method, error, context);
  if (error instanceof WebAPIRateLimitedError)
    return rateLimited(method, context, error, `HTTP 429, Retry-After ${error.retryAfter} s`);
  if (error instanceof WebAPIHTTPError) {
    if (error.statusCode === 429) return rateLimited(method, context, error, 'HTTP 429');
    const status = `HTTP ${error.statusCode}${error.statusMessage ? ` ${clean(error.statusMessage)}` : ''}`;
    return error.statusCode >= 500
      ? requestFailed(method, context, error, `Slack answered ${status}`, SLACK_SIDE_HINT)
      : requestFailed(
          method,
          context,
          error,
          `the Slack API answered ${status}`,
          'Check SLACK_API_URL: it must be the Web API base URL, like https://slack.com/api/.',
        );
  }
  if (error instanceof WebAPIRequestError) {
    const { original } = error;
    // With rejectRateLimitedCalls off, WebClient waits out each 429 itself and, once the retries
    // run out, reports it as a request error.
    const limited = rateLimitGivenUp(original.message);
    if (limited !== undefined) return rateLimited(method, context, error, limited);
    const reason = isTimeout(original) ? 'the request timed out' : `the request failed (${clean(original.message)})`;
    return requestFailed(method, context, error, reason, NETWORK_HINT);
  }
  // A 429 without a usable Retry-After is not retried: WebClient throws a plain Error.
  const limited = error instanceof Error ? rateLimitGivenUp(error.message) : undefined;
  if (limited !== undefined) return rateLimited(method, context, error, limited);
  const detail = error instanceof Error ? `${error.name}: ${clean(error.message)}` : clean(String(error));
  return new AppError('slack_error', `Slack call ${on(method, context)} failed unexpectedly (${detail}).`, {
    hint: 'Retry; if it keeps happening, report it together with this message.',
    cause: error,
  });
};
