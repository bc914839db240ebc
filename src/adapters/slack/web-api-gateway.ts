import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';

import type { BotIdentity, ChannelAccess, PostedMessage, SlackUser } from '../../domain/slack-records';
import { AppError } from '../../errors';
import type { SlackGateway } from '../../ports/slack';
import type { HomeView, ModalView, SlackMessage } from '../../slack/blocks/block-kit';
import { type RateLimitPolicy, SCAN_RATE_LIMITS } from './client-options';
import { slackError, slackErrorCode } from './error-mapping';

export interface SlackGatewayOptions {
  /** How an HTTP 429 is retried; the client must be built with slackClientOptions, which rejects it at once. */
  readonly rateLimits?: RateLimitPolicy;
  /** How a Retry-After is waited out (a timer); tests hold it to see what else goes on meanwhile. */
  readonly wait?: (ms: number) => Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The Web API calls over one client, each retried after a 429 within the policy, each failure an AppError. */
const callsOver = (options: SlackGatewayOptions) => {
  const policy = options.rateLimits ?? SCAN_RATE_LIMITS;
  const wait = options.wait ?? sleep;

  /** A 429 is the only failure retried here: Slack did nothing with the call, so calling again is safe. */
  const withRateLimits = async <T>(run: () => Promise<T>): Promise<T> => {
    for (let retry = 0; ; retry += 1) {
      try {
        return await run();
      } catch (error) {
        const limited = error instanceof WebAPIRateLimitedError;
        if (!limited || retry >= policy.retries || error.retryAfter > policy.maxRetryAfterSeconds) throw error;
        await wait(error.retryAfter * 1000);
      }
    }
  };

  /** The AppError for anything a call threw; a Retry-After past the policy's cap says so. */
  const failure = (method: string, error: unknown, target: string | undefined): AppError => {
    if (error instanceof WebAPIRateLimitedError && error.retryAfter > policy.maxRetryAfterSeconds) {
      return new AppError(
        'slack_rate_limited',
        `Slack rate-limited ${method} and asked to wait ` +
          `${error.retryAfter} s, longer than mfa-guard keeps a person waiting (${policy.maxRetryAfterSeconds} s).`,
        { hint: 'Slack limits how fast an app may call each method; try again in a minute.', cause: error },
      );
    }
    return slackError(method, error, { target });
  };

  const call = async <T>(method: string, target: string | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await withRateLimits(run);
    } catch (error) {
      throw failure(method, error, target);
    }
  };

  /** Like `call`, but the given Slack error codes are an answer (null), not a failure. */
  const callOrNull = async <T>(
    method: string,
    target: string,
    notFound: readonly string[],
    run: () => Promise<T>,
  ): Promise<T | null> => {
    try {
      return await withRateLimits(run);
    } catch (error) {
      const code = slackErrorCode(error);
      if (code !== undefined && notFound.includes(code)) return null;
      throw failure(method, error, target);
    }
  };

  return { call, callOrNull };
};

/** For answers that lack a field Slack always sends: never guess, fail loudly. */
const unexpected = (method: string, what: string): AppError =>
  new AppError('slack_error', `Slack returned an unexpected answer to ${method}: ${what}.`, {
    hint: 'Check that SLACK_API_URL points at the Slack Web API; if it does, report this message.',
  });

const required = (method: string, field: string, value: string | undefined): string => {
  if (value === undefined || value === '') throw unexpected(method, `no ${field}`);
  return value;
};

/** A modal as the Web API types take it: our blocks are plain data of the same shape. */
const viewJson = (view: ModalView) => ({
  type: view.type,
  title: view.title,
  close: view.close,
  blocks: [...view.blocks],
});

interface UserFields {
  readonly id?: string;
  readonly team_id?: string;
  readonly deleted?: boolean;
  readonly is_bot?: boolean;
  readonly profile?: { readonly email?: string };
  readonly enterprise_user?: { readonly enterprise_id?: string };
}

