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
  readonly responseUrl: string;
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
    trigger_id: `${slackTs()}.fake`,
    team: { id: teamId, domain: 'fake-workspace' },
    ...containerFields(input, teamId),
    response_url: input.responseUrl,
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
