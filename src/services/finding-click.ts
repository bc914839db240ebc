import type { AuditAction } from '../domain/audit';
import { parseFindingRef, parseUserRef } from '../domain/notifications';
import type { OwnersFile } from '../domain/owners';
import type { OwnersSnapshot } from '../domain/owners-snapshot';
import type { AccountRef, Finding, Owner } from '../domain/types';
import { describeError } from '../errors';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';
import type { Logger } from '../ports/logging';
import type { OwnersSource } from '../ports/owners';
import type { SlackGateway } from '../ports/slack';
import type { AuditLog, FindingStore, ScanStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { type CheckUserDeps, checkUserLive, type LiveCheck } from './check-user';
import type { InteractionSettings } from './interaction-settings';
import { recordAudit } from './record-audit';
import { lookupViewer, mayActOn } from './viewer';

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
export interface FindingClickDeps extends LiveCheckDeps {
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly audit: AuditLog;
  readonly scans: Pick<ScanStore, 'userResults'>;
  readonly findings: Pick<FindingStore, 'open' | 'get'>;
  /** The AWS account the IAM credentials reach (asked once, then remembered). */
  readonly account: () => Promise<AccountRef>;
}

/** The IAM user a button is about, and its finding when one is (or was) open. */
export interface ClickTarget {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly finding: Finding | null;
}

/**
 * The owner who may act on the user: the live one; the last one stored when the user is gone, or
 * when its tags could not be read just now (an IAM hiccup must not lock its owner out).
 */
const ownerFor = async (
  deps: Pick<FindingClickDeps, 'scans'>,
  target: ClickTarget,
  live: LiveCheck,
): Promise<Owner | null> => {
  const stored = async (): Promise<Owner | null> =>
    (await deps.scans.userResults(target.accountId)).find(
      (r) => r.userName === target.userName && r.userId === target.userId,
    )?.owner ?? null;
  if (live.kind === 'checked' && live.result.userId === target.userId) {
    return live.result.status === 'error' ? ((await stored()) ?? live.result.owner) : live.result.owner;
  }
  return stored();
};

/** The user's open finding, if it is still this user's (same UserId). */
export const openFindingOf = async (
  findings: Pick<FindingStore, 'open'>,
  accountId: string,
  userName: string,
  userId: string,
): Promise<Finding | null> =>
  (await findings.open(accountId)).find((f) => f.userName === userName && f.userId === userId) ?? null;

/**
 * What a button's value points at, for the account the bot watches: a finding (`finding:<id>`),
 * or a user no finding was open for when the button was made (`user:<UserId>:<name>`).
 */
const resolveTarget = async (
  deps: Pick<FindingClickDeps, 'findings'>,
  value: string,
  account: AccountRef,
): Promise<ClickTarget | null> => {
  const id = parseFindingRef(value);
  if (id !== null) {
    const finding = await deps.findings.get(id);
    if (finding === null || finding.accountId !== account.accountId) return null;
    return { accountId: finding.accountId, userName: finding.userName, userId: finding.userId, finding };
  }
  const user = parseUserRef(value);
  if (user === null) return null;
  return {
    accountId: account.accountId,
    ...user,
    finding: await openFindingOf(deps.findings, account.accountId, user.userName, user.userId),
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
    }
  | { readonly kind: 'answered'; readonly reply: SlackMessage };

/**
 * What a Recheck or a "Remove console access…" click is about, and whether the clicker may act:
 * the finding or user in the button (of this account only), the user checked live, and the owner
 * or an approver. A refusal is audited under `action` and changes nothing else.
 */
export const authorizeFindingClick = async (
  deps: FindingClickDeps,
  settings: Pick<InteractionSettings, 'policy' | 'approvers'>,
  click: ButtonClick,
  action: Extract<AuditAction, 'recheck' | 'removal_request'>,
): Promise<FindingClick> => {
  const answered = (reply: SlackMessage): FindingClick => ({ kind: 'answered', reply });
  const refuse = async (
    accountId: string,
    userName: string | null,
    detail: string,
    reply: SlackMessage,
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
    return answered(reply);
  };
  let account: AccountRef;
  try {
    account = await deps.account();
  } catch (error) {
    return answered(buildNotice({ kind: 'error', error: describeError(error) }));
  }
  const target = await resolveTarget(deps, click.value, account);
  if (target === null)
    return refuse(account.accountId, null, 'unknown button value', buildNotice({ kind: 'unknown_button' }));

  const owners = await deps.owners.current();
  let live: LiveCheck;
  try {
    live = await checkUserLive(liveDeps(deps, owners.ownersFile), settings.policy, account, target.userName);
  } catch (error) {
    return answered(buildNotice({ kind: 'error', error: describeError(error) }));
  }
  const owner = await ownerFor(deps, target, live);
  const lookup = lookupViewer(deps.slack, deps.logger, click.userId);
  const allowed =
    owner === null ? settings.approvers.includes(click.userId) : await mayActOn(settings.approvers, lookup, owner);
  if (!allowed) {
    const what = action === 'recheck' ? 'recheck' : 'request_removal';
    return refuse(
      account.accountId,
      target.userName,
      'not the owner or an approver',
      buildNotice({ kind: 'not_allowed', action: what }),
    );
  }
  return { kind: 'allowed', account, target, live, owners };
};
