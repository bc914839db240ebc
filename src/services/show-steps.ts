/**
 * The "Show CLI steps" button: a modal with the AWS CLI walkthrough for one IAM user. Slack gives a
 * click's trigger_id 3 seconds, so the modal opens first (a short loading view) and is filled in
 * after. Who may see the steps is decided as for any click, from APPROVERS and the owner on record
 * (owners file, the finding, the last scan), with no IAM call at all: the steps need only the
 * user's name and the account's partition. Anyone else gets a short refusal in the same modal.
 */
import { parseFindingRef, parseUserRef } from '../domain/notifications';
import { isApprover } from '../domain/ownership';
import { partitionFromArn } from '../domain/partition';
import { describeError } from '../errors';
import type { AwsAccounts } from '../ports/accounts';
import type { Logger } from '../ports/logging';
import type { OwnersSource } from '../ports/owners';
import type { SlackGateway } from '../ports/slack';
import type { FindingStore, ScanStore } from '../ports/stores';
import { buildStepsView, type StepsViewInput } from '../slack/blocks/cli-steps-view';
import type { InteractionSettings } from './interaction-settings';
import { type OwnerOnRecordDeps, storedOwnerOf } from './owner-on-record';
import { lookupViewer, type ViewerDeps, viewerOwns } from './viewer';

/** Who clicked Show CLI steps, on which button value, and the click's trigger_id (for views.open). */
export interface StepsClick {
  readonly userId: string;
  readonly value: string;
  readonly triggerId: string;
}

export interface ShowStepsDeps extends OwnerOnRecordDeps, ViewerDeps {
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly findings: Pick<FindingStore, 'get' | 'recordedOwners'>;
  readonly scans: Pick<ScanStore, 'userResults' | 'usersNamed' | 'accountNames'>;
  /** The home account: what a button value made before accounts were named means, and the partition. */
  readonly accounts: Pick<AwsAccounts, 'home'>;
  /** Read once per click, for the owner on record. */
  readonly owners: OwnersSource;
}

interface Target {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
}

/**
 * The IAM user a button value points at: a finding by id, or a user no finding was open for yet in
 * the account the value names (the home account for a value made before accounts were named).
 */
const targetOf = async (deps: ShowStepsDeps, value: string): Promise<Target | null> => {
  const id = parseFindingRef(value);
  if (id !== null) {
    const finding = await deps.findings.get(id);
    return finding === null
      ? null
      : { accountId: finding.accountId, userName: finding.userName, userId: finding.userId };
  }
  const user = parseUserRef(value);
  if (user === null) return null;
  return {
    accountId: user.accountId ?? (await deps.accounts.home()).accountId,
    userName: user.userName,
    userId: user.userId,
  };
};

/** What the modal should show this clicker. */
const decide = async (
  deps: ShowStepsDeps,
  settings: Pick<InteractionSettings, 'approvers'>,
  click: StepsClick,
): Promise<StepsViewInput> => {
  const approver = isApprover(settings.approvers, click.userId);
  const target = await targetOf(deps, click.value);
  if (target === null) return { kind: 'unknown' };
  if (!approver) {
    const owner = await storedOwnerOf(deps, (await deps.owners.current()).ownersFile, target);
    if (owner === null || !(await viewerOwns(lookupViewer(deps, click.userId), owner))) {
      deps.logger.info('Show CLI steps refused: not the owner on record or an approver', {
        user: click.userId,
        userName: target.userName,
      });
      return { kind: 'not_allowed', userName: target.userName };
    }
  }
  const state = (await deps.scans.userResults(target.accountId)).find(
    (r) => r.userName === target.userName && r.userId === target.userId,
  );
  // The user's own ARN says its account's partition; the home account's is every covered account's.
  const partition =
    (state === undefined ? null : partitionFromArn(state.arn)) ?? (await deps.accounts.home()).partition;
  const names = await deps.scans.accountNames(target.accountId);
  return { kind: 'steps', account: { accountId: target.accountId, partition, ...names }, userName: target.userName };
};

export const showCliSteps = async (
  deps: ShowStepsDeps,
  settings: Pick<InteractionSettings, 'approvers'>,
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
