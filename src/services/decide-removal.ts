import { type AuditAction, type AuditOutcome, SYSTEM_ACTOR } from '../domain/audit';
import type { EvaluationPolicy } from '../domain/evaluate';
import type { ApprovalUserFacts, Notice } from '../domain/interaction-messages';
import type { Installation } from '../domain/organization';
import { ownersFileLabel, ownersRefusal, ownersRefusalAnswer } from '../domain/owners-snapshot';
import { isApprover } from '../domain/ownership';
import { isPastExpiry, parseRemovalRef, type RemovalRequest } from '../domain/removal';
import type { AccountRef } from '../domain/types';
import { describeError } from '../errors';
import type { AwsAccounts } from '../ports/accounts';
import type { IamGateway } from '../ports/iam';
import type { RemovalStore, ScanStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildMfaDuringRemovalMessage } from '../slack/blocks/mfa-during-removal-message';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildRemovalOutcomeMessage } from '../slack/blocks/removal-outcome-message';
import { accountRefOf, notCoveredWords, reachAccount } from './account-ref';
import { executeRemoval, type Execution } from './execute-removal';
import type { ButtonClick, LiveCheckDeps } from './finding-click';
import type { InteractionSettings } from './interaction-settings';
import { recordAudit } from './record-audit';
import type { AuditSink } from './refusal-audit';
import { approvalFacts, type ApprovalMessageDeps, ownerSlackId, refreshApprovalMessage } from './removal-messages';
import { CLAIM_STALE_AFTER_MS, type HeldClaim, type RunningRemovals } from './running-removals';
import { sendDm } from './send-dm';

/** What settling overdue and cut-off removal requests needs. */
export interface TidyDeps extends ApprovalMessageDeps {
  readonly removals: Pick<RemovalStore, 'expireDue' | 'failInterrupted' | 'discardUnposted'>;
  /** `accountNames`: each request's account is named as its latest scan read it. */
  readonly scans: Pick<ScanStore, 'userResults' | 'accountNames'>;
  readonly audit: AuditSink;
  /** Removal requests this process is executing right now: housekeeping must not fail them. */
  readonly running: RunningRemovals;
  /** The accounts the bot covers: a request is decided and carried out in its own account. */
  readonly accounts: Pick<AwsAccounts, 'home' | 'target'>;
}

/** What approving or denying a removal request needs. */
export interface DecideRemovalDeps extends TidyDeps, LiveCheckDeps {
  readonly removals: RemovalStore;
  /** The workspace the bot is installed in: the owner told of a removal is found among its members. */
  readonly installation: () => Promise<Installation>;
}

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
 * Tells the requester (and, when done, the owner) how the request ended. `correction`: the requester
 * was told something else before (the removal was recorded late).
 */
/**
 * The pre-removal check: the owners file is read again right before the live check, so an
 * exemption added since the approval counts, and nothing is removed while the file is invalid.
 * `owners` names the copy used, for the `removal_execute` audit entry. Never throws.
 */
const removeIfDue = async (
  deps: DecideRemovalDeps,
  policy: EvaluationPolicy,
  reached: { readonly account: AccountRef; readonly iam: IamGateway },
  request: RemovalRequest,
  held: HeldClaim,
): Promise<Execution & { readonly owners: string }> => {
  const failed = (detail: string, owners: string): Execution & { readonly owners: string } => ({
    kind: 'ended',
    state: 'failed',
    detail,
    result: null,
    mfaAppeared: false,
    owners,
  });
  let snapshot;
  try {
    snapshot = await deps.owners.current();
  } catch (error) {
    return failed(`could not read the owners file before removing: ${describeError(error)}`, 'owners file not read');
  }
  const used = ownersFileLabel(snapshot.hash);
  if (snapshot.problem !== null) {
    return failed(
      ownersRefusal(snapshot.problem),
      `${ownersFileLabel(snapshot.problem.hash)} invalid; last good ${used}`,
    );
  }
  const execution = await executeRemoval(
    { ...deps, iam: reached.iam },
    policy,
    reached.account,
    request,
    held,
    snapshot.ownersFile,
  );
  return { ...execution, owners: used };
};

