/**
 * Where state lives. Every method answers with a Promise, so a networked store can implement the
 * same ports, and each method is atomic on its own: where two changes must happen together they are
 * one method, never two calls that rely on nothing running in between. Callers never hold a
 * transaction across an await.
 */
import type { AccountNames } from '../domain/account-label';
import type { AuditEntry, StoredAuditEntry } from '../domain/audit';
import type { PreviousNudge } from '../domain/nudge-plan';
import type { RecordedOwner } from '../domain/owner-record';
import type {
  CreateRemovalResult,
  DecideResult,
  FinishedRemoval,
  NewRemovalRequest,
  RemovalOutcome,
  RemovalRequest,
} from '../domain/removal';
import type {
  AccountScan,
  FailedScan,
  RunEnd,
  RunRecord,
  SavedScan,
  ScanErrors,
  ScanSummaryRecord,
} from '../domain/scan';
import type { ScannedAccount } from '../domain/scanned-account';
import type { PostedMessage } from '../domain/slack-records';
import type { SlackMessageRecord, StoredSlackMessage } from '../domain/stored-messages';
import type { Finding, FindingCloseReason, UserResult } from '../domain/types';

export interface ScanStore {
  /**
   * Writes the scan, every user's state and the findings it opened and closed in one transaction,
   * with the owners it knows for certain on the users' open findings (`knownOwnerIds`); answers
   * with the stored findings and their ids. An opened finding that continues a chain must name a
   * `fixed` finding of the same account and IAM user (UserId) and carry that one's chain start; one
   * that starts a chain starts it when it opens. Anything else is refused, unsaved. `runId` is the
   * run it belongs to (startRun); absent for a scan outside a run.
   */
  saveScan(scan: AccountScan, runId?: number | null): Promise<SavedScan>;
  saveFailedScan(scan: FailedScan, runId?: number | null): Promise<number>;
  /** Records a run as `running` (one scan of every covered account, under one lease); its id. */
  startRun(run: { readonly startedAt: Date; readonly holder: string }): Promise<number>;
  /** Ends a running run; a run that is not running (unknown, or already ended) is a bug and throws. */
  finishRun(runId: number, end: RunEnd): Promise<void>;
  /** The latest run that ended; a run left `running` (its process stopped) is skipped. Null when none. */
  lastRun(): Promise<RunRecord | null>;
  lastScan(): Promise<ScanSummaryRecord | null>;
  /** Every user of the account as last scanned (or rechecked), by name. */
  userResults(accountId: string): Promise<UserResult[]>;
  /** The errors of the latest completed scan of the account before `scanId`; null when there is none. */
  previousErrors(accountId: string, scanId: number): Promise<ScanErrors | null>;
  /**
   * The alias and the organization's name the latest completed scan of the account read; each null
   * when it read none (no alias, or it could not read it; not listed from an organization), both
   * when the account was never scanned. Only the alias may match alias-scoped owners-file keys.
   */
  accountNames(accountId: string): Promise<AccountNames>;
  /** Whether root had MFA in the latest completed scan of the account before `scanId`; null if unknown. */
  previousRootMfa(accountId: string, scanId: number): Promise<boolean | null>;
  /** Every account with a completed scan, as its latest completed scan left it, by account id. */
  scannedAccounts(): Promise<ScannedAccount[]>;
  /**
   * The stored state of every user named `userName` in any account (IAM compares names whatever
   * their case), by account id: where a typed name is known.
   */
  usersNamed(userName: string): Promise<UserResult[]>;
}

/** One scan at a time per database, whatever starts it. Expiring, so a crashed holder cannot block forever. */
export interface ScanLease {
  acquire(holder: string, now: Date, ttlMs: number): Promise<boolean>;
  renew(holder: string, now: Date, ttlMs: number): Promise<boolean>;
  release(holder: string): Promise<void>;
  /** The current unexpired holder, if any. */
  current(now: Date): Promise<{ holder: string; expiresAt: Date } | null>;
}

