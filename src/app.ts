/**
 * Wires adapters to services. Importing this module does nothing; every function takes what it
 * needs, so tests and the demo can hand in fakes.
 */
import type Database from 'better-sqlite3';
import { WebClient, type RetryOptions } from '@slack/web-api';
import { createCronSchedule } from './adapters/cron-schedule';
import { slackClientOptions } from './adapters/slack/client-options';
import { toSlackLogger } from './adapters/slack/slack-logger';
import { createSlackGateway } from './adapters/slack/web-api-gateway';
import { createNotificationStore } from './adapters/sqlite/notification-store';
import type { BotConfig } from './config/bot-config';
import { AppError } from './errors';
import { createScanCycle, type CycleOutcome, type CycleTrigger, type ScanCycle } from './services/scan-cycle';
import { startBoltApp, type RunningBoltApp, type SlackConnection } from './slack/bolt-app';
import type { HealthReport } from './slack/health-route';
import { createAwsClients, createAwsIamGateway } from './adapters/aws/iam-gateway';
import { loadOwnersFile } from './adapters/owners-file';
import { openDatabase, openDatabaseSnapshot } from './adapters/sqlite/database';
import { createScanLease } from './adapters/sqlite/scan-lease';
import { createScanStore } from './adapters/sqlite/scan-store';
import type { ScanConfig } from './config/scan-config';
import { EMPTY_OWNERS_FILE, type OwnersFile } from './domain/owners';
import type { ChannelAccess, Clock, IamGateway, Logger, Schedule, ScanStore, SlackGateway } from './ports';
import type { NotifySettings } from './services/notify-scan';
import { createAuditLog } from './adapters/sqlite/audit-log';
import { createFindingStore } from './adapters/sqlite/finding-store';
import { createRemovalStore } from './adapters/sqlite/removal-store';
import type { AccountRef } from './domain/types';
import { describeError } from './errors';
import { answerStatusCommand } from './services/status-command';
import { approveRemoval, denyRemoval, tidyRemovals } from './services/decide-removal';
import { publishAppHome } from './services/app-home';
import type { InteractionDeps, InteractionSettings } from './services/interaction-deps';
import { createInFlight, type InFlight } from './services/in-flight';
import { recheck } from './services/recheck';
import { requestRemoval } from './services/request-removal';
import { buildNotice } from './slack/blocks/notice-message';
import type { InteractionServices } from './slack/handlers/interaction-services';
import { registerHandlers } from './slack/handlers/register-handlers';
import { runScan, type RunScanDeps, type RunScanResult, type RunScanSettings } from './services/run-scan';

export const createIamFromConfig = (config: ScanConfig): IamGateway =>
  createAwsIamGateway(
    createAwsClients({
      region: config.aws.region,
      iamEndpoint: config.aws.iamEndpoint,
      stsEndpoint: config.aws.stsEndpoint,
      maxAttempts: config.aws.maxAttempts,
    }),
  );

export const loadOwnersFromConfig = (config: ScanConfig): OwnersFile =>
  config.ownersFilePath === undefined ? EMPTY_OWNERS_FILE : loadOwnersFile(config.ownersFilePath);

export const scanSettingsFromConfig = (config: ScanConfig): RunScanSettings => ({
  gracePeriodHours: config.gracePeriodHours,
  exemptTagKey: config.exemptTagKey,
  ownerTagKeys: config.ownerTagKeys,
  concurrency: config.concurrency,
  reportTimeoutMs: config.reportTimeoutMs,
  leaseTtlMs: config.leaseTtlMs,
});

export interface Scanner {
  scan(): Promise<RunScanResult>;
  close(): void;
}

export interface ScannerParts {
  readonly config: ScanConfig;
  readonly iam: IamGateway;
  readonly ownersFile: OwnersFile;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly holder: string;
  /** Scan against an in-memory copy of the database so that nothing is written to it. */
  readonly dryRun: boolean;
}

