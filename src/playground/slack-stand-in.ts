/**
 * The playground's Slack: a small Slack Web API on 127.0.0.1 that the bot's real WebClient reaches
 * through SLACK_API_URL, and the response_urls its answers go to. It keeps what Slack would show
 * (messages, each person's ephemeral replies, App Home tabs, open modals) for the page to render,
 * and refuses what Slack refuses: Block Kit over its limits (slack-limits.ts), a response_url used
 * more than 5 times or older than 30 minutes (on the playground's clock), a trigger_id used twice
 * or after 3 seconds.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import type { Clock } from '../ports/clock';
import { readBody } from './read-body';
import { checkMessage, checkView, type LimitCheck } from './slack-limits';

export interface StandInUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export interface StandInMessage {
  /** Unique among messages: the ts for a posted message, `e<n>` for an ephemeral one. */
  readonly id: string;
  readonly channel: string;
  readonly ts: string;
  /** The bot's user id, or the person who wrote it. */
  readonly from: string;
  /** Only this person sees it (a reply through a response_url); null for everyone in the channel. */
  readonly visibleTo: string | null;
  text: string;
  blocks: readonly unknown[];
  edited: boolean;
}

export interface StandInModal {
  readonly id: string;
  readonly userId: string;
  view: Readonly<Record<string, unknown>>;
}

/** Where a request happened, so its response_url's answers land there. */
export interface ResponseTarget {
  readonly userId: string;
  readonly channel: string;
  /** The message clicked in (replace_original / delete_original act on it); null for a command. */
  readonly messageId: string | null;
}

export interface SlackStandIn {
  /** SLACK_API_URL: `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly botToken: string;
  readonly bot: { readonly userId: string; readonly botId: string; readonly name: string; readonly teamId: string };
  messages(): readonly StandInMessage[];
  /** A person's App Home as the bot last published it, or null. */
  home(userId: string): Readonly<Record<string, unknown>> | null;
  /** The modal open for a person, or null. */
  modal(userId: string): StandInModal | null;
  closeModal(userId: string): void;
  /** A person's DM with the bot, as conversations.open names it. */
  dmChannel(userId: string): string;
  /** What a person writes in their DM with the bot. */
  postUserMessage(userId: string, text: string): StandInMessage;
  responseUrl(target: ResponseTarget): string;
  triggerId(userId: string): string;
  /** Where chat.getPermalink links point: the page, which shows the message (`#message-<id>`). */
  linkTo(pageUrl: string): void;
  /** Grows with every change, so the page redraws only when something changed. */
  version(): number;
  /** The calls Slack refused, newest last: the page shows them, as a developer would want. */
  refusals(): readonly string[];
  close(): Promise<void>;
}

const API_PREFIX = '/api/';
const RESPOND_PREFIX = '/respond/';
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_LIFE_MS = 30 * 60_000;
const TRIGGER_LIFE_MS = 3_000;
const MAX_BODY_BYTES = 1_000_000;

type Params = Record<string, unknown>;

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly type: string;
}

const json = (body: Params): Reply => ({ status: 200, body: JSON.stringify(body), type: 'application/json' });
const failed = (error: string, messages: readonly string[] = []): Reply =>
  json(messages.length === 0 ? { ok: false, error } : { ok: false, error, response_metadata: { messages } });
const plain = (status: number, body: string): Reply => ({ status, body, type: 'text/plain' });

const isRecord = (value: unknown): value is Params =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
};

/** WebClient posts form fields, with objects (blocks, view) JSON-encoded; some callers post JSON. */
const parseParams = (contentType: string, raw: string): Params | null => {
  if (contentType.startsWith('application/json')) {
    const parsed = parseJson(raw === '' ? '{}' : raw);
    return isRecord(parsed) ? parsed : null;
  }
  const params: Params = {};
  new URLSearchParams(raw).forEach((value, key) => {
    params[key] = key === 'blocks' || key === 'view' ? (parseJson(value) ?? value) : value;
  });
  return params;
};

