import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type RetryOptions, WebClient } from '@slack/web-api';

import {
  INTERACTION_RATE_LIMITS,
  INTERACTION_RETRY_POLICY,
  type RateLimitPolicy,
  SCAN_RATE_LIMITS,
  slackClientOptions,
} from '../../../src/adapters/slack/client-options';
import { createSlackGateway, type SlackGatewayOptions } from '../../../src/adapters/slack/web-api-gateway';
import { AppError, type AppErrorCode } from '../../../src/errors';
import type { Logger } from '../../../src/ports/logging';
import type { SlackGateway } from '../../../src/ports/slack';
import type { Block, HomeView, ModalView, SlackMessage } from '../../../src/slack/blocks/block-kit';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack-api';

const TOKEN = 'xoxb-test-token';
const NO_RETRY: RetryOptions = { retries: 0 };

const logLines: string[] = [];
const recordingLogger: Logger = {
  debug: (m, f) => logLines.push(`debug ${m} ${JSON.stringify(f)}`),
  info: (m, f) => logLines.push(`info ${m} ${JSON.stringify(f)}`),
  warn: (m, f) => logLines.push(`warn ${m} ${JSON.stringify(f)}`),
  error: (m, f) => logLines.push(`error ${m} ${JSON.stringify(f)}`),
};

const seenErrors: AppError[] = [];

/** Runs a call that must fail and returns the AppError, keeping it for the token check at the end. */
const failure = async (call: Promise<unknown>): Promise<AppError> => {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
    seenErrors.push(error);
    return error;
  }
  throw new Error('expected the call to fail');
};

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });
const nudge: SlackMessage = {
  text: 'alice has no MFA',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Console users without MFA' } },
    section('*alice* in 123456789012'),
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: 'mfa_recheck', text: { type: 'plain_text', text: 'Recheck' }, value: 'f:1' },
        {
          type: 'button',
          action_id: 'mfa_request_removal',
          style: 'danger',
          text: { type: 'plain_text', text: 'Remove console access…' },
          value: 'f:1',
          confirm: {
            title: { type: 'plain_text', text: 'Remove console access?' },
            text: { type: 'mrkdwn', text: 'This deletes the login profile of *alice*.', verbatim: true },
            confirm: { type: 'plain_text', text: 'Remove' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
      ],
    },
  ],
};

