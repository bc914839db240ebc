/**
 * The playground in process, without a browser: a session driven through the page's actions
 * (the same ones the page posts), then everything the Slack stand-in stores checked by the
 * independent limit checker in test/support, and rendered by the page's one renderer.
 */
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';

import { blocksHtml } from '../../src/playground/block-kit-html';
import { type PlaygroundWorld, runPageAction } from '../../src/playground/page-actions';
import { PLAYGROUND_APPROVER } from '../../src/playground/people';
import { type Playground, startPlayground } from '../../src/playground/run-playground';
import { signature } from '../../src/playground/signed-requests';
import { blockKitProblems, homeViewProblems, modalViewProblems } from '../support/block-kit-limits';
import { waitFor } from '../support/interaction-harness';

const ALICE = 'U012ABCDEF';
const BOB = 'U0BOB12345';

let playground: Playground;
let world: PlaygroundWorld;

beforeAll(async () => {
  playground = await startPlayground({
    port: 0,
    stderr: () => undefined,
    holder: 'playground:test',
    readme:
      '# mfa-guard\n\n## Quick start\n\nx\n\n## Running the Slack bot\n\nCreate the app <b>&</b>\n\n## Deploying\n\ny\n',
  });
  world = playground.world;
  await waitFor(() => world.standIn.messages().some((m) => m.channel === `D${ALICE}`), 'the start-up DMs');
});

afterAll(async () => {
  await playground?.stop();
});

const act = async (name: string, body: Record<string, unknown>): Promise<void> => {
  expect(await runPageAction(world, name, body)).toEqual({ ok: true });
};

/** The `where` and value of the first button with this action id in a person's DM. */
const buttonIn = (channel: string, actionId: string, visibleTo: string | null = null) => {
  for (const message of world.standIn.messages()) {
    if (message.channel !== channel || (message.visibleTo !== null && message.visibleTo !== visibleTo)) continue;
    for (const block of message.blocks as { elements?: { action_id?: string; value?: string }[] }[]) {
      const button = block.elements?.find((e) => e.action_id === actionId);
      if (button?.value !== undefined) {
        const where = message.visibleTo === null ? `msg:${message.channel}:${message.ts}` : `eph:${message.id}`;
        return { where, actionId, value: button.value };
      }
    }
  }
  return null;
};

