import type { Server } from 'node:http';

import { App, type BlockAction } from '@slack/bolt';

import { toSlackLogger } from '../../src/adapters/slack/slack-logger';
import type { Logger } from '../../src/ports/logging';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack-api';
import {
  deliverMessageIm,
  sendAppHomeOpened,
  sendBlockAction,
  sendSlashCommand,
  signSlackRequest,
  type SlackTarget,
} from '../support/slack-requests';

const TOKEN = 'xoxb-test-token';
const SECRET = 'test-signing-secret-0123456789';

/** Resolves once `settle` is called, or fails the test after `ms`. */
const deferred = <T>(ms = 3_000) => {
  let settle: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
    settle = (value) => {
      clearTimeout(timer);
      resolve(value);
    };
  });
  return { promise, settle };
};

const logLines: string[] = [];
const logger: Logger = {
  debug: (m) => logLines.push(`debug ${m}`),
  info: (m) => logLines.push(`info ${m}`),
  warn: (m) => logLines.push(`warn ${m}`),
  error: (m) => logLines.push(`error ${m}`),
};

describe('signSlackRequest', () => {
  it("matches the worked example in Slack's request-verification guide", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest(body, '8f742231b10e8888abcd99yyyzzz85a5', 1531420618)).toEqual({
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    });
  });
});

