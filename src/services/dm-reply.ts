import type { AccountNames } from '../domain/account-label';
import { classifyDmText, DM_RECHECK_MAX, type DmIntent, type DmRecheckLine } from '../domain/dm-reply';
import { WITHHELD_ERROR } from '../domain/error-detail';
import type { Notice } from '../domain/interaction-messages';
import { findingRef } from '../domain/notifications';
import { ownerOnRecord, ownersFileRecord } from '../domain/owner-record';
import { accountById } from '../domain/owners';
import { isApprover } from '../domain/ownership';
import type { Finding } from '../domain/types';
import { describeError } from '../errors';
import type { NotificationStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildDmHelpMessage, buildDmRecheckMessage } from '../slack/blocks/dm-reply-message';
import { buildNotice } from '../slack/blocks/notice-message';
import type { DmReplyGate } from './dm-reply-gate';
import type { InteractionSettings } from './interaction-settings';
import { type JustChecked, type RecheckDeps, type RecheckedOne, recheckUser, rerenderNudge } from './recheck';
import type { ScanCycle } from './scan-cycle';
import { answerStatusCommand, type StatusCommandDeps } from './status-command';
import { lookupViewer, type ViewerLookup, viewerOwns } from './viewer';

/** A message a person wrote in their DM with the bot, as the handler read it from the event. */
export interface DmMessage {
  /** The Events API event_id: the same on every retry of one delivery. */
  readonly eventId: string;
  readonly userId: string;
  /** The DM channel (D…) it was written in: the answer goes there. */
  readonly channel: string;
  readonly text: string;
}

export type DmReplyOutcome =
  | { readonly kind: 'answered'; readonly intent: DmIntent; readonly message: SlackMessage }
  /** A retry of an event already answered, or a message within a person's cooldown. */
  | { readonly kind: 'dropped'; readonly why: 'duplicate' | 'too_soon' };

export interface DmReplyDeps extends RecheckDeps, StatusCommandDeps {
  readonly findings: RecheckDeps['findings'] & StatusCommandDeps['findings'];
  readonly scans: RecheckDeps['scans'] & StatusCommandDeps['scans'];
  readonly notifications: Pick<NotificationStore, 'messageAt' | 'latestNudgeCovering'>;
  /** Per process: event_ids seen and each person's cooldown. */
  readonly gate: DmReplyGate;
}

export type DmReplySettings = Pick<InteractionSettings, 'policy' | 'approvers' | 'securityChannel' | 'removalEnabled'>;

/**
 * The open findings, in every one of the accounts, whose IAM user mfa-guard has on record as the
 * person's (owner on record, as owner-on-record.ts decides it, the owners file read once for all of
 * them), oldest first. Each finding carries its account: a Recheck of it acts there.
 */
const ownedOpenFindings = async (
  deps: Pick<DmReplyDeps, 'findings' | 'scans' | 'owners'>,
  lookup: ViewerLookup,
  accountIds: readonly string[],
): Promise<Finding[]> => {
  const { ownersFile } = await deps.owners.current();
  const mine: Finding[] = [];
  for (const accountId of accountIds) {
    const open = await deps.findings.open(accountId);
    const states = new Map((await deps.scans.userResults(accountId)).map((r) => [r.userId, r] as const));
    const recorded = new Map((await deps.findings.recordedOwners(accountId)).map((r) => [r.userId, r.owner] as const));
    const account = accountById(accountId, (await deps.scans.accountNames(accountId)).alias);
    for (const finding of open) {
      const state = states.get(finding.userId);
      const owner = ownerOnRecord({
        ...ownersFileRecord(ownersFile, account, finding.userName),
        finding: recorded.get(finding.userId) ?? null,
        lastState: state !== undefined && state.userName === finding.userName ? state : null,
      });
      if (owner !== null && (await viewerOwns(lookup, owner))) mine.push(finding);
    }
  }
  return mine.sort(
    (a, b) =>
      a.chainStartedAt.getTime() - b.chainStartedAt.getTime() ||
      a.openedAt.getTime() - b.openedAt.getTime() ||
      a.userName.localeCompare(b.userName),
  );
};

/** A Recheck that did not get to check, as one line; AWS error text for approvers only. */
const answeredLine = (userName: string, notice: Notice, approver: boolean): DmRecheckLine => {
  switch (notice.kind) {
    case 'rate_limited':
      return { kind: 'rate_limited', userName, retryAt: notice.retryAt };
    case 'not_allowed':
      return { kind: 'not_yours', userName };
    case 'error':
      return { kind: 'error', userName, reason: approver ? notice.error : WITHHELD_ERROR };
    default:
      return { kind: 'unknown', userName };
  }
};

const checkedLine = (checked: Extract<RecheckedOne, { kind: 'checked' }>, approver: boolean): DmRecheckLine => {
  const { target, live, closing } = checked;
  if (closing !== null) return { kind: 'closed', userName: target.userName, reason: closing };
  // A user gone or recreated always closes an open finding; here its finding was no longer open.
  if (live.kind === 'not_found' || live.result.userId !== target.userId)
    return { kind: 'unknown', userName: target.userName };
  const { result } = live;
  if (result.status === 'non_compliant') return { kind: 'still_open', userName: result.userName };
  if (result.status === 'error')
    return {
      kind: 'error',
      userName: result.userName,
      reason: approver ? (result.reason ?? 'unknown error') : WITHHELD_ERROR,
    };
  return { kind: 'checked', result };
};

