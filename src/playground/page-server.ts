/**
 * The playground's page on 127.0.0.1:PORT. The page can act as an approver, so beyond listening
 * on loopback only it refuses a request whose Host is not 127.0.0.1:PORT or localhost:PORT (DNS
 * rebinding), and every API request needs the per-session token the page was served with; every
 * action (a POST) also needs the page's own Origin. The Slack signing secret never leaves the
 * process: the page only names what a person did, and the server signs it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { type PlaygroundWorld, runPageAction } from './page-actions';
import { PAGE_SCRIPT, PAGE_STYLE, pageHtml, README_SECTION, readmeHtml, readmeSection } from './page-assets';
import { accountsHtml, conversationHtml, homeHtml, modalHtml } from './page-views';
import { personById, PLAYGROUND_CHANNEL } from './people';
import { readBody } from './read-body';

export interface PageServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64_000;
export const TOKEN_HEADER = 'x-playground-token';

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const send = (res: ServerResponse, status: number, type: string, body: string): void => {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': `${type}; charset=utf-8` });
  res.end(body);
};
const sendJson = (res: ServerResponse, status: number, body: unknown): void =>
  send(res, status, 'application/json', JSON.stringify(body));

const sameSecret = (given: string | undefined, expected: string): boolean => {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** What one person sees now, every part as escaped HTML. */
const stateFor = (world: PlaygroundWorld, as: string) => {
  const { standIn } = world;
  return {
    version: standIn.version(),
    now: world.clock.now().toISOString(),
    dm: conversationHtml(standIn, standIn.dmChannel(as), as),
    channel: conversationHtml(standIn, PLAYGROUND_CHANNEL.id, as),
    home: homeHtml(standIn, as),
    modal: modalHtml(standIn, as),
    accounts: accountsHtml(world.accounts),
    refusals: standIn.refusals().slice(-5),
  };
};

export const startPageServer = async (
  world: PlaygroundWorld,
  options: {
    readonly port: number;
    /** The README's text, when the entry point found it: the page links to its section on a real workspace. */
    readonly readme?: string;
  },
): Promise<PageServer> => {
  const token = randomBytes(24).toString('base64url');
  const readme = options.readme === undefined ? null : readmeSection(options.readme, README_SECTION);
  let allowedHosts: readonly string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = header(req, 'host');
    if (host === undefined || !allowedHosts.includes(host))
      return send(
        res,
        421,
        'text/plain',
        'This playground only answers at http://127.0.0.1:PORT or http://localhost:PORT.',
      );
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (req.method === 'GET' && url.pathname === '/')
      return send(res, 200, 'text/html', pageHtml(token, readme !== null));
    if (req.method === 'GET' && url.pathname === '/readme' && readme !== null)
      return send(res, 200, 'text/html', readmeHtml(readme));
    if (req.method === 'GET' && url.pathname === '/app.js') return send(res, 200, 'text/javascript', PAGE_SCRIPT);
    if (req.method === 'GET' && url.pathname === '/app.css') return send(res, 200, 'text/css', PAGE_STYLE);
    if (!url.pathname.startsWith('/api/')) return send(res, 404, 'text/plain', 'Not found.');
    if (!sameSecret(header(req, TOKEN_HEADER), token))
      return sendJson(res, 403, { ok: false, error: 'Missing or wrong session token: reload the page.' });

    if (req.method === 'GET' && url.pathname === '/api/state') {
      const as = url.searchParams.get('as') ?? '';
      if (personById(as) === undefined) return sendJson(res, 400, { ok: false, error: 'Unknown person.' });
      return sendJson(res, 200, stateFor(world, as));
    }
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: 'POST only.' });
    if (header(req, 'origin') !== `http://${host}`)
      return sendJson(res, 403, { ok: false, error: 'Actions are only taken from the playground page itself.' });
    if (!(header(req, 'content-type') ?? '').startsWith('application/json'))
      return sendJson(res, 415, { ok: false, error: 'Send JSON.' });
    const raw = await readBody(req, MAX_BODY_BYTES);
    let body: unknown;
    try {
      body = raw === null ? null : JSON.parse(raw);
    } catch {
      body = null;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return sendJson(res, 400, { ok: false, error: 'The request is not a JSON object.' });
    const result = await runPageAction(world, url.pathname.slice('/api/'.length), { ...body });
    return sendJson(res, result.ok ? 200 : 400, result);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'The playground failed; see its terminal.' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the playground page has no TCP port');
  allowedHosts = [`127.0.0.1:${address.port}`, `localhost:${address.port}`];
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
