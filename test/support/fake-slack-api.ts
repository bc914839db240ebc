import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  blocksProblems,
  blocksTextProblems,
  homeViewProblems,
  modalViewProblems,
  textProblems,
} from './block-kit-limits';

/**
 * A small Slack Web API on 127.0.0.1, for running the real WebClient (and Bolt) against
 * SLACK_API_URL. It answers the methods mfa-guard uses, with Slack's documented errors, rejects
 * Block Kit over Slack's hard limits (and over its undocumented total text, as `msg_blocks_too_long`),
 * and can be told to fail the next call to a method.
 * Its base URL has a path prefix, so a client that ignores SLACK_API_URL's path gets HTTP 404.
 *
 * The same server also plays the `response_url`s Slack puts in slash commands and button clicks:
 * `responseUrl()` hands one out, and Bolt's `respond()` POSTs JSON to it. As on Slack, one works
 * at most 5 times and for 30 minutes. `triggerId()` hands out the `trigger_id` of a click, which
 * views.open takes once and within 3 seconds.
 *
 * Time, for those rules, is the fake's own: it starts at the real time and moves only when a test
 * calls `advance(ms)`, so no rule can be broken by a slow machine and none needs a real wait.
 *
 * Socket Mode is off until `enableSocketMode()`: then apps.connections.open, called with the app
 * token, answers the URL of a local Socket Mode server (test/support/fake-socket-mode.ts).
 */
export interface FakeSlackOptions {
  readonly botToken?: string;
  readonly botUserId?: string;
  readonly botName?: string;
  readonly botId?: string;
  readonly teamId?: string;
  /** An Enterprise Grid organization: auth.test answers its enterprise_id. */
  readonly enterpriseId?: string;
  /** auth.test's is_enterprise_install: installed for the whole organization. */
  readonly enterpriseInstall?: boolean;
}

export interface FakeSlackCall {
  readonly method: string;
  /** The request's parameters, `blocks` JSON-parsed; the token is never recorded. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly at: Date;
}

export interface FakeSlackUser {
  readonly id: string;
  readonly email?: string;
  readonly deleted?: boolean;
  readonly isBot?: boolean;
  /** The user's own team; the bot's by default. Another team's user is someone from Slack Connect. */
  readonly teamId?: string;
  /** The user's Enterprise Grid organization (users.info enterprise_user.enterprise_id). */
  readonly enterpriseId?: string;
}

export interface FakeSlackChannel {
  readonly id: string;
  readonly name: string;
  readonly isMember: boolean;
  readonly isArchived?: boolean;
}

export interface FakePostedMessage {
  readonly channel: string;
  text: string | undefined;
  blocks: unknown;
  readonly ts: string;
}

/** An accepted chat.update, as it was sent (`blocks` undefined when the call left them out). */
export interface FakeMessageUpdate {
  readonly channel: string;
  readonly ts: string;
  readonly text: string | undefined;
  readonly blocks: unknown;
}

/** An accepted views.publish; `view` is the view object as sent (JSON-parsed). */
export interface FakeHomeView {
  readonly userId: string;
  readonly view: Readonly<Record<string, unknown>>;
}

/** A modal opened by views.open: `view` as it is now (views.update replaces it), `versions` all of them, oldest first. */
export interface FakeModal {
  readonly id: string;
  readonly triggerId: string;
  view: Readonly<Record<string, unknown>>;
  readonly versions: Readonly<Record<string, unknown>>[];
}

/**
 * A POST to a response_url. `body` is the JSON-parsed body (expected fields: text, blocks,
 * response_type 'ephemeral' | 'in_channel', replace_original, delete_original), or `{ raw }`
 * when it was not a JSON object.
 */
