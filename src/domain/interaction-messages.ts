/**
 * What the replies to people (slash command, buttons, App Home, removal approvals) are built from.
 * Pure data: the services fill these in and src/slack/blocks turns them into Block Kit. Every
 * string here that came from IAM, Slack or a person is untrusted and must be escaped by the builder.
 */
import type { LabelledAccount } from './account-label';
import type { AccountUsers, MessageUser } from './notifications';
import type { RemovalRequest } from './removal';
import type { ScannedAccount } from './scanned-account';
import type { AccountRef, FindingCloseReason, StatusCounts, UserResult } from './types';

/** A user as the status views show it: its latest known state (last scan, or a later live check). */
export interface StatusUser {
  readonly result: UserResult;
  /** The open finding's button value (findingRef); null when no finding is open. */
  readonly ref: string | null;
  /** The user's account, shown next to it when a list spans several accounts; absent when it spans one. */
  readonly account?: LabelledAccount;
}

export interface LastScanInfo {
  readonly finishedAt: Date;
  readonly outcome: 'completed' | 'failed';
  readonly error: string | null;
}

/** Account-wide numbers, for approvers; the account as its last scan read it. */
export interface AccountOverview extends LabelledAccount {
  readonly counts: StatusCounts;
}

/** `/mfa-status` with no text: the caller's users that have or had a finding. */
export interface MyStatusInput {
  /** Most urgent first; empty means "nothing needs your attention" (after a scan, emails known). */
  readonly users: readonly StatusUser[];
  readonly lastScan: LastScanInfo | null;
  /**
   * True when some IAM users are owned by an email address and Slack did not tell the caller's
   * email, so whether they are the caller's is unknown: the list may be incomplete.
   */
  readonly emailUnknown: boolean;
  /**
   * True when some IAM users could not be checked and no record names their owner, so any of them
   * may be the caller's: the list may be incomplete, and it must not read as an all-clear.
   */
  readonly ownerUnknown: boolean;
  /** Approvers only, one per account; empty for everyone else. */
  readonly overviews: readonly AccountOverview[];
  readonly now: Date;
}

/** `/mfa-status @person` (approvers): the IAM users whose owner on record is that person, as last scanned. */
export interface PersonStatusInput {
  /** The Slack user asked about. */
  readonly slackId: string;
  /** Most urgent first. */
  readonly users: readonly StatusUser[];
  readonly lastScan: LastScanInfo | null;
  /**
   * Some IAM users are owned by an email address and Slack shows no email for the person that
   * mfa-guard may match (none, deactivated, or not a member of this workspace): those are not listed.
   */
  readonly emailUnknown: boolean;
  /** Some IAM users could not be checked and no record names their owner: any of them may be the person's. */
  readonly ownerUnknown: boolean;
  readonly now: Date;
}

/** `/mfa-status <iam-user-name>`: a live check of one user. */
export interface UserCheckInput {
  readonly account: AccountRef;
  readonly result: UserResult;
  /** Recheck / Remove buttons are shown only for a non_compliant user with an open finding. */
  readonly ref: string | null;
  readonly removalEnabled: boolean;
  readonly now: Date;
}

/**
 * `/mfa-status summary` (approvers) when several accounts were scanned: one line per account from
 * its latest completed scan, then every offender with its account, each cut to fit with a count.
 */
export interface AccountsSummaryInput {
  /** By account id. */
  readonly accounts: readonly ScannedAccount[];
  readonly lastScan: LastScanInfo | null;
  /** non_compliant users of every account, most urgent first, each with its account. */
  readonly offenders: readonly StatusUser[];
  readonly now: Date;
}

/** Where `/mfa-status <name>` found a name in several accounts: one line each, nothing checked live. */
export interface UserAccountsInput {
  readonly userName: string;
  readonly places: readonly {
    readonly account: LabelledAccount;
    /** The user there: as last stored, or as just checked live (an approver's lookup of a name no scan has seen). */
    readonly result: UserResult;
  }[];
  /** Whether `result` is what a scan stored (then nothing was checked live) or a live check's. */
  readonly source: 'stored' | 'live';
  /** Accounts a live lookup could not check (an IAM error there): the answer must not read as complete. */
  readonly unchecked?: readonly LabelledAccount[];
  readonly now: Date;
}

/** `/mfa-status summary` (approvers): counts and every offender, cut to fit with a count of the rest. */
export interface AccountSummaryInput {
  readonly overview: AccountOverview;
  readonly lastScan: LastScanInfo | null;
  /** non_compliant users, most urgent first. */
  readonly offenders: readonly StatusUser[];
  readonly now: Date;
}

export type RestrictedAction = 'summary' | 'scan' | 'approve' | 'deny' | 'recheck' | 'request_removal';

