import { findEscalations } from '../domain/escalation';
import {
  type FailedDm,
  findingRef,
  type MessageUser,
  type NudgeMessageInput,
  type UnownedOffender,
} from '../domain/notifications';
import { isOffender, type PlannedNudge, planNudges } from '../domain/nudge-plan';
import type { Installation } from '../domain/organization';
import type { AccountScan, CompletedRun, FailedAccount, SavedScan } from '../domain/scan';
import type { PostedMessage } from '../domain/slack-records';
import type { MessageSubject, SlackMessageRecord } from '../domain/stored-messages';
import { shouldPostSummary, type SummaryFacts, type SummaryWhen } from '../domain/summary-policy';
import type { UserResult } from '../domain/types';
import { describeError, isAppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import type { SlackGateway } from '../ports/slack';
import type { FindingStore, NotificationStore, ScanStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildFailedScanMessage } from '../slack/blocks/failed-scan-message';
import { buildCompactNudgeMessage, buildNudgeMessage } from '../slack/blocks/nudge-message';
import { buildScanSummaryMessage } from '../slack/blocks/scan-summary-message';
import { resolveSlackOwners } from './resolve-slack-owners';

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

const subjectOf = (user: UserResult, findingIds: ReadonlyMap<string, number>): MessageSubject => ({
  accountId: user.accountId,
  userName: user.userName,
  userId: user.userId,
  findingId: findingIds.get(user.userName) ?? null,
});

/** The button value of a user; without an open finding there is nothing for a button to act on. */
const messageUser = (user: UserResult, findingIds: ReadonlyMap<string, number>): MessageUser | null => {
  const id = findingIds.get(user.userName);
  return id === undefined ? null : { user, ref: findingRef(id) };
};

const messageUsers = (users: readonly UserResult[], findingIds: ReadonlyMap<string, number>): MessageUser[] =>
  users.flatMap((u) => messageUser(u, findingIds) ?? []);

// Slack's answers for a message it will not take as built; the same message would be refused at
// every scan, so the DM falls back to its compact form.
const REFUSED_AS_BUILT = /\b(?:msg_blocks_too_long|invalid_blocks)\b/;

const refusedAsBuilt = (error: unknown): boolean =>
  isAppError(error) && error.code === 'slack_invalid_message' && REFUSED_AS_BUILT.test(error.message);

/** Whether Slack refused the last DM to this owner as built: then the compact form goes first. */
const lastRefusedAsBuilt = async (deps: NotifyDeps, accountId: string, recipient: string): Promise<boolean> => {
  try {
    const error = await deps.notifications.lastNudgeError(accountId, recipient);
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
      users: input.users.length,
      error: describeError(error),
    });
    return deps.slack.postMessage(channel, compact());
  }
};

