import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blocksProblems, blocksTextProblems, textProblems } from './block-kit-limits';

/**
 * A small Slack Web API on 127.0.0.1, for running the real WebClient (and Bolt) against
 * SLACK_API_URL. It answers the methods mfa-guard uses, with Slack's documented errors, rejects
 * Block Kit over Slack's hard limits (and over its undocumented total text, as `msg_blocks_too_long`),
 * and can be told to fail the next call to a method.
 * Its base URL has a path prefix, so a client that ignores SLACK_API_URL's path gets HTTP 404.
 */
export interface FakeSlackOptions {
  readonly botToken?: string;
  readonly botUserId?: string;
  readonly botName?: string;
  readonly botId?: string;
  readonly teamId?: string;
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

export interface FakeSlack {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly calls: readonly FakeSlackCall[];
  readonly posted: readonly FakePostedMessage[];
  callsTo(method: string): FakeSlackCall[];
  addUser(user: FakeSlackUser): void;
  addChannel(channel: FakeSlackChannel): void;
  /** The next `times` calls to `method` answer `{ ok: false, error }`. */
  failNext(method: string, error: string, times?: number): void;
  /** The next `times` calls to `method` answer HTTP 429 with `Retry-After`. */
  rateLimitNext(method: string, retryAfterSeconds: number, times?: number): void;
  /** The next `times` calls to `method` answer this HTTP status with a non-JSON body. */
  httpErrorNext(method: string, status: number, times?: number): void;
  /** Forgets the recorded calls (not users, channels, messages or pending failures). */
  reset(): void;
  close(): Promise<void>;
}

const PREFIX = '/api/';

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

const isRecord = (value: unknown): value is Params => typeof value === 'object' && value !== null && !Array.isArray(value);

const stringParam = (params: Params, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Form fields arrive as strings: `blocks` is a JSON string there, an array in a JSON body. */
const parseBody = (contentType: string, raw: string): Params | null => {
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw === '' ? '{}' : raw);
      return isRecord(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  const params: Params = {};
  new URLSearchParams(raw).forEach((value, key) => {
    params[key] = value;
  });
  const { blocks } = params;
  if (typeof blocks === 'string') {
    try {
      params.blocks = JSON.parse(blocks);
    } catch {
      // Left as the string: chat.* answers invalid_blocks_format, as Slack does.
    }
  }
  return params;
};

const tokenOf = (req: IncomingMessage, params: Params): string | undefined => {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice('Bearer '.length);
  return stringParam(params, 'token');
};

export const startFakeSlack = async (options: FakeSlackOptions = {}): Promise<FakeSlack> => {
  const botToken = options.botToken ?? 'xoxb-test-token';
  const bot = {
    userId: options.botUserId ?? 'UBOT0001',
    name: options.botName ?? 'mfa-guard',
    botId: options.botId ?? 'BBOT0001',
    teamId: options.teamId ?? 'T0000TEAM',
  };
  const calls: FakeSlackCall[] = [];
  const posted: FakePostedMessage[] = [];
  const users = new Map<string, FakeSlackUser>();
  const channels = new Map<string, FakeSlackChannel>();
  /** DM channel id → user id, for DMs opened through conversations.open. */
  const dms = new Map<string, string>();
  const injected = new Map<string, Injected[]>();
  let tsCounter = 0;

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
    team_id: bot.teamId,
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
    const { blocks, text } = params;
    if (typeof blocks === 'string') return slackError('invalid_blocks_format');
    const blockList = blocksProblems(blocks);
    if (blockList.length > 0) return slackError('invalid_blocks', blockList);
    // Each block may be fine while all of them together are too much text: Slack's own error for that.
    const totalList = blocksTextProblems(blocks);
    if (totalList.length > 0) return slackError('msg_blocks_too_long', totalList);
    const textList = textProblems(text);
    if (textList.length > 0) return slackError('msg_too_long', textList);
    const hasText = typeof text === 'string' && text.trim() !== '';
    const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
    if (!hasText && !hasBlocks) return slackError('no_text');
    return null;
  };

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
        is_enterprise_install: false,
      }),
    'users.lookupByEmail': (params) => {
      const email = stringParam(params, 'email')?.toLowerCase();
      const user = [...users.values()].find((u) => email !== undefined && u.email?.toLowerCase() === email);
      return user === undefined ? slackError('users_not_found') : json({ ok: true, user: userJson(user) });
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
      message.text = typeof params.text === 'string' ? params.text : undefined;
      message.blocks = params.blocks;
      return json({ ok: true, channel: message.channel, ts: message.ts, text: message.text });
    },
  };

  const respond = (req: IncomingMessage, raw: string): Reply => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
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
      return { status: 429, body: JSON.stringify({ ok: false, error: 'ratelimited' }), headers: { 'retry-after': String(failure.retryAfterSeconds) } };
    }
    if (failure?.kind === 'http_error') return { status: failure.status, body: `fake HTTP ${failure.status}` };

    if (token === undefined) return slackError('not_authed');
    if (token !== botToken) return slackError('invalid_auth');
    const handler = handlers[method];
    return handler === undefined ? slackError('unknown_method') : handler(params);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = req.method === 'POST' ? respond(req, Buffer.concat(chunks).toString('utf8')) : { status: 405, body: 'POST only' };
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

  return {
    url: `http://127.0.0.1:${address.port}${PREFIX}`,
    calls,
    posted,
    callsTo: (method) => calls.filter((call) => call.method === method),
    addUser: (user) => {
      users.set(user.id, user);
    },
    addChannel: (channel) => {
      channels.set(channel.id, channel);
    },
    failNext: (method, error, times = 1) => inject(method, { kind: 'slack_error', error }, times),
    rateLimitNext: (method, retryAfterSeconds, times = 1) => inject(method, { kind: 'rate_limit', retryAfterSeconds }, times),
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
