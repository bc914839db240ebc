/**
 * The bot's lifecycle: stopped → starting → running → stopping → stopped, one explicit state.
 * Wiring is src/app.ts's; this module opens the database, connects to Slack, runs the schedule and
 * shuts all of it down in order.
 */
import { type RetryOptions, WebClient } from '@slack/web-api';
import type Database from 'better-sqlite3';

import { createCronSchedule } from '../adapters/cron-schedule';
import {
  INTERACTION_RATE_LIMITS,
  INTERACTION_RETRY_POLICY,
  SCAN_RATE_LIMITS,
  slackClientOptions,
} from '../adapters/slack/client-options';
import { toSlackLogger } from '../adapters/slack/slack-logger';
import { createSlackGateway } from '../adapters/slack/web-api-gateway';
import { openDatabase } from '../adapters/sqlite/database';
import { createSqliteStores } from '../adapters/sqlite/sqlite-stores';
import { type AppParts, type BotGraph, installationOnce, wireBot } from '../app';
import type { BotConfig } from '../config/bot-config';
import type { BotIdentity, ChannelAccess } from '../domain/slack-records';
import { AppError } from '../errors';
import type { Schedule } from '../ports/clock';
import type { SlackGateway } from '../ports/slack';
import type { Stores } from '../ports/stores';
import type { CycleOutcome, CycleTrigger } from '../services/scan-cycle';
import { type RunningBoltApp, startBoltApp } from '../slack/bolt-app';
import { registerHandlers } from '../slack/handlers/register-handlers';
import { type HealthReport, lastScanHealth } from '../slack/health-route';

/** Which of the bot's two Slack clients a call goes through. */
export type SlackClientRole = 'scan' | 'interactions';

export interface BotParts extends AppParts {
  readonly config: BotConfig;
  /** Tests shorten Slack's retries; production uses the policy sized for a scan. */
  readonly slackRetryConfig?: RetryOptions;
  /** How each client waits out a 429's Retry-After (a timer); tests hold the scan's to see clicks go on. */
  readonly slackRateLimitWait?: (ms: number, client: SlackClientRole) => Promise<void>;
  /** Tests listen on port 0; production on config.port. */
  readonly listenPort?: number;
  /** The address to listen on (HTTP mode); every interface unless given (the playground: 127.0.0.1). */
  readonly listenHost?: string;
  /**
   * What runs the scheduled work (`run`: settle overdue removals, then scan); cron on
   * config.schedule unless given (the playground runs it when a person asks).
   */
  readonly schedule?: (run: () => Promise<void>) => Schedule;
  /** Where each audit entry goes as one JSON line (stdout in production). */
  readonly auditLine: (line: string) => void;
}

export interface Bot {
  /** Checks Slack access, starts listening and the schedule. Throws an AppError the operator can act on. */
  start(): Promise<{ readonly port: number }>;
  /** Stops the schedule, stops listening, waits (bounded) for clicks and a running scan, closes the database. */
  stop(): Promise<void>;
  /** One scan with its DMs and summary, as the schedule runs it; only while the bot runs. */
  runScanCycle(trigger: CycleTrigger): Promise<CycleOutcome>;
  health(): Promise<HealthReport>;
}

/** What an open database carries: its stores and the object graph over them. */
interface Opened {
  readonly db: Database.Database;
  readonly stores: Stores;
  readonly graph: BotGraph;
}

type BotState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting'; readonly opened: Opened; readonly started: Promise<unknown> }
  | { readonly kind: 'running'; readonly opened: Opened; readonly bolt: RunningBoltApp; readonly schedule: Schedule }
  | { readonly kind: 'stopping'; readonly stopped: Promise<void> };

