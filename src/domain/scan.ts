/** What a scan establishes and what the store keeps of it. */
import type { AccountNames } from './account-label';
import type { AccountRef, Finding, NewFinding, RootAccountResult, StatusCounts, Strategy, UserResult } from './types';

/** A problem that did not stop the scan but that a person should know about. */
export interface ScanIssue {
  readonly code: string;
  readonly message: string;
  readonly userName?: string;
}

/** Everything one completed scan of one account established. */
export interface AccountScan {
  /** `alias` is what IAM answered; `name` the organization's name for the account, when listed. */
  readonly account: AccountRef;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly strategy: Strategy;
  readonly reportGeneratedAt: Date | null;
  readonly root: RootAccountResult | null;
  readonly users: readonly UserResult[];
  readonly counts: StatusCounts;
  /** The findings it opens; one with a `reopensId` continues a chain (a reopened finding), not new. */
  readonly opened: readonly NewFinding[];
  /** Findings open before the scan that it closes, with their closedAt and closeReason. */
  readonly closed: readonly Finding[];
  /**
   * By user name, for every user with an open finding: when its chain started, which escalation
   * counts from. Never later than the user's `nonCompliantSince`; earlier when the finding
   * continues one that was fixed only briefly.
   */
  readonly escalationSince: ReadonlyMap<string, Date>;
  readonly issues: readonly ScanIssue[];
  /**
   * The UserIds of the users whose owner this scan knows for certain (owner-record.ts): their open
   * findings record it. Every other open finding keeps the owner it recorded before.
   */
  readonly knownOwnerIds: readonly string[];
}

/** What saving a completed scan stored: its id and its findings, with their ids. */
export interface SavedScan {
  readonly scanId: number;
  /** The findings it opened, as stored. */
  readonly opened: readonly Finding[];
  /** The findings it closed; one a person closed meanwhile is left out. */
  readonly closed: readonly Finding[];
  /** Every open finding of the account once the scan is saved, read in the same transaction. */
  readonly open: readonly Finding[];
}

export interface FailedScan {
  readonly accountId: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly strategy: Strategy | null;
  readonly error: string;
}

export interface ScanSummaryRecord {
  readonly id: number;
  readonly accountId: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly outcome: 'completed' | 'failed';
  readonly strategy: Strategy | null;
  readonly counts: StatusCounts | null;
  readonly error: string | null;
}

/** The `error` count and the problems (as `code:userName` keys, sorted) of a completed scan. */
export interface ScanErrors {
  readonly errorCount: number;
  readonly issueKeys: readonly string[];
}

/**
 * An account a run could not scan: its findings stay as they were, and nobody is DMed about it.
 * Its names, to show next to the id: the alias its last completed scan read, and the organization's
 * name from the listing (else the one that scan stored).
 */
export interface FailedAccount extends AccountNames {
  /** Null only when the ambient credentials' account could not even be identified. */
  readonly accountId: string | null;
  /** How it was reached: the role ARN, or `ambient credentials`. */
  readonly via: string;
  readonly code: string;
  readonly message: string;
  /** What a person can do about it. */
  readonly hint: string | null;
  /** Its failed scan row; null when recording the failure failed too. */
  readonly scanId: number | null;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** How one account of a run went. */
export type AccountOutcome =
  | { readonly outcome: 'completed'; readonly scan: AccountScan; readonly saved: SavedScan }
  | { readonly outcome: 'failed'; readonly failure: FailedAccount };

/**
 * A run (one scan of every covered account, under one lease) in which at least one account
 * completed. Failed accounts are listed with the rest; each account compares only with its own
 * last completed scan.
 */
export interface CompletedRun {
  readonly runId: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** In the order the accounts were listed. */
  readonly accounts: readonly AccountOutcome[];
}

/** How a run ended: `completed` when at least one account completed; `running` until it ends. */
export type RunOutcome = 'running' | 'completed' | 'failed';

/** What a finished run records once it ends. */
export interface RunEnd {
  readonly finishedAt: Date;
  readonly outcome: Exclude<RunOutcome, 'running'>;
  /** The accounts the run covered (after `--account` and duplicates), failed ones included. */
  readonly accountsTotal: number;
  readonly accountsFailed: number;
  /** Why no account completed (or the accounts could not be listed); null for a completed run. */
  readonly error: string | null;
}

/** A finished run as stored: what `/healthz` describes. */
export interface RunRecord extends RunEnd {
  readonly id: number;
  readonly startedAt: Date;
  readonly holder: string;
}
