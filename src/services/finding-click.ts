import type { AuditAction } from '../domain/audit';
import { checkFailedWords } from '../domain/error-detail';
import type { Notice } from '../domain/interaction-messages';
import { parseFindingRef, parseUserRef } from '../domain/notifications';
import type { OwnersFile } from '../domain/owners';
import type { OwnersSnapshot } from '../domain/owners-snapshot';
import { isApprover } from '../domain/ownership';
import type { AccountRef, Finding } from '../domain/types';
import { describeError } from '../errors';
import type { AwsAccounts } from '../ports/accounts';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';
import type { Logger } from '../ports/logging';
import type { OwnersSource } from '../ports/owners';
import type { SlackGateway } from '../ports/slack';
import type { FindingStore, ScanStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { notCoveredWords, reachAccount } from './account-ref';
import { type CheckUserDeps, checkUserLive, type LiveCheck } from './check-user';
import type { InteractionSettings } from './interaction-settings';
import type { LiveCheckLimiter } from './live-check-limiter';
import { type OwnerOnRecordDeps, storedOwnerOf } from './owner-on-record';
import { recordAudit } from './record-audit';
import type { AuditSink } from './refusal-audit';
import { lookupViewer, type ViewerDeps, viewerOwns } from './viewer';

export interface ButtonClick {
  readonly userId: string;
  readonly value: string;
  /** The message the button is on; null when it is not a message (App Home, a modal). */
  readonly message: { readonly channel: string; readonly ts: string } | null;
}

/** What a live check of one user needs, besides its account's gateway. */
export interface LiveCheckDeps {
  readonly clock: Clock;
  /** Read once per use case, so one decision never mixes two versions of the file. */
  readonly owners: OwnersSource;
  readonly findings: Pick<FindingStore, 'open'>;
}

/** A live check in one account, with that account's gateway. */
export const liveDeps = (deps: LiveCheckDeps, iam: IamGateway, ownersFile: OwnersFile): CheckUserDeps => ({
  iam,
  clock: deps.clock,
  ownersFile,
  openFindings: (accountId: string) => deps.findings.open(accountId),
});

/** What deciding on a Recheck or a removal request click needs. */
export interface FindingClickDeps extends LiveCheckDeps, OwnerOnRecordDeps, ViewerDeps {
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly audit: AuditSink;
  readonly scans: Pick<ScanStore, 'userResults' | 'usersNamed' | 'accountNames'>;
  readonly findings: Pick<FindingStore, 'open' | 'get' | 'recordedOwners'>;
  /** The accounts the bot covers: a click acts in its user's account, with that account's credentials. */
  readonly accounts: Pick<AwsAccounts, 'home' | 'target'>;
  readonly liveChecks: LiveCheckLimiter;
}

/** The IAM user a button is about, and its finding when one is (or was) open. */
export interface ClickTarget {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly finding: Finding | null;
}

/** The user's open finding, if it is still this user's (same UserId). */
export const openFindingOf = async (
  findings: Pick<FindingStore, 'open'>,
  accountId: string,
  userName: string,
  userId: string,
): Promise<Finding | null> =>
  (await findings.open(accountId)).find((f) => f.userName === userName && f.userId === userId) ?? null;

/**
 * What a button's value points at: a finding (`finding:<id>`, in its own account), or a user no
 * finding was open for when the button was made (`user:<accountId>:<UserId>:<name>`; a value made
 * before accounts were named is the home account's). No IAM call, unless the home account's id is
 * not known yet.
 */
const resolveTarget = async (
  deps: Pick<FindingClickDeps, 'findings' | 'accounts'>,
  value: string,
): Promise<ClickTarget | null> => {
  const id = parseFindingRef(value);
  if (id !== null) {
    const finding = await deps.findings.get(id);
    if (finding === null) return null;
    return { accountId: finding.accountId, userName: finding.userName, userId: finding.userId, finding };
  }
  const user = parseUserRef(value);
  if (user === null) return null;
  const accountId = user.accountId ?? (await deps.accounts.home()).accountId;
  return {
    accountId,
    userName: user.userName,
    userId: user.userId,
    finding: await openFindingOf(deps.findings, accountId, user.userName, user.userId),
  };
};

export type FindingClick =
  | {
      readonly kind: 'allowed';
      readonly account: AccountRef;
      readonly target: ClickTarget;
      readonly live: LiveCheck;
      /** The owners file the live check used. */
      readonly owners: OwnersSnapshot;
      /** Whether the clicker is an approver: only approvers see AWS error text. */
      readonly approver: boolean;
    }
  /** Refused, over a limit or failed: the reply, and the notice it was built from (a DM reply words it as one line). */
  | { readonly kind: 'answered'; readonly reply: SlackMessage; readonly notice: Notice };

/**
 * What a Recheck or a "Remove console access…" click is about, and whether the clicker may act.
 * Decided before any AWS call, from APPROVERS and the owner on record (owners file, the finding's
 * recorded owner, the last stored state), so a click by someone else costs no IAM call and learns
 * nothing; then the live check, within the rate limits, and an owner it knows for certain must
 * still be the clicker. A refusal is audited under `action` and changes nothing else.
 */
export const authorizeFindingClick = async (
  deps: FindingClickDeps,
  settings: Pick<InteractionSettings, 'policy' | 'approvers'>,
  click: ButtonClick,
  action: Extract<AuditAction, 'recheck' | 'removal_request'>,
): Promise<FindingClick> => {
  const answered = (notice: Notice): FindingClick => ({ kind: 'answered', reply: buildNotice(notice), notice });
  const refuse = async (
    accountId: string | null,
    userName: string | null,
    detail: string,
    notice: Notice,
  ): Promise<FindingClick> => {
    await recordAudit(deps, {
      at: deps.clock.now(),
      actor: click.userId,
      action,
      accountId,
      userName,
      outcome: 'refused',
      detail,
      requestId: null,
    });
    return answered(notice);
  };
  const notAllowed: Notice = { kind: 'not_allowed', action: action === 'recheck' ? 'recheck' : 'request_removal' };
  const approver = isApprover(settings.approvers, click.userId);
  const failed = (error: unknown, userName: string | null): FindingClick => {
    deps.logger.warn('a live check for a button failed', { user: click.userId, userName, error: describeError(error) });
    const shown = approver ? describeError(error) : checkFailedWords(userName ?? 'the IAM user');
    return answered({ kind: 'error', error: shown });
  };

  // Who may act is judged on what is stored about the user's own account, before any AWS call.
  let target: ClickTarget | null;
  try {
    target = await resolveTarget(deps, click.value);
  } catch (error) {
    return failed(error, null);
  }
  if (target === null) return refuse(null, null, 'unknown button value', { kind: 'unknown_button' });

  // Read once: the same copy decides who may act and evaluates the user live.
  const owners = await deps.owners.current();
  const lookup = lookupViewer(deps, click.userId);
  if (!approver) {
    const owner = await storedOwnerOf(deps, owners.ownersFile, target);
    if (owner === null)
      return refuse(target.accountId, target.userName, 'no record names its owner (approvers only)', notAllowed);
    if (!(await viewerOwns(lookup, owner)))
      return refuse(target.accountId, target.userName, 'not the owner or an approver', notAllowed);
  }
  // Only with the user's own account's credentials; an account the bot no longer covers is never
  // acted on (with its old stored data, or through another account's gateway).
  let reached;
  try {
    reached = await reachAccount(deps, target.accountId);
  } catch (error) {
    return failed(error, target.userName);
  }
  if (reached === null) {
    return refuse(target.accountId, target.userName, `AWS account ${target.accountId} is not covered`, {
      kind: 'error',
      error: notCoveredWords(target.accountId),
    });
  }
  const { account, iam } = reached;
  const take = deps.liveChecks.take(click.userId, approver);
  if (take.kind === 'limited') {
    return refuse(target.accountId, target.userName, 'rate limited: too many live checks', {
      kind: 'rate_limited',
      retryAt: take.retryAt,
      now: deps.clock.now(),
    });
  }

  let live: LiveCheck;
  try {
    live = await checkUserLive(liveDeps(deps, iam, owners.ownersFile), settings.policy, account, target.userName);
  } catch (error) {
    return failed(error, target.userName);
  }
  if (
    !approver &&
    live.kind === 'checked' &&
    live.result.userId === target.userId &&
    live.ownerKnown &&
    !(await viewerOwns(lookup, live.result.owner))
  ) {
    return refuse(target.accountId, target.userName, 'not the owner (the live check found another owner)', notAllowed);
  }
  return { kind: 'allowed', account, target, live, owners, approver };
};