const str = (params: Params, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

export const startSlackStandIn = async (options: {
  readonly users: readonly StandInUser[];
  readonly channels: readonly { readonly id: string; readonly name: string }[];
  /** The playground's clock: response_urls age on it, as the bot's own count of them does. */
  readonly clock: Clock;
}): Promise<SlackStandIn> => {
  const botToken = `xoxb-playground-${randomBytes(12).toString('hex')}`;
  const bot = { userId: 'U0MFAGUARD1', botId: 'B0MFAGUARD1', name: 'mfa-guard', teamId: 'T0PLAYGRND' };
  const users = new Map(options.users.map((u) => [u.id, u]));
  const channels = new Map(options.channels.map((c) => [c.id, c]));
  const dms = new Map<string, string>();
  const messages: StandInMessage[] = [];
  const homes = new Map<string, Readonly<Record<string, unknown>>>();
  const modals = new Map<string, StandInModal>();
  const responseUrls = new Map<string, ResponseTarget & { readonly issuedAt: number; uses: number }>();
  const triggers = new Map<string, { readonly userId: string; readonly issuedAt: number; used: boolean }>();
  const refusals: string[] = [];
  let version = 0;
  let counter = 0;
  let baseUrl = '';
  let pageUrl = '';
  const changed = (): void => {
    version += 1;
  };
  const next = (): number => {
    counter += 1;
    return counter;
  };
  const nextTs = (): string => `${Math.floor(options.clock.now().getTime() / 1000)}.${String(next()).padStart(6, '0')}`;
  const dmChannel = (userId: string): string => `D${userId}`;

  const refuse = (what: string, check: LimitCheck): Reply => {
    refusals.push(`${what}: ${check.error ?? ''} ${check.problems.join(' ')}`.trim());
    changed();
    return failed(check.error ?? 'invalid_arguments', check.problems);
  };

  const userJson = (user: StandInUser) => ({
    id: user.id,
    team_id: bot.teamId,
    name: user.email.split('@')[0],
    real_name: user.name,
    deleted: false,
    is_bot: false,
    profile: { email: user.email, real_name: user.name, display_name: user.name },
  });

  const postable = (channel: string | undefined): Reply | null =>
    channel !== undefined && (dms.has(channel) || channels.has(channel)) ? null : failed('channel_not_found');

  const blocksOf = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

  const methods: Readonly<Record<string, (params: Params) => Reply>> = {
    'auth.test': () =>
      json({
        ok: true,
        url: 'http://127.0.0.1/',
        team: 'Playground',
        user: bot.name,
        team_id: bot.teamId,
        user_id: bot.userId,
        bot_id: bot.botId,
        is_enterprise_install: false,
      }),
    'users.lookupByEmail': (params) => {
      const email = str(params, 'email')?.toLowerCase();
      const user = [...users.values()].find((u) => u.email.toLowerCase() === email);
      return user === undefined ? failed('users_not_found') : json({ ok: true, user: userJson(user) });
    },
    'users.info': (params) => {
      const user = users.get(str(params, 'user') ?? '');
      return user === undefined ? failed('user_not_found') : json({ ok: true, user: userJson(user) });
    },
    'conversations.open': (params) => {
      const ids = (str(params, 'users') ?? '').split(',').filter((id) => id !== '');
      const [id] = ids;
      if (id === undefined) return failed('users_list_not_supplied');
      if (ids.length > 1) return failed('invalid_arguments', ['[ERROR] the playground opens 1:1 DMs only']);
      if (!users.has(id)) return failed('user_not_found');
      const channel = dmChannel(id);
      const alreadyOpen = dms.has(channel);
      dms.set(channel, id);
      return json({ ok: true, already_open: alreadyOpen, channel: { id: channel } });
    },
    'conversations.info': (params) => {
      const id = str(params, 'channel') ?? '';
      const dmUser = dms.get(id);
      if (dmUser !== undefined) return json({ ok: true, channel: { id, is_im: true, user: dmUser } });
      const channel = channels.get(id);
      if (channel === undefined) return failed('channel_not_found');
      return json({
        ok: true,
        channel: { id, name: channel.name, is_channel: true, is_member: true, is_archived: false },
      });
    },
    'chat.postMessage': (params) => {
      const channel = str(params, 'channel');
      const notPostable = postable(channel);
      if (notPostable !== null || channel === undefined) return notPostable ?? failed('channel_not_found');
      const check = checkMessage(params.text, params.blocks);
      if (check.error !== null) return refuse('chat.postMessage', check);
      const ts = nextTs();
      const text = typeof params.text === 'string' ? params.text : '';
      messages.push({
        id: ts,
        channel,
        ts,
        from: bot.userId,
        visibleTo: null,
        text,
        blocks: blocksOf(params.blocks),
        edited: false,
      });
      changed();
      return json({ ok: true, channel, ts, message: { text } });
    },
    'chat.update': (params) => {
      const channel = str(params, 'channel');
      const ts = str(params, 'ts');
      const message = messages.find((m) => m.visibleTo === null && m.channel === channel && m.ts === ts);
      if (message === undefined) return failed('message_not_found');
      const check = checkMessage(params.text, params.blocks ?? message.blocks);
      if (check.error !== null) return refuse('chat.update', check);
      if (typeof params.text === 'string') message.text = params.text;
      // Slack keeps the previous blocks when the call leaves them out.
      if (params.blocks !== undefined) message.blocks = blocksOf(params.blocks);
      message.edited = true;
      changed();
      return json({ ok: true, channel: message.channel, ts: message.ts, text: message.text });
    },
    'chat.getPermalink': (params) => {
      const channel = str(params, 'channel');
      const ts = str(params, 'message_ts');
      const message = messages.find((m) => m.visibleTo === null && m.channel === channel && m.ts === ts);
      if (message === undefined || channel === undefined) return failed('message_not_found');
      return json({ ok: true, channel, permalink: `${pageUrl}#message-${encodeURIComponent(message.id)}` });
    },
    'views.publish': (params) => {
      const userId = str(params, 'user_id');
      if (userId === undefined || !users.has(userId)) return failed('user_not_found');
      const check = checkView(params.view, 'home');
      if (check.error !== null || !isRecord(params.view)) return refuse('views.publish', check);
      homes.set(userId, params.view);
      changed();
      return json({ ok: true, view: { id: `VH${userId}`, team_id: bot.teamId, ...params.view } });
    },
    'views.open': (params) => {
      const trigger = triggers.get(str(params, 'trigger_id') ?? '');
      if (trigger === undefined) return failed('invalid_trigger_id');
      if (trigger.used) return failed('exchanged_trigger_id');
      // Real time: the trigger's 3 seconds are Slack's, whatever the playground's clock says.
      if (Date.now() - trigger.issuedAt > TRIGGER_LIFE_MS) return failed('expired_trigger_id');
      const check = checkView(params.view, 'modal');
      if (check.error !== null || !isRecord(params.view)) return refuse('views.open', check);
      trigger.used = true;
      const modal: StandInModal = {
        id: `VM${String(next()).padStart(8, '0')}`,
        userId: trigger.userId,
        view: params.view,
      };
      modals.set(trigger.userId, modal);
      changed();
      return json({ ok: true, view: { id: modal.id, team_id: bot.teamId, ...modal.view } });
    },
    'views.update': (params) => {
      const viewId = str(params, 'view_id');
      const modal = [...modals.values()].find((m) => m.id === viewId);
      if (modal === undefined) return failed('not_found');
      const check = checkView(params.view, 'modal');
      if (check.error !== null || !isRecord(params.view)) return refuse('views.update', check);
      modal.view = params.view;
      changed();
      return json({ ok: true, view: { id: modal.id, team_id: bot.teamId, ...modal.view } });
    },
  };

  const webApi = (req: IncomingMessage, method: string, raw: string): Reply => {
    const params = parseParams(String(req.headers['content-type'] ?? ''), raw);
    if (params === null) return failed('invalid_json');
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : str(params, 'token');
    if (token === undefined) return failed('not_authed');
    if (token !== botToken) return failed('invalid_auth');
    const handler = methods[method];
    return handler === undefined ? failed('unknown_method') : handler(params);
  };

  /** A POST to a response_url: Slack answers `ok`, or an error code, as plain text. */
  const responseUrlPost = (url: string, raw: string): Reply => {
    const issued = responseUrls.get(url);
    if (issued === undefined) return plain(404, 'unknown_response_url');
    if (options.clock.now().getTime() - issued.issuedAt > RESPONSE_URL_LIFE_MS) return plain(404, 'expired_url');
    if (issued.uses >= RESPONSE_URL_USES) return plain(404, 'used_url');
    const body = parseJson(raw);
    if (!isRecord(body)) return plain(400, 'invalid_payload');
    const source = issued.messageId === null ? undefined : messages.find((m) => m.id === issued.messageId);
    if (body.delete_original === true) {
      if (source !== undefined) messages.splice(messages.indexOf(source), 1);
      issued.uses += 1;
      changed();
      return plain(200, 'ok');
    }
    const check = checkMessage(body.text, body.blocks);
    if (check.error !== null) {
      refuse('response_url', check);
      return plain(400, check.error);
    }
    issued.uses += 1;
    const text = typeof body.text === 'string' ? body.text : '';
    if (body.replace_original === true && source !== undefined) {
      source.text = text;
      source.blocks = blocksOf(body.blocks);
      source.edited = true;
    } else {
      const id = body.response_type === 'in_channel' ? nextTs() : `e${next()}`;
      messages.push({
        id,
        channel: issued.channel,
        ts: id.startsWith('e') ? nextTs() : id,
        from: bot.userId,
        visibleTo: body.response_type === 'in_channel' ? null : issued.userId,
        text,
        blocks: blocksOf(body.blocks),
        edited: false,
      });
    }
    changed();
    return plain(200, 'ok');
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const raw = await readBody(req, MAX_BODY_BYTES);
      const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
      let reply: Reply;
      if (req.method !== 'POST') reply = plain(405, 'POST only');
      else if (raw === null) reply = plain(413, 'too large');
      else if (path.startsWith(API_PREFIX)) reply = webApi(req, path.slice(API_PREFIX.length), raw);
      else if (path.startsWith(RESPOND_PREFIX)) reply = responseUrlPost(`${baseUrl}${path}`, raw);
      else reply = plain(404, 'no such path');
      res.writeHead(reply.status, { 'content-type': `${reply.type}; charset=utf-8` });
      res.end(reply.body);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the Slack stand-in has no TCP port');
  baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    url: `${baseUrl}${API_PREFIX}`,
    botToken,
    bot,
    messages: () => messages,
    home: (userId) => homes.get(userId) ?? null,
    modal: (userId) => modals.get(userId) ?? null,
    closeModal: (userId) => {
      if (modals.delete(userId)) changed();
    },
    dmChannel: (userId) => {
      dms.set(dmChannel(userId), userId);
      return dmChannel(userId);
    },
    postUserMessage: (userId, text) => {
      dms.set(dmChannel(userId), userId);
      const ts = nextTs();
      const message: StandInMessage = {
        id: ts,
        channel: dmChannel(userId),
        ts,
        from: userId,
        visibleTo: null,
        text,
        blocks: [],
        edited: false,
      };
      messages.push(message);
      changed();
      return message;
    },
    responseUrl: (target) => {
      const url = `${baseUrl}${RESPOND_PREFIX}${next()}-${randomBytes(8).toString('hex')}`;
      responseUrls.set(url, { ...target, issuedAt: options.clock.now().getTime(), uses: 0 });
      return url;
    },
    triggerId: (userId) => {
      const id = `${Math.floor(Date.now() / 1000)}.${next()}.${randomBytes(16).toString('hex')}`;
      triggers.set(id, { userId, issuedAt: Date.now(), used: false });
      return id;
    },
    linkTo: (url) => {
      pageUrl = url;
    },
    version: () => version,
    refusals: () => refusals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