test('a session: command, DM reply, Recheck, Show CLI steps, removal asked and approved, App Home', async () => {
  const seen = (): number => world.standIn.version();
  let before = seen();
  await act('say', { as: ALICE, text: '/mfa-status' });
  await waitFor(() => world.standIn.messages().some((m) => m.visibleTo === ALICE), 'the /mfa-status answer');
  await act('say', { as: ALICE, text: 'help' });
  await waitFor(
    () =>
      seen() > before + 1 &&
      world.standIn.messages().filter((m) => m.channel === `D${ALICE}` && m.from !== ALICE).length > 1,
    'the DM reply',
  );

  const recheck = await waitFor(() => buttonIn(`D${ALICE}`, 'mfa_recheck'), 'a Recheck button');
  before = seen();
  await act('click', { as: ALICE, ...recheck });
  await waitFor(() => world.standIn.messages().some((m) => m.edited), 'the DM changed by Recheck');

  const steps = await waitFor(() => buttonIn(`D${ALICE}`, 'mfa_show_steps'), 'a Show CLI steps button');
  await act('click', { as: ALICE, ...steps });
  // views.open shows it loading; views.update then fills in the steps.
  await waitFor(
    () => JSON.stringify(world.standIn.modal(ALICE)?.view ?? null).includes('create-virtual-mfa-device'),
    'the modal with its steps',
  );

  const remove = await waitFor(() => buttonIn(`D${BOB}`, 'mfa_request_removal'), "Bob's Remove button");
  await act('click', { as: BOB, ...remove });
  const approve = await waitFor(() => buttonIn('C0SECURITY01', 'mfa_approve_removal'), 'the approval message');
  await act('click', { as: PLAYGROUND_APPROVER, ...approve });
  await waitFor(
    () => world.accounts[0]?.iam.currentUsers().find((u) => u.userName === 'bob')?.loginProfile === false,
    "bob's console password removed",
  );

  // Another request, denied: the approval message says by whom.
  const PLATFORM = 'U0PLATFORM1';
  const platformRemove = await waitFor(() => buttonIn(`D${PLATFORM}`, 'mfa_request_removal'), 'a Remove button');
  await act('click', { as: PLATFORM, ...platformRemove });
  const deny = await waitFor(() => buttonIn('C0SECURITY01', 'mfa_deny_removal'), 'a Deny button');
  await act('click', { as: PLAYGROUND_APPROVER, ...deny });
  await waitFor(
    () => world.standIn.messages().some((m) => JSON.stringify(m.blocks).includes('Denied by')),
    'the denial',
  );

  // And one nobody answers, which expires once the clock has moved on.
  const aliceRemove = await waitFor(() => buttonIn(`D${ALICE}`, 'mfa_request_removal'), "Alice's Remove button");
  await act('click', { as: ALICE, ...aliceRemove });
  await waitFor(() => buttonIn('C0SECURITY01', 'mfa_approve_removal'), "the approval message for Alice's request");

  await act('home', { as: PLAYGROUND_APPROVER });
  await waitFor(() => world.standIn.home(PLAYGROUND_APPROVER), "the approver's App Home");
  await act('clock', { hours: 168 });
  await act('scan', {});
  await waitFor(
    () => world.standIn.messages().some((m) => JSON.stringify(m.blocks).includes('Expired at')),
    'the expiry',
  );
  expect(buttonIn('C0SECURITY01', 'mfa_approve_removal')).toBeNull();

  // The independent checker (test/support) agrees with the stand-in's own (src) on all of it.
  for (const message of world.standIn.messages()) expect(blockKitProblems(message.blocks, message.text)).toEqual([]);
  expect(homeViewProblems(world.standIn.home(PLAYGROUND_APPROVER))).toEqual([]);
  expect(modalViewProblems(world.standIn.modal(ALICE)?.view)).toEqual([]);
  expect(world.standIn.refusals()).toEqual([]);

  // Every block type the bot sent is one the page renders, with nothing left unknown.
  const allBlocks = [
    ...world.standIn.messages().flatMap((m) => m.blocks),
    ...((world.standIn.home(PLAYGROUND_APPROVER)?.blocks as unknown[]) ?? []),
    ...((world.standIn.modal(ALICE)?.view.blocks as unknown[]) ?? []),
  ] as { type: string }[];
  expect(new Set(allBlocks.map((b) => b.type))).toEqual(
    new Set(['header', 'section', 'context', 'divider', 'actions']),
  );
  const html = blocksHtml(allBlocks, 'home', () => undefined);
  expect(html).not.toContain('bk-unknown');
  const parts = ['bk-header', 'bk-section', 'bk-fields', 'bk-accessory', 'bk-context', 'bk-divider', 'bk-actions'];
  const markup = ['bk-danger', 'bk-confirm', '<pre>', '<code>', '<b>', '<a href="https://', 'class="mention"'];
  expect([...parts, ...markup].filter((part) => !html.includes(part))).toEqual([]);
});

test('page actions refuse bad input and change nothing', async () => {
  const messages = world.standIn.messages().length;
  expect(await runPageAction(world, 'say', { as: 'U0NOBODY', text: '/mfa-status' })).toEqual({
    ok: false,
    error: 'Pick one of the sample people first.',
  });
  expect(
    await runPageAction(world, 'click', {
      as: ALICE,
      where: 'msg:C0SECURITY01:1.1',
      actionId: 'mfa_recheck',
      value: 'x',
    }),
  ).toEqual({
    ok: false,
    error: 'That button is no longer there.',
  });
  expect(await runPageAction(world, 'clock', { hours: -5 })).toMatchObject({ ok: false });
  expect(
    await runPageAction(world, 'change-user', { account: '777788889999', user: 'x', change: 'enable_mfa' }),
  ).toMatchObject({ ok: false });
  expect(await runPageAction(world, 'say', { as: ALICE, text: '/deploy' })).toEqual({
    ok: false,
    error: 'The bot has one command: /mfa-status.',
  });
  expect(await runPageAction(world, 'nope', {})).toEqual({ ok: false, error: 'Unknown action nope.' });
  expect(world.standIn.messages().length).toBe(messages);
});