describe('Slack requests to a real Bolt app in HTTP mode', () => {
  let slack: FakeSlack;
  let app: App;
  let target: SlackTarget;
  /** Every listener run, by name. */
  let runs: string[];

  beforeEach(async () => {
    runs = [];
    slack = await startFakeSlack({ botToken: TOKEN });
    slack.addUser({ id: 'UALICE', email: 'alice@example.com' });
    app = new App({
      token: TOKEN,
      // Known identity: Bolt makes no auth.test of its own.
      botId: 'BBOT0001',
      botUserId: 'UBOT0001',
      signingSecret: SECRET,
      port: 0,
      endpoints: '/slack/events',
      clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } },
      logger: toSlackLogger(logger),
    });
    const server: Server = await app.start();
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('Bolt has no TCP port');
    target = { port: address.port, signingSecret: SECRET };
  });

  afterEach(async () => {
    await app.stop();
    await slack.close();
  });

  describe('a slash command', () => {
    it('reaches the listener, and respond() lands on the fake response_url', async () => {
      const seen = deferred<{ text: string; userId: string; command: string; teamId: string }>();
      app.command('/mfa-status', async ({ ack, command, respond }) => {
        runs.push('command');
        await ack();
        await respond({ response_type: 'ephemeral', text: `status for ${command.text}` });
        seen.settle({ text: command.text, userId: command.user_id, command: command.command, teamId: command.team_id });
      });
      const responseUrl = slack.responseUrl();

      const reply = await sendSlashCommand(target, { userId: 'UALICE', text: 'alice', responseUrl });

      expect(reply.status).toBe(200);
      await expect(seen.promise).resolves.toEqual({
        text: 'alice',
        userId: 'UALICE',
        command: '/mfa-status',
        teamId: 'T0000TEAM',
      });
      expect(slack.responsesTo(responseUrl)).toEqual([
        { url: responseUrl, body: { response_type: 'ephemeral', text: 'status for alice' } },
      ]);
      expect(slack.rejectedResponses).toEqual([]);
    });

    it('routes by the command given', async () => {
      const seen = deferred<string>();
      app.command('/other', async ({ ack, command }) => {
        await ack();
        seen.settle(command.channel_id);
      });
      await sendSlashCommand(target, {
        userId: 'UALICE',
        text: '',
        responseUrl: slack.responseUrl(),
        command: '/other',
        channelId: 'C0SEC',
      });
      await expect(seen.promise).resolves.toBe('C0SEC');
    });
  });

  describe('a button click', () => {
    it.each(['message', 'ephemeral'] as const)(
      'reaches the action listener from a %s, with where the button was',
      async (containerType) => {
        const seen = deferred<unknown>();
        app.action<BlockAction>('mfa_recheck', async ({ ack, action, body, respond }) => {
          runs.push('action');
          await ack();
          await respond({ replace_original: true, text: 'rechecked' });
          seen.settle({
            value: action.type === 'button' ? action.value : null,
            user: body.user.id,
            container: body.container,
            channel: body.channel?.id,
            message: body.message?.ts,
          });
        });
        const responseUrl = slack.responseUrl();

        const reply = await sendBlockAction(target, {
          userId: 'UALICE',
          actionId: 'mfa_recheck',
          value: 'f:42',
          responseUrl,
          channelId: 'DUALICE',
          messageTs: '1700000000.000100',
          containerType,
        });

        expect(reply.status).toBe(200);
        await expect(seen.promise).resolves.toEqual({
          value: 'f:42',
          user: 'UALICE',
          container: {
            type: 'message',
            message_ts: '1700000000.000100',
            channel_id: 'DUALICE',
            is_ephemeral: containerType === 'ephemeral',
          },
          channel: 'DUALICE',
          message: containerType === 'message' ? '1700000000.000100' : undefined,
        });
        expect(slack.responsesTo(responseUrl)).toEqual([
          { url: responseUrl, body: { replace_original: true, text: 'rechecked' } },
        ]);
      },
    );

    it('describes a click in the App Home as a view container, with no response_url (so Bolt gives no respond())', async () => {
      const seen = deferred<unknown>();
      app.action<BlockAction>('mfa_recheck', async ({ ack, body, respond }) => {
        await ack();
        seen.settle({
          container: body.container.type,
          view: body.view?.type,
          responseUrl: 'response_url' in body,
          respond: typeof respond,
        });
      });
      await sendBlockAction(target, { userId: 'UALICE', actionId: 'mfa_recheck', value: 'f:1', containerType: 'view' });
      await expect(seen.promise).resolves.toEqual({
        container: 'view',
        view: 'home',
        responseUrl: false,
        respond: 'undefined',
      });
    });

    it('refuses to build a click in a view with a response_url, or one in a message without', () => {
      const base = { userId: 'UALICE', actionId: 'x', value: 'v' };
      expect(() =>
        sendBlockAction(target, { ...base, containerType: 'view', responseUrl: slack.responseUrl() }),
      ).toThrow('a click in a view carries no response_url');
      expect(() => sendBlockAction(target, { ...base, channelId: 'C1', messageTs: '1.2' })).toThrow(
        'a message container needs a responseUrl',
      );
    });

    it("carries the trigger_id it is given, for views.open (the fake's own, by default a made-up one)", async () => {
      const seen = deferred<string>();
      app.action<BlockAction>('mfa_show_steps', async ({ ack, body }) => {
        await ack();
        seen.settle(body.trigger_id);
      });
      const triggerId = slack.triggerId();
      await sendBlockAction(target, {
        userId: 'UALICE',
        actionId: 'mfa_show_steps',
        value: 'f:1',
        triggerId,
        responseUrl: slack.responseUrl(),
        channelId: 'DUALICE',
        messageTs: '1.2',
      });
      await expect(seen.promise).resolves.toBe(triggerId);
    });

    it('refuses a message click without where the message is', () => {
      expect(() =>
        sendBlockAction(target, { userId: 'UALICE', actionId: 'x', value: 'v', responseUrl: slack.responseUrl() }),
      ).toThrow('needs channelId and messageTs');
    });

    it('makes respond() fail when the fake refuses the blocks', async () => {
      const seen = deferred<string>();
      app.action('x', async ({ ack, respond }) => {
        await ack();
        try {
          await respond({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) });
          seen.settle('accepted');
        } catch (error) {
          seen.settle(error instanceof Error ? error.message : String(error));
        }
      });
      const responseUrl = slack.responseUrl();
      await sendBlockAction(target, {
        userId: 'UALICE',
        actionId: 'x',
        value: 'v',
        responseUrl,
        channelId: 'C1',
        messageTs: '1.2',
      });
      await expect(seen.promise).resolves.toContain('400');
      expect(slack.rejectedResponses).toEqual([
        expect.objectContaining({ url: responseUrl, status: 400, error: 'invalid_blocks' }),
      ]);
    });
  });

  describe('app_home_opened', () => {
    it('reaches the event listener, which can publish the Home through the fake', async () => {
      const seen = deferred<unknown>();
      app.event('app_home_opened', async ({ event, client }) => {
        runs.push('event');
        await client.views.publish({
          user_id: event.user,
          view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] },
        });
        seen.settle({ user: event.user, tab: event.tab, channel: event.channel });
      });

      const reply = await sendAppHomeOpened(target, { userId: 'UALICE' });

      expect(reply.status).toBe(200);
      await expect(seen.promise).resolves.toEqual({ user: 'UALICE', tab: 'home', channel: 'DUALICE' });
      expect(slack.homeViews).toEqual([
        {
          userId: 'UALICE',
          view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] },
        },
      ]);
    });

    it('passes the retry number on to the listener', async () => {
      const seen = deferred<unknown>();
      app.event('app_home_opened', async ({ event, context }) => {
        seen.settle({ tab: event.tab, retryNum: context.retryNum, retryReason: context.retryReason });
      });
      await sendAppHomeOpened(target, { userId: 'UALICE', tab: 'messages' }, { retryNum: 1 });
      await expect(seen.promise).resolves.toEqual({ tab: 'messages', retryNum: 1, retryReason: 'http_timeout' });
    });
  });

  describe('message.im', () => {
    it('delivers the event, then its retries with the same event_id and X-Slack-Retry-Num 1, 2, in order', async () => {
      const seen: unknown[] = [];
      app.event('message', async ({ event, body, context }) => {
        seen.push({
          type: event.type,
          channelType: 'channel_type' in event ? event.channel_type : undefined,
          user: 'user' in event ? event.user : undefined,
          text: 'text' in event ? event.text : undefined,
          channel: event.channel,
          eventId: body.event_id,
          retryNum: context.retryNum,
        });
      });

      const delivery = await deliverMessageIm(target, { userId: 'UALICE', text: 'alice' }, { retries: 2 });

      expect(delivery.replies.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(delivery.eventId).toMatch(/^Ev\d+$/);
      const first = { type: 'message', channelType: 'im', user: 'UALICE', text: 'alice', channel: 'DUALICE' };
      expect(seen).toEqual([
        { ...first, eventId: delivery.eventId, retryNum: undefined },
        { ...first, eventId: delivery.eventId, retryNum: 1 },
        { ...first, eventId: delivery.eventId, retryNum: 2 },
      ]);
    });

    it('keeps a given event_id, and is refused unsigned like any request', async () => {
      const delivery = await deliverMessageIm(target, { userId: 'UALICE', text: 'hi', eventId: 'Ev0SAME' });
      expect(delivery).toEqual({ eventId: 'Ev0SAME', replies: [expect.objectContaining({ status: 200 })] });
      const forged = await deliverMessageIm({ ...target, signingSecret: 'wrong' }, { userId: 'UALICE', text: 'hi' });
      expect(forged.replies.map((r) => r.status)).toEqual([401]);
    });
  });

  describe('requests Bolt must refuse', () => {
    const registerAll = (): void => {
      app.command('/mfa-status', async ({ ack }) => {
        runs.push('command');
        await ack();
      });
      app.action('x', async ({ ack }) => {
        runs.push('action');
        await ack();
      });
      app.event('app_home_opened', async () => {
        runs.push('event');
      });
    };

    const sendEach = (options: Parameters<typeof sendSlashCommand>[2]) => [
      () => sendSlashCommand(target, { userId: 'UALICE', text: '', responseUrl: slack.responseUrl() }, options),
      () =>
        sendBlockAction(
          target,
          {
            userId: 'UALICE',
            actionId: 'x',
            value: 'v',
            responseUrl: slack.responseUrl(),
            channelId: 'C1',
            messageTs: '1.2',
          },
          options,
        ),
      () => sendAppHomeOpened(target, { userId: 'UALICE' }, options),
    ];

    const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

    it('accepts all three when signed right (the control case)', async () => {
      registerAll();
      for (const send of sendEach({})) expect((await send()).status).toBe(200);
      await settle();
      expect(runs.sort()).toEqual(['action', 'command', 'event']);
    });

    it.each<[string, Parameters<typeof sendSlashCommand>[2]]>([
      ['a forged signature', { signingSecret: 'not-the-secret' }],
      // Bolt only refuses timestamps in the past (more than 5 minutes): a future one passes its check.
      ['a timestamp 6 minutes old', { timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ])('answers 401 to %s and never runs a listener', async (_name, options) => {
      registerAll();
      for (const send of sendEach(options)) expect((await send()).status).toBe(401);
      await settle();
      expect(runs).toEqual([]);
      expect(slack.responses).toEqual([]);
    });

    it('accepts a timestamp 4 minutes old', async () => {
      registerAll();
      const reply = await sendSlashCommand(
        target,
        { userId: 'UALICE', text: '', responseUrl: slack.responseUrl() },
        { timestampSeconds: Math.floor(Date.now() / 1000) - 4 * 60 },
      );
      expect(reply.status).toBe(200);
      expect(runs).toEqual(['command']);
    });
  });
});