/**
 * "done": rechecks live, one after the other, the person's IAM users with an open finding (at most
 * DM_RECHECK_MAX, oldest first), each exactly as the Recheck button would (who may act decided
 * before any AWS call, the live-check limits, the audit), then re-renders the latest DM about them.
 * Once over the limits, the users left are not tried: they would only be refused too.
 */
const recheckMine = async (deps: DmReplyDeps, settings: DmReplySettings, userId: string): Promise<SlackMessage> => {
  const accountIds = (await deps.scans.scannedAccounts()).map((a) => a.accountId);
  if (accountIds.length === 0) return buildDmRecheckMessage({ kind: 'nothing', why: 'no_scan' });
  const mine = await ownedOpenFindings(deps, lookupViewer(deps, userId), accountIds);
  if (mine.length === 0) return buildDmRecheckMessage({ kind: 'nothing', why: 'no_findings' });

  const approver = isApprover(settings.approvers, userId);
  const lines: DmRecheckLine[] = [];
  const checked = new Map<number, JustChecked>();
  let limitedUntil: Date | null = null;
  // With users in several accounts, each line names its user's account.
  const several = new Set(mine.map((f) => f.accountId)).size > 1;
  const known = new Map<string, AccountNames>();
  for (const finding of mine.slice(0, DM_RECHECK_MAX)) {
    let names = known.get(finding.accountId);
    if (several && names === undefined) {
      names = await deps.scans.accountNames(finding.accountId);
      known.set(finding.accountId, names);
    }
    const push = (line: DmRecheckLine): void => {
      lines.push(several ? { ...line, account: { accountId: finding.accountId, alias: null, ...names } } : line);
    };
    if (limitedUntil !== null) {
      push({ kind: 'rate_limited', userName: finding.userName, retryAt: limitedUntil });
      continue;
    }
    const outcome = await recheckUser(
      deps,
      settings,
      { userId, value: findingRef(finding.id), message: null },
      'dm_reply',
    );
    if (outcome.kind === 'answered') {
      if (outcome.notice.kind === 'rate_limited') limitedUntil = outcome.notice.retryAt;
      push(answeredLine(finding.userName, outcome.notice, approver));
      continue;
    }
    checked.set(finding.id, { live: outcome.live, checkedAt: outcome.checkedAt, approver: outcome.approver });
    push(checkedLine(outcome, approver));
  }

  let nudgeUpdated = false;
  if (checked.size > 0) {
    const latest = await deps.notifications.latestNudgeCovering(userId, [...checked.keys()]);
    if (latest !== null) nudgeUpdated = await rerenderNudge(deps, settings, latest, checked);
  }
  return buildDmRecheckMessage({
    kind: 'rechecked',
    lines,
    more: Math.max(0, mine.length - DM_RECHECK_MAX),
    nudgeUpdated,
    now: deps.clock.now(),
  });
};

const answerFor = async (
  deps: DmReplyDeps,
  settings: DmReplySettings,
  cycle: Pick<ScanCycle, 'run' | 'isRunning'>,
  intent: DmIntent,
  userId: string,
): Promise<SlackMessage> => {
  switch (intent) {
    case 'recheck':
      return recheckMine(deps, settings, userId);
    case 'status':
      // `/mfa-status` with no text: no subcommand, so there is never a follow-up to post.
      return (await answerStatusCommand(deps, settings, cycle, { userId, text: '' })).message;
    case 'help':
      return buildDmHelpMessage({ securityChannel: settings.securityChannel, removalEnabled: settings.removalEnabled });
  }
};

/**
 * A message a person wrote in the bot's DM, answered in that DM with chat.postMessage (an event
 * has no response_url). Each event is answered once, each person at most once per cooldown; what
 * the text asks for is classified from fixed lists (domain/dm-reply.ts). A failure is answered
 * too, with AWS error text for approvers only; an answer Slack refuses is logged, never thrown.
 */
export const answerDmReply = async (
  deps: DmReplyDeps,
  settings: DmReplySettings,
  cycle: Pick<ScanCycle, 'run' | 'isRunning'>,
  dm: DmMessage,
): Promise<DmReplyOutcome> => {
  const admitted = deps.gate.admit(dm.eventId, dm.userId);
  if (admitted !== 'admitted') {
    deps.logger.debug('a message in the DM was not answered', { user: dm.userId, eventId: dm.eventId, why: admitted });
    return { kind: 'dropped', why: admitted };
  }
  // The text itself is never logged: people write what they like in a DM.
  const intent = classifyDmText(dm.text);
  let message: SlackMessage;
  try {
    message = await answerFor(deps, settings, cycle, intent, dm.userId);
  } catch (error) {
    deps.logger.error('answering a message in the DM failed', { user: dm.userId, intent, error: describeError(error) });
    const approver = isApprover(settings.approvers, dm.userId);
    message = buildNotice({
      kind: 'error',
      error: approver
        ? describeError(error)
        : `mfa-guard could not answer just now; ${WITHHELD_ERROR}. Try again in a few minutes.`,
    });
  }
  try {
    await deps.slack.postMessage(dm.channel, message);
  } catch (error) {
    deps.logger.warn('could not answer a message in the DM', { user: dm.userId, intent, error: describeError(error) });
  }
  return { kind: 'answered', intent, message };
};
