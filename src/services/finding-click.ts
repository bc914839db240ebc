import type { AuditAction } from '../domain/audit';
import { checkFailedWords } from '../domain/error-detail';
import type { Notice } from '../domain/interaction-messages';
import { parseFindingRef, parseUserRef } from '../domain/notifications';
import type { OwnersFile } from '../domain/owners';
import type { OwnersSnapshot } from '../domain/owners-snapshot';
import { isApprover } from '../domain/ownership';
import type { AccountRef, Finding } from '../domain/types';
import { describeError } from '../errors';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';
import type { Logger } from '../ports/logging';
import type { OwnersSource } from '../ports/owners';
import type { SlackGateway } from '../ports/slack';
import type { FindingStore, ScanStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
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

/** What a live check of one user needs. */
export interface LiveCheckDeps {
  readonly iam: IamGateway;
  readonly clock: Clock;
  /** Read once per use case, so one decision never mixes two versions of the file. */
  readonly owners: OwnersSource;
  readonly findings: Pick<FindingStore, 'open'>;
}

export const liveDeps = (deps: LiveCheckDeps, ownersFile: OwnersFile): CheckUserDeps => ({
  iam: deps.iam,
  clock: deps.clock,
  ownersFile,
  openFindings: (accountId: string) => deps.findings.open(accountId),
});

/** What deciding on a Recheck or a removal request click needs. */
export interface FindingClickDeps extends LiveCheckDeps, OwnerOnRecordDeps, ViewerDeps {
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly audit: AuditSink;
  readonly scans: Pick<ScanStore, 'userResults' | 'lastScan' | 'accountAlias'>;
  readonly findings: Pick<FindingStore, 'open' | 'get' | 'recordedOwners'>;
  /** The AWS account the IAM credentials reach (asked once, then remembered). */
  readonly account: () => Promise<AccountRef>;
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
 * What a button's value points at, in account `accountId`: a finding (`finding:<id>`), or a user
 * no finding was open for when the button was made (`user:<UserId>:<name>`).
 */
const resolveTarget = async (
  deps: Pick<FindingClickDeps, 'findings'>,
  value: string,
  accountId: string,
): Promise<ClickTarget | null> => {
  const id = parseFindingRef(value);
  if (id !== null) {
    const finding = await deps.findings.get(id);
    if (finding === null || finding.accountId !== accountId) return null;
    return { accountId: finding.accountId, userName: finding.userName, userId: finding.userId, finding };
  }
  const user = parseUserRef(value);
  if (user === null) return null;
  return {
    accountId,
    ...user,
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

  // An approver acts on the account the credentials reach; anyone else is judged on what is
  // stored about the account of the last scan, before any AWS call.
  let account: AccountRef | null = null;
  if (approver) {
    try {
      account = await deps.account();
    } catch (error) {
      return failed(error, null);
    }
  }
  const accountId = account?.accountId ?? (await deps.scans.lastScan())?.accountId ?? null;
  const target = accountId === null ? null : await resolveTarget(deps, click.value, accountId);
  if (target === null) return refuse(accountId, null, 'unknown button value', { kind: 'unknown_button' });

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
  const take = deps.liveChecks.take(click.userId, approver);
  if (take.kind === 'limited') {
    return refuse(target.accountId, target.userName, 'rate limited: too many live checks', {
      kind: 'rate_limited',
      retryAt: take.retryAt,
      now: deps.clock.now(),
    });
  }
  if (account === null) {
    try {
      account = await deps.account();
    } catch (error) {
      return failed(error, target.userName);
    }
  }
  // What is stored about another AWS account (a database reused after the credentials changed) is
  // never acted on with these credentials.
  if (account.accountId !== target.accountId) {
    return refuse(
      account.accountId,
      null,
      `the button is for AWS account ${target.accountId}, not ${account.accountId}`,
      { kind: 'unknown_button' },
    );
  }

  let live: LiveCheck;
  try {
    live = await checkUserLive(liveDeps(deps, owners.ownersFile), settings.policy, account, target.userName);
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