/** A removal's detail, with the owners file its decision used. */
const withOwners = (detail: string | null, owners: string): string =>
  detail === null ? owners : `${detail}; ${owners}`;

const tellPeople = async (
  deps: Pick<TidyDeps, 'slack' | 'logger'>,
  account: AccountRef,
  request: RemovalRequest,
  owner: string | null,
  correction = false,
): Promise<void> => {
  await sendDm(
    deps,
    request.requestedBy,
    buildRemovalOutcomeMessage({ request, audience: 'requester', account, correction }),
  );
  if (request.state === 'done' && owner !== null && owner !== request.requestedBy) {
    await sendDm(deps, owner, buildRemovalOutcomeMessage({ request, audience: 'owner', account }));
  }
};

/** An MFA device turned up while the password was being removed: the owner and every approver hear of it. */
const tellAboutMfa = async (
  deps: Pick<TidyDeps, 'slack' | 'logger'>,
  approvers: readonly string[],
  account: AccountRef,
  request: RemovalRequest,
  owner: string | null,
): Promise<void> => {
  if (owner !== null) {
    await sendDm(deps, owner, buildMfaDuringRemovalMessage({ request, audience: 'owner', account }));
  }
  for (const approver of new Set(approvers)) {
    if (approver === owner) continue;
    await sendDm(deps, approver, buildMfaDuringRemovalMessage({ request, audience: 'approver', account }));
  }
};

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
  // Named in the request's own account; nothing here acts in AWS.
  let account;
  try {
    account = await accountRefOf(deps, request.accountId);
  } catch (error) {
    return { reply: buildNotice({ kind: 'error', error: describeError(error) }) };
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
  // Carried out in the request's own account, with that account's credentials; an account the bot
  // no longer covers (a database reused after the accounts changed) never is. A Deny needs no AWS.
  let reached;
  try {
    reached = await reachAccount(deps, checked.request.accountId);
  } catch (error) {
    return buildNotice({ kind: 'error', error: describeError(error) });
  }
  if (reached === null) {
    const { accountId } = checked.request;
    await auditFor(
      deps,
      click.userId,
      'removal_approve',
      checked.request,
      'refused',
      `AWS account ${accountId} is not covered`,
    );
    return buildNotice({ kind: 'error', error: notCoveredWords(accountId) });
  }
  const { iam } = reached;

  // Refused before the claim, so the request stays as it was and can be approved once the file is
  // fixed; the pre-removal check reads the file again before it checks the user.
  const { problem } = await deps.owners.current();
  if (problem !== null && (checked.request.state === 'pending' || checked.request.state === 'failed')) {
    await auditFor(deps, click.userId, 'removal_approve', checked.request, 'refused', ownersRefusal(problem));
    return buildNotice({ kind: 'error', error: ownersRefusalAnswer(problem, 'Nothing was removed.') });
  }

  const claim = await deps.removals.claim(checked.request.id, click.userId, deps.clock.now(), deps.running.holder);
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

  const { holder } = deps.running;
  const execution = await deps.running.run(claim.request.id, (held) =>
    removeIfDue(deps, settings.policy, { account, iam }, claim.request, held),
  );
  if (execution.kind === 'claim_lost') {
    // Housekeeping elsewhere took the claim (this process looked dead) and may have handed the
    // request to a retry: whoever holds it now decides; nothing was deleted here.
    deps.logger.warn('a removal lost its claim before deleting; nothing was deleted', { requestId: claim.request.id });
    await auditFor(
      deps,
      click.userId,
      'removal_execute',
      claim.request,
      'refused',
      'not removed: the claim on the request was taken away (its heartbeat looked stale) before DeleteLoginProfile; nothing was changed in IAM',
    );
    return null;
  }
  const now = deps.clock.now();
  // The outcome, the user's new state and the closing of its open finding (which may be newer than
  // the one the request was made from) are stored together.
  const finished = await deps.removals.finish(
    claim.request.id,
    {
      state: execution.state,
      detail: execution.detail,
      fixed:
        execution.state === 'done' && execution.result !== null
          ? { result: execution.result, closedBy: click.userId }
          : null,
    },
    now,
    holder,
  );
  const outcome: AuditOutcome = execution.state === 'done' ? 'succeeded' : execution.state;
  if (finished.kind === 'unchanged') {
    deps.logger.warn('a removal ended after its claim was taken away; its outcome is not recorded on the request', {
      requestId: claim.request.id,
      state: finished.request.state,
    });
    await auditFor(
      deps,
      click.userId,
      'removal_execute',
      finished.request,
      outcome,
      withOwners(
        `not recorded on the request, which is ${finished.request.state} now (the claim was taken away meanwhile): ${execution.detail ?? 'no detail'}`,
        execution.owners,
      ),
    );
    return null;
  }
  if (finished.kind === 'corrected') {
    deps.logger.warn('a removal went through after its claim was taken away; it is recorded as done now', {
      requestId: claim.request.id,
      previous: finished.previous,
    });
  }
  const { request } = finished;
  await auditFor(deps, click.userId, 'removal_execute', request, outcome, withOwners(request.detail, execution.owners));
  if (finished.closedFindingId !== null) {
    await auditFor(deps, click.userId, 'finding_closed', request, 'succeeded', 'closed by an approved removal: fixed');
  }
  const facts: ApprovalUserFacts | null = execution.result === null ? null : approvalFacts(execution.result);
  await refreshApprovalMessage(deps, request, account, facts);
  const owner = execution.result === null ? null : await ownerSlackId(deps, execution.result);
  await tellPeople(deps, account, request, owner, finished.kind === 'corrected');
  if (execution.mfaAppeared && request.state === 'done') {
    await tellAboutMfa(deps, settings.approvers, account, request, owner);
  }
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
 * A request still without its approval message this long after it was created was cut off between
 * creating and posting (a crash, a kill), Slack's retries included.
 */
const UNPOSTED_AFTER_MS = 15 * 60_000;

/**
 * Housekeeping, run at start-up, before every scheduled scan and before every allowed request,
 * Approve or Deny: pending requests past their expiry become expired, removals cut off mid-way
 * (their claim's heartbeat older than CLAIM_STALE_AFTER_MS, in any process) become failed (an
 * approver may retry; the retry checks the user live again), and requests whose approval message
 * was never posted are dropped. Messages are updated, requesters told, and each change audited as
 * done by mfa-guard.
 */
export const tidyRemovals = async (deps: TidyDeps): Promise<number> => {
  const now = deps.clock.now();
  const expired = await deps.removals.expireDue(now);
  const interrupted = await deps.removals.failInterrupted(
    new Date(now.getTime() - CLAIM_STALE_AFTER_MS),
    'mfa-guard stopped while removing the console password (its process stopped reporting progress), so whether ' +
      'it was removed is not recorded here; a retry checks the user first',
    now,
    deps.running.ids(),
  );
  const unposted = await deps.removals.discardUnposted(new Date(now.getTime() - UNPOSTED_AFTER_MS));
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
  // Each request's messages name its own account; nothing here acts in AWS, so an account no
  // longer covered is still named.
  for (const request of [...expired, ...interrupted]) {
    let account;
    try {
      account = await accountRefOf(deps, request.accountId);
    } catch (error) {
      deps.logger.warn('could not name the account of a settled removal request; its messages stay as they were', {
        requestId: request.id,
        error: describeError(error),
      });
      continue;
    }
    await refreshApprovalMessage(deps, request, account, null);
    await tellPeople(deps, account, request, null);
  }
  return expired.length + interrupted.length;
};