/** A full scan (lease, scan, save) over one open database; what both the CLI and the bot run. */
const scanOn = (
  db: Database.Database,
  parts: Pick<ScannerParts, 'iam' | 'ownersFile' | 'clock' | 'logger' | 'holder'> & { readonly scanConfig: ScanConfig },
): { scan: () => Promise<RunScanResult>; store: ScanStore } => {
  const store = createScanStore(db);
  const deps: RunScanDeps = {
    iam: parts.iam,
    store,
    lease: createScanLease(db),
    clock: parts.clock,
    logger: parts.logger,
    ownersFile: parts.ownersFile,
    holder: parts.holder,
  };
  const settings = scanSettingsFromConfig(parts.scanConfig);
  return { scan: () => runScan(deps, settings), store };
};

export const createScanner = (parts: ScannerParts): Scanner => {
  const db: Database.Database = parts.dryRun ? openDatabaseSnapshot(parts.config.databasePath) : openDatabase(parts.config.databasePath);
  const { scan } = scanOn(db, { ...parts, scanConfig: parts.config });
  return { scan, close: () => db.close() };
};

// ---------------------------------------------------------------------------------------------
// The Slack bot

export interface BotParts {
  readonly config: BotConfig;
  readonly iam: IamGateway;
  readonly ownersFile: OwnersFile;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly holder: string;
  /** Tests shorten Slack's retries; production uses the policy sized for a scan. */
  readonly slackRetryConfig?: RetryOptions;
  /** Tests listen on port 0; production on config.port. */
  readonly listenPort?: number;
  /** Where each audit entry goes as one JSON line (stdout in production). */
  readonly auditLine: (line: string) => void;
}

export interface Bot {
  /** Checks Slack access, starts listening and the schedule. Throws an AppError the operator can act on. */
  start(): Promise<{ readonly port: number }>;
  /** Stops the schedule, waits (bounded) for a running scan, stops listening, closes the database. */
  stop(): Promise<void>;
  /** One scan with its DMs and summary, as the schedule runs it. */
  runScanCycle(trigger: CycleTrigger): Promise<CycleOutcome>;
  health(): HealthReport;
}

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
      return new AppError('slack_not_in_channel', `The bot is not a member of #${access.name} (${channelId}), so it cannot post ${purpose} there.`, { hint: invite });
    case 'archived':
      return new AppError('slack_channel_not_found', `The channel #${access.name} (${channelId}) is archived, so the bot cannot post there.`, {
        hint: `Unarchive it or set ${setting} to another channel ID.`,
      });
    case 'not_found':
      return new AppError('slack_channel_not_found', `Slack knows no channel ${channelId} that the bot can see.`, {
        hint: `Check ${setting} (a channel ID from the channel's details). For a private channel, ${invite.charAt(0).toLowerCase()}${invite.slice(1)}`,
      });
  }
};

export const notifySettingsFromConfig = (config: BotConfig): NotifySettings => ({
  securityChannel: config.securityChannel,
  nudgeIntervalHours: config.nudgeIntervalHours,
  escalateAfterDays: config.escalateAfterDays,
  summaryWhen: config.summaryWhen,
  removalEnabled: config.removalEnabled,
});

export interface ScanCycleParts {
  readonly scanConfig: ScanConfig;
  readonly notify: NotifySettings;
  readonly iam: IamGateway;
  readonly slack: SlackGateway;
  readonly ownersFile: OwnersFile;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly holder: string;
}

/** Scan, nudges and summary over one open database; the bot and the demo both run exactly this. */
export const createScanCycleOn = (db: Database.Database, parts: ScanCycleParts): { cycle: ScanCycle; store: ScanStore } => {
  const { scan, store } = scanOn(db, parts);
  const cycle = createScanCycle({
    scan,
    notify: { slack: parts.slack, store: createNotificationStore(db), clock: parts.clock, logger: parts.logger },
    settings: parts.notify,
    logger: parts.logger,
  });
  return { cycle, store };
};

export const interactionSettingsFromConfig = (config: BotConfig): InteractionSettings => ({
  policy: { gracePeriodHours: config.scan.gracePeriodHours, exemptTagKey: config.scan.exemptTagKey, ownerTagKeys: config.scan.ownerTagKeys },
  approvers: config.approvers,
  securityChannel: config.securityChannel,
  approvalChannel: config.approvalChannel,
  removalEnabled: config.removalEnabled,
  allowSelfApproval: config.allowSelfApproval,
  removalRequestTtlHours: config.removalRequestTtlHours,
});

