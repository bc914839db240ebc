/**
 * The composition root: builds the object graph over one set of stores. Pure wiring: it opens
 * nothing, starts nothing and reads no environment, so tests and the demo hand in what they like.
 * Opening the database and running the bot are src/cli/scanner.ts's and src/bot/bot.ts's.
 */
import { createAwsClients, createAwsIamGateway } from './adapters/aws/iam-gateway';
import { loadOwnersFile } from './adapters/owners-file';
import type { BotConfig } from './config/bot-config';
import type { ScanConfig } from './config/scan-config';
import { EMPTY_OWNERS_FILE, type OwnersFile } from './domain/owners';
import type { AccountRef } from './domain/types';
import { describeError } from './errors';
import type { Clock } from './ports/clock';
import type { IamGateway } from './ports/iam';
import type { Logger } from './ports/logging';
import type { SlackGateway } from './ports/slack';
import type { Stores } from './ports/stores';
import { publishAppHome } from './services/app-home';
import { approveRemoval, denyRemoval, tidyRemovals } from './services/decide-removal';
import { createInFlight, type InFlight } from './services/in-flight';
import type { InteractionSettings } from './services/interaction-settings';
import type { NotifySettings } from './services/notify-scan';
import { recheck } from './services/recheck';
import { requestRemoval } from './services/request-removal';
import { runScan, type RunScanResult, type RunScanSettings } from './services/run-scan';
import { createRunningRemovals } from './services/running-removals';
import { createScanCycle, type ScanCycle } from './services/scan-cycle';
import { answerStatusCommand } from './services/status-command';
import { buildNotice } from './slack/blocks/notice-message';
import type { InteractionServices } from './slack/handlers/interaction-services';

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

export const notifySettingsFromConfig = (config: BotConfig): NotifySettings => ({
  securityChannel: config.securityChannel,
  nudgeIntervalHours: config.nudgeIntervalHours,
  escalateAfterDays: config.escalateAfterDays,
  summaryWhen: config.summaryWhen,
  removalEnabled: config.removalEnabled,
});

export const interactionSettingsFromConfig = (config: BotConfig): InteractionSettings => ({
  policy: {
    gracePeriodHours: config.scan.gracePeriodHours,
    exemptTagKey: config.scan.exemptTagKey,
    ownerTagKeys: config.scan.ownerTagKeys,
  },
  approvers: config.approvers,
  securityChannel: config.securityChannel,
  approvalChannel: config.approvalChannel,
  removalEnabled: config.removalEnabled,
  allowSelfApproval: config.allowSelfApproval,
  removalRequestTtlHours: config.removalRequestTtlHours,
});

/** What every part of the graph is built from, besides the stores. */
export interface AppParts {
  readonly iam: IamGateway;
  readonly ownersFile: OwnersFile;
  readonly clock: Clock;
  readonly logger: Logger;
  /** This process, e.g. `bot:<host>:<pid>:<random>`: it holds the scan lease and its removal claims. */
  readonly holder: string;
}

/** A full scan (lease, scan, save) over the stores; what both the CLI and the bot run. */
export const createScan = (
  stores: Stores,
  parts: AppParts,
  settings: RunScanSettings,
): (() => Promise<RunScanResult>) => {
  const deps = { ...parts, scans: stores.scans, findings: stores.findings, lease: stores.lease };
  return () => runScan(deps, settings);
};

/** Scan, nudges and summary over the stores; the bot and the demo both run exactly this. */
export const createScanCycleOver = (
  stores: Stores,
  parts: AppParts & { readonly slack: SlackGateway },
  settings: { readonly scan: RunScanSettings; readonly notify: NotifySettings },
): ScanCycle =>
  createScanCycle({
    scan: createScan(stores, parts, settings.scan),
    notify: {
      slack: parts.slack,
      notifications: stores.notifications,
      findings: stores.findings,
      scans: stores.scans,
      clock: parts.clock,
      logger: parts.logger,
    },
    settings: settings.notify,
    logger: parts.logger,
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

export interface Interactions {
  readonly services: InteractionServices;
  /**
   * Settles overdue and cut-off removal requests (at start-up and before every scheduled scan, so
   * their messages and requesters hear of it between clicks too). Never throws.
   */
  tidy(): Promise<void>;
  /** What people started and is still running, for a clean shutdown. */
  readonly inFlight: InFlight;
}

/** The answers to people (command, buttons, App Home) over the stores. */
export const createInteractions = (
  stores: Stores,
  parts: AppParts & { readonly slack: SlackGateway },
  settings: InteractionSettings,
  cycle: Pick<ScanCycle, 'run' | 'isRunning'>,
): Interactions => {
  const { scans, findings, notifications, removals, audit } = stores;
  const common = { ...parts, account: accountOnce(parts.iam), scans, findings, audit };
  const running = createRunningRemovals({ removals, clock: parts.clock, logger: parts.logger, holder: parts.holder });
  const removalDeps = { ...common, removals, running };
  const inFlight = createInFlight();
  const services: InteractionServices = {
    status: (userId, text) => inFlight.track(() => answerStatusCommand(common, settings, cycle, { userId, text })),
    recheck: (click) => inFlight.track(() => recheck({ ...common, notifications }, settings, click)),
    requestRemoval: (click) => inFlight.track(() => requestRemoval(removalDeps, settings, click)),
    approveRemoval: (click) => inFlight.track(() => approveRemoval(removalDeps, settings, click)),
    denyRemoval: (click) => inFlight.track(() => denyRemoval(removalDeps, settings, click)),
    publishHome: (userId) => inFlight.track(() => publishAppHome({ ...common, removals }, settings, userId)),
    failureReply: (error) => buildNotice({ kind: 'error', error: describeError(error) }),
  };
  const tidy = async (): Promise<void> => {
    try {
      await tidyRemovals(removalDeps);
    } catch (error) {
      parts.logger.error('could not settle overdue or interrupted removal requests', { error: describeError(error) });
    }
  };
  return { services, tidy: () => inFlight.track(tidy), inFlight };
};

/** The bot's whole object graph over one set of stores. */
export interface BotGraph {
  readonly cycle: ScanCycle;
  readonly interactions: Interactions;
}

export const wireBot = (
  stores: Stores,
  parts: AppParts & { readonly slack: SlackGateway },
  config: BotConfig,
): BotGraph => {
  const cycle = createScanCycleOver(stores, parts, {
    scan: scanSettingsFromConfig(config.scan),
    notify: notifySettingsFromConfig(config),
  });
  return { cycle, interactions: createInteractions(stores, parts, interactionSettingsFromConfig(config), cycle) };
};
