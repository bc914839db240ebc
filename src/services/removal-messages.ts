import type { ApprovalUserFacts } from '../domain/interaction-messages';
import { userKey } from '../domain/nudge-plan';
import type { Installation } from '../domain/organization';
import type { RemovalRequest } from '../domain/removal';
import type { AccountRef, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import type { SlackGateway } from '../ports/slack';
import type { ScanStore } from '../ports/stores';
import { buildApprovalMessage } from '../slack/blocks/approval-message';
import { resolveSlackOwners } from './resolve-slack-owners';

export const approvalFacts = (result: UserResult): ApprovalUserFacts => ({
  status: result.status,
  passwordLastUsed: result.passwordLastUsed,
  ownerSlackId: result.owner.kind === 'slack' ? result.owner.value : null,
  ownerText: result.owner.kind === 'email' ? result.owner.value : null,
});

/** The owner of a user as a reachable Slack user, found the way a scan finds owners to nudge. */
export const ownerSlackId = async (
  deps: { slack: SlackGateway; logger: Logger; installation: () => Promise<Installation> },
  result: UserResult,
): Promise<string | null> => {
  const owner = (await resolveSlackOwners(deps, [result])).get(userKey(result));
  return owner?.kind === 'slack' ? owner.slackId : null;
};

/** What refreshing an approval message needs. */
export interface ApprovalMessageDeps {
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly scans: Pick<ScanStore, 'userResults'>;
}

const storedFacts = async (
  deps: Pick<ApprovalMessageDeps, 'scans'>,
  request: RemovalRequest,
): Promise<ApprovalUserFacts | null> => {
  const result = (await deps.scans.userResults(request.accountId)).find(
    (r) => r.userName === request.userName && r.userId === request.userId,
  );
  return result === undefined ? null : approvalFacts(result);
};

/** Shows the request's current state on its approval message; a failure is logged, not thrown. */
export const refreshApprovalMessage = async (
  deps: ApprovalMessageDeps,
  request: RemovalRequest,
  account: AccountRef,
  facts: ApprovalUserFacts | null,
): Promise<void> => {
  if (request.approvalChannel === null || request.approvalTs === null) return;
  // Without fresh facts, the user as last scanned (or rechecked), if it is still the same user.
  const stored = facts ?? (await storedFacts(deps, request));
  try {
    const message = buildApprovalMessage({ request, account, user: stored, now: deps.clock.now() });
    await deps.slack.updateMessage(request.approvalChannel, request.approvalTs, message);
  } catch (error) {
    deps.logger.warn('could not update the approval message of a removal request', {
      requestId: request.id,
      error: describeError(error),
    });
  }
};

/** A link to the approval message, or null; only for showing, never needed. */
export const approvalLink = async (
  deps: { readonly slack: SlackGateway; readonly logger: Logger },
  request: RemovalRequest,
): Promise<string | null> => {
  if (request.approvalChannel === null || request.approvalTs === null) return null;
  try {
    return await deps.slack.permalink(request.approvalChannel, request.approvalTs);
  } catch (error) {
    deps.logger.debug('no permalink for an approval message', { requestId: request.id, error: describeError(error) });
    return null;
  }
};
