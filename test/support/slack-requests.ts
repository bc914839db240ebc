/**
 * Requests as Slack sends them to an app's Request URL (Bolt's HTTP receiver at /slack/events):
 * slash commands, button clicks and Events API callbacks, with Slack's v0 signature, so a test
 * drives the real receiver — signature and timestamp checks included — and not a shortcut.
 * Body shapes follow Slack's documented payloads, trimmed to the fields Bolt and mfa-guard read.
 */
import { createHmac } from 'node:crypto';

export interface SlackTarget {
  readonly port: number;
  readonly signingSecret: string;
}

export interface SendOptions {
  /** Defaults to now by the real clock: Bolt checks the timestamp against Date.now(), not a fake clock. */
  readonly timestampSeconds?: number;
  /** Signs with this secret instead of the target's, to forge a request. */
  readonly signingSecret?: string;
  /** Sends X-Slack-Retry-Num (and X-Slack-Retry-Reason: http_timeout), as Slack does on a retry. */
  readonly retryNum?: number;
}

export interface SlackReply {
  readonly status: number;
  readonly body: string;
}

export interface SlashCommandInput {
  readonly userId: string;
  readonly text: string;
  readonly responseUrl: string;
  readonly command?: string;
  readonly teamId?: string;
  readonly channelId?: string;
}

export type BlockActionContainer = 'message' | 'ephemeral' | 'view';

export interface BlockActionInput {
  readonly userId: string;
  readonly actionId: string;
  readonly value: string;
  /**
   * Required for message and ephemeral containers. A click in a view (App Home, a modal) carries
   * no response_url on Slack, so giving one for a view is a mistake in the test.
   */
  readonly responseUrl?: string;
  /** The click's trigger_id (for views.open), e.g. from the fake Slack's triggerId(); a made-up one by default. */
  readonly triggerId?: string;
  /** Required for message and ephemeral containers; ignored for a view (App Home). */
  readonly channelId?: string;
  readonly messageTs?: string;
  readonly containerType?: BlockActionContainer;
  readonly blockId?: string;
  readonly teamId?: string;
}

/** The user's DM with the bot, named as the fake Slack API's conversations.open names it. */
const dmOf = (userId: string): string => `D${userId}`;

export interface AppHomeOpenedInput {
  readonly userId: string;
  /** Slack keeps the event_id when it retries a delivery; a fresh one by default. */
  readonly eventId?: string;
  readonly tab?: 'home' | 'messages';
  readonly teamId?: string;
}

export const DEFAULT_TEAM_ID = 'T0000TEAM';
export const FAKE_APP_ID = 'A0MFAGUARD1';
/** The deprecated verification token Slack still puts in payloads; Bolt ignores it. */
const VERIFICATION_TOKEN = 'fake-verification-token';

let sequence = 0;
const next = (): number => {
  sequence += 1;
  return sequence;
};

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Slack's `trigger_id` / `action_ts` style: seconds, a dot, a fraction. */
const slackTs = (): string => `${nowSeconds()}.${String(next()).padStart(6, '0')}`;

/** The headers Slack signs a request with: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export const signSlackRequest = (
  rawBody: string,
  signingSecret: string,
  timestampSeconds: number,
): Record<string, string> => ({
  'X-Slack-Request-Timestamp': String(timestampSeconds),
  'X-Slack-Signature': `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`,
});

const send = async (
  target: SlackTarget,
  contentType: string,
  rawBody: string,
  options: SendOptions,
): Promise<SlackReply> => {
  const timestamp = options.timestampSeconds ?? nowSeconds();
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    ...signSlackRequest(rawBody, options.signingSecret ?? target.signingSecret, timestamp),
    ...(options.retryNum === undefined
      ? {}
      : { 'X-Slack-Retry-Num': String(options.retryNum), 'X-Slack-Retry-Reason': 'http_timeout' }),
  };
  const res = await fetch(`http://127.0.0.1:${target.port}/slack/events`, { method: 'POST', headers, body: rawBody });
  return { status: res.status, body: await res.text() };
};

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

const userName = (userId: string): string => userId.toLowerCase();

/** A slash command, form-encoded as Slack posts it. */
export const sendSlashCommand = (
  target: SlackTarget,
  input: SlashCommandInput,
  options: SendOptions = {},
): Promise<SlackReply> => {
  const channelId = input.channelId ?? dmOf(input.userId);
  const body = form({
    token: VERIFICATION_TOKEN,
    team_id: input.teamId ?? DEFAULT_TEAM_ID,
    team_domain: 'fake-workspace',
    channel_id: channelId,
    channel_name: channelId.startsWith('D') ? 'directmessage' : 'mfa-guard-test',
    user_id: input.userId,
    user_name: userName(input.userId),
    command: input.command ?? '/mfa-status',
    text: input.text,
    api_app_id: FAKE_APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: `${slackTs()}.fake`,
  });
  return send(target, 'application/x-www-form-urlencoded', body, options);
};

const messageWhere = (input: BlockActionInput): { channelId: string; messageTs: string } => {
  if (input.channelId === undefined || input.messageTs === undefined) {
    throw new Error(`sendBlockAction: a ${input.containerType ?? 'message'} container needs channelId and messageTs`);
  }
  return { channelId: input.channelId, messageTs: input.messageTs };
};