/** The AWS account behind the IAM credentials, asked once; a failure is not remembered. */
const accountOnce = (iam: IamGateway): (() => Promise<AccountRef>) => {
  let known: AccountRef | null = null;
  return async () => {
    if (known === null) {
      const identity = await iam.getCallerIdentity();
      known = { accountId: identity.accountId, partition: identity.partition };
    }
    return known;
  };
};

export interface InteractionParts {
  readonly iam: IamGateway;
  readonly slack: SlackGateway;
  readonly ownersFile: OwnersFile;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly auditLine: (line: string) => void;
}

export interface Interactions {
  readonly services: InteractionServices;
  readonly deps: InteractionDeps;
  /** What people started and is still running, for a clean shutdown. */
  readonly inFlight: InFlight;
}

/** The answers to people (command, buttons, App Home) over one open database. */
export const createInteractionServices = (
  db: Database.Database,
  parts: InteractionParts,
  settings: InteractionSettings,
  cycle: Pick<ScanCycle, 'run' | 'isRunning'>,
): Interactions => {
  const deps: InteractionDeps = {
    iam: parts.iam,
    slack: parts.slack,
    scans: createScanStore(db),
    findings: createFindingStore(db),
    notifications: createNotificationStore(db),
    removals: createRemovalStore(db),
    audit: createAuditLog(db, parts.auditLine),
    clock: parts.clock,
    logger: parts.logger,
    ownersFile: parts.ownersFile,
    account: accountOnce(parts.iam),
    executing: new Set(),
  };
  const inFlight = createInFlight();
  const services: InteractionServices = {
    status: (userId, text) => inFlight.track(() => answerStatusCommand(deps, settings, cycle, { userId, text })),
    recheck: (click) => inFlight.track(() => recheck(deps, settings, click)),
    requestRemoval: (click) => inFlight.track(() => requestRemoval(deps, settings, click)),
    approveRemoval: (click) => inFlight.track(() => approveRemoval(deps, settings, click)),
    denyRemoval: (click) => inFlight.track(() => denyRemoval(deps, settings, click)),
    publishHome: (userId) => inFlight.track(() => publishAppHome(deps, settings, userId)),
    failureReply: (error) => buildNotice({ kind: 'error', error: describeError(error) }),
  };
  return { services, deps, inFlight };
};

/** readBotConfig guarantees one of the two; this keeps a hand-built config from running unsigned. */
const slackConnection = (config: BotConfig): SlackConnection => {
  if (config.slack.mode === 'socket' && config.slack.appToken !== undefined) return { mode: 'socket', appToken: config.slack.appToken };
  if (config.slack.mode === 'http' && config.slack.signingSecret !== undefined) return { mode: 'http', signingSecret: config.slack.signingSecret };
  throw new AppError('config_invalid', 'Neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is set.', {
    hint: 'Set one of them; see .env.example.',
  });
};