test("the bot's receiver refuses a request the playground did not sign", async () => {
  const body = 'command=%2Fmfa-status&text=&user_id=U012ABCDEF';
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(world.receiver.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature('not-the-secret', timestamp, body),
    },
    body,
  });
  expect(res.status).toBe(401);
  expect(new URL(world.receiver.url).hostname).toBe('127.0.0.1');
});

describe('the page server', () => {
  const port = (): string => new URL(playground.url).port;
  const page = async (): Promise<string> => (await fetch(playground.url)).text();
  const tokenOf = (html: string): string => /name="playground-token" content="([^"]+)"/.exec(html)?.[1] ?? '';

  test('answers only for 127.0.0.1:PORT and localhost:PORT (DNS rebinding)', async () => {
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        // fetch cannot set Host; node:http can.
        httpGet({ host: '127.0.0.1', port: Number(port()), path: '/', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    expect(await get(`127.0.0.1:${port()}`)).toBe(200);
    expect(await get(`localhost:${port()}`)).toBe(200);
    expect(await get(`evil.example:${port()}`)).toBe(421);
    expect(await get('127.0.0.1')).toBe(421);
  });

  test('every API request needs the session token, every action the page Origin too', async () => {
    const html = await page();
    const token = tokenOf(html);
    expect(token).toMatch(/^[\w-]{32}$/);
    const state = `${playground.url}api/state?as=${ALICE}`;
    expect((await fetch(state)).status).toBe(403);
    expect((await fetch(state, { headers: { 'x-playground-token': 'wrong' } })).status).toBe(403);
    expect((await fetch(state, { headers: { 'x-playground-token': token } })).status).toBe(200);

    const action = (headers: Record<string, string>) =>
      fetch(`${playground.url}api/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ hours: 1 }),
      });
    const origin = new URL(playground.url).origin;
    const now = world.clock.now().getTime();
    expect((await action({ origin })).status).toBe(403);
    expect((await action({ 'x-playground-token': token })).status).toBe(403);
    expect((await action({ 'x-playground-token': token, origin: 'http://evil.example' })).status).toBe(403);
    expect(world.clock.now().getTime() - now).toBeLessThan(3_600_000);
    expect((await action({ 'x-playground-token': token, origin })).status).toBe(200);
    expect(world.clock.now().getTime() - now).toBeGreaterThanOrEqual(3_600_000);
  });

  test("links to the README's section on a real workspace, as escaped text", async () => {
    expect(await page()).toContain('<a href="/readme"');
    const readme = await (await fetch(`${playground.url}readme`)).text();
    expect(readme).toContain('<pre>## Running the Slack bot\n\nCreate the app &lt;b&gt;&amp;&lt;/b&gt;\n</pre>');
    expect(readme).not.toContain('Deploying');
  });

  test('the signing secret and the bot token never reach the page', async () => {
    const html = await page();
    const token = tokenOf(html);
    const served = [
      html,
      await (await fetch(`${playground.url}app.js`)).text(),
      await (
        await fetch(`${playground.url}api/state?as=${ALICE}`, { headers: { 'x-playground-token': token } })
      ).text(),
    ].join('\n');
    expect(served).not.toContain(world.receiver.signingSecret);
    expect(served).not.toContain(world.standIn.botToken);
  });
});

describe('loopback only', () => {
  /** The local addresses of the listening TCP sockets on `port` (Linux's /proc/net/tcp and tcp6). */
  const listeningOn = (port: number): string[] =>
    ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter(
          (fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`),
        )
        .map((fields) => fields[1]?.split(':')[0] ?? ''),
    );

  const onLinux = process.platform === 'linux' ? test : test.skip;
  onLinux('the page, the Slack stand-in and the bot’s receiver all listen on 127.0.0.1 alone', () => {
    const ports = [playground.url, world.standIn.url, world.receiver.url].map((url) => Number(new URL(url).port));
    expect(new Set(ports).size).toBe(3);
    // 127.0.0.1 as /proc writes it (little-endian hex); no tcp6 socket, nor 0.0.0.0.
    for (const port of ports) expect(listeningOn(port)).toEqual(['0100007F']);
  });
});