describe('createSlackGateway over a real WebClient and the fake Slack API', () => {
  let slack: FakeSlack;

  const gatewayFor = (
    retryConfig: RetryOptions = NO_RETRY,
    apiUrl = slack.url,
    token = TOKEN,
    options: SlackGatewayOptions = { rateLimits: { retries: 0, maxRetryAfterSeconds: 60 } },
  ): SlackGateway =>
    createSlackGateway(
      new WebClient(token, slackClientOptions({ apiUrl, retryConfig, logger: recordingLogger })),
      options,
    );

  /** A gateway under a rate-limit policy whose waits are recorded, not slept. */
  const limitedGateway = (rateLimits: RateLimitPolicy): { gateway: SlackGateway; waits: number[] } => {
    const waits: number[] = [];
    const gateway = gatewayFor(NO_RETRY, slack.url, TOKEN, {
      rateLimits,
      wait: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    return { gateway, waits };
  };

  beforeEach(async () => {
    slack = await startFakeSlack({ botUserId: 'UBOT', botName: 'mfa-guard', botId: 'BBOT', teamId: 'TTEAM' });
    slack.addUser({ id: 'UALICE', email: 'alice@example.com' });
    slack.addUser({ id: 'UGONE', email: 'gone@example.com', deleted: true });
    slack.addUser({ id: 'UROBOT', isBot: true });
    slack.addUser({ id: 'UGUEST', email: 'guest@partner.example', teamId: 'TPARTNER', enterpriseId: 'EPARTNER' });
    slack.addChannel({ id: 'CSEC', name: 'security', isMember: true });
    slack.addChannel({ id: 'COUT', name: 'elsewhere', isMember: false });
    slack.addChannel({ id: 'COLD', name: 'old', isMember: true, isArchived: true });
  });

  afterEach(async () => {
    await slack.close();
  });

  afterAll(() => {
    // Every error shown and every line logged during this suite: none may carry the token.
    expect(seenErrors.length).toBeGreaterThan(10);
    for (const error of seenErrors) expect(`${error.message} ${error.hint ?? ''}`).not.toContain(TOKEN);
    for (const line of logLines) expect(line).not.toContain(TOKEN);
  });

  describe('happy paths', () => {
    it('identify() reads auth.test, through the prefixed SLACK_API_URL', async () => {
      await expect(gatewayFor().identify()).resolves.toEqual({
        botUserId: 'UBOT',
        botId: 'BBOT',
        botName: 'mfa-guard',
        teamId: 'TTEAM',
        enterpriseId: null,
        enterpriseInstall: false,
      });
      // The fake only answers under /api/, so a recorded call proves the path prefix was kept.
      expect(slack.callsTo('auth.test')).toHaveLength(1);
    });

    it('identify() reads the Enterprise Grid organization and an organization-wide install from auth.test', async () => {
      const grid = await startFakeSlack({ teamId: 'TGRID', enterpriseId: 'EGRID', enterpriseInstall: true });
      try {
        await expect(gatewayFor(NO_RETRY, grid.url).identify()).resolves.toMatchObject({
          teamId: 'TGRID',
          enterpriseId: 'EGRID',
          enterpriseInstall: true,
        });
      } finally {
        await grid.close();
      }
    });

    it.each([
      ['CSEC', { kind: 'ok', name: 'security' }],
      ['COUT', { kind: 'not_member', name: 'elsewhere' }],
      ['COLD', { kind: 'archived', name: 'old' }],
      ['CNOPE', { kind: 'not_found' }],
    ])('channelAccess(%s)', async (channel, expected) => {
      await expect(gatewayFor().channelAccess(channel)).resolves.toEqual(expected);
      expect(slack.callsTo('conversations.info')[0]?.params).toMatchObject({ channel });
    });

    const ALICE_USER = {
      id: 'UALICE',
      deleted: false,
      isBot: false,
      email: 'alice@example.com',
      teamId: 'TTEAM',
      enterpriseId: null,
    };

    it.each([
      ['alice@example.com', ALICE_USER],
      // Slack answers users_not_found for a deactivated account's email too.
      ['gone@example.com', null],
      ['nobody@example.com', null],
      // Slack Connect: someone of another organization, with their own team and organization.
      [
        'guest@partner.example',
        {
          id: 'UGUEST',
          deleted: false,
          isBot: false,
          email: 'guest@partner.example',
          teamId: 'TPARTNER',
          enterpriseId: 'EPARTNER',
        },
      ],
    ])('findUserByEmail(%s)', async (email, expected) => {
      await expect(gatewayFor().findUserByEmail(email)).resolves.toEqual(expected);
    });

    it.each([
      ['UALICE', ALICE_USER],
      // The fake sends `profile: {}` for a user without an email, as Slack does without users:read.email.
      ['UROBOT', { id: 'UROBOT', deleted: false, isBot: true, email: null, teamId: 'TTEAM', enterpriseId: null }],
      ['UNOPE', null],
    ])('findUserById(%s)', async (userId, expected) => {
      await expect(gatewayFor().findUserById(userId)).resolves.toEqual(expected);
    });

    it('openDm() answers the DM channel id', async () => {
      await expect(gatewayFor().openDm('UALICE')).resolves.toBe('DUALICE');
      expect(slack.callsTo('conversations.open')[0]?.params).toMatchObject({ users: 'UALICE' });
    });

    it('postMessage() sends text, blocks and no unfurling, and answers channel and ts', async () => {
      const gateway = gatewayFor();
      const channel = await gateway.openDm('UALICE');
      await expect(gateway.postMessage(channel, nudge)).resolves.toEqual({
        channel: 'DUALICE',
        ts: '1700000000.000100',
      });
      expect(slack.callsTo('chat.postMessage')[0]?.params).toMatchObject({
        channel: 'DUALICE',
        text: nudge.text,
        blocks: nudge.blocks,
        unfurl_links: 'false',
        unfurl_media: 'false',
      });
      expect(slack.posted).toEqual([
        { channel: 'DUALICE', text: nudge.text, blocks: nudge.blocks, ts: '1700000000.000100' },
      ]);
    });

    it('updateMessage() replaces a posted message', async () => {
      const gateway = gatewayFor();
      const { ts } = await gateway.postMessage('CSEC', nudge);
      const fixed: SlackMessage = { text: 'alice is fixed', blocks: [section('*alice* now has MFA')] };
      await gateway.updateMessage('CSEC', ts, fixed);
      expect(slack.callsTo('chat.update')[0]?.params).toMatchObject({
        channel: 'CSEC',
        ts,
        text: fixed.text,
        blocks: fixed.blocks,
      });
      expect(slack.posted).toEqual([{ channel: 'CSEC', ts, text: fixed.text, blocks: fixed.blocks }]);
    });

    it('publishHome() publishes the view to the user', async () => {
      const home: HomeView = { type: 'home', blocks: [section('*Your IAM users*'), ...nudge.blocks] };
      await gatewayFor().publishHome('UALICE', home);
      expect(slack.callsTo('views.publish')[0]?.params).toEqual({ user_id: 'UALICE', view: home });
      expect(slack.homeViews).toEqual([{ userId: 'UALICE', view: home }]);
    });

    it('publishHome() sends a full 100-block Home', async () => {
      const home: HomeView = { type: 'home', blocks: Array.from({ length: 100 }, (_, i) => section(`line ${i}`)) };
      await gatewayFor().publishHome('UALICE', home);
      expect(slack.homeViews[0]?.view).toEqual(home);
    });

    it('permalink() answers the link Slack gives for a posted message', async () => {
      const gateway = gatewayFor();
      const { ts } = await gateway.postMessage('CSEC', nudge);
      await expect(gateway.permalink('CSEC', ts)).resolves.toBe(
        `https://fake.slack.test/archives/CSEC/p${ts.replace('.', '')}`,
      );
      expect(slack.callsTo('chat.getPermalink')[0]?.params).toEqual({ channel: 'CSEC', message_ts: ts });
    });
  });

  describe('user emails', () => {
    // Slack's own answers, served raw: what the profile looks like decides the email.
    const userAnswer = async (profile: Record<string, unknown> | undefined): Promise<string | null | undefined> => {
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ok: true,
            user: { id: 'UX', deleted: false, is_bot: false, ...(profile === undefined ? {} : { profile }) },
          }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address: AddressInfo | string | null = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      try {
        const user = await gatewayFor(NO_RETRY, `http://127.0.0.1:${address.port}/api/`).findUserById('UX');
        return user?.email;
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    };

    it.each<[string, Record<string, unknown> | undefined, string | null]>([
      ['an email in the profile', { email: 'x@example.com', real_name: 'X' }, 'x@example.com'],
      ['a profile without email (no users:read.email)', { real_name: 'X' }, null],
      ['an empty email', { email: '' }, null],
      ['no profile at all', undefined, null],
    ])('reads %s', async (_name, profile, expected) => {
      await expect(userAnswer(profile)).resolves.toBe(expected);
    });
  });

  describe('Slack refusals', () => {
    it.each<[string, (g: SlackGateway) => Promise<unknown>, AppErrorCode, string]>([
      [
        'a DM to a bot',
        (g) => g.openDm('UROBOT'),
        'slack_user_unreachable',
        'Slack refused conversations.open for UROBOT: cannot_dm_bot — ',
      ],
      [
        'a DM to a deactivated user',
        (g) => g.openDm('UGONE'),
        'slack_user_unreachable',
        'Slack refused conversations.open for UGONE: user_disabled — ',
      ],
      [
        'a DM to an unknown user',
        (g) => g.openDm('UNOPE'),
        'slack_user_unreachable',
        'Slack refused conversations.open for UNOPE: user_not_found — ',
      ],
      [
        'a post to a channel the bot is not in',
        (g) => g.postMessage('COUT', nudge),
        'slack_not_in_channel',
        'Slack refused chat.postMessage for COUT: not_in_channel — ',
      ],
      [
        'a post to an archived channel',
        (g) => g.postMessage('COLD', nudge),
        'slack_channel_not_found',
        'Slack refused chat.postMessage for COLD: is_archived — ',
      ],
      [
        'a post to an unknown channel',
        (g) => g.postMessage('CNOPE', nudge),
        'slack_channel_not_found',
        'Slack refused chat.postMessage for CNOPE: channel_not_found — ',
      ],
      [
        'a post without text or blocks',
        (g) => g.postMessage('CSEC', { text: '', blocks: [] }),
        'slack_invalid_message',
        'Slack refused chat.postMessage for CSEC: no_text — ',
      ],
      [
        'an update of an unknown message',
        (g) => g.updateMessage('CSEC', '1.000001', nudge),
        'slack_error',
        'Slack refused chat.update for CSEC: message_not_found — ',
      ],
      [
        'a permalink to an unknown message',
        (g) => g.permalink('CSEC', '1.000001'),
        'slack_error',
        'Slack refused chat.getPermalink for CSEC: message_not_found — ',
      ],
      [
        'a permalink in an unknown channel',
        (g) => g.permalink('CNOPE', '1.000001'),
        'slack_channel_not_found',
        'Slack refused chat.getPermalink for CNOPE: channel_not_found — ',
      ],
      [
        'a Home for an unknown user',
        (g) => g.publishHome('UNOPE', { type: 'home', blocks: [] }),
        'slack_user_unreachable',
        'Slack refused views.publish for UNOPE: user_not_found — ',
      ],
    ])('maps %s', async (_name, run, code, message) => {
      const error = await failure(run(gatewayFor()));
      expect(error.code).toBe(code);
      expect(error.message.startsWith(message)).toBe(true);
      expect(error.hint).toEqual(expect.any(String));
    });

    it('says how to fix not_in_channel', async () => {
      const error = await failure(gatewayFor().postMessage('COUT', nudge));
      expect(error.hint).toContain('/invite');
    });

    it('maps over-limit blocks to slack_invalid_message with what Slack said', async () => {
      const tooLong: SlackMessage = { text: 'x', blocks: [section('x'.repeat(3001))] };
      const error = await failure(gatewayFor().postMessage('CSEC', tooLong));
      expect(error.code).toBe('slack_invalid_message');
      expect(error.message).toContain('chat.postMessage');
      expect(error.message).toContain('invalid_blocks');
      expect(error.message).toContain('[json-pointer:/blocks/0/text/text]');
      expect(slack.posted).toEqual([]);
    });

    it('maps 51 blocks on chat.update to slack_invalid_message', async () => {
      const gateway = gatewayFor();
      const { ts } = await gateway.postMessage('CSEC', nudge);
      const error = await failure(
        gateway.updateMessage('CSEC', ts, {
          text: 'x',
          blocks: Array.from({ length: 51 }, (): Block => ({ type: 'divider' })),
        }),
      );
      expect(error.code).toBe('slack_invalid_message');
      expect(error.message).toContain('at most 50 blocks');
    });

    it('maps a 101-block Home to slack_invalid_message with what Slack said', async () => {
      const home: HomeView = { type: 'home', blocks: Array.from({ length: 101 }, (): Block => ({ type: 'divider' })) };
      const error = await failure(gatewayFor().publishHome('UALICE', home));
      expect(error.code).toBe('slack_invalid_message');
      expect(error.message).toContain('Slack refused views.publish for UALICE: invalid_arguments');
      expect(error.message).toContain('at most 100 blocks, got 101 [json-pointer:/view/blocks]');
      expect(slack.homeViews).toEqual([]);
    });

    it('maps a wrong token to slack_auth, without echoing either token', async () => {
      const error = await failure(gatewayFor(NO_RETRY, slack.url, 'xoxb-wrong-token').identify());
      expect(error.code).toBe('slack_auth');
      expect(error.message).toBe('Slack refused auth.test: invalid_auth — Slack did not accept the bot token.');
      expect(error.hint).toContain('SLACK_BOT_TOKEN');
      expect(`${error.message} ${error.hint ?? ''}`).not.toContain('xoxb-wrong-token');
    });

    it.each<[string, string, (g: SlackGateway) => Promise<unknown>, AppErrorCode]>([
      ['auth.test', 'token_revoked', (g) => g.identify(), 'slack_auth'],
      ['auth.test', 'account_inactive', (g) => g.identify(), 'slack_auth'],
      ['conversations.info', 'missing_scope', (g) => g.channelAccess('CSEC'), 'slack_auth'],
      ['users.lookupByEmail', 'missing_scope', (g) => g.findUserByEmail('alice@example.com'), 'slack_auth'],
      ['users.lookupByEmail', 'ratelimited', (g) => g.findUserByEmail('alice@example.com'), 'slack_rate_limited'],
      ['users.info', 'user_not_visible', (g) => g.findUserById('UALICE'), 'slack_user_unreachable'],
      ['conversations.open', 'internal_error', (g) => g.openDm('UALICE'), 'slack_request_failed'],
      ['chat.postMessage', 'msg_too_long', (g) => g.postMessage('CSEC', nudge), 'slack_invalid_message'],
      ['chat.postMessage', 'restricted_action', (g) => g.postMessage('CSEC', nudge), 'slack_error'],
      ['chat.update', 'cant_update_message', (g) => g.updateMessage('CSEC', '1.1', nudge), 'slack_error'],
      ['views.publish', 'not_enabled', (g) => g.publishHome('UALICE', { type: 'home', blocks: [] }), 'slack_error'],
      ['views.publish', 'missing_scope', (g) => g.publishHome('UALICE', { type: 'home', blocks: [] }), 'slack_auth'],
      ['views.publish', 'view_too_large', (g) => g.publishHome('UALICE', { type: 'home', blocks: [] }), 'slack_error'],
      ['chat.getPermalink', 'ratelimited', (g) => g.permalink('CSEC', '1.1'), 'slack_rate_limited'],
    ])('maps %s → %s to %s', async (method, slackCode, run, code) => {
      slack.failNext(method, slackCode);
      const error = await failure(run(gatewayFor()));
      expect(error.code).toBe(code);
      expect(error.message).toContain(method);
      expect(error.message).toContain(slackCode);
    });
  });

  describe('modals', () => {
    const view = (text: string): ModalView => ({
      type: 'modal',
      title: { type: 'plain_text', text: 'AWS CLI steps' },
      close: { type: 'plain_text', text: 'Close' },
      blocks: [section(text)],
    });

    it('opens a modal with the trigger_id, answers its view id, and updates it', async () => {
      const gateway = gatewayFor();
      const triggerId = slack.triggerId();
      const viewId = await gateway.openView(triggerId, view('Loading…'));
      await gateway.updateView(viewId, view('The steps'));
      expect(slack.callsTo('views.open')[0]?.params).toMatchObject({ trigger_id: triggerId });
      expect(slack.modals.map((m) => m.id)).toEqual([viewId]);
      expect(slack.modals[0]?.view['blocks']).toEqual([section('The steps')]);
    });

    it.each(['expired_trigger_id', 'exchanged_trigger_id', 'invalid_trigger_id'])(
      'tells a person to click again after %s',
      async (code) => {
        slack.failNext('views.open', code);
        const error = await failure(gatewayFor().openView(slack.triggerId(), view('x')));
        expect(error.code).toBe('slack_error');
        expect(error.message).toContain(code);
        expect(error.hint).toBe('Click the button again.');
      },
    );

    it('refuses a trigger_id the fake aged past 3 seconds', async () => {
      const triggerId = slack.triggerId();
      slack.advance(3001);
      const error = await failure(gatewayFor().openView(triggerId, view('x')));
      expect(error.message).toContain('expired_trigger_id');
    });
  });

  describe('transport failures and retries', () => {
    it('retries a 429 after waiting out its Retry-After, and then succeeds', async () => {
      slack.rateLimitNext('chat.postMessage', 7);
      const { gateway, waits } = limitedGateway({ retries: 1, maxRetryAfterSeconds: 60 });
      await expect(gateway.postMessage('CSEC', nudge)).resolves.toMatchObject({ channel: 'CSEC' });
      expect(waits).toEqual([7000]);
      expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
      expect(slack.posted).toHaveLength(1);
    });

    it('waits with a real timer unless told otherwise', async () => {
      slack.rateLimitNext('auth.test', 0);
      await expect(gatewayFor(NO_RETRY, slack.url, TOKEN, {}).identify()).resolves.toMatchObject({ teamId: 'TTEAM' });
      expect(slack.callsTo('auth.test')).toHaveLength(2);
    });

    it('ends a 429 as slack_rate_limited when no retries are left', async () => {
      slack.rateLimitNext('chat.postMessage', 0);
      const error = await failure(gatewayFor().postMessage('CSEC', nudge));
      expect(error.code).toBe('slack_rate_limited');
      expect(error.message).toBe(
        'Slack kept rate-limiting chat.postMessage for CSEC (HTTP 429, Retry-After 0 s) after all retries.',
      );
      expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
      expect(slack.posted).toEqual([]);
    });

    describe('the policy for answers to people: at most 2 retries, each after a Retry-After of at most 10 s', () => {
      it('retries twice, then gives up', async () => {
        slack.rateLimitNext('chat.update', 10, 3);
        const { gateway, waits } = limitedGateway(INTERACTION_RATE_LIMITS);
        const error = await failure(gateway.updateMessage('CSEC', '1.1', nudge));
        expect(error.code).toBe('slack_rate_limited');
        expect(waits).toEqual([10_000, 10_000]);
        expect(slack.callsTo('chat.update')).toHaveLength(3);
      });

      it('answers at once, without waiting, when Slack asks for more than 10 s', async () => {
        slack.rateLimitNext('chat.postMessage', 11);
        const { gateway, waits } = limitedGateway(INTERACTION_RATE_LIMITS);
        const error = await failure(gateway.postMessage('CSEC', nudge));
        expect(error.code).toBe('slack_rate_limited');
        expect(error.message).toBe(
          'Slack rate-limited chat.postMessage and asked to wait 11 s, longer than mfa-guard keeps a person waiting (10 s).',
        );
        expect(waits).toEqual([]);
        expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
      });

      it('is what the scan does not do: the scan waits out a minute', async () => {
        slack.rateLimitNext('chat.postMessage', 60);
        const { gateway, waits } = limitedGateway(SCAN_RATE_LIMITS);
        await expect(gateway.postMessage('CSEC', nudge)).resolves.toMatchObject({ channel: 'CSEC' });
        expect(waits).toEqual([60_000]);
        expect(INTERACTION_RETRY_POLICY.retries).toBe(2);
      });
    });

    it('fails loudly when chat.getPermalink answers without a permalink', async () => {
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, channel: 'CSEC' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address: AddressInfo | string | null = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      try {
        const error = await failure(
          gatewayFor(NO_RETRY, `http://127.0.0.1:${address.port}/api/`).permalink('CSEC', '1.1'),
        );
        expect(error.code).toBe('slack_error');
        expect(error.message).toBe('Slack returned an unexpected answer to chat.getPermalink: no permalink.');
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('maps an HTTP 500 to slack_request_failed', async () => {
      slack.httpErrorNext('auth.test', 500);
      const error = await failure(gatewayFor().identify());
      expect(error.code).toBe('slack_request_failed');
      expect(error.message).toBe(
        'mfa-guard could not complete auth.test: Slack answered HTTP 500 Internal Server Error.',
      );
    });

    it('retries an HTTP 503 within the retry policy', async () => {
      slack.httpErrorNext('auth.test', 503);
      await expect(gatewayFor({ retries: 1, minTimeout: 10, maxTimeout: 10 }).identify()).resolves.toMatchObject({
        botUserId: 'UBOT',
      });
      expect(slack.callsTo('auth.test')).toHaveLength(2);
    });

    it('points a 404 (SLACK_API_URL without its path) at SLACK_API_URL', async () => {
      const error = await failure(gatewayFor(NO_RETRY, new URL('/', slack.url).toString()).identify());
      expect(error.code).toBe('slack_request_failed');
      expect(error.message).toContain('HTTP 404');
      expect(error.hint).toContain('SLACK_API_URL');
      expect(slack.calls).toEqual([]);
    });

    it('maps a refused connection to slack_request_failed', async () => {
      const closed = await startFakeSlack();
      await closed.close();
      const error = await failure(gatewayFor(NO_RETRY, closed.url).identify());
      expect(error.code).toBe('slack_request_failed');
      expect(error.message).toMatch(/^mfa-guard could not complete auth\.test: the request failed \(/);
    });

    it('maps a request that hangs past the timeout to slack_request_failed', async () => {
      const hanging = createServer(() => {
        // never answers
      });
      await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
      const address: AddressInfo | string | null = hanging.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      try {
        const client = new WebClient(
          TOKEN,
          slackClientOptions({
            apiUrl: `http://127.0.0.1:${address.port}/api/`,
            retryConfig: NO_RETRY,
            logger: recordingLogger,
            timeoutMs: 100,
          }),
        );
        const error = await failure(createSlackGateway(client).identify());
        expect(error.code).toBe('slack_request_failed');
        expect(error.message).toBe('mfa-guard could not complete auth.test: the request timed out.');
      } finally {
        hanging.closeAllConnections();
        await new Promise<void>((resolve) => hanging.close(() => resolve()));
      }
    });

    it('keeps a method given as an absolute URL inside SLACK_API_URL', async () => {
      const client = new WebClient(
        TOKEN,
        slackClientOptions({ apiUrl: slack.url, retryConfig: NO_RETRY, logger: recordingLogger }),
      );
      await expect(client.apiCall('http://127.0.0.1:9/steal')).rejects.toMatchObject({
        data: { error: 'unknown_method' },
      });
      expect(slack.calls).toHaveLength(1);
    });

    it('never shows the token even when Slack echoes it back', async () => {
      slack.failNext('auth.test', `bad_token_${TOKEN}`);
      const error = await failure(gatewayFor().identify());
      expect(error.code).toBe('slack_error');
      expect(error.message).toContain('[redacted token]');
      expect(error.message).not.toContain(TOKEN);
    });
  });
});
