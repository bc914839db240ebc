/**
 * Socket Mode end to end: the real bot connects to a local Socket Mode server (the URL the fake
 * Slack API's apps.connections.open hands to the app token), and a slash command, a button click
 * and an App Home open arrive as envelopes over the WebSocket, are acked by envelope_id, and have
 * the same effects as over HTTP. The connection survives being dropped.
 *
 * Waits are on signals (a connection, an ack, a pong) or on the fake Slack's records (waitFor),
 * each bounded, so a missing event fails the test instead of hanging it.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { RECHECK_ACTION_ID } from '../../src/slack/blocks/action-ids';
import { BOT_TOKEN, type BotHarness, newDatabasePath, startBot, startSampleSlack } from '../support/bot-harness';
import { createFakeClock } from '../support/fake-clock';
import type { FakePostedMessage, FakeSlack } from '../support/fake-slack-api';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode';
import { auditSince, dmsTo, readStoredState, waitFor } from '../support/interaction-harness';
import { ALICE, BOB, buttonsIn, idOf, sampleIam, seen, userButton } from '../support/sample-world';

const START = new Date('2026-11-23T14:00:00Z');
const HOUR_MS = 60 * 60 * 1000;
const APP_ID = 'A0TEST';
const APP_TOKEN = 'xapp-1-A0TEST-123-abc';
const TEAM_ID = 'T0000TEAM';
const SOCKET_MODE_ENV = { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' };
/** Bound on one signal (an ack, a pong, a Slack call after an ack). */
const SIGNAL_MS = 8_000;
/** SocketModeClient waits clientPingTimeout (5 s by default) before it reconnects; Bolt sets no other. */
const RECONNECT_MS = 20_000;
const TEST_MS = 45_000;

/** Rejects when `promise` has not settled within `ms`, naming what never happened. */
const within = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

// Payloads as Slack puts them in Socket Mode envelopes: the same fields as the HTTP requests in
// test/support/slack-requests.ts (a slash command's form fields as a JSON object, the block_actions
// payload, the event_callback body), trimmed to what Bolt and mfa-guard read.

let sequence = 0;
const slackTs = (): string => {
  sequence += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
};

const slashCommand = (userId: string, text: string, responseUrl: string): Record<string, unknown> => ({
  token: 'fake-verification-token',
  team_id: TEAM_ID,
  team_domain: 'fake-workspace',
  channel_id: `D${userId}`,
  channel_name: 'directmessage',
  user_id: userId,
  user_name: userId.toLowerCase(),
  command: '/mfa-status',
  text,
  api_app_id: APP_ID,
  is_enterprise_install: 'false',
  response_url: responseUrl,
  trigger_id: `${slackTs()}.fake`,
});

const buttonClick = (
  userId: string,
  button: { actionId: string; value: string },
  message: FakePostedMessage,
  responseUrl: string,
): Record<string, unknown> => ({
  type: 'block_actions',
  user: { id: userId, username: userId.toLowerCase(), team_id: TEAM_ID },
  api_app_id: APP_ID,
  token: 'fake-verification-token',
  trigger_id: `${slackTs()}.fake`,
  team: { id: TEAM_ID, domain: 'fake-workspace' },
  container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
  channel: { id: message.channel, name: 'directmessage' },
  message: { ts: message.ts, type: 'message', text: message.text ?? '' },
  response_url: responseUrl,
  actions: [
    {
      action_id: button.actionId,
      block_id: 'actions',
      value: button.value,
      type: 'button',
      action_ts: slackTs(),
      text: { type: 'plain_text', text: button.actionId, emoji: true },
    },
  ],
});

const appHomeOpened = (userId: string): Record<string, unknown> => ({
  token: 'fake-verification-token',
  team_id: TEAM_ID,
  api_app_id: APP_ID,
  event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: slackTs() },
  type: 'event_callback',
  event_id: `Ev${String(sequence).padStart(9, '0')}`,
  event_time: Math.floor(Date.now() / 1000),
});