const notInChannel = (
  channelId: string,
  access: Exclude<ChannelAccess, { kind: 'ok' }>,
  botName: string,
  setting: 'SECURITY_CHANNEL' | 'APPROVAL_CHANNEL' = 'SECURITY_CHANNEL',
): AppError => {
  const invite = `Invite the bot with /invite @${botName} in that channel, then start mfa-guard again.`;
  const purpose = setting === 'SECURITY_CHANNEL' ? 'the scan summaries' : 'removal requests for approval';
  switch (access.kind) {
    case 'not_member':
      return new AppError(
        'slack_not_in_channel',
        `The bot is not a member of #${access.name} (${channelId}), so it cannot post ${purpose} there.`,
        { hint: invite },
      );
    case 'archived':
      return new AppError(
        'slack_channel_not_found',
        `The channel #${access.name} (${channelId}) is archived, so the bot cannot post there.`,
        {
          hint: `Unarchive it or set ${setting} to another channel ID.`,
        },
      );
    case 'not_found':
      return new AppError('slack_channel_not_found', `Slack knows no channel ${channelId} that the bot can see.`, {
        hint: `Check ${setting} (a channel ID from the channel's details). For a private channel, ${invite.charAt(0).toLowerCase()}${invite.slice(1)}`,
      });
  }
};

/** The channels the bot must be able to post to, checked before it listens. */
const checkChannels = async (
  slack: SlackGateway,
  installation: () => Promise<BotIdentity>,
  config: BotConfig,
): Promise<BotIdentity> => {
  const identity = await installation();
  const access = await slack.channelAccess(config.securityChannel);
  if (access.kind !== 'ok') throw notInChannel(config.securityChannel, access, identity.botName);
  if (config.removalEnabled && config.approvalChannel !== config.securityChannel) {
    const approval = await slack.channelAccess(config.approvalChannel);
    if (approval.kind !== 'ok')
      throw notInChannel(config.approvalChannel, approval, identity.botName, 'APPROVAL_CHANNEL');
  }
  return identity;
};

const notRunning = (state: BotState['kind']): AppError =>
  new AppError('bot_not_running', `The bot is ${state}, so it cannot scan now.`, { hint: 'Start the bot first.' });