/** What a live check outside a scan (a Recheck) established. */
export interface LiveCheckRecord {
  /**
   * The user as just checked: it replaces the stored state of the same IAM user (UserId), so status
   * views show it; its last scan stays the same. Nothing changes when the account has no stored
   * state for that user, or for null.
   */
  readonly result: UserResult | null;
  /**
   * Whether `result.owner` is known for certain (owner-record.ts). Only then does it replace the
   * owner on record: the stored state's and the user's open finding's. Absent reads as false, so a
   * check that could not read the tags, or failed, never replaces a known owner.
   */
  readonly ownerKnown?: boolean;
  /** The finding to close, if it is still open. */
  readonly close: {
    readonly findingId: number;
    readonly reason: FindingCloseReason;
    readonly closedBy: string;
    readonly at: Date;
  } | null;
}

/** Every finding query and every finding change outside a scan. */
export interface FindingStore {
  /** The account's open findings, by user name. */
  open(accountId: string): Promise<Finding[]>;
  /** A finding by id, open or closed: what a button's value resolves to. */
  get(id: number): Promise<Finding | null>;
  /**
   * For each IAM user (UserId) of the account, its latest finding closed as `fixed` at or after
   * `since`: what a scan's new finding of that user continues (reconcileFindings decides).
   */
  lastFixed(accountId: string, since: Date): Promise<Finding[]>;
  /**
   * The owner recorded on each open finding of the account that has one (by user name): its owner
   * as last known for certain. Open findings whose owner was never known are left out.
   */
  recordedOwners(accountId: string): Promise<RecordedOwner[]>;
  /** The names of the account's IAM users that have ever had a finding, open or closed. */
  userNamesWithFindings(accountId: string): Promise<Set<string>>;
  /** Findings already reported as escalated, so each is announced as new only once. */
  escalatedIds(accountId: string): Promise<Set<number>>;
  markEscalated(findingIds: readonly number[], at: Date): Promise<void>;
  /**
   * Saves a live check in one transaction. `closed` is false (and the finding unchanged) when the
   * finding was not open any more, e.g. a scan closed it first.
   */
  saveLiveCheck(check: LiveCheckRecord): Promise<{ readonly closed: boolean }>;
}

export interface NotificationStore {
  /**
   * When each recipient was last told about each IAM user (by UserId) of the account, by any message
   * whose subjects include it (a DM about several accounts counts for each).
   */
  previousNudges(accountId: string): Promise<PreviousNudge[]>;
  /** Records a sent or failed message and the users it covers in one transaction; returns its id. */
  recordMessage(record: SlackMessageRecord): Promise<number>;
  /** A sent message by where it is in Slack, so it can be re-rendered later. */
  messageAt(channel: string, ts: string): Promise<StoredSlackMessage | null>;
  /**
   * The latest recorded nudge sent to `recipient` (a Slack user ID) that covers at least one of
   * `findingIds`, so a reply in the DM can re-render it; null when there is none (or no ids).
   * Failed nudges and summaries never count.
   */
  latestNudgeCovering(recipient: string, findingIds: readonly number[]): Promise<StoredSlackMessage | null>;
  /**
   * Whether the latest summary that covered the account failed to post: one recorded for the account,
   * or a run's summary of several accounts (no accountId, a scanId), which covers each of them.
   */
  lastSummaryFailed(accountId: string): Promise<boolean>;
  /**
   * The error of the latest nudge recorded for the recipient (whatever accounts it covered) when it
   * failed; null when it was sent or there is none.
   */
  lastNudgeError(recipient: string): Promise<string | null>;
}

/**
 * Removal requests and their states. Every state change checks the current state in the same
 * transaction, so two approvers, double clicks and Slack retries can move a request only once.
 */
