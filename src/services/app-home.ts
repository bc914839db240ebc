import type { PendingRemovalLink } from '../domain/interaction-messages';
import { isApprover } from '../domain/ownership';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import type { SlackGateway } from '../ports/slack';
import type { RemovalStore } from '../ports/stores';
import { buildHomeView } from '../slack/blocks/home-view';
import type { InteractionSettings } from './interaction-settings';
import { approvalLink } from './removal-messages';
import { accountOverviews, knownAccountIds, lastScanInfo, type StatusViewDeps, viewerUsersIn } from './status-views';
import { lookupViewer, type ViewerDeps } from './viewer';

/** More pending requests than this are counted, not linked: one chat.getPermalink call each. */
const LINKED_REQUESTS_MAX = 20;

/**
 * Publishes the viewer's App Home: their users with findings in every scanned account and the last
 * scan; approvers also see each account's counts and the open removal requests (linked, never with
 * Approve / Deny buttons).
 */
export interface AppHomeDeps extends StatusViewDeps, ViewerDeps {
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly removals: Pick<RemovalStore, 'open'>;
}

export const publishAppHome = async (
  deps: AppHomeDeps,
  settings: Pick<InteractionSettings, 'approvers'>,
  userId: string,
): Promise<void> => {
  const now = deps.clock.now();
  const accountIds = await knownAccountIds(deps);
  const isAnApprover = isApprover(settings.approvers, userId);
  const { users, emailUnknown, ownerUnknown } = await viewerUsersIn(
    deps,
    lookupViewer(deps, userId),
    accountIds,
    isAnApprover,
  );
  let approver = null;
  if (isAnApprover) {
    const open = await deps.removals.open(now);
    const pending: PendingRemovalLink[] = [];
    for (const [index, request] of open.entries()) {
      pending.push({ request, link: index < LINKED_REQUESTS_MAX ? await approvalLink(deps, request) : null });
    }
    approver = { overviews: await accountOverviews(deps, accountIds), pending };
  }
  await deps.slack.publishHome(
    userId,
    buildHomeView({ users, lastScan: await lastScanInfo(deps), emailUnknown, ownerUnknown, approver, now }),
  );
};