export const createBot = (parts: BotParts): Bot => {
  const { config, logger } = parts;
  const waitFor = (client: SlackClientRole) => {
    const wait = parts.slackRateLimitWait;
    return wait === undefined ? {} : { wait: (ms: number) => wait(ms, client) };
  };
  const scanOptions = slackClientOptions({
    apiUrl: config.slack.apiUrl,
    logger,
    ...(parts.slackRetryConfig === undefined ? {} : { retryConfig: parts.slackRetryConfig }),
  });
  const slack = createSlackGateway(new WebClient(config.slack.botToken, scanOptions), {
    rateLimits: SCAN_RATE_LIMITS,
    ...waitFor('scan'),
  });
  // The answers to people get their own client and a short policy: a scan may sit out a minute's
  // Retry-After, a person who clicked must not wait behind it (nor wait a minute themselves).
  const interactionOptions = slackClientOptions({
    apiUrl: config.slack.apiUrl,
    logger,
    retryConfig: parts.slackRetryConfig ?? INTERACTION_RETRY_POLICY,
  });
  const interactionSlack = createSlackGateway(new WebClient(config.slack.botToken, interactionOptions), {
    rateLimits: INTERACTION_RATE_LIMITS,
    ...waitFor('interactions'),
  });
  // auth.test once, at start-up: the requests that come later check their organization against it
  // without waiting for it.
  const installation = installationOnce(slack);
  let state: BotState = { kind: 'stopped' };

  const open = (): Opened => {
    const db = openDatabase(config.scan.databasePath);
    const stores = createSqliteStores(db, parts.auditLine);
    return { db, stores, graph: wireBot(stores, { ...parts, slack, interactionSlack, installation }, config) };
  };

  const health = async (): Promise<HealthReport> => {
    const current = state;
    const opened = current.kind === 'running' || current.kind === 'starting' ? current.opened : null;
    const scans = opened?.stores.scans ?? null;
    const run = scans === null ? null : await scans.lastRun();
    const scan = scans === null || run !== null ? null : await scans.lastScan();
    return {
      status: 'ok',
      scanning: opened?.graph.cycle.isRunning() ?? false,
      lastScan: lastScanHealth(run, scan),
      nextScheduledRun: current.kind === 'running' ? (current.schedule.nextRun()?.toISOString() ?? null) : null,
    };
  };

  const listen = async (opened: Opened): Promise<RunningBoltApp> => {
    const identity = await checkChannels(slack, installation, config);
    return startBoltApp({
      botToken: config.slack.botToken,
      connection: config.slack,
      port: parts.listenPort ?? config.port,
      ...(parts.listenHost === undefined ? {} : { host: parts.listenHost }),
      identity,
      // Bolt's own client, which in Socket Mode also (re)opens the connection, keeps the
      // library's retries: Socket Mode retries apps.connections.open 100 times by default, and
      // a reconnect that runs out of retries rejects where nobody catches it.
      clientOptions: slackClientOptions({ apiUrl: config.slack.apiUrl, logger, retryConfig: null }),
      logger: toSlackLogger(logger),
      health,
      register: (app) => registerHandlers(app, opened.graph.interactions.services, logger, parts.clock),
    });
  };

  const start = async (): Promise<{ readonly port: number }> => {
    if (state.kind !== 'stopped')
      throw new AppError('bot_not_running', `The bot is ${state.kind}; it can only start when stopped.`);
    const opened = open();
    const listening = listen(opened);
    state = { kind: 'starting', opened, started: listening.catch(() => undefined) };
    let bolt: RunningBoltApp;
    try {
      bolt = await listening;
    } catch (error) {
      opened.db.close();
      state = { kind: 'stopped' };
      throw error;
    }
    const { cycle, interactions } = opened.graph;
    const run = async (): Promise<void> => {
      await interactions.tidy();
      await cycle.run('schedule');
    };
    const schedule =
      parts.schedule?.(run) ??
      createCronSchedule({
        expression: config.schedule.expression,
        timezone: config.schedule.timezone,
        logger,
        run,
      });
    schedule.start();
    state = { kind: 'running', opened, bolt, schedule };
    logger.info('mfa-guard is running', {
      mode: config.slack.mode,
      port: bolt.port,
      schedule: config.schedule.expression,
      timezone: config.schedule.timezone,
      nextRun: schedule.nextRun()?.toISOString() ?? null,
    });
    void interactions.tidy();
    if (config.scanOnStart) void cycle.run('start');
    return { port: bolt.port };
  };

  const shutDown = async (running: Extract<BotState, { kind: 'running' }>): Promise<void> => {
    const { opened, bolt, schedule } = running;
    const { cycle, interactions } = opened.graph;
    try {
      schedule.stop();
      // No new requests first, so nothing starts (a removal, a Slack-started scan) while we wait.
      await bolt.stop();
      // Clicks already acknowledged may still be working (a removal between its claim and its outcome).
      if (interactions.inFlight.count() > 0) {
        logger.info('waiting for requests from Slack to finish before stopping', {
          inFlight: interactions.inFlight.count(),
          timeoutMs: config.shutdownTimeoutMs,
        });
      }
      if (!(await interactions.inFlight.waitForIdle(config.shutdownTimeoutMs))) {
        logger.warn('requests from Slack were still being handled at shutdown; they stop without finishing', {
          inFlight: interactions.inFlight.count(),
        });
      }
      // Refusals held for their `refused ×N` entry are written before the database closes.
      await interactions.flushAudit();
      if (!(await cycle.waitForIdle(config.shutdownTimeoutMs))) {
        logger.warn('a scan was still running at shutdown; it stops without finishing', {
          waitedMs: config.shutdownTimeoutMs,
        });
        // The scan cannot write once the database closes, so its lease would only keep the next
        // start (a new holder name) from scanning until the lease expires.
        await opened.stores.lease.release(parts.holder);
      }
    } finally {
      opened.db.close();
      state = { kind: 'stopped' };
    }
  };

  const stop = async (): Promise<void> => {
    const current = state;
    switch (current.kind) {
      case 'stopped':
        return;
      case 'stopping':
        return current.stopped;
      case 'starting':
        // Start settles first (listening or failed), so nothing is left half open.
        await current.started;
        return stop();
      case 'running': {
        const stopped = shutDown(current);
        state = { kind: 'stopping', stopped };
        return stopped;
      }
    }
  };

  return {
    start,
    stop,
    runScanCycle: async (trigger) => {
      const current = state;
      if (current.kind !== 'running') throw notRunning(current.kind);
      return current.opened.graph.cycle.run(trigger);
    },
    health,
  };
};