export interface RemovalStore {
  /**
   * Creates a pending request, unless the user already has an open one (pending and not expired,
   * or executing). Pending requests of the user that are past their expiry become expired first.
   * The request records the user's finding that is open at that moment, if any.
   */
  create(request: NewRemovalRequest, now: Date): Promise<CreateRemovalResult>;
  get(id: number): Promise<RemovalRequest | null>;
  /** Where the approval message is, once it is posted; answers with the request as it now is. */
  setApprovalMessage(id: number, message: PostedMessage): Promise<RemovalRequest>;
  /** Removes a pending request whose approval message could not be posted: nobody ever saw it. */
  discard(id: number): Promise<void>;
  /**
   * pending (not expired) or failed (not expired, a retry) → executing, by `by` at `now`, the claim
   * held by the process `holder` with its heartbeat at `now`. A pending request past its expiry
   * becomes expired and is refused.
   */
  claim(id: number, by: string, now: Date, holder: string): Promise<DecideResult>;
  /**
   * The heartbeat of a running removal, and the check right before it deletes: true (heartbeat set
   * to `now`) while the request is executing under `holder`'s claim; false, changing nothing, once
   * the claim was taken away (failed by housekeeping, retried by another process, or finished).
   */
  renewClaim(id: number, holder: string, now: Date): Promise<boolean>;
  /** pending (not expired) → denied. A pending request past its expiry becomes expired and is refused. */
  deny(id: number, by: string, now: Date): Promise<DecideResult>;
  /**
   * executing under `holder`'s claim → done | failed | not_needed, with the AWS error or the reason in
   * `detail`; when the password is gone, the user's state and open finding change in the same
   * transaction. When the claim was taken away meanwhile, a `done` outcome is recorded all the same
   * over failed, not_needed or another process's claim (`corrected`, its detail saying it came late),
   * because the password is gone whatever the request says; any other outcome changes nothing
   * (`unchanged`). A request that was never claimed is a bug (throws).
   */
  finish(id: number, outcome: RemovalOutcome, now: Date, holder: string): Promise<FinishedRemoval>;
  /** Every pending request past its expiry becomes expired; returns them as they now are. */
  expireDue(now: Date): Promise<RemovalRequest[]>;
  /**
   * executing requests whose claim's heartbeat is older than `heartbeatBefore` (or, for claims made
   * before heartbeats existed, that were claimed before it) → failed with `detail`: their process
   * stopped mid-way (a crash, a kill, a hang), so they would otherwise stay executing for ever.
   * `stillRunning` are the ids this process is executing right now, which are left alone. An
   * approver may retry the others; the retry checks the user live again first. Returns them as
   * they now are.
   */
  failInterrupted(
    heartbeatBefore: Date,
    detail: string,
    now: Date,
    stillRunning: readonly number[],
  ): Promise<RemovalRequest[]>;
  /**
   * Deletes pending requests created before `createdBefore` that never got an approval message
   * (their process stopped between creating and posting): nobody could decide them, and they would
   * block new requests for the user until they expire. Returns them as they were.
   */
  discardUnposted(createdBefore: Date): Promise<RemovalRequest[]>;
  /** Pending (not expired) and executing requests, oldest first. */
  open(now: Date): Promise<RemovalRequest[]>;
}

/** The append-only record of state changes and refused attempts. */
export interface AuditLog {
  /** Stores the entry and writes it as one JSON line for log pipelines; returns its id. */
  record(entry: AuditEntry): Promise<number>;
  /** Oldest first; only entries at or after `since` when given. */
  entries(since: Date | null): Promise<StoredAuditEntry[]>;
}

/** Every store over one database: what the composition root builds once per database. */
export interface Stores {
  readonly scans: ScanStore;
  readonly lease: ScanLease;
  readonly findings: FindingStore;
  readonly notifications: NotificationStore;
  readonly removals: RemovalStore;
  readonly audit: AuditLog;
}
