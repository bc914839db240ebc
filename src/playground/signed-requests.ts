/**
 * What a person does on the page, as Slack would send it to the bot's Request URL: a slash command,
 * a button click, a DM, an App Home opened, each Slack-shaped and signed (v0 HMAC-SHA256 of
 * `v0:<timestamp>:<body>`) with the secret generated at start-up, and POSTed to the bot's real
 * `/slack/events` receiver. Nothing else reaches the bot, so signing, authorization and the
 * services all run as they do for Slack.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface BotReceiver {
  /** `http://127.0.0.1:PORT/slack/events` */
  readonly url: string;
  readonly signingSecret: string;
  readonly teamId: string;
  readonly appId: string;
}

export interface Delivered {
  readonly status: number;
  readonly body: string;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
let sequence = 0;
const nextId = (prefix: string): string => {
  sequence += 1;
  return `${prefix}${String(sequence).padStart(9, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
};
const slackTs = (): string => `${nowSeconds()}.${String((sequence += 1)).padStart(6, '0')}`;
const handle = (userId: string): string => userId.toLowerCase();

export const signature = (secret: string, timestamp: number, body: string): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

const deliver = async (receiver: BotReceiver, contentType: string, body: string): Promise<Delivered> => {
  const timestamp = nowSeconds();
  const res = await fetch(receiver.url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature(receiver.signingSecret, timestamp, body),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
};

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

export const sendCommand = (
  receiver: BotReceiver,
  input: { readonly userId: string; readonly channel: string; readonly text: string; readonly responseUrl: string },
): Promise<Delivered> =>
  deliver(
    receiver,
    'application/x-www-form-urlencoded',
    form({
      team_id: receiver.teamId,
      team_domain: 'playground',
      channel_id: input.channel,
      channel_name: input.channel.startsWith('D') ? 'directmessage' : 'security-alerts',
      user_id: input.userId,
      user_name: handle(input.userId),
      command: '/mfa-status',
      text: input.text,
      api_app_id: receiver.appId,
      is_enterprise_install: 'false',
      response_url: input.responseUrl,
      trigger_id: `${slackTs()}.${randomBytes(8).toString('hex')}`,
    }),
  );

/** Where the clicked button is: a message (ephemeral or not), or a view (App Home, a modal). */
export type ClickContainer =
  | { readonly kind: 'message'; readonly channel: string; readonly ts: string; readonly ephemeral: boolean }
  | { readonly kind: 'view'; readonly viewId: string; readonly viewType: 'home' | 'modal' };

export const sendClick = (
  receiver: BotReceiver,
  input: {
    readonly userId: string;
    readonly actionId: string;
    readonly value: string;
    readonly container: ClickContainer;
    readonly triggerId: string;
    /** Slack sends one with a click in a message, never with one in a view. */
    readonly responseUrl: string | null;
  },
): Promise<Delivered> => {
  const { container } = input;
  const where =
    container.kind === 'view'
      ? {
          container: { type: 'view', view_id: container.viewId },
          view: { id: container.viewId, team_id: receiver.teamId, type: container.viewType, app_id: receiver.appId },
        }
      : {
          container: {
            type: 'message',
            message_ts: container.ts,
            channel_id: container.channel,
            is_ephemeral: container.ephemeral,
          },
          channel: { id: container.channel },
          // Slack sends no `message` with a click in an ephemeral message.
          ...(container.ephemeral ? {} : { message: { ts: container.ts, type: 'message' } }),
        };
  const payload = {
    type: 'block_actions',
    user: { id: input.userId, username: handle(input.userId), team_id: receiver.teamId },
    api_app_id: receiver.appId,
    trigger_id: input.triggerId,
    team: { id: receiver.teamId, domain: 'playground' },
    ...where,
    ...(input.responseUrl === null ? {} : { response_url: input.responseUrl }),
    actions: [
      {
        action_id: input.actionId,
        block_id: 'actions',
        value: input.value,
        type: 'button',
        action_ts: slackTs(),
      },
    ],
  };
  return deliver(receiver, 'application/x-www-form-urlencoded', form({ payload: JSON.stringify(payload) }));
};

const eventCallback = (receiver: BotReceiver, event: Record<string, unknown>): string =>
  JSON.stringify({
    team_id: receiver.teamId,
    api_app_id: receiver.appId,
    event,
    type: 'event_callback',
    event_id: nextId('Ev'),
    event_time: nowSeconds(),
  });

export const sendDirectMessage = (
  receiver: BotReceiver,
  input: { readonly userId: string; readonly channel: string; readonly text: string; readonly ts: string },
): Promise<Delivered> =>
  deliver(
    receiver,
    'application/json',
    eventCallback(receiver, {
      type: 'message',
      channel_type: 'im',
      user: input.userId,
      text: input.text,
      ts: input.ts,
      channel: input.channel,
      event_ts: input.ts,
    }),
  );

export const sendHomeOpened = (
  receiver: BotReceiver,
  input: { readonly userId: string; readonly channel: string },
): Promise<Delivered> =>
  deliver(
    receiver,
    'application/json',
    eventCallback(receiver, {
      type: 'app_home_opened',
      user: input.userId,
      channel: input.channel,
      tab: 'home',
      event_ts: slackTs(),
    }),
  );