const toSlackUser = (method: string, user: UserFields | undefined): SlackUser => ({
  id: required(method, 'user.id', user?.id),
  deleted: user?.deleted ?? false,
  isBot: user?.is_bot ?? false,
  // Slack leaves the email out (or empty) without users:read.email, or when the workspace hides it.
  email: user?.profile?.email || null,
  // Unknown stays null, and null is nobody's member (src/domain/organization.ts).
  teamId: user?.team_id || null,
  enterpriseId: user?.enterprise_user?.enterprise_id || null,
});

/**
 * The Slack Web API calls of mfa-guard over a WebClient built with slackClientOptions. The scan
 * and the answers to people each get their own (see src/bot/bot.ts), so a scan waiting out a 429
 * never holds up a click.
 */
export const createSlackGateway = (client: WebClient, options: SlackGatewayOptions = {}): SlackGateway => {
  const { call, callOrNull } = callsOver(options);
  return {
    identify: () =>
      call('auth.test', undefined, async (): Promise<BotIdentity> => {
        const answer = await client.auth.test();
        return {
          botUserId: required('auth.test', 'user_id', answer.user_id),
          botId: required('auth.test', 'bot_id', answer.bot_id),
          botName: required('auth.test', 'user', answer.user),
          teamId: required('auth.test', 'team_id', answer.team_id),
          enterpriseId: answer.enterprise_id || null,
          enterpriseInstall: answer.is_enterprise_install === true,
        };
      }),

    channelAccess: async (channelId) => {
      const method = 'conversations.info';
      const access = await callOrNull(method, channelId, ['channel_not_found'], async (): Promise<ChannelAccess> => {
        const { channel } = await client.conversations.info({ channel: channelId });
        if (channel === undefined) throw unexpected(method, 'no channel');
        const name = channel.name ?? channelId;
        if (channel.is_archived === true) return { kind: 'archived', name };
        // A DM has no is_member; the bot is always in its own DMs.
        if (channel.is_member === false) return { kind: 'not_member', name };
        return { kind: 'ok', name };
      });
      return access ?? { kind: 'not_found' };
    },

    findUserByEmail: (email) =>
      // Slack documents users_not_found; older references say user_not_found for the same answer.
      callOrNull('users.lookupByEmail', email, ['users_not_found', 'user_not_found'], async () => {
        const { user } = await client.users.lookupByEmail({ email });
        return toSlackUser('users.lookupByEmail', user);
      }),

    findUserById: (userId) =>
      callOrNull('users.info', userId, ['user_not_found'], async () => {
        const { user } = await client.users.info({ user: userId });
        return toSlackUser('users.info', user);
      }),

    openDm: (userId) =>
      call('conversations.open', userId, async () => {
        const { channel } = await client.conversations.open({ users: userId });
        return required('conversations.open', 'channel.id', channel?.id);
      }),

    postMessage: (channel: string, message: SlackMessage) =>
      call('chat.postMessage', channel, async (): Promise<PostedMessage> => {
        const answer = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: [...message.blocks],
          // Nudges carry console links; a preview card would only add noise.
          unfurl_links: false,
          unfurl_media: false,
        });
        return {
          channel: answer.channel ?? channel,
          ts: required('chat.postMessage', 'ts', answer.ts),
        };
      }),

    updateMessage: (channel, ts, message) =>
      call('chat.update', channel, async () => {
        await client.chat.update({ channel, ts, text: message.text, blocks: [...message.blocks] });
      }),

    publishHome: (userId: string, view: HomeView) =>
      call('views.publish', userId, async () => {
        await client.views.publish({ user_id: userId, view: { type: view.type, blocks: [...view.blocks] } });
      }),

    permalink: (channel, ts) =>
      call('chat.getPermalink', channel, async () => {
        const answer = await client.chat.getPermalink({ channel, message_ts: ts });
        return required('chat.getPermalink', 'permalink', answer.permalink);
      }),

    openView: (triggerId, view: ModalView) =>
      call('views.open', undefined, async () => {
        const answer = await client.views.open({ trigger_id: triggerId, view: viewJson(view) });
        return required('views.open', 'view.id', answer.view?.id);
      }),

    updateView: (viewId, view: ModalView) =>
      call('views.update', viewId, async () => {
        await client.views.update({ view_id: viewId, view: viewJson(view) });
      }),
  };
};
