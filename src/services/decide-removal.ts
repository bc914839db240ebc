import { type AuditAction, type AuditOutcome, SYSTEM_ACTOR } from '../domain/audit';
import type { ApprovalUserFacts, Notice } from '../domain/interaction-messages';
import type { OwnersFile } from '../domain/owners';
import { ownersFileLabel, ownersRefusal, ownersRefusalAnswer } from '../domain/owners-snapshot';
import { isApprover } from '../domain/ownership';
import { isPastExpiry, parseRemovalRef, type RemovalOutcome, type RemovalRequest } from '../domain/removal';
import type { AccountRef, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { RemovalStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildRemovalOutcomeMessage } from '../slack/blocks/removal-outcome-message';
import { checkUserLive } from './check-user';
import { type ButtonClick, type LiveCheckDeps, liveDeps } from './finding-click';
import type { InteractionSettings } from './interaction-settings';
import { recordAudit } from './record-audit';
import type { AuditSink } from './refusal-audit';
import {
  approvalFacts,
  type ApprovalMessageDeps,
  ownerSlackId,
  refreshApprovalMessage,
  sendDm,
} from './removal-messages';
import type { RunningRemovals } from './running-removals';

/** What settling overdue and cut-off removal requests needs. */
export interface TidyDeps extends ApprovalMessageDeps {
  readonly removals: Pick<RemovalStore, 'expireDue' | 'failInterrupted' | 'discardUnposted'>;
  readonly audit: AuditSink;
  /** Removal requests this process is executing right now: housekeeping must not fail them. */
  readonly running: RunningRemovals;
  /** The AWS account the IAM credentials reach (asked once, then remembered). */
  readonly account: () => Promise<AccountRef>;
}

/** What approving or denying a removal request needs. */
export interface DecideRemovalDeps extends TidyDeps, LiveCheckDeps {
  readonly removals: RemovalStore;
}

type Finish = {
  readonly state: RemovalOutcome['state'];
  readonly detail: string | null;
  readonly result: UserResult | null;
};

const auditFor = (
  deps: Pick<TidyDeps, 'audit' | 'logger' | 'clock'>,
  actor: string,
  action: AuditAction,
  request: Pick<RemovalRequest, 'id' | 'accountId' | 'userName'> | null,
  outcome: AuditOutcome,
  detail: string | null,
): Promise<void> =>
  recordAudit(deps, {
    at: deps.clock.now(),
    actor,
    action,
    accountId: request?.accountId ?? null,
    userName: request?.userName ?? null,
    outcome,
    detail,
    requestId: request?.id ?? null,
  });

/**
 * After the claim: the user is checked live exactly as a scan would, and the console password is
 * deleted only if it is still the same user (UserId) and still non_compliant. Never throws.
 */
const execute = async (
  deps: DecideRemovalDeps,
  settings: Pick<InteractionSettings, 'policy'>,
  account: AccountRef,
  request: RemovalRequest,
  ownersFile: OwnersFile,
): Promise<Finish> => {
  let live;
  try {
    live = await checkUserLive(liveDeps(deps, ownersFile), settings.policy, account, request.userName);
  } catch (error) {
    return {
      state: 'failed',
      detail: `could not check the user before removing: ${describeError(error)}`,
      result: null,
    };
  }
  if (live.kind === 'not_found') return { state: 'not_needed', detail: 'the IAM user no longer exists', result: null };
  const { result } = live;
  if (result.userId !== request.userId) {
    return {
      state: 'not_needed',
      detail: 'the IAM user was deleted and recreated under the same name since the request',
      result,
    };
  }
  switch (result.status) {
    case 'non_compliant':
      break;
    case 'error':
      return {
        state: 'failed',
        detail: `could not check the user before removing: ${result.reason ?? 'unknown error'}`,
        result,
      };
    case 'compliant':
      return { state: 'not_needed', detail: 'the user has MFA now', result };
    case 'no_console':
      return { state: 'not_needed', detail: 'the user has no console password any more', result };
    case 'exempt':
      return { state: 'not_needed', detail: `the user is exempt now (${result.reason ?? 'no reason given'})`, result };
    case 'grace':
      return { state: 'not_needed', detail: 'the user is in its grace period', result };
  }
  try {
    const outcome = await deps.iam.deleteLoginProfile(request.userName);
    const noConsole: UserResult = {
      ...result,
      status: 'no_console',
      nonCompliantSince: null,
      reason: null,
      graceUntil: null,
      checkedAt: deps.clock.now(),
    };
    return {
      state: 'done',
      detail: outcome === 'not_found' ? 'the console password was already gone' : null,
      result: noConsole,
    };
  } catch (error) {
    return { state: 'failed', detail: describeError(error), result };
  }
};

/**
 * The pre-removal check: the owners file is read again right before the live check, so an
 * exemption added since the approval counts, and nothing is removed while the file is invalid.
 * `owners` names the copy used, for the `removal_execute` audit entry. Never throws.
 */
const removeIfDue = async (
  deps: DecideRemovalDeps,
  settings: Pick<InteractionSettings, 'policy'>,
  account: AccountRef,
  request: RemovalRequest,
): Promise<Finish & { readonly owners: string }> => {
  let snapshot;
  try {
    snapshot = await deps.owners.current();
  } catch (error) {
    const detail = `could not read the owners file before removing: ${describeError(error)}`;
    return { state: 'failed', detail, result: null, owners: 'owners file not read' };
  }
  const used = ownersFileLabel(snapshot.hash);
  if (snapshot.problem !== null) {
    const owners = `${ownersFileLabel(snapshot.problem.hash)} invalid; last good ${used}`;
    return { state: 'failed', detail: ownersRefusal(snapshot.problem), result: null, owners };
  }
  return { ...(await execute(deps, settings, account, request, snapshot.ownersFile)), owners: used };
};

/** Tells the requester (and, when done, the owner) how the request ended. */
const tellPeople = async (
  deps: Pick<TidyDeps, 'slack' | 'logger'>,
  account: AccountRef,
  request: RemovalRequest,
  owner: string | null,
): Promise<void> => {
  await sendDm(deps, request.requestedBy, buildRemovalOutcomeMessage({ request, audience: 'requester', account }));
  if (request.state === 'done' && owner !== null && owner !== request.requestedBy) {
    await sendDm(deps, owner, buildRemovalOutcomeMessage({ request, audience: 'owner', account }));
  }
};

const accountOf = async (deps: Pick<TidyDeps, 'account'>): Promise<AccountRef | SlackMessage> => {
  try {
    return await deps.account();
  } catch (error) {
    return buildNotice({ kind: 'error', error: describeError(error) });
  }
};

const isAccount = (value: AccountRef | SlackMessage): value is AccountRef => 'accountId' in value;

/**
 * Who may decide, and what is left to decide; a refusal is audited and answered to the clicker only,
 * and changes nothing else. Once allowed, overdue and cut-off requests are settled first, so a late
 * click sees "expired" with its message updated and its requester told.
 */
const checkDecision = async (
  deps: DecideRemovalDeps,
  settings: Pick<InteractionSettings, 'removalEnabled' | 'approvers' | 'allowSelfApproval'>,
  click: ButtonClick,
  action: 'removal_approve' | 'removal_deny',
): Promise<{ request: RemovalRequest; account: AccountRef } | { reply: SlackMessage }> => {
  const refuse = async (
    request: RemovalRequest | null,
    detail: string,
    n: Notice,
  ): Promise<{ reply: SlackMessage }> => {
    await auditFor(deps, click.userId, action, request, 'refused', detail);
    return { reply: buildNotice(n) };
  };
  const verb = action === 'removal_approve' ? 'approve' : 'deny';
  if (!settings.removalEnabled) return refuse(null, 'REMOVAL_ENABLED is false', { kind: 'removal_disabled' });
  const id = parseRemovalRef(click.value);
  const request = id === null ? null : await deps.removals.get(id);
  if (request === null) return refuse(null, 'unknown button value', { kind: 'unknown_button' });
  if (!isApprover(settings.approvers, click.userId))
    return refuse(request, 'not an approver', { kind: 'not_allowed', action: verb });
  if (action === 'removal_approve' && request.requestedBy === click.userId && !settings.allowSelfApproval) {
    return refuse(request, 'approvers may not approve their own request (ALLOW_SELF_APPROVAL is false)', {
      kind: 'self_approval',
      requestId: request.id,
    });
  }
  const account = await accountOf(deps);
  if (!isAccount(account)) return { reply: account };
  // A request of another AWS account (a database reused after the credentials changed) is never
  // acted on with these credentials.
  if (request.accountId !== account.accountId) {
    return refuse(request, `the request is for AWS account ${request.accountId}, not ${account.accountId}`, {
      kind: 'unknown_button',
    });
  }
  await tidyRemovals(deps);
  return { request, account };
};

/**
 * Approve removal (or retry a failed one): approvers only, never one's own request unless allowed.
 * The request is claimed in one SQLite transaction, so it runs once however many clicks arrive.
 * Returns a reply for the clicker, or null when the updated approval message is the answer.
 */
export const approveRemoval = async (
  deps: DecideRemovalDeps,
  settings: Pick<InteractionSettings, 'policy' | 'removalEnabled' | 'approvers' | 'allowSelfApproval'>,
  click: ButtonClick,
): Promise<SlackMessage | null> => {
  const checked = await checkDecision(deps, settings, click, 'removal_approve');
  if ('reply' in checked) return checked.reply;
  const { account } = checked;

  // Refused before the claim, so the request stays as it was and can be approved once the file is
  // fixed; the pre-removal check reads the file again before it checks the user.
  const { problem } = await deps.owners.current();
  if (problem !== null && (checked.request.state === 'pending' || checked.request.state === 'failed')) {
    await auditFor(deps, click.userId, 'removal_approve', checked.request, 'refused', ownersRefusal(problem));
    return buildNotice({ kind: 'error', error: ownersRefusalAnswer(problem, 'Nothing was removed.') });
  }

  const claim = await deps.removals.claim(checked.request.id, click.userId, deps.clock.now());
  if (claim.kind === 'not_found') {
    await auditFor(deps, click.userId, 'removal_approve', checked.request, 'refused', 'the request no longer exists');
    return buildNotice({ kind: 'unknown_button' });
  }
  if (claim.kind === 'refused') {
    const now = deps.clock.now();
    await auditFor(
      deps,
      click.userId,
      'removal_approve',
      claim.request,
      'refused',
      `the request is ${claim.request.state}`,
    );
    // A failed request past its expiry can no longer be retried: its Retry button goes.
    if (claim.request.state === 'failed' && isPastExpiry(claim.request, now))
      await refreshApprovalMessage(deps, claim.request, account, null);
    return buildNotice({ kind: 'removal_decided', request: claim.request, now });
  }
  await auditFor(deps, click.userId, 'removal_approve', claim.request, 'succeeded', null);
  await refreshApprovalMessage(deps, claim.request, account, null);

  const finish = await deps.running.run(claim.request.id, () => removeIfDue(deps, settings, account, claim.request));
  const now = deps.clock.now();
  // The outcome, the user's new state and the closing of its open finding (which may be newer than
  // the one the request was made from) are stored together.
  const { request: finished, closedFindingId } = await deps.removals.finish(
    claim.request.id,
    {
      state: finish.state,
      detail: finish.detail,
      fixed:
        finish.state === 'done' && finish.result !== null ? { result: finish.result, closedBy: click.userId } : null,
    },
    now,
  );
  const outcome: AuditOutcome = finish.state === 'done' ? 'succeeded' : finish.state;
  const detail = finish.detail === null ? finish.owners : `${finish.detail}; ${finish.owners}`;
  await auditFor(deps, click.userId, 'removal_execute', finished, outcome, detail);
  if (closedFindingId !== null) {
    await auditFor(deps, click.userId, 'finding_closed', finished, 'succeeded', 'closed by an approved removal: fixed');
  }
  const facts: ApprovalUserFacts | null = finish.result === null ? null : approvalFacts(finish.result);
  await refreshApprovalMessage(deps, finished, account, facts);
  const owner = finish.result === null ? null : await ownerSlackId(deps, finish.result);
  await tellPeople(deps, account, finished, owner);
  return null;
};

/** Deny: approvers only, once; the requester is told. */
export const denyRemoval = async (
  deps: DecideRemovalDeps,
  settings: Pick<InteractionSettings, 'removalEnabled' | 'approvers' | 'allowSelfApproval'>,
  click: ButtonClick,
): Promise<SlackMessage | null> => {
  const checked = await checkDecision(deps, settings, click, 'removal_deny');
  if ('reply' in checked) return checked.reply;
  const { account } = checked;
  const denied = await deps.removals.deny(checked.request.id, click.userId, deps.clock.now());
  if (denied.kind === 'not_found') {
    await auditFor(deps, click.userId, 'removal_deny', checked.request, 'refused', 'the request no longer exists');
    return buildNotice({ kind: 'unknown_button' });
  }
  if (denied.kind === 'refused') {
    await auditFor(
      deps,
      click.userId,
      'removal_deny',
      denied.request,
      'refused',
      `the request is ${denied.request.state}`,
    );
    return buildNotice({ kind: 'removal_decided', request: denied.request, now: deps.clock.now() });
  }
  await auditFor(deps, click.userId, 'removal_deny', denied.request, 'succeeded', null);
  await refreshApprovalMessage(deps, denied.request, account, null);
  await tellPeople(deps, account, denied.request, null);
  return null;
};

/**
 * A removal claimed longer ago than this and still executing, or a request still unposted, was cut
 * off (a crash, a kill; or another process on the same database that died).
 */
const INTERRUPTED_AFTER_MS = 15 * 60_000;

/**
 * Housekeeping, run at start-up, before every scheduled scan and before every allowed request,
 * Approve or Deny: pending requests past their expiry become expired, removals cut off mid-way
 * become failed (an approver may retry; the retry checks the user live again), and requests whose
 * approval message was never posted are dropped. Messages are updated, requesters told, and each
 * change audited as done by mfa-guard.
 */
export const tidyRemovals = async (deps: TidyDeps): Promise<number> => {
  const now = deps.clock.now();
  const expired = await deps.removals.expireDue(now);
  const cutOff = new Date(now.getTime() - INTERRUPTED_AFTER_MS);
  const interrupted = await deps.removals.failInterrupted(
    cutOff,
    'mfa-guard stopped while removing the console password, so whether it was removed is not recorded',
    now,
    deps.running.ids(),
  );
  const unposted = await deps.removals.discardUnposted(cutOff);
  // Audited at once, with the state change, before anything that waits on IAM or Slack.
  for (const request of expired) await auditFor(deps, SYSTEM_ACTOR, 'removal_expire', request, 'succeeded', null);
  for (const request of interrupted)
    await auditFor(deps, SYSTEM_ACTOR, 'removal_execute', request, 'failed', request.detail);
  for (const request of unposted) {
    await auditFor(
      deps,
      SYSTEM_ACTOR,
      'removal_request',
      request,
      'failed',
      'discarded: mfa-guard stopped before the approval message was posted',
    );
  }
  if (expired.length === 0 && interrupted.length === 0) return unposted.length;
  const account = await accountOf(deps);
  if (!isAccount(account)) return expired.length + interrupted.length;
  for (const request of [...expired, ...interrupted]) {
    await refreshApprovalMessage(deps, request, account, null);
    await tellPeople(deps, account, request, null);
  }
  return expired.length + interrupted.length;
};
