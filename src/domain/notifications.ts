/**
 * What the Slack messages of one scan are built from. Pure data: the notify service fills these in
 * (after resolving owners in Slack) and src/slack/blocks turns them into Block Kit.
 */
import type { FailedAccount, ScanIssue } from './scan';
import type { AccountRef, NewFinding, StatusCounts, Strategy, UserResult } from './types';

/** One offending IAM user as a message shows it. `ref` is the opaque button value (see findingRef). */
export interface MessageUser {
  readonly user: UserResult;
  readonly ref: string;
}

/** Why an offender has nobody in Slack to nudge. */
export type UnownedReason =
  | { readonly kind: 'no_owner' }
  | { readonly kind: 'not_in_slack'; readonly owner: string }
  | { readonly kind: 'deactivated'; readonly owner: string }
  | { readonly kind: 'lookup_failed'; readonly owner: string; readonly error: string };

/** Users of one AWS account, as a message groups them. */
export interface AccountUsers<U = MessageUser> {
  readonly account: AccountRef;
  readonly users: readonly U[];
}

/**
 * One DM to one owner: every current offender of theirs, grouped by account (in the run's order),
 * most urgent first within each. A single group reads as the DM of a one-account scan.
 */
export interface NudgeMessageInput {
  readonly ownerSlackId: string;
  readonly groups: readonly AccountUsers[];
  readonly now: Date;
  /** false in notify-only deployments: no "Remove console access…" button. */
  readonly removalEnabled: boolean;
}

export interface UnownedOffender extends MessageUser {
  readonly why: UnownedReason;
}

export interface EscalatedOffender {
  readonly user: UserResult;
  /** What the escalation counts from: the start of the user's finding chain (see Escalation.since). */
  readonly since: Date;
  /** The owner to mention, when they are a reachable Slack user. */
  readonly ownerSlackId: string | null;
  readonly newlyEscalated: boolean;
}

export interface FailedDm {
  /** Slack user ID, or the email / owner text when the DM never got that far. */
  readonly recipient: string;
  /** The users the DM was about; each user is qualified by its account in a many-account summary. */
  readonly users: readonly Pick<UserResult, 'accountId' | 'userName'>[];
  readonly error: string;
}

/** One completed account of a run: what its line (or, alone, the whole head) of the summary says. */
export interface AccountRunLine {
  readonly account: AccountRef;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly strategy: Strategy;
  readonly counts: StatusCounts;
  /** Findings the scan opened that start a chain; reopened ones are not counted here. */
  readonly newSinceLastScan: number;
  readonly fixedSinceLastScan: number;
  readonly rootWithoutMfa: boolean;
}

/** A problem that did not stop an account's scan, with the account it is about. */
export interface AccountIssue extends ScanIssue {
  readonly accountId: string;
}

/**
 * The security channel's one message per run. Users are labelled with their account through
 * `accounts` (every user's accountId is one of them); a run of one account reads as before.
 */
export interface ScanSummaryInput {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** Accounts the run could not scan: shown first, each with what to do. */
  readonly failedAccounts: readonly FailedAccount[];
  /** Every completed account, in the run's order. */
  readonly accounts: readonly AccountRunLine[];
  /** Users whose new finding continues a chain: MFA was on only briefly since their last finding. */
  readonly reopened: readonly Pick<NewFinding, 'accountId' | 'userName' | 'chainStartedAt'>[];
  readonly unowned: readonly UnownedOffender[];
  readonly escalated: readonly EscalatedOffender[];
  readonly escalateAfterDays: number;
  /** Users in status `exempt`, with `reason` saying who decided and why: an exemption is a standing risk. */
  readonly exemptUsers: readonly UserResult[];
  /** Users in status `error`, with `reason` saying why. */
  readonly errorUsers: readonly UserResult[];
  /** Problems that did not stop the scans. */
  readonly issues: readonly AccountIssue[];
  readonly failedDms: readonly FailedDm[];
  readonly removalEnabled: boolean;
  readonly now: Date;
}

/** A run in which no account completed. */
export interface FailedScanSummaryInput {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** What went wrong and what to do, already in words a person can act on. */
  readonly message: string;
  readonly hint: string | null;
  /** Each account that failed, with its own error and hint; empty when the accounts could not be listed. */
  readonly accounts: readonly FailedAccount[];
}

const FINDING_REF = /^finding:([1-9]\d{0,15})$/;

/** The button value for an open finding: an id the bot resolves later, never text a user could bend. */
export const findingRef = (findingId: number): string => `finding:${findingId}`;

export const parseFindingRef = (value: string): number | null => {
  const match = FINDING_REF.exec(value);
  return match?.[1] === undefined ? null : Number(match[1]);
};

// An AWS account id, an IAM UserId (e.g. AIDA…, at most 128 characters) and an IAM user name.
const USER_REF = /^user:(?:(\d{12}):)?([A-Z0-9]{16,128}):([A-Za-z0-9+=,.@_-]{1,64})$/;

/** A user a button names: `accountId` is null in values made before accounts were named (the home account's). */
export interface UserRef {
  readonly accountId: string | null;
  readonly userId: string;
  readonly userName: string;
}

/**
 * The button value for a non-compliant user no finding is open for yet (it became one after the
 * last scan), in its account. Whoever clicks, the bot checks the user live by name in that account,
 * acts only if it still has this UserId, and only for its owner or an approver, so a crafted value
 * gains nothing.
 */
export const userRef = (accountId: string, userId: string, userName: string): string =>
  `user:${accountId}:${userId}:${userName}`;

/** Reads both `user:<accountId>:<UserId>:<name>` and the older `user:<UserId>:<name>`. */
export const parseUserRef = (value: string): UserRef | null => {
  const match = USER_REF.exec(value);
  const [, accountId, userId, userName] = match ?? [];
  return userId === undefined || userName === undefined ? null : { accountId: accountId ?? null, userId, userName };
};