/** Where the clicked button was, as Slack describes it in `container` (and the fields that go with it). */
const containerFields = (input: BlockActionInput, teamId: string): Record<string, unknown> => {
  const type = input.containerType ?? 'message';
  if (type === 'view') {
    const viewId = `V${String(next()).padStart(8, '0')}`;
    return {
      container: { type: 'view', view_id: viewId },
      view: {
        id: viewId,
        team_id: teamId,
        type: 'home',
        blocks: [],
        app_id: FAKE_APP_ID,
        bot_id: 'B0FAKE',
        hash: slackTs(),
      },
    };
  }
  const { channelId, messageTs } = messageWhere(input);
  const isEphemeral = type === 'ephemeral';
  return {
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: isEphemeral },
    channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'mfa-guard-test' },
    // Slack sends no `message` for a click in an ephemeral message.
    ...(isEphemeral ? {} : { message: { ts: messageTs, type: 'message', text: '' } }),
  };
};

/** Slack sends a response_url with a click in a message, never with one in a view. */
const responseUrlField = (input: BlockActionInput): Record<string, string> => {
  const inView = input.containerType === 'view';
  if (inView && input.responseUrl !== undefined)
    throw new Error('sendBlockAction: a click in a view carries no response_url on Slack');
  if (inView) return {};
  if (input.responseUrl === undefined)
    throw new Error(`sendBlockAction: a ${input.containerType ?? 'message'} container needs a responseUrl`);
  return { response_url: input.responseUrl };
};

/** A button click (`block_actions`), form-encoded as `payload=<json>` as Slack posts it. */
export const sendBlockAction = (
  target: SlackTarget,
  input: BlockActionInput,
  options: SendOptions = {},
): Promise<SlackReply> => {
  const teamId = input.teamId ?? DEFAULT_TEAM_ID;
  const payload = {
    type: 'block_actions',
    user: { id: input.userId, username: userName(input.userId), team_id: teamId },
    api_app_id: FAKE_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? `${slackTs()}.fake`,
    team: { id: teamId, domain: 'fake-workspace' },
    ...containerFields(input, teamId),
    ...responseUrlField(input),
    actions: [
      {
        action_id: input.actionId,
        block_id: input.blockId ?? 'actions',
        value: input.value,
        type: 'button',
        action_ts: slackTs(),
        text: { type: 'plain_text', text: input.actionId, emoji: true },
      },
    ],
  };
  return send(target, 'application/x-www-form-urlencoded', form({ payload: JSON.stringify(payload) }), options);
};

export interface MessageImInput {
  readonly userId: string;
  readonly text: string;
  /** Slack keeps the event_id when it retries a delivery; a fresh one by default. */
  readonly eventId?: string;
  /** The message's ts; a fresh one by default. */
  readonly ts?: string;
  readonly teamId?: string;
  /**
   * Fields of the event set over the defaults, for what Slack also delivers as `message.im`: a
   * bot's message (`bot_id`), an edit (`subtype: 'message_changed'`, `user: undefined`, the new
   * `message`), a deletion. A field set to undefined is left out.
   */
  readonly eventFields?: Readonly<Record<string, unknown>>;
}

/** What a delivery of one event answered, the first time and at each retry. */
export interface EventDelivery {
  readonly eventId: string;
  /** The first delivery, then one per retry (X-Slack-Retry-Num 1, 2, …), in order. */
  readonly replies: readonly SlackReply[];
}

/** An Events API `message.im` callback: a person wrote to the bot in its DM (the Messages tab). */
const messageImBody = (input: MessageImInput): { readonly eventId: string; readonly body: string } => {
  const teamId = input.teamId ?? DEFAULT_TEAM_ID;
  const eventId = input.eventId ?? `Ev${String(next()).padStart(9, '0')}`;
  const ts = input.ts ?? slackTs();
  const body = JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: FAKE_APP_ID,
    event: {
      type: 'message',
      channel_type: 'im',
      user: input.userId,
      text: input.text,
      ts,
      channel: dmOf(input.userId),
      event_ts: ts,
      ...input.eventFields,
    },
    type: 'event_callback',
    event_id: eventId,
    event_time: nowSeconds(),
  });
  return { eventId, body };
};

/**
 * Delivers a `message.im` event as Slack does, then `retries` more times with the same body (and
 * event_id) and X-Slack-Retry-Num 1, 2, …, as Slack retries a delivery it thinks failed. Each is
 * signed afresh; they are sent one after another.
 */
export const deliverMessageIm = async (
  target: SlackTarget,
  input: MessageImInput,
  options: { readonly retries?: number } = {},
): Promise<EventDelivery> => {
  const { eventId, body } = messageImBody(input);
  const replies: SlackReply[] = [await send(target, 'application/json', body, {})];
  for (let retryNum = 1; retryNum <= (options.retries ?? 0); retryNum += 1) {
    replies.push(await send(target, 'application/json', body, { retryNum }));
  }
  return { eventId, replies };
};

/** An Events API `app_home_opened` callback, as JSON. */
export const sendAppHomeOpened = (
  target: SlackTarget,
  input: AppHomeOpenedInput,
  options: SendOptions = {},
): Promise<SlackReply> => {
  const teamId = input.teamId ?? DEFAULT_TEAM_ID;
  const eventTime = nowSeconds();
  const body = JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: FAKE_APP_ID,
    event: {
      type: 'app_home_opened',
      user: input.userId,
      channel: dmOf(input.userId),
      tab: input.tab ?? 'home',
      event_ts: slackTs(),
    },
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${String(next()).padStart(9, '0')}`,
    event_time: eventTime,
  });
  return send(target, 'application/json', body, options);
};