export const createBot = (parts: BotParts): Bot => {
  const { config, clock, logger } = parts;
  const clientOptions = slackClientOptions({
    apiUrl: config.slack.apiUrl,
    logger,
    ...(parts.slackRetryConfig === undefined ? {} : { retryConfig: parts.slackRetryConfig }),
  });
  const slack = createSlackGateway(new WebClient(config.slack.botToken, clientOptions));
  let db: Database.Database | null = null;
  let running: RunningBoltApp | null = null;
  let schedule: Schedule | null = null;
  let cycle: ScanCycle | null = null;
  let store: ScanStore | null = null;
  let interactions: Interactions | null = null;

  interface State {
    readonly db: Database.Database;
    readonly cycle: ScanCycle;
    readonly store: ScanStore;
    readonly interactions: Interactions;
  }
  const openState = (): State => {
    if (db !== null && cycle !== null && store !== null && interactions !== null) return { db, cycle, store, interactions };
    const opened = openDatabase(config.scan.databasePath);
    const state = createScanCycleOn(opened, {
      scanConfig: config.scan,
      notify: notifySettingsFromConfig(config),
      iam: parts.iam,
      slack,
      ownersFile: parts.ownersFile,
      clock,
      logger,
      holder: parts.holder,
    });
    const built = createInteractionServices(
      opened,
      { iam: parts.iam, slack, ownersFile: parts.ownersFile, clock, logger, auditLine: parts.auditLine },
      interactionSettingsFromConfig(config),
      state.cycle,
    );
    db = opened;
    cycle = state.cycle;
    store = state.store;
    interactions = built;
    return { db: opened, cycle: state.cycle, store: state.store, interactions: built };
  };

  /** Overdue and cut-off removal requests are settled between clicks too, so their messages and requesters hear of it. */
  const tidy = async (deps: InteractionDeps): Promise<void> => {
    try {
      await tidyRemovals(deps);
    } catch (error) {
      logger.error('could not settle overdue or interrupted removal requests', { error: describeError(error) });
    }
  };

  const health = (): HealthReport => {
    const last = store?.lastScan() ?? null;
    return {
      status: 'ok',
      scanning: cycle?.isRunning() ?? false,
      lastScan: last === null ? null : { finishedAt: last.finishedAt.toISOString(), outcome: last.outcome, accountId: last.accountId },
      nextScheduledRun: schedule?.nextRun()?.toISOString() ?? null,
    };
  };

  const closeDb = (): void => {
    db?.close();
    db = null;
    cycle = null;
    store = null;
    interactions = null;
  };

  return {
    start: async () => {
      const state = openState();
      try {
        const identity = await slack.identify();
        const access = await slack.channelAccess(config.securityChannel);
        if (access.kind !== 'ok') throw notInChannel(config.securityChannel, access, identity.botName);
        if (config.removalEnabled && config.approvalChannel !== config.securityChannel) {
          const approval = await slack.channelAccess(config.approvalChannel);
          if (approval.kind !== 'ok') throw notInChannel(config.approvalChannel, approval, identity.botName, 'APPROVAL_CHANNEL');
        }
        running = await startBoltApp({
          botToken: config.slack.botToken,
          connection: slackConnection(config),
          port: parts.listenPort ?? config.port,
          identity,
          // Bolt's own client, which in Socket Mode also (re)opens the connection, keeps the
          // library's retries: Socket Mode retries apps.connections.open 100 times by default, and
          // a reconnect that runs out of retries rejects where nobody catches it.
          clientOptions: slackClientOptions({ apiUrl: config.slack.apiUrl, logger, retryConfig: null }),
          logger: toSlackLogger(logger),
          health,
          register: (app) => registerHandlers(app, state.interactions.services, logger),
        });
      } catch (error) {
        closeDb();
        throw error;
      }
      schedule = createCronSchedule({
        expression: config.schedule.expression,
        timezone: config.schedule.timezone,
        logger,
        run: async () => {
          await state.interactions.inFlight.track(() => tidy(state.interactions.deps));
          await state.cycle.run('schedule');
        },
      });
      schedule.start();
      logger.info('mfa-guard is running', {
        mode: config.slack.mode,
        port: running.port,
        schedule: config.schedule.expression,
        timezone: config.schedule.timezone,
        nextRun: schedule.nextRun()?.toISOString() ?? null,
      });
      void state.interactions.inFlight.track(() => tidy(state.interactions.deps));
      if (config.scanOnStart) void state.cycle.run('start');
      return { port: running.port };
    },
    stop: async () => {
      schedule?.stop();
      // No new requests first, so nothing starts (a removal, a Slack-started scan) while we wait.
      await running?.stop();
      running = null;
      // Clicks already acknowledged may still be working (a removal between its claim and its outcome).
      if (interactions !== null && !(await interactions.inFlight.waitForIdle(config.shutdownTimeoutMs))) {
        logger.warn('requests from Slack were still being handled at shutdown; they stop without finishing', {
          inFlight: interactions.inFlight.count(),
        });
      }
      if (cycle !== null && db !== null && !(await cycle.waitForIdle(config.shutdownTimeoutMs))) {
        logger.warn('a scan was still running at shutdown; it stops without finishing', { waitedMs: config.shutdownTimeoutMs });
        // The scan cannot write once the database closes, so its lease would only keep the next
        // start (a new holder name) from scanning until the lease expires.
        createScanLease(db).release(parts.holder);
      }
      closeDb();
    },
    runScanCycle: (trigger) => openState().cycle.run(trigger),
    health,
  };
};
