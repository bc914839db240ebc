/**
 * The composition root: builds the object graph over one set of stores. Pure wiring: it opens
 * nothing, starts nothing and reads no environment, so tests and the demo hand in what they like.
 * Opening the database and running the bot are src/cli/scanner.ts's and src/bot/bot.ts's.
 */
import { createAwsAccounts } from './adapters/aws/aws-accounts';
import { noOwnersFile } from './adapters/memory/fixed-owners-source';
import { openOwnersFileSource } from './adapters/owners-file';
import { rememberOnce } from './adapters/remember-once';
import type { BotConfig } from './config/bot-config';
import type { ScanConfig } from './config/scan-config';
import type { BotIdentity } from './domain/slack-records';
import { describeError } from './errors';
import type { AwsAccounts } from './ports/accounts';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logging';
import type { OwnersSource } from './ports/owners';
import type { SlackGateway } from './ports/slack';
import type { Stores } from './ports/stores';
import { publishAppHome } from './services/app-home';
import { approveRemoval, denyRemoval, tidyRemovals } from './services/decide-removal';
import { answerDmReply } from './services/dm-reply';
import { createDmReplyGate } from './services/dm-reply-gate';
import { createInFlight, type InFlight } from './services/in-flight';
import type { InteractionSettings } from './services/interaction-settings';
import { createLiveCheckLimiter } from './services/live-check-limiter';
import type { NotifySettings } from './services/notify-scan';
import { checkOrganization } from './services/organization-check';
import { watchOwners } from './services/owners-watch';
import { recheck } from './services/recheck';
import { createRefusalAudit } from './services/refusal-audit';
import { requestRemoval } from './services/request-removal';
import { runScan, type RunScanResult, type RunScanSettings } from './services/run-scan';
import { createRunningRemovals } from './services/running-removals';
import { createScanCycle, type ScanCycle } from './services/scan-cycle';
import { sendDm } from './services/send-dm';
import { showCliSteps } from './services/show-steps';
import { answerStatusCommand } from './services/status-command';
import { buildNotice } from './slack/blocks/notice-message';
import type { InteractionServices } from './slack/handlers/interaction-services';

/** The accounts the settings name (ambient, AWS_ACCOUNTS / _FILE or the organization), each with its own IAM. */
export const createAccountsFromConfig = (config: ScanConfig): AwsAccounts =>
  createAwsAccounts({
    accounts: config.accounts,
    externalId: config.externalId,
    region: config.aws.region,
    iamEndpoint: config.aws.iamEndpoint,
    stsEndpoint: config.aws.stsEndpoint,
    organizationsEndpoint: config.aws.organizationsEndpoint,
    maxAttempts: config.aws.maxAttempts,
  });

/** The owners file, read again whenever it changes; rejects when it is invalid at start-up. */
export const ownersSourceFromConfig = (config: ScanConfig): Promise<OwnersSource> =>
  config.ownersFilePath === undefined ? Promise.resolve(noOwnersFile) : openOwnersFileSource(config.ownersFilePath);

export const scanSettingsFromConfig = (config: ScanConfig): RunScanSettings => ({
  gracePeriodHours: config.gracePeriodHours,
  exemptTagKey: config.exemptTagKey,
  ownerTagKeys: config.ownerTagKeys,
  reopenWindowDays: config.findingReopenWindowDays,
  concurrency: config.concurrency,
  accountConcurrency: config.accountConcurrency,
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
  liveChecks: { perUserPerMinute: config.liveChecksPerUserPerMinute, perMinute: config.liveChecksPerMinute },
});

/** What every part of the graph is built from, besides the stores. */
export interface AppParts {
  /**
   * The accounts the bot covers and how each is reached: every IAM call goes through one of them
   * (`ambientAccount(iam)` for the ambient credentials' account alone).
   */
  readonly accounts: AwsAccounts;
  readonly owners: OwnersSource;
  readonly clock: Clock;
  readonly logger: Logger;
  /** This process, e.g. `bot:<host>:<pid>:<random>`: it holds the scan lease and its removal claims. */
  readonly holder: string;
  /**
   * The Slack installation (auth.test), remembered: the bot passes the one it checked at start-up,
   * so no request waits for it; without one, the Slack gateway is asked on first use.
   */
  readonly installation?: () => Promise<BotIdentity>;
}

/** The Slack installation the bot token belongs to (auth.test), asked once; a failure is not remembered. */
export const installationOnce = (slack: Pick<SlackGateway, 'identify'>): (() => Promise<BotIdentity>) =>
  rememberOnce(() => slack.identify());

/** A full scan (lease, scan, save) over the stores; what both the CLI and the bot run. */
export const createScan = (
  stores: Stores,
  parts: AppParts,
  settings: RunScanSettings,
): (() => Promise<RunScanResult>) => {
  const deps = {
    ...parts,
    accounts: parts.accounts,
    scans: stores.scans,
    findings: stores.findings,
    lease: stores.lease,
    audit: stores.audit,
  };
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
      installation: parts.installation ?? installationOnce(parts.slack),
      notifications: stores.notifications,
      findings: stores.findings,
      scans: stores.scans,
      clock: parts.clock,
      logger: parts.logger,
    },
    settings: settings.notify,
    logger: parts.logger,
  });

