/**
 * The "Show CLI steps" button: a modal with the AWS CLI walkthrough for one IAM user. Slack gives a
 * click's trigger_id 3 seconds, so the modal opens first (a short loading view) and is filled in
 * after: no IAM call is ever made before views.open. The steps and who may see them come from what
 * the bot stored (the finding, the user's stored state); only for a user no scan has stored yet
 * (a `user:` button from /mfa-status) is the user checked live, once the modal is open. Only the
 * owner or an approver gets the steps; anyone else gets a short refusal in the same modal.
 */
import { parseFindingRef, parseUserRef } from '../domain/notifications';
import { isApprover } from '../domain/ownership';
import { partitionFromArn } from '../domain/partition';
import type { AccountRef, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';
import type { Logger } from '../ports/logging';
import type { OwnersSource } from '../ports/owners';
import type { SlackGateway } from '../ports/slack';
import type { FindingStore, ScanStore } from '../ports/stores';
import { buildStepsView, type StepsViewInput } from '../slack/blocks/cli-steps-view';
import { checkUserLive } from './check-user';
import { liveDeps } from './finding-click';
import type { InteractionSettings } from './interaction-settings';
import { lookupViewer, mayActOn } from './viewer';

/** Who clicked Show CLI steps, on which button value, and the click's trigger_id (for views.open). */
export interface StepsClick {
  readonly userId: string;
  readonly value: string;
  readonly triggerId: string;
}

export interface ShowStepsDeps {
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly findings: Pick<FindingStore, 'get' | 'open'>;
  readonly scans: Pick<ScanStore, 'userResults'>;
  /** The AWS account the IAM credentials reach; asked only once the modal is open. */
  readonly account: () => Promise<AccountRef>;
  /** For the live check of a user no scan has stored, once the modal is open. */
  readonly iam: IamGateway;
  readonly clock: Clock;
  /** Read only for that live check: the file as it is now, or its last good copy. */
  readonly owners: OwnersSource;
}

interface Target {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
}

/** The IAM user a button value points at: a finding by id, or a user no finding was open for yet. */
const targetOf = async (deps: ShowStepsDeps, value: string): Promise<Target | null> => {
  const id = parseFindingRef(value);
  if (id !== null) {
    const finding = await deps.findings.get(id);
    return finding === null
      ? null
      : { accountId: finding.accountId, userName: finding.userName, userId: finding.userId };
  }
  const user = parseUserRef(value);
  return user === null ? null : { accountId: (await deps.account()).accountId, ...user };
};

/** The user as stored (last scan or Recheck); checked live only when nothing is stored, and still the same UserId. */
const stateOf = async (
  deps: ShowStepsDeps,
  settings: Pick<InteractionSettings, 'policy'>,
  target: Target,
): Promise<UserResult | null> => {
  const matches = (r: UserResult): boolean => r.userName === target.userName && r.userId === target.userId;
  const stored = (await deps.scans.userResults(target.accountId)).find(matches);
  if (stored !== undefined) return stored;
  const account = await deps.account();
  if (account.accountId !== target.accountId) return null;
  const live = await checkUserLive(
    liveDeps(deps, (await deps.owners.current()).ownersFile),
    settings.policy,
    account,
    target.userName,
  );
  return live.kind === 'checked' && matches(live.result) ? live.result : null;
};

/** What the modal should show this clicker. */
const decide = async (
  deps: ShowStepsDeps,
  settings: Pick<InteractionSettings, 'approvers' | 'policy'>,
  click: StepsClick,
): Promise<StepsViewInput> => {
  const target = await targetOf(deps, click.value);
  if (target === null) return { kind: 'unknown' };
  const state = await stateOf(deps, settings, target);
  // With no known state there is no owner to match: only an approver may see the steps.
  const allowed =
    state === null
      ? isApprover(settings.approvers, click.userId)
      : await mayActOn(settings.approvers, lookupViewer(deps.slack, deps.logger, click.userId), state.owner);
  if (!allowed) {
    deps.logger.info('Show CLI steps refused: not the owner or an approver', {
      user: click.userId,
      userName: target.userName,
    });
    return { kind: 'not_allowed', userName: target.userName };
  }
  const partition = (state === null ? null : partitionFromArn(state.arn)) ?? (await deps.account()).partition;
  return { kind: 'steps', account: { accountId: target.accountId, partition }, userName: target.userName };
};

export const showCliSteps = async (
  deps: ShowStepsDeps,
  settings: Pick<InteractionSettings, 'approvers' | 'policy'>,
  click: StepsClick,
): Promise<void> => {
  // First, before anything else: the trigger_id expires 3 seconds after the click.
  const viewId = await deps.slack.openView(click.triggerId, buildStepsView({ kind: 'loading' }));
  let content: StepsViewInput;
  try {
    content = await decide(deps, settings, click);
  } catch (error) {
    deps.logger.error('could not build the CLI steps', { user: click.userId, error: describeError(error) });
    content = { kind: 'error', error: describeError(error) };
  }
  await deps.slack.updateView(viewId, buildStepsView(content));
};