interface World {
  readonly slack: FakeSlack;
  readonly socket: FakeSocketMode;
  readonly clock: ReturnType<typeof createFakeClock>;
  readonly iam: InMemoryIam;
  readonly harness: BotHarness;
  readonly databasePath: string;
}

/** What each test started, stopped in reverse order whatever happened: bot, socket server, fake Slack. */
let cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const cleanup of pending) await cleanup();
});

/** The fake Slack, the Socket Mode server it points apps.connections.open at, and the bot connected to it. */
const startSocketWorld = async (): Promise<World> => {
  const slack = await startSampleSlack();
  cleanups.push(() => slack.close());
  const socket = await startFakeSocketMode({ appId: APP_ID });
  cleanups.push(() => socket.close());
  slack.enableSocketMode({ appToken: APP_TOKEN, url: socket.url });
  const clock = createFakeClock(START);
  const iam = sampleIam(clock);
  const databasePath = newDatabasePath();
  const harness = await startBot({ slack, iam, clock, databasePath, env: SOCKET_MODE_ENV });
  cleanups.push(async () => {
    await harness.bot.stop();
    // Bolt's stop() resolves before its WebSocket is closed: wait until the bot has hung up.
    await within(socket.allClosed(), SIGNAL_MS, 'the bot to close its WebSocket on stop');
  });
  return { slack, socket, clock, iam, harness, databasePath };
};

/** The response_url POSTs after an ack (the bot answers after acking), at least one. */
const answersTo = (slack: FakeSlack, responseUrl: string) =>
  waitFor(
    () => slack.responsesTo(responseUrl).length > 0 && slack.responsesTo(responseUrl),
    `an answer at ${responseUrl}`,
    SIGNAL_MS,
  );

