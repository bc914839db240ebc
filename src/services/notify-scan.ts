import { failedAccounts } from '../domain/completed-run';
import type { FailedDm, NudgeMessageInput, UnownedOffender } from '../domain/notifications';
import { isOffender, type PlannedNudge, planNudges, type PreviousNudge, userKey } from '../domain/nudge-plan';
import type { Installation } from '../domain/organization';
import type { CompletedRun, FailedAccount } from '../domain/scan';
import type { PostedMessage } from '../domain/slack-records';
import type { MessageSubject, SlackMessageRecord } from '../domain/stored-messages';
import { shouldPostRunSummary, type SummaryWhen } from '../domain/summary-policy';
import { describeError, isAppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import type { SlackGateway } from '../ports/slack';
import type { FindingStore, NotificationStore, ScanStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildFailedScanMessage } from '../slack/blocks/failed-scan-message';
import { buildCompactNudgeMessage, buildNudgeMessage } from '../slack/blocks/nudge-message';
import { buildScanSummaryMessage } from '../slack/blocks/scan-summary-message';
import { type AccountReport, reportAccount } from './account-report';
import { resolveSlackOwners } from './resolve-slack-owners';
import {
  type CompletedAccounts,
  completedAccounts,
  groupByAccount,
  messageUser,
  reportScanId,
  soleAccount,
  subjectOf,
} from './run-accounts';

export interface NotifyDeps {
  readonly slack: SlackGateway;
  /** The workspace the bot is installed in: owners by email are matched among its members only. */
  readonly installation: () => Promise<Installation>;
  readonly notifications: NotificationStore;
  readonly findings: Pick<FindingStore, 'escalatedIds' | 'markEscalated'>;
  readonly scans: Pick<ScanStore, 'previousErrors' | 'previousRootMfa'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface NotifySettings {
  readonly securityChannel: string;
  readonly nudgeIntervalHours: number;
  readonly escalateAfterDays: number;
  readonly summaryWhen: SummaryWhen;
  readonly removalEnabled: boolean;
}

export type SummaryOutcome = 'posted' | 'skipped' | 'failed';

export interface NotifyResult {
  readonly dmsSent: number;
  readonly failedDms: readonly FailedDm[];
  readonly summary: SummaryOutcome;
}

// Slack's answers for a message it will not take as built; the same message would be refused at
// every scan, so the DM falls back to its compact form.
const REFUSED_AS_BUILT = /\b(?:msg_blocks_too_long|invalid_blocks)\b/;

const refusedAsBuilt = (error: unknown): boolean =>
  isAppError(error) && error.code === 'slack_invalid_message' && REFUSED_AS_BUILT.test(error.message);

/** Whether Slack refused the last DM to this owner as built: then the compact form goes first. */
const lastRefusedAsBuilt = async (deps: NotifyDeps, recipient: string): Promise<boolean> => {
  try {
    const error = await deps.notifications.lastNudgeError(recipient);
    return error !== null && REFUSED_AS_BUILT.test(error);
  } catch (error) {
    deps.logger.warn('could not read how the last DM to an owner went; sending the full form', {
      recipient,
      error: describeError(error),
    });
    return false;
  }
};

/**
 * Posts the DM in full, or in its compact form (one line per user, then a count) when Slack
 * refuses the full one as too long or invalid, or refused the last DM to this owner that way.
 */
const postNudge = async (
  deps: NotifyDeps,
  channel: string,
  input: NudgeMessageInput,
  compactFirst: boolean,
): Promise<PostedMessage> => {
  const compact = (): SlackMessage => buildCompactNudgeMessage(input);
  if (compactFirst) return deps.slack.postMessage(channel, compact());
  try {
    return await deps.slack.postMessage(channel, buildNudgeMessage(input));
  } catch (error) {
    if (!refusedAsBuilt(error)) throw error;
    deps.logger.warn('Slack refused a DM as built; sending its compact form', {
      recipient: input.ownerSlackId,
      accounts: input.groups.length,
      error: describeError(error),
    });
    return deps.slack.postMessage(channel, compact());
  }
};

/**
 * Sends one owner's DM (their users in every completed account, grouped by account) and records
 * it, sent or failed. Never throws: one DM must not stop the rest.
 */
const sendNudge = async (
  deps: NotifyDeps,
  context: { accounts: CompletedAccounts; removalEnabled: boolean },
  nudge: PlannedNudge,
): Promise<FailedDm | null> => {
  const { accounts } = context;
  // A person may have closed a finding (a Recheck) while the scan ran; its user has nothing left to act on.
  const groups = groupByAccount(nudge.users, accounts);
  if (groups.length === 0) return null;
  const input: NudgeMessageInput = {
    ownerSlackId: nudge.ownerSlackId,
    groups,
    now: deps.clock.now(),
    removalEnabled: context.removalEnabled,
  };
  // Users cut from a long DM ("and N more") were still brought up to the owner, so they count as
  // nudged; otherwise an owner of many would get a DM at every scan.
  const subjects = groups.flatMap((g) => g.users.map((u) => subjectOf(u.user, accounts)));
  const accountIds = groups.map((g) => g.account.accountId);
  const base = {
    kind: 'nudge',
    scanId: reportScanId(accountIds, accounts),
    accountId: soleAccount(accountIds),
    recipient: nudge.ownerSlackId,
    subjects,
  } as const;
  const compactFirst = await lastRefusedAsBuilt(deps, nudge.ownerSlackId);
  let posted: PostedMessage;
  try {
    const channel = await deps.slack.openDm(nudge.ownerSlackId);
    posted = await postNudge(deps, channel, input, compactFirst);
  } catch (error) {
    const text = describeError(error);
    deps.logger.warn('could not DM an owner', {
      recipient: nudge.ownerSlackId,
      users: nudge.users.length,
      accounts: groups.length,
      error: text,
    });
    await record(deps, { ...base, outcome: { status: 'failed', error: text }, at: deps.clock.now() });
    return {
      recipient: nudge.ownerSlackId,
      users: nudge.users.map((u) => ({ accountId: u.accountId, userName: u.userName })),
      error: text,
    };
  }
  await record(deps, { ...base, outcome: { status: 'sent', ...posted }, at: deps.clock.now() });
  return null;
};

/**
 * Keeps a message in the store. The message itself already went out (or failed) either way, so a
 * broken database is logged rather than turned into a failed DM.
 */
const record = async (deps: NotifyDeps, message: SlackMessageRecord): Promise<void> => {
  try {
    await deps.notifications.recordMessage(message);
  } catch (error) {
    deps.logger.error(`could not record a ${message.outcome.status} ${message.kind} message`, {
      recipient: message.recipient,
      error: describeError(error),
    });
  }
};

/**
 * After a run in which at least one account completed: one DM per owner with a user due for a
 * nudge (their users in every completed account, grouped by account), then one summary in the
 * security channel, failed accounts first. Failed accounts contribute no users and no DMs.
 * Failures are logged, recorded and listed in the summary; nothing here throws except a broken
 * database, which the caller reports.
 */
export const notifyRun = async (
  deps: NotifyDeps,
  settings: NotifySettings,
  run: CompletedRun,
): Promise<NotifyResult> => {
  const accounts = completedAccounts(run);
  const failed = failedAccounts(run);
  const offenders = [...accounts.values()].flatMap(({ scan }) => scan.users.filter(isOffender));
  // Once per run: an owner with users in many accounts is looked up once.
  const owners = await resolveSlackOwners(deps, offenders);
  const previousNudges: PreviousNudge[] = [];
  for (const accountId of accounts.keys()) previousNudges.push(...(await deps.notifications.previousNudges(accountId)));
  const plan = planNudges({
    users: offenders,
    owners,
    previousNudges,
    scanStartedAt: run.startedAt,
    intervalHours: settings.nudgeIntervalHours,
    unownedRecipient: settings.securityChannel,
  });

  const failedDms: FailedDm[] = [];
  let dmsSent = 0;
  for (const nudge of plan.nudges) {
    const failure = await sendNudge(deps, { accounts, removalEnabled: settings.removalEnabled }, nudge);
    if (failure === null) dmsSent += 1;
    else failedDms.push(failure);
  }

  const now = deps.clock.now();
  const reports: AccountReport[] = [];
  for (const completed of accounts.values()) {
    reports.push(await reportAccount(deps, settings, completed, { plan, failedDms, now }));
  }
  const runFacts = { accounts: reports.map((r) => r.facts), failedAccounts: failed.length };
  if (!shouldPostRunSummary(settings.summaryWhen, runFacts)) {
    deps.logger.info('nothing changed since the last scan; no summary posted', { accounts: reports.length });
    return { dmsSent, failedDms, summary: 'skipped' };
  }

  const unowned: UnownedOffender[] = plan.unowned.flatMap(({ user, why }) => {
    const mu = messageUser(user, accounts);
    return mu === null ? [] : [{ ...mu, why }];
  });
  const escalations = reports.flatMap((r) => r.escalations);
  const message = buildScanSummaryMessage({
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    failedAccounts: failed,
    accounts: reports.map((r) => r.line),
    reopened: reports.flatMap((r) => r.reopened),
    unowned,
    escalated: escalations.map((e) => {
      const owner = owners.get(userKey(e.user));
      return {
        user: e.user,
        since: e.since,
        ownerSlackId: owner?.kind === 'slack' ? owner.slackId : null,
        newlyEscalated: e.newlyEscalated,
      };
    }),
    escalateAfterDays: settings.escalateAfterDays,
    exemptUsers: [...accounts.values()].flatMap(({ scan }) => scan.users.filter((u) => u.status === 'exempt')),
    errorUsers: reports.flatMap((r) => r.errorUsers),
    issues: [...accounts.values()].flatMap(({ scan }) =>
      scan.issues.map((issue) => ({ ...issue, accountId: scan.account.accountId })),
    ),
    failedDms,
    removalEnabled: settings.removalEnabled,
    now,
  });
  const covered = [...accounts.keys(), ...failed.flatMap((f) => f.accountId ?? [])];
  const posted = await postSummary(deps, settings, {
    scanId: reportScanId([...accounts.keys()], accounts),
    // A failed account the run could not identify still makes the summary about more than one.
    accountId: failed.some((f) => f.accountId === null) ? null : soleAccount(covered),
    message,
    subjects: unowned.map((u) => subjectOf(u.user, accounts)),
  });
  if (posted) {
    await deps.findings.markEscalated(
      escalations.flatMap((e) => (e.newlyEscalated && e.findingId !== null ? [e.findingId] : [])),
      now,
    );
  }
  return { dmsSent, failedDms, summary: posted ? 'posted' : 'failed' };
};

const postSummary = async (
  deps: NotifyDeps,
  settings: Pick<NotifySettings, 'securityChannel'>,
  summary: {
    scanId: number | null;
    accountId: string | null;
    message: SlackMessage;
    subjects: readonly MessageSubject[];
  },
): Promise<boolean> => {
  const base = {
    kind: 'summary',
    scanId: summary.scanId,
    accountId: summary.accountId,
    recipient: settings.securityChannel,
    subjects: summary.subjects,
  } as const;
  let posted: PostedMessage;
  try {
    posted = await deps.slack.postMessage(settings.securityChannel, summary.message);
  } catch (error) {
    const text = describeError(error);
    deps.logger.error('could not post the scan summary to the security channel', {
      channel: settings.securityChannel,
      error: text,
    });
    await record(deps, { ...base, outcome: { status: 'failed', error: text }, at: deps.clock.now() });
    return false;
  }
  await record(deps, { ...base, outcome: { status: 'sent', ...posted }, at: deps.clock.now() });
  return true;
};

/** What a run in which no account completed reports. */
export interface FailedRun {
  readonly runId: number | null;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly message: string;
  readonly hint: string | null;
  /** Each account that failed; empty when the accounts could not even be listed. */
  readonly accounts: readonly FailedAccount[];
}

/**
 * A run in which no account completed: the security channel always hears about it, since nobody
 * else will. Recorded for its account when it had one, so that account's next summary knows
 * whether it was heard; otherwise for none (it reports on no findings).
 */
export const notifyFailedRun = async (
  deps: NotifyDeps,
  settings: Pick<NotifySettings, 'securityChannel'>,
  failure: FailedRun,
): Promise<SummaryOutcome> => {
  const message = buildFailedScanMessage({
    startedAt: failure.startedAt,
    finishedAt: failure.finishedAt,
    message: failure.message,
    hint: failure.hint,
    accounts: failure.accounts,
  });
  const [only] = failure.accounts;
  const single = failure.accounts.length === 1 && only !== undefined ? only : null;
  const posted = await postSummary(deps, settings, {
    scanId: single?.scanId ?? null,
    accountId: single?.accountId ?? null,
    message,
    subjects: [],
  });
  return posted ? 'posted' : 'failed';
};