/** Sends one owner's DM and records it, sent or failed. Never throws: one DM must not stop the rest. */
const sendNudge = async (
  deps: NotifyDeps,
  context: { scanId: number; scan: AccountScan; findingIds: ReadonlyMap<string, number>; removalEnabled: boolean },
  nudge: PlannedNudge,
): Promise<FailedDm | null> => {
  const { scan, findingIds } = context;
  // A person may have closed a finding (a Recheck) while the scan ran; its user has nothing left to act on.
  const users = messageUsers(nudge.users, findingIds);
  if (users.length === 0) return null;
  const input: NudgeMessageInput = {
    account: scan.account,
    ownerSlackId: nudge.ownerSlackId,
    users,
    now: deps.clock.now(),
    removalEnabled: context.removalEnabled,
  };
  // Users cut from a long DM ("and N more") were still brought up to the owner, so they count as
  // nudged; otherwise an owner of many would get a DM at every scan.
  const subjects = users.map((u) => subjectOf(u.user, findingIds));
  const base = {
    kind: 'nudge',
    scanId: context.scanId,
    accountId: scan.account.accountId,
    recipient: nudge.ownerSlackId,
    subjects,
  } as const;
  const compactFirst = await lastRefusedAsBuilt(deps, scan.account.accountId, nudge.ownerSlackId);
  let posted: PostedMessage;
  try {
    const channel = await deps.slack.openDm(nudge.ownerSlackId);
    posted = await postNudge(deps, channel, input, compactFirst);
  } catch (error) {
    const text = describeError(error);
    deps.logger.warn('could not DM an owner', {
      recipient: nudge.ownerSlackId,
      users: nudge.users.length,
      error: text,
    });
    await record(deps, { ...base, outcome: { status: 'failed', error: text }, at: deps.clock.now() });
    return { recipient: nudge.ownerSlackId, userNames: nudge.users.map((u) => u.userName), error: text };
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
 * After a completed scan: one DM per owner with a user due for a nudge, then the summary in the
 * security channel. Failures are logged, recorded and listed in the summary; nothing here throws
 * except a broken database, which the caller reports.
 */
export const notifyScan = async (
  deps: NotifyDeps,
  settings: NotifySettings,
  saved: SavedScan,
  scan: AccountScan,
): Promise<NotifyResult> => {
  const { accountId } = scan.account;
  const { scanId } = saved;
  const findingIds = new Map(saved.open.map((f) => [f.userName, f.id] as const));
  const offenders = scan.users.filter(isOffender);
  const owners = await resolveSlackOwners(deps, offenders);
  const plan = planNudges({
    users: offenders,
    owners,
    previousNudges: await deps.notifications.previousNudges(accountId),
    scanStartedAt: scan.startedAt,
    intervalHours: settings.nudgeIntervalHours,
    unownedRecipient: settings.securityChannel,
  });

  const failedDms: FailedDm[] = [];
  let dmsSent = 0;
  for (const nudge of plan.nudges) {
    const failure = await sendNudge(deps, { scanId, scan, findingIds, removalEnabled: settings.removalEnabled }, nudge);
    if (failure === null) dmsSent += 1;
    else failedDms.push(failure);
  }

  const now = deps.clock.now();
  const escalations = findEscalations({
    offenders,
    escalateAfterDays: settings.escalateAfterDays,
    now,
    findingIds,
    escalationSince: scan.escalationSince,
    alreadyEscalated: await deps.findings.escalatedIds(accountId),
  });
  const newlyEscalated = escalations.filter((e) => e.newlyEscalated);
  const reopened = scan.opened.filter((f) => f.reopensId !== null);
  const rootWithoutMfa = scan.root !== null && !scan.root.mfaActive;
  const errorUsers = scan.users.filter((u) => u.status === 'error');
  // A deleted user can no longer sign in either: for the channel that is as good as fixed.
  const fixed = scan.closed.filter((c) => c.closeReason === 'fixed' || c.closeReason === 'deleted').length;
  const previousErrors = await deps.scans.previousErrors(accountId, scanId);
  const issueKeys = scan.issues.map((i) => `${i.code}:${i.userName ?? ''}`).sort();
  const facts: SummaryFacts = {
    newFindings: scan.opened.length,
    fixed,
    newlyEscalated: newlyEscalated.length,
    failedDms: failedDms.length,
    errorsChanged:
      previousErrors === null
        ? errorUsers.length + scan.issues.length > 0
        : previousErrors.errorCount !== errorUsers.length ||
          previousErrors.issueKeys.join('\n') !== issueKeys.join('\n'),
    rootNewlyUnprotected: rootWithoutMfa && (await deps.scans.previousRootMfa(accountId, scanId)) !== false,
    unownedDue: plan.dueUnownedNames.length,
    previousSummaryFailed: await deps.notifications.lastSummaryFailed(accountId),
  };
  deps.logger.debug('summary decision', { when: settings.summaryWhen, ...facts });
  if (!shouldPostSummary(settings.summaryWhen, facts)) {
    deps.logger.info('nothing changed since the last scan; no summary posted', { accountId });
    return { dmsSent, failedDms, summary: 'skipped' };
  }

  const unowned: UnownedOffender[] = plan.unowned.flatMap(({ user, why }) => {
    const mu = messageUser(user, findingIds);
    return mu === null ? [] : [{ ...mu, why }];
  });
  const message = buildScanSummaryMessage({
    account: scan.account,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    strategy: scan.strategy,
    counts: scan.counts,
    newSinceLastScan: scan.opened.length - reopened.length,
    reopened,
    fixedSinceLastScan: fixed,
    unowned,
    escalated: escalations.map((e) => {
      const owner = owners.get(e.user.userName);
      return {
        user: e.user,
        since: e.since,
        ownerSlackId: owner?.kind === 'slack' ? owner.slackId : null,
        newlyEscalated: e.newlyEscalated,
      };
    }),
    escalateAfterDays: settings.escalateAfterDays,
    rootWithoutMfa,
    exemptUsers: scan.users.filter((u) => u.status === 'exempt'),
    errorUsers,
    issues: scan.issues,
    failedDms,
    removalEnabled: settings.removalEnabled,
    now,
  });
  const posted = await postSummary(deps, settings, {
    scanId,
    accountId,
    message,
    subjects: unowned.map((u) => subjectOf(u.user, findingIds)),
  });
  if (posted) {
    await deps.findings.markEscalated(
      newlyEscalated.flatMap((e) => (e.findingId === null ? [] : [e.findingId])),
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

/** A scan that failed: the security channel always hears about it, since nobody else will. */
export const notifyFailedScan = async (
  deps: NotifyDeps,
  settings: Pick<NotifySettings, 'securityChannel'>,
  failure: {
    scanId: number | null;
    accountId: string | null;
    startedAt: Date;
    finishedAt: Date;
    message: string;
    hint: string | null;
  },
): Promise<SummaryOutcome> => {
  const message = buildFailedScanMessage({
    accountId: failure.accountId,
    startedAt: failure.startedAt,
    finishedAt: failure.finishedAt,
    message: failure.message,
    hint: failure.hint,
  });
  const posted = await postSummary(deps, settings, {
    scanId: failure.scanId,
    accountId: failure.accountId,
    message,
    subjects: [],
  });
  return posted ? 'posted' : 'failed';
};

// ---- TEMPORARY SHIM (accounts-scan branch only) -------------------------------------------------
// notifyRun / notifyFailedRun as the SCAN↔NOTIFY interface of issue 12 names them, so scan-cycle.ts
// can be written against it. The NOTIFY branch writes the real ones (one DM per owner across
// accounts, one summary per run); at merge the lead takes theirs and deletes this shim.

/** SHIM: notifyScan for each completed account, summed. */
export const notifyRun = async (
  deps: NotifyDeps,
  settings: NotifySettings,
  run: CompletedRun,
): Promise<NotifyResult> => {
  let dmsSent = 0;
  const failedDms: FailedDm[] = [];
  const summaries: SummaryOutcome[] = [];
  for (const account of run.accounts) {
    if (account.outcome !== 'completed') continue;
    const result = await notifyScan(deps, settings, account.saved, account.scan);
    dmsSent += result.dmsSent;
    failedDms.push(...result.failedDms);
    summaries.push(result.summary);
  }
  const summary = summaries.includes('failed') ? 'failed' : summaries.includes('posted') ? 'posted' : 'skipped';
  return { dmsSent, failedDms, summary };
};

/** SHIM: notifyFailedScan with the run's error. */
export const notifyFailedRun = (
  deps: NotifyDeps,
  settings: Pick<NotifySettings, 'securityChannel'>,
  failure: {
    runId: number | null;
    startedAt: Date;
    finishedAt: Date;
    message: string;
    hint: string | null;
    accounts: readonly FailedAccount[];
  },
): Promise<SummaryOutcome> =>
  notifyFailedScan(deps, settings, {
    scanId: failure.accounts[0]?.scanId ?? null,
    accountId: failure.accounts.length === 1 ? (failure.accounts[0]?.accountId ?? null) : null,
    startedAt: failure.startedAt,
    finishedAt: failure.finishedAt,
    message: failure.message,
    hint: failure.hint,
  });
// ---- END TEMPORARY SHIM --------------------------------------------------------------------------