describe('Socket Mode', () => {
  it('asks for its WebSocket URL through SLACK_API_URL with the app token, not slack.com', async () => {
    const slack = await startSampleSlack();
    slack.failNext('apps.connections.open', 'invalid_auth', 20);
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    try {
      await expect(
        startBot({
          slack,
          iam: sampleIam(clock),
          clock,
          databasePath: newDatabasePath(),
          env: { SLACK_APP_TOKEN: 'xapp-1-A0TEST-123-abc', SLACK_SIGNING_SECRET: '' },
        }),
      ).rejects.toThrow();
      expect(slack.callsTo('apps.connections.open').length).toBeGreaterThan(0);
    } finally {
      await slack.close();
    }
  }, 30_000);

  describe('against a local Socket Mode server', () => {
    it(
      'starts once connected: one apps.connections.open (answered only to the app token), one WebSocket, greeted by hello',
      async () => {
        const w = await startSocketWorld();
        // The fake answers apps.connections.open with the URL only for the xapp- token, so the bot sent that one.
        expect(w.slack.callsTo('apps.connections.open')).toHaveLength(1);
        expect(w.socket.connections).toBe(1);
        const withBotToken = await fetch(`${w.slack.url}apps.connections.open`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BOT_TOKEN}` },
        });
        expect(await withBotToken.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
      },
      TEST_MS,
    );

    it(
      '/mfa-status: the envelope is acked and the answer for that owner arrives at its response_url',
      async () => {
        const w = await startSocketWorld();
        await w.harness.bot.runScanCycle('command');
        const responseUrl = w.slack.responseUrl();

        const ack = await within(
          w.socket.deliver('slash_commands', slashCommand(BOB, '', responseUrl)),
          SIGNAL_MS,
          'the ack of /mfa-status',
        );
        expect(ack).toMatchObject({ envelopeId: expect.any(String), connection: 1 });

        const [answer] = await answersTo(w.slack, responseUrl);
        expect(answer?.body['response_type']).toBe('ephemeral');
        expect(seen(answer?.body)).toContain('`bob`');
        expect(seen(answer?.body)).not.toContain('`alice`');
        expect(w.slack.rejectedResponses).toEqual([]);
        expect(w.socket.stray).toEqual([]);
      },
      TEST_MS,
    );

    it(
      'Recheck on the DM nudge: the click is acked, the finding closes and the DM is re-rendered as fixed',
      async () => {
        const w = await startSocketWorld();
        await w.harness.bot.runScanCycle('command');
        const [dm] = dmsTo(w.slack, ALICE);
        if (dm === undefined) throw new Error('the scan sent alice no DM');
        const recheck = userButton(dm.blocks, 'alice', RECHECK_ACTION_ID);
        w.clock.advance(HOUR_MS);
        w.iam.addMfaDevice('alice', {
          serialNumber: 'arn:aws:iam::111122223333:mfa/alice',
          kind: 'virtual',
          enableDate: w.clock.now(),
        });

        const responseUrl = w.slack.responseUrl();
        await within(
          w.socket.deliver('interactive', buttonClick(ALICE, recheck, dm, responseUrl)),
          SIGNAL_MS,
          'the ack of the Recheck click',
        );

        const update = await waitFor(
          () => w.slack.updates.find((u) => u.channel === dm.channel && u.ts === dm.ts),
          'the chat.update of alice’s DM',
          SIGNAL_MS,
        );
        expect(seen({ text: update.text, blocks: update.blocks })).toContain('`alice` is fixed');
        expect(buttonsIn(update.blocks)).toEqual([]);
        const findingId = idOf(recheck.value);
        expect(readStoredState(w.databasePath).findings.find((f) => f.id === findingId)).toMatchObject({
          userName: 'alice',
          closeReason: 'fixed',
        });
        // The clicker came from the envelope's payload.
        expect(auditSince(w.harness).filter((l) => l.action === 'finding_closed')).toEqual([
          expect.objectContaining({ actor: ALICE, userName: 'alice', outcome: 'succeeded' }),
        ]);
        expect(w.socket.stray).toEqual([]);
      },
      TEST_MS,
    );

    it(
      'app_home_opened: the event is acked and the Home of that user is published',
      async () => {
        const w = await startSocketWorld();
        await w.harness.bot.runScanCycle('command');

        await within(w.socket.deliver('events_api', appHomeOpened(ALICE)), SIGNAL_MS, 'the ack of app_home_opened');

        const home = await waitFor(
          () => w.slack.homeViews.find((v) => v.userId === ALICE),
          'the Home of alice',
          SIGNAL_MS,
        );
        expect(home.view['type']).toBe('home');
        expect(seen({ blocks: home.view['blocks'] })).toContain('`alice`');
        expect(seen({ blocks: home.view['blocks'] })).not.toContain('`bob`');
        expect(w.socket.stray).toEqual([]);
      },
      TEST_MS,
    );

    it(
      'heartbeat: the bot answers the server’s ping, and its own pings are answered',
      async () => {
        const w = await startSocketWorld();
        await within(w.socket.ping(), SIGNAL_MS, 'the pong to the server’s ping');
        await within(w.socket.nextPingFromClient(), SIGNAL_MS, 'a ping from the bot');
        expect(w.socket.connections).toBe(1);
      },
      TEST_MS,
    );

    it.each([
      ['the server closes the connection', false],
      ['Slack asks for a refresh (a disconnect message)', true],
    ])(
      'reconnects when %s: a new URL, a new connection, and envelopes acked on it',
      async (_how, announce) => {
        const w = await startSocketWorld();
        expect(w.slack.callsTo('apps.connections.open')).toHaveLength(1);

        await within(w.socket.dropConnection({ announce }), SIGNAL_MS, 'the first connection to close');
        await within(w.socket.connected(2), RECONNECT_MS, 'the bot to reconnect');
        expect(w.slack.callsTo('apps.connections.open')).toHaveLength(2);

        const responseUrl = w.slack.responseUrl();
        const ack = await within(
          w.socket.deliver('slash_commands', slashCommand(ALICE, 'help', responseUrl)),
          SIGNAL_MS,
          'the ack on the new connection',
        );
        expect(ack.connection).toBe(2);
        const [answer] = await answersTo(w.slack, responseUrl);
        expect(seen(answer?.body)).toContain('How to use /mfa-status');
        expect(w.socket.connections).toBe(2);
        expect(w.socket.stray).toEqual([]);
      },
      TEST_MS,
    );
  });
});
