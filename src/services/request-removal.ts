import { checkFailedWords } from '../domain/error-detail';
import type { Notice } from '../domain/interaction-messages';
import { ownersRefusal, ownersRefusalAnswer } from '../domain/owners-snapshot';
import { removalExpiry } from '../domain/removal';
import { describeError } from '../errors';
import type { RemovalStore } from '../ports/stores';
import { buildApprovalMessage } from '../slack/blocks/approval-message';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { type TidyDeps, tidyRemovals } from './decide-removal';
import { authorizeFindingClick, type ButtonClick, type FindingClickDeps } from './finding-click';
import type { InteractionSettings } from './interaction-settings';
import { recordAudit } from './record-audit';
import { approvalFacts, approvalLink } from './removal-messages';

export interface RequestRemovalDeps extends FindingClickDeps, TidyDeps {
  readonly removals: RemovalStore;
  readonly scans: FindingClickDeps['scans'];
}

/**
 * "Remove console access…" (after its confirm dialog): the owner or an approver asks the approvers
 * to remove the user's console password. Nothing is deleted here; the request is posted to the
 * approval channel. Returns the reply for the person who asked.
 */
export const requestRemoval = async (
  deps: RequestRemovalDeps,
  settings: Pick<
    InteractionSettings,
    'policy' | 'approvers' | 'removalEnabled' | 'approvalChannel' | 'removalRequestTtlHours'
  >,
  click: ButtonClick,
): Promise<SlackMessage> => {
  const notice = (n: Notice): SlackMessage => buildNotice(n);
  const audit = async (fields: {
    accountId: string | null;
    userName: string | null;
    outcome: 'succeeded' | 'refused' | 'failed' | 'not_needed';
    detail: string;
    requestId?: number;
  }): Promise<void> =>
    recordAudit(deps, {
      at: deps.clock.now(),
      actor: click.userId,
      action: 'removal_request',
      requestId: null,
      ...fields,
    });

  if (!settings.removalEnabled) {
    await audit({ accountId: null, userName: null, outcome: 'refused', detail: 'REMOVAL_ENABLED is false' });
    return notice({ kind: 'removal_disabled' });
  }
  const checked = await authorizeFindingClick(deps, settings, click, 'removal_request');
  if (checked.kind === 'answered') return checked.reply;
  const { account, target, live, owners, approver } = checked;
  const { userName } = target;
  if (owners.problem !== null) {
    const why = ownersRefusal(owners.problem);
    await audit({ accountId: account.accountId, userName, outcome: 'refused', detail: why });
    return notice({ kind: 'error', error: ownersRefusalAnswer(owners.problem, 'Nothing was requested.') });
  }
  if (live.kind === 'not_found' || live.result.userId !== target.userId) {
    await audit({
      accountId: account.accountId,
      userName,
      outcome: 'not_needed',
      detail: 'the user was deleted or recreated',
    });
    return notice({ kind: 'user_gone', userName });
  }
  const { result } = live;
  if (result.status === 'error') {
    const why = `IAM user ${userName} could not be checked just now: ${result.reason ?? 'unknown error'}`;
    await audit({ accountId: account.accountId, userName, outcome: 'failed', detail: why });
    // The AWS error is in the audit log; only approvers are shown it.
    const shown = approver
      ? `${why}. Nothing was requested; try again in a few minutes.`
      : `${checkFailedWords(userName)} Nothing was requested.`;
    return notice({ kind: 'error', error: shown });
  }
  if (result.status !== 'non_compliant') {
    await audit({
      accountId: account.accountId,
      userName,
      outcome: 'not_needed',
      detail: `the user is ${result.status} now`,
    });
    return notice({ kind: 'removal_not_needed', result });
  }

  // Overdue requests are settled (audited, messages updated) before a new one is weighed against them.
  await tidyRemovals(deps);
  const now = deps.clock.now();
  // The store records the user's finding open now: the button may be on an older DM whose finding was closed since.
  const created = await deps.removals.create(
    {
      accountId: account.accountId,
      userName: result.userName,
      userId: result.userId,
      requestedBy: click.userId,
      requestedAt: now,
      expiresAt: removalExpiry(now, settings.removalRequestTtlHours),
    },
    now,
  );
  if (created.kind === 'already_open') {
    await audit({
      accountId: account.accountId,
      userName,
      outcome: 'refused',
      detail: `request #${created.request.id} is already open`,
      requestId: created.request.id,
    });
    return notice({
      kind: 'removal_already_open',
      request: created.request,
      link: await approvalLink(deps, created.request),
    });
  }

  const { request } = created;
  let posted;
  try {
    posted = await deps.slack.postMessage(
      settings.approvalChannel,
      buildApprovalMessage({ request, account, user: approvalFacts(result), now }),
    );
  } catch (error) {
    // Nobody saw the request, so nobody could approve it: it is removed rather than left pending.
    await deps.removals.discard(request.id);
    await audit({
      accountId: account.accountId,
      userName,
      outcome: 'failed',
      detail: `could not post to the approval channel: ${describeError(error)}`,
      requestId: request.id,
    });
    return notice({ kind: 'removal_post_failed', error: describeError(error) });
  }
  const stored = await deps.removals.setApprovalMessage(request.id, posted);
  await audit({
    accountId: account.accountId,
    userName,
    outcome: 'succeeded',
    detail: `request #${request.id} posted for approval`,
    requestId: request.id,
  });
  return notice({ kind: 'removal_pending', request: stored, link: await approvalLink(deps, stored) });
};