export interface Interactions {
  readonly services: InteractionServices;
  /**
   * Settles overdue and cut-off removal requests (at start-up and before every scheduled scan, so
   * their messages and requesters hear of it between clicks too). Never throws.
   */
  tidy(): Promise<void>;
  /** What people started and is still running, for a clean shutdown. */
  readonly inFlight: InFlight;
  /** Writes the refusals still held for their `refused ×N` entry (at shutdown). Never throws. */
  flushAudit(): Promise<void>;
}

/** The answers to people (command, buttons, App Home) over the stores. */
export const createInteractions = (
  stores: Stores,
  parts: AppParts & { readonly slack: SlackGateway },
  settings: InteractionSettings,
  cycle: Pick<ScanCycle, 'run' | 'isRunning'>,
): Interactions => {
  const { scans, findings, notifications, removals } = stores;
  // Per process: a person's repeated refusals become one audit entry a minute, and live checks
  // started from Slack are rate-limited.
  const audit = createRefusalAudit(stores.audit, parts.clock, parts.logger);
  const liveChecks = createLiveCheckLimiter(settings.liveChecks, parts.clock);
  // Per process too: the event_ids of the DM messages answered, and each person's cooldown.
  const dmGate = createDmReplyGate(parts.clock);
  const installation = parts.installation ?? installationOnce(parts.slack);
  const common = {
    ...parts,
    installation,
    // Every request acts in its user's own account, with that account's credentials.
    accounts: parts.accounts,
    scans,
    findings,
    audit,
    liveChecks,
  };
  const running = createRunningRemovals({ removals, clock: parts.clock, logger: parts.logger, holder: parts.holder });
  const removalDeps = { ...common, removals, running };
  const inFlight = createInFlight();
  // Every request first writes the refusal digests whose minute has closed.
  const track = <T>(work: () => Promise<T>): Promise<T> =>
    inFlight.track(async () => {
      await audit.flushDue();
      return work();
    });
  const services: InteractionServices = {
    admit: (origin, request) => track(() => checkOrganization(common, origin, request)),
    status: (userId, text) =>
      track(async () => {
        const reply = await answerStatusCommand(common, settings, cycle, { userId, text });
        const { followUp } = reply;
        // The scan and its DM go on after the answer: a shutdown waits for them too.
        return followUp === null ? reply : { ...reply, followUp: track(() => followUp) };
      }),
    recheck: (click) => track(() => recheck({ ...common, notifications }, settings, click)),
    requestRemoval: (click) => track(() => requestRemoval(removalDeps, settings, click)),
    approveRemoval: (click) => track(() => approveRemoval(removalDeps, settings, click)),
    denyRemoval: (click) => track(() => denyRemoval(removalDeps, settings, click)),
    publishHome: (userId) => track(() => publishAppHome({ ...common, removals }, settings, userId)),
    showSteps: (click) => track(() => showCliSteps(common, settings, click)),
    dmReply: (message) =>
      track(() => answerDmReply({ ...common, notifications, gate: dmGate }, settings, cycle, message)),
    sendDm: (userId, message) => track(async () => void (await sendDm(common, userId, message))),
    failureReply: (error) => buildNotice({ kind: 'error', error: describeError(error) }),
  };
  const tidy = async (): Promise<void> => {
    try {
      await tidyRemovals(removalDeps);
    } catch (error) {
      parts.logger.error('could not settle overdue or interrupted removal requests', { error: describeError(error) });
    }
  };
  return { services, tidy: () => track(tidy), inFlight, flushAudit: () => audit.flushAll() };
};

/** The bot's whole object graph over one set of stores. */
export interface BotGraph {
  readonly cycle: ScanCycle;
  readonly interactions: Interactions;
}

/**
 * `slack` is the scan's; `interactionSlack`, when given, answers people over its own client, so a
 * click is never queued behind a scan waiting out Slack's rate limit.
 */
export const wireBot = (
  stores: Stores,
  parts: AppParts & { readonly slack: SlackGateway; readonly interactionSlack?: SlackGateway },
  config: BotConfig,
): BotGraph => {
  // One watch for the scans and the clicks, so each bad content of the file is posted once.
  const owners = watchOwners(parts.owners, {
    logger: parts.logger,
    post: { slack: parts.slack, channel: config.securityChannel },
  });
  // One remembered installation for the scans and the answers to people.
  const watched = { ...parts, owners, installation: parts.installation ?? installationOnce(parts.slack) };
  const cycle = createScanCycleOver(stores, watched, {
    scan: scanSettingsFromConfig(config.scan),
    notify: notifySettingsFromConfig(config),
  });
  const answering = { ...watched, slack: parts.interactionSlack ?? parts.slack };
  return { cycle, interactions: createInteractions(stores, answering, interactionSettingsFromConfig(config), cycle) };
};