export interface FakeResponse {
  readonly url: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A response_url POST the fake refused, with the HTTP status and the error text it answered. */
export interface FakeRejectedResponse extends FakeResponse {
  readonly status: number;
  readonly error: string;
}

export interface FakeSlack {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly calls: readonly FakeSlackCall[];
  /** Every message chat.postMessage accepted, as it is now (chat.update changes it in place). */
  readonly posted: readonly FakePostedMessage[];
  /** Every chat.update accepted, oldest first. */
  readonly updates: readonly FakeMessageUpdate[];
  /** Every views.publish accepted, oldest first: a user's current Home is their latest entry. */
  readonly homeViews: readonly FakeHomeView[];
  /** Every modal views.open accepted, oldest first, as views.update left it. */
  readonly modals: readonly FakeModal[];
  /** Every POST to a response_url, accepted or not, oldest first. */
  readonly responses: readonly FakeResponse[];
  /** The response_url POSTs that were refused (bad blocks, no text, not JSON, unknown URL). */
  readonly rejectedResponses: readonly FakeRejectedResponse[];
  callsTo(method: string): FakeSlackCall[];
  /**
   * A fresh response_url on this server (`http://127.0.0.1:PORT/respond/<n>`), to put in a slash
   * command or block action. POSTs to it are validated like chat.postMessage and recorded.
   */
  responseUrl(): string;
  /** The POSTs to one response_url, oldest first. */
  responsesTo(url: string): FakeResponse[];
  /**
   * A fresh trigger_id, to put in a button click: views.open takes it once (`exchanged_trigger_id`
   * after), within 3 seconds of the fake's time (`expired_trigger_id` after), and refuses one it
   * never handed out (`invalid_trigger_id`).
   */
  triggerId(): string;
  /** Moves the fake's clock on (trigger_ids and response_urls age with it); nothing else waits. */
  advance(ms: number): void;
  /** The fake's time now. */
  now(): Date;
  addUser(user: FakeSlackUser): void;
  addChannel(channel: FakeSlackChannel): void;
  /**
   * From now on apps.connections.open answers `{ ok: true, url }` when called with `appToken`;
   * the bot token gets `not_allowed_token_type` (Slack's answer), any other token `invalid_auth`.
   * Until then the method is refused as before (the bot token is checked first).
   */
  enableSocketMode(options: { readonly appToken: string; readonly url: string }): void;
  /** The next `times` calls to `method` answer `{ ok: false, error }`. */
  failNext(method: string, error: string, times?: number): void;
  /** The next `times` calls to `method` answer HTTP 429 with `Retry-After`. */
  rateLimitNext(method: string, retryAfterSeconds: number, times?: number): void;
  /** The next `times` calls to `method` answer this HTTP status with a non-JSON body. */
  httpErrorNext(method: string, status: number, times?: number): void;
  /**
   * Forgets the recorded `calls` only: users, channels, DMs, posted messages, `updates`,
   * `homeViews`, `modals`, `responses`, handed-out response URLs and trigger ids, and pending
   * failures all stay.
   */
  reset(): void;
  close(): Promise<void>;
}

const PREFIX = '/api/';
const RESPOND_PREFIX = '/respond/';
/** Slack's limit on a views.publish payload (`view_too_large`). */
const MAX_VIEW_BYTES = 250_000;
/** Slack: a response_url may be used up to 5 times within 30 minutes. */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_LIFE_MS = 30 * 60_000;
/** Slack: a trigger_id expires 3 seconds after it was issued. */
const TRIGGER_LIFE_MS = 3_000;

type Injected =
  | { readonly kind: 'slack_error'; readonly error: string }
  | { readonly kind: 'rate_limit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'http_error'; readonly status: number };

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

type Params = Record<string, unknown>;

const json = (body: Record<string, unknown>): Reply => ({ status: 200, body: JSON.stringify(body) });
const slackError = (error: string, messages?: readonly string[]): Reply =>
  json(messages === undefined ? { ok: false, error } : { ok: false, error, response_metadata: { messages } });

const isRecord = (value: unknown): value is Params =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringParam = (params: Params, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** A JSON object, or null for anything else (invalid JSON, an array, a string). */
const parseJsonObject = (raw: string): Params | null => {
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
};

/** Form fields arrive as strings: `blocks` is a JSON string there, an array in a JSON body. */
const parseBody = (contentType: string, raw: string): Params | null => {
  if (contentType.startsWith('application/json')) return parseJsonObject(raw === '' ? '{}' : raw);
  const params: Params = {};
  new URLSearchParams(raw).forEach((value, key) => {
    params[key] = value;
  });
  // WebClient JSON-encodes object arguments in form bodies.
  for (const name of ['blocks', 'view']) {
    const value = params[name];
    if (typeof value !== 'string') continue;
    try {
      params[name] = JSON.parse(value);
    } catch {
      // Left as the string: chat.* answers invalid_blocks_format, views.publish invalid_arguments.
    }
  }
  return params;
};

const tokenOf = (req: IncomingMessage, params: Params): string | undefined => {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice('Bearer '.length);
  return stringParam(params, 'token');
};

interface MessageProblem {
  readonly error: string;
  readonly messages?: readonly string[];
}

/** What Slack would refuse in a message's text and blocks, by the error code it answers with. */
const messageProblem = (params: Params): MessageProblem | null => {
  const { blocks, text } = params;
  if (typeof blocks === 'string') return { error: 'invalid_blocks_format' };
  const blockList = blocksProblems(blocks);
  if (blockList.length > 0) return { error: 'invalid_blocks', messages: blockList };
  // Each block may be fine while all of them together are too much text: Slack's own error for that.
  const totalList = blocksTextProblems(blocks);
  if (totalList.length > 0) return { error: 'msg_blocks_too_long', messages: totalList };
  const textList = textProblems(text);
  if (textList.length > 0) return { error: 'msg_too_long', messages: textList };
  const hasText = typeof text === 'string' && text.trim() !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (!hasText && !hasBlocks) return { error: 'no_text' };
  return null;
};

export const startFakeSlack = async (options: FakeSlackOptions = {}): Promise<FakeSlack> => {
  const botToken = options.botToken ?? 'xoxb-test-token';
  const bot = {
    userId: options.botUserId ?? 'UBOT0001',
    name: options.botName ?? 'mfa-guard',
    botId: options.botId ?? 'BBOT0001',
    teamId: options.teamId ?? 'T0000TEAM',
    enterpriseId: options.enterpriseId ?? null,
    enterpriseInstall: options.enterpriseInstall ?? false,
  };
  const calls: FakeSlackCall[] = [];
  const posted: FakePostedMessage[] = [];
  const updates: FakeMessageUpdate[] = [];
  const homeViews: FakeHomeView[] = [];
  const responses: FakeResponse[] = [];
  const rejectedResponses: FakeRejectedResponse[] = [];
  const modals: FakeModal[] = [];
  /** Handed-out response_urls: when, and how many POSTs each accepted. */
  const responseUrls = new Map<string, { readonly issuedAt: number; uses: number }>();
  let responseCounter = 0;
  /** Handed-out trigger_ids: when, and whether views.open took it already. */
  const triggers = new Map<string, { readonly issuedAt: number; used: boolean }>();
  let triggerCounter = 0;
  let clockMs = Date.now();
  let baseUrl = '';
  const users = new Map<string, FakeSlackUser>();
  const channels = new Map<string, FakeSlackChannel>();
  /** DM channel id → user id, for DMs opened through conversations.open. */
  const dms = new Map<string, string>();
  const injected = new Map<string, Injected[]>();
  let tsCounter = 0;
  let socketMode: { readonly appToken: string; readonly url: string } | null = null;

  const inject = (method: string, failure: Injected, times: number): void => {
    const queue = injected.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    injected.set(method, queue);
  };

  const nextTs = (): string => {
    tsCounter += 100;
    return `${1_700_000_000 + Math.floor(tsCounter / 1_000_000)}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
  };

  const userJson = (user: FakeSlackUser) => ({
    id: user.id,
    team_id: user.teamId ?? bot.teamId,
    ...(user.enterpriseId === undefined
      ? {}
      : { enterprise_user: { id: user.id, enterprise_id: user.enterpriseId, teams: [user.teamId ?? bot.teamId] } }),
    name: user.id.toLowerCase(),
    deleted: user.deleted ?? false,
    is_bot: user.isBot ?? false,
    profile: user.email === undefined ? {} : { email: user.email },
  });

  /** Where chat.* may post: an opened DM, or a live channel the bot is in. */
  const postable = (channel: string | undefined): Reply | null => {
    if (channel === undefined) return slackError('channel_not_found');
    if (dms.has(channel)) return null;
    const known = channels.get(channel);
    if (known === undefined) return slackError('channel_not_found');
    if (known.isArchived === true) return slackError('is_archived');
    if (!known.isMember) return slackError('not_in_channel');
    return null;
  };

  const contentProblems = (params: Params): Reply | null => {
    const problem = messageProblem(params);
    return problem === null ? null : slackError(problem.error, problem.messages);
  };

  /** The modal in a views.open or views.update, or what Slack answers when it refuses it. */
  const modalOf = (view: unknown): { readonly view: Params } | { readonly refused: Reply } => {
    if (view === undefined)
      return { refused: slackError('invalid_arguments', ['[ERROR] missing required field: view']) };
    if (!isRecord(view))
      return { refused: slackError('invalid_arguments', ['[ERROR] must be a JSON object [json-pointer:/view]']) };
    if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return { refused: slackError('view_too_large') };
    const problems = modalViewProblems(view).map((m) => m.replace('[json-pointer:', '[json-pointer:/view'));
    return problems.length > 0 ? { refused: slackError('invalid_arguments', problems) } : { view };
  };

  const permalinkOf = (channel: string, ts: string): string =>
    `https://fake.slack.test/archives/${channel}/p${ts.replace('.', '')}`;

  const handlers: Readonly<Record<string, (params: Params) => Reply>> = {
    'auth.test': () =>
      json({
        ok: true,
        url: 'https://fake.slack.test/',
        team: 'Fake Team',
        user: bot.name,
        team_id: bot.teamId,
        user_id: bot.userId,
        bot_id: bot.botId,
        ...(bot.enterpriseId === null ? {} : { enterprise_id: bot.enterpriseId }),
        is_enterprise_install: bot.enterpriseInstall,
      }),
    'users.lookupByEmail': (params) => {
      const email = stringParam(params, 'email')?.toLowerCase();
      const user = [...users.values()].find((u) => email !== undefined && u.email?.toLowerCase() === email);
      // As Slack does: a deactivated account is not found by its email (users.info still shows it, deleted: true).
      if (user === undefined || user.deleted === true) return slackError('users_not_found');
      return json({ ok: true, user: userJson(user) });
    },
    'users.info': (params) => {
      const user = users.get(stringParam(params, 'user') ?? '');
      return user === undefined ? slackError('user_not_found') : json({ ok: true, user: userJson(user) });
    },
    'conversations.open': (params) => {
      const ids = (stringParam(params, 'users') ?? '').split(',').filter((id) => id !== '');
      if (ids.length === 0) return slackError('users_list_not_supplied');
      const [id] = ids;
      if (ids.length > 1 || id === undefined) {
        return slackError('invalid_arguments', ['[ERROR] the fake Slack API only opens 1:1 DMs [json-pointer:/users]']);
      }
      const user = users.get(id);
      if (user === undefined) return slackError('user_not_found');
      if (user.isBot === true) return slackError('cannot_dm_bot');
      if (user.deleted === true) return slackError('user_disabled');
      const channel = `D${user.id}`;
      const alreadyOpen = dms.has(channel);
      dms.set(channel, user.id);
      return json({ ok: true, already_open: alreadyOpen, channel: { id: channel } });
    },
    'conversations.info': (params) => {
      const id = stringParam(params, 'channel') ?? '';
      const dmUser = dms.get(id);
      if (dmUser !== undefined) return json({ ok: true, channel: { id, is_im: true, user: dmUser, is_member: true } });
      const channel = channels.get(id);
      if (channel === undefined) return slackError('channel_not_found');
      return json({
        ok: true,
        channel: {
          id: channel.id,
          name: channel.name,
          is_channel: true,
          is_member: channel.isMember,
          is_archived: channel.isArchived ?? false,
        },
      });
    },
    'chat.postMessage': (params) => {
      const channel = stringParam(params, 'channel');
      if (channel === undefined) return slackError('channel_not_found');
      const refused = postable(channel) ?? contentProblems(params);
      if (refused !== null) return refused;
      const message: FakePostedMessage = {
        channel,
        text: typeof params.text === 'string' ? params.text : undefined,
        blocks: params.blocks,
        ts: nextTs(),
      };
      posted.push(message);
      return json({ ok: true, channel, ts: message.ts, message: { text: message.text, blocks: message.blocks } });
    },
    'chat.update': (params) => {
      const channel = stringParam(params, 'channel');
      const ts = stringParam(params, 'ts');
      const refused = postable(channel);
      if (refused !== null) return refused;
      const message = posted.find((m) => m.channel === channel && m.ts === ts);
      if (message === undefined) return slackError('message_not_found');
      const invalid = contentProblems(params);
      if (invalid !== null) return invalid;
      const text = typeof params.text === 'string' ? params.text : undefined;
      message.text = text;
      // Slack: "If you don't include this field, the message's previous blocks will be retained."
      if (params.blocks !== undefined) message.blocks = params.blocks;
      updates.push({ channel: message.channel, ts: message.ts, text, blocks: params.blocks });
      return json({ ok: true, channel: message.channel, ts: message.ts, text: message.text });
    },
    'chat.getPermalink': (params) => {
      const channel = stringParam(params, 'channel');
      const ts = stringParam(params, 'message_ts');
      if (channel === undefined || (!dms.has(channel) && !channels.has(channel)))
        return slackError('channel_not_found');
      const message = posted.find((m) => m.channel === channel && m.ts === ts);
      if (message === undefined) return slackError('message_not_found');
      return json({ ok: true, channel, permalink: permalinkOf(channel, message.ts) });
    },
    'views.publish': (params) => {
      const userId = stringParam(params, 'user_id');
      if (userId === undefined) return slackError('invalid_arguments', ['[ERROR] missing required field: user_id']);
      // Not from Slack's documentation (it lists no error for an unknown user_id): the fake's choice.
      if (!users.has(userId)) return slackError('user_not_found');
      const { view } = params;
      if (view === undefined) return slackError('invalid_arguments', ['[ERROR] missing required field: view']);
      if (!isRecord(view))
        return slackError('invalid_arguments', ['[ERROR] must be a JSON object [json-pointer:/view]']);
      if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return slackError('view_too_large');
      const problems = homeViewProblems(view).map((m) => m.replace('[json-pointer:', '[json-pointer:/view'));
      if (problems.length > 0) return slackError('invalid_arguments', problems);
      homeViews.push({ userId, view });
      return json({
        ok: true,
        view: { id: `V${String(homeViews.length).padStart(8, '0')}`, team_id: bot.teamId, ...view },
      });
    },
    'views.open': (params) => {
      const triggerId = stringParam(params, 'trigger_id');
      if (triggerId === undefined)
        return slackError('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
      const trigger = triggers.get(triggerId);
      if (trigger === undefined) return slackError('invalid_trigger_id');
      if (trigger.used) return slackError('exchanged_trigger_id');
      if (clockMs - trigger.issuedAt > TRIGGER_LIFE_MS) return slackError('expired_trigger_id');
      const modal = modalOf(params.view);
      if ('refused' in modal) return modal.refused;
      const { view } = modal;
      trigger.used = true;
      const id = `VM${String(modals.length + 1).padStart(8, '0')}`;
      modals.push({ id, triggerId, view, versions: [view] });
      return json({ ok: true, view: { id, team_id: bot.teamId, ...view } });
    },
    'views.update': (params) => {
      const viewId = stringParam(params, 'view_id');
      const modal = modals.find((m) => m.id === viewId);
      if (modal === undefined) return slackError('not_found');
      const next = modalOf(params.view);
      if ('refused' in next) return next.refused;
      const { view } = next;
      modal.view = view;
      modal.versions.push(view);
      return json({ ok: true, view: { id: modal.id, team_id: bot.teamId, ...view } });
    },
  };

  /** A POST to a response_url: Slack answers 200 `ok`, or an error code, as plain text. */
  const answerResponseUrl = (path: string, raw: string): Reply => {
    const url = `${baseUrl}${path}`;
    const parsed = parseJsonObject(raw);
    const body: Params = parsed ?? { raw };
    responses.push({ url, body });
    const text = (status: number, answer: string): Reply => ({
      status,
      body: answer,
      headers: { 'content-type': 'text/plain' },
    });
    const refuse = (status: number, error: string): Reply => {
      rejectedResponses.push({ url, body, status, error });
      return text(status, error);
    };
    // The fake's own answer: it only knows URLs it handed out.
    const issued = responseUrls.get(url);
    if (issued === undefined) return refuse(404, 'unknown_response_url');
    // The words are the fake's; the limits (5 uses, 30 minutes) are Slack's.
    if (clockMs - issued.issuedAt > RESPONSE_URL_LIFE_MS) return refuse(404, 'expired_url');
    if (issued.uses >= RESPONSE_URL_USES) return refuse(404, 'used_url');
    if (parsed === null) return refuse(400, 'invalid_payload');
    const accept = (): Reply => {
      issued.uses += 1;
      return text(200, 'ok');
    };
    // Deleting the original needs no content.
    if (body.delete_original === true && body.text === undefined && body.blocks === undefined) return accept();
    const problem = messageProblem(body);
    return problem === null ? accept() : refuse(400, problem.error);
  };

  const respond = (req: IncomingMessage, raw: string): Reply => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (path.startsWith(RESPOND_PREFIX)) return answerResponseUrl(path, raw);
    if (!path.startsWith(PREFIX)) return { status: 404, body: `no such path: ${path}` };
    const method = path.slice(PREFIX.length);
    const params = parseBody(String(req.headers['content-type'] ?? ''), raw);
    if (params === null) return slackError('invalid_json');
    const token = tokenOf(req, params);
    const { token: _dropped, ...recorded } = params;
    calls.push({ method, params: recorded, at: new Date() });

    // Injected failures come before anything else, so they never change state.
    const failure = injected.get(method)?.shift();
    if (failure?.kind === 'slack_error') return slackError(failure.error);
    if (failure?.kind === 'rate_limit') {
      return {
        status: 429,
        body: JSON.stringify({ ok: false, error: 'ratelimited' }),
        headers: { 'retry-after': String(failure.retryAfterSeconds) },
      };
    }
    if (failure?.kind === 'http_error') return { status: failure.status, body: `fake HTTP ${failure.status}` };

    if (token === undefined) return slackError('not_authed');
    // The one method that takes the app-level token, not the bot token; so the fake answering
    // at all shows the client sent the xapp- token (tokens are never recorded).
    if (method === 'apps.connections.open' && socketMode !== null) {
      if (token === socketMode.appToken) return json({ ok: true, url: socketMode.url });
      return slackError(token === botToken ? 'not_allowed_token_type' : 'invalid_auth');
    }
    if (token !== botToken) return slackError('invalid_auth');
    const handler = handlers[method];
    return handler === undefined ? slackError('unknown_method') : handler(params);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply =
        req.method === 'POST'
          ? respond(req, Buffer.concat(chunks).toString('utf8'))
          : { status: 405, body: 'POST only' };
      const isJson = reply.status === 200 || reply.status === 429;
      res.writeHead(reply.status, {
        'content-type': isJson ? 'application/json; charset=utf-8' : 'text/plain',
        ...reply.headers,
      });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake Slack API has no TCP port');
  baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    url: `${baseUrl}${PREFIX}`,
    calls,
    posted,
    updates,
    homeViews,
    modals,
    responses,
    rejectedResponses,
    callsTo: (method) => calls.filter((call) => call.method === method),
    responseUrl: () => {
      responseCounter += 1;
      const url = `${baseUrl}${RESPOND_PREFIX}${responseCounter}`;
      responseUrls.set(url, { issuedAt: clockMs, uses: 0 });
      return url;
    },
    responsesTo: (url) => responses.filter((response) => response.url === url),
    triggerId: () => {
      triggerCounter += 1;
      // Slack's shape: <digits>.<digits>.<hex>.
      const id = `${Math.floor(clockMs / 1000)}.${String(triggerCounter).padStart(11, '0')}.${triggerCounter.toString(16).padStart(32, '0')}`;
      triggers.set(id, { issuedAt: clockMs, used: false });
      return id;
    },
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`advance: ${ms} is not a duration`);
      clockMs += ms;
    },
    now: () => new Date(clockMs),
    addUser: (user) => {
      users.set(user.id, user);
    },
    addChannel: (channel) => {
      channels.set(channel.id, channel);
    },
    enableSocketMode: (settings) => {
      socketMode = { appToken: settings.appToken, url: settings.url };
    },
    failNext: (method, error, times = 1) => inject(method, { kind: 'slack_error', error }, times),
    rateLimitNext: (method, retryAfterSeconds, times = 1) =>
      inject(method, { kind: 'rate_limit', retryAfterSeconds }, times),
    httpErrorNext: (method, status, times = 1) => inject(method, { kind: 'http_error', status }, times),
    reset: () => {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