/** Short replies, each shown only to the person who asked. */
export type Notice =
  /** Usage. `problem` says what was wrong with the text (escaped by the builder), or null for `help`. */
  | { readonly kind: 'help'; readonly problem: string | null }
  | { readonly kind: 'no_such_user'; readonly userName: string; readonly didYouMean: string | null }
  /**
   * Worded the same whether or not the user exists, and answered before any AWS call: someone who
   * is not the owner on record learns nothing, not even from how long the answer takes.
   */
  | { readonly kind: 'not_yours'; readonly userName: string; readonly didYouMean: string | null }
  /** `/mfa-status @person` about someone else, by someone who is not an approver. */
  | { readonly kind: 'only_your_own' }
  /**
   * The request came from a workspace or organization other than the one mfa-guard is installed
   * in (Slack Connect): nothing is looked up or changed for it.
   */
  | { readonly kind: 'other_organization' }
  /** Approvers only (summary, scan, approve, deny), or owner-or-approver (recheck, request_removal). */
  | { readonly kind: 'not_allowed'; readonly action: RestrictedAction }
  | { readonly kind: 'self_approval'; readonly requestId: number }
  | { readonly kind: 'removal_disabled' }
  | { readonly kind: 'scan_started'; readonly channel: string }
  | { readonly kind: 'scan_already_running' }
  /** Another process (the CLI) holds the scan lease. */
  | { readonly kind: 'scan_busy'; readonly holder: string }
  | { readonly kind: 'scan_finished'; readonly counts: StatusCounts; readonly channel: string }
  | { readonly kind: 'scan_failed'; readonly error: string }
  /** A button whose finding or request the bot does not know (e.g. another database). */
  | { readonly kind: 'unknown_button' }
  /** A Recheck of a message the bot cannot re-render (a summary, an old message): the result only. */
  | { readonly kind: 'recheck_result'; readonly result: UserResult; readonly closed: FindingCloseReason | null }
  | { readonly kind: 'removal_pending'; readonly request: RemovalRequest; readonly link: string | null }
  | { readonly kind: 'removal_already_open'; readonly request: RemovalRequest; readonly link: string | null }
  /** The user no longer needs it (MFA on, no console password, exempt, in grace) when asked. */
  | { readonly kind: 'removal_not_needed'; readonly result: UserResult }
  /** The user of the finding is gone, or was recreated under the same name. */
  | { readonly kind: 'user_gone'; readonly userName: string }
  | { readonly kind: 'removal_post_failed'; readonly error: string }
  /** An approve or deny that comes too late: says what happened to the request and who decided. */
  | { readonly kind: 'removal_decided'; readonly request: RemovalRequest; readonly now: Date }
  /** Too many live IAM checks were started from Slack in the last minute; nothing was checked. */
  | { readonly kind: 'rate_limited'; readonly retryAt: Date; readonly now: Date }
  /** Something failed (IAM, Slack, the database); `error` already says what and what to do. */
  | { readonly kind: 'error'; readonly error: string };

/** What the approval message (in APPROVAL_CHANNEL) shows about the user. */
export interface ApprovalUserFacts {
  readonly status: UserResult['status'];
  readonly passwordLastUsed: Date | null;
  /** The owner as mrkdwn-ready facts: a Slack ID to mention, or other text; null when unowned. */
  readonly ownerSlackId: string | null;
  readonly ownerText: string | null;
}

/**
 * The approval message. A pending request has Approve (danger, confirm dialog) and Deny buttons,
 * values removalRef(id); a failed one a retry (the Approve action); every other state none, and
 * says who decided what and when ("Removed by @x at T").
 */
export interface ApprovalMessageInput {
  readonly request: RemovalRequest;
  readonly account: AccountRef;
  /** The user as last seen; null when unknown (it is then not shown). */
  readonly user: ApprovalUserFacts | null;
  readonly now: Date;
}

/** A DM telling the requester or the owner how a request ended (done, not_needed, failed, denied, expired). */
export interface RemovalOutcomeInput {
  readonly request: RemovalRequest;
  readonly audience: 'requester' | 'owner';
  readonly account: AccountRef;
  /**
   * True when this DM corrects an earlier one about the same request: the removal was recorded
   * late (its claim had been taken away and the request said failed or not needed meanwhile).
   */
  readonly correction?: boolean;
}

/**
 * A DM to the owner or an approver: an MFA device was added to the user while its console password
 * was being removed. The password is gone all the same; console access may be wanted back.
 */
export interface MfaDuringRemovalInput {
  readonly request: RemovalRequest;
  readonly audience: 'owner' | 'approver';
  readonly account: AccountRef;
}

/** One user of a re-rendered DM (after a Recheck). */
export type RecheckedUser =
  /** Still needs fixing: the full or compact card, with "checked at …" when it was just checked. */
  | { readonly kind: 'open'; readonly user: MessageUser; readonly checkedAt: Date | null }
  /** Fixed, deleted, replaced, exempted or in grace now: one line, no buttons. */
  | {
      readonly kind: 'closed';
      readonly userName: string;
      /** Its account, named next to it when the DM covers several. */
      readonly accountId?: string;
      readonly reason: FindingCloseReason;
      readonly at: Date | null;
    }
  /** Could not be checked just now; the card stays, with the reason. */
  | { readonly kind: 'error'; readonly user: MessageUser; readonly reason: string; readonly checkedAt: Date };

/**
 * The owner's DM rebuilt from what the bot stored about it, after a Recheck: its users grouped by
 * account as the DM showed them (one group for a DM about one account).
 */
export interface RecheckedNudgeInput {
  readonly groups: readonly AccountUsers<RecheckedUser>[];
  readonly removalEnabled: boolean;
  readonly now: Date;
}

export interface PendingRemovalLink {
  readonly request: RemovalRequest;
  /** chat.getPermalink of the approval message; null when it could not be had. */
  readonly link: string | null;
}

/** The App Home tab (at most 100 blocks; no Approve / Deny buttons). */
export interface HomeViewInput {
  readonly users: readonly StatusUser[];
  readonly lastScan: LastScanInfo | null;
  /** As in MyStatusInput. */
  readonly emailUnknown: boolean;
  /** As in MyStatusInput. */
  readonly ownerUnknown: boolean;
  /** Approvers only: account counts (one per account) and pending requests; null for everyone else. */
  readonly approver: {
    readonly overviews: readonly AccountOverview[];
    readonly pending: readonly PendingRemovalLink[];
  } | null;
  readonly now: Date;
}
