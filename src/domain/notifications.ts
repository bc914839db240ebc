/**
 * What the Slack messages of one scan are built from. Pure data: the notify service fills these in
 * (after resolving owners in Slack) and src/slack/blocks turns them into Block Kit.
 */
import type { ScanIssue } from './scan';
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

/** One DM to one owner: every current offender of theirs, most urgent first. */
export interface NudgeMessageInput {
  readonly account: AccountRef;
  readonly ownerSlackId: string;
  readonly users: readonly MessageUser[];
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
  readonly userNames: readonly string[];
  readonly error: string;
}

export interface ScanSummaryInput {
  readonly account: AccountRef;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly strategy: Strategy;
  readonly counts: StatusCounts;
  /** Findings the scan opened that start a chain; reopened ones are not counted here. */
  readonly newSinceLastScan: number;
  /** Users whose new finding continues a chain: MFA was on only briefly since their last finding. */
  readonly reopened: readonly Pick<NewFinding, 'userName' | 'chainStartedAt'>[];
  readonly fixedSinceLastScan: number;
  readonly unowned: readonly UnownedOffender[];
  readonly escalated: readonly EscalatedOffender[];
  readonly escalateAfterDays: number;
  readonly rootWithoutMfa: boolean;
  /** Users in status `exempt`, with `reason` saying who decided and why: an exemption is a standing risk. */
  readonly exemptUsers: readonly UserResult[];
  /** Users in status `error`, with `reason` saying why. */
  readonly errorUsers: readonly UserResult[];
  /** Problems that did not stop the scan. */
  readonly issues: readonly ScanIssue[];
  readonly failedDms: readonly FailedDm[];
  readonly removalEnabled: boolean;
  readonly now: Date;
}

export interface FailedScanSummaryInput {
  readonly accountId: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** What went wrong and what to do, already in words a person can act on. */
  readonly message: string;
  readonly hint: string | null;
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
