/**
 * The seams between the pure core / services and the outside world. Services depend on these
 * interfaces only; src/adapters implements them and src/app.ts wires them together.
 */
import type {
  AccountRef,
  ClosedFinding,
  FindingCloseReason,
  OpenFinding,
  IamUser,
  MfaDevice,
  Partition,
  RootAccountResult,
  Strategy,
  StatusCounts,
  Tags,
  UserResult,
} from './domain/types';
import type { AuditEntry, StoredAuditEntry } from './domain/audit';
import type { NewRemovalRequest, RemovalRequest } from './domain/removal';
import type { HomeView, SlackMessage } from './slack/blocks/block-kit';

export type { ClosedFinding, FindingCloseReason, OpenFinding } from './domain/types';

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger. Implementations write to stderr and must never be handed secrets. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// ---------------------------------------------------------------------------------------------
// IAM

export type CredentialReportState = 'STARTED' | 'INPROGRESS' | 'COMPLETE';

export interface CredentialReport {
  /** The CSV text (the SDK hands over already-decoded bytes; the adapter decodes UTF-8 only). */
  readonly content: string;
  readonly generatedAt: Date;
}

export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
  readonly partition: Partition;
}

export interface LoginProfile {
  readonly createDate: Date | null;
  readonly passwordResetRequired: boolean;
}

export interface AccountSummary {
  readonly accountMfaEnabled: boolean;
}

/**
 * One AWS account's IAM, as seen through one set of credentials. Every method throws an AppError
 * with an `iam_*` code on failure; the message names the IAM action and the user.
 * "Not found" is part of the answer where it means something (`null`), never an exception.
 */
export interface IamGateway {
  getCallerIdentity(): Promise<CallerIdentity>;
  generateCredentialReport(): Promise<CredentialReportState>;
  /** Throws iam_report_not_present / iam_report_expired / iam_report_not_ready as IAM says. */
  getCredentialReport(): Promise<CredentialReport>;
  /** Every user, all pages. */
  listUsers(): Promise<IamUser[]>;
  /** null when the user does not exist. */
  getUser(userName: string): Promise<IamUser | null>;
  /** null when the user has no console password (NoSuchEntity). */
  getLoginProfile(userName: string): Promise<LoginProfile | null>;
  /** Every MFA device of the user (virtual, hardware, security key), all pages. */
  listMfaDevices(userName: string): Promise<MfaDevice[]>;
  /** Every tag of the user, all pages. */
  listUserTags(userName: string): Promise<Tags>;
  getAccountSummary(): Promise<AccountSummary>;
  /**
   * Removes the user's console password. 'not_found' when it had none (NoSuchEntity): the goal is
   * reached either way. Throws iam_* AppErrors otherwise (e.g. EntityTemporarilyUnmodifiable).
   */
  deleteLoginProfile(userName: string): Promise<'deleted' | 'not_found'>;
}

// ---------------------------------------------------------------------------------------------
// State

/** A problem that did not stop the scan but that a person should know about. */
export interface ScanIssue {
  readonly code: string;
  readonly message: string;
  readonly userName?: string;
}

/** Everything one completed scan of one account established. */
export interface AccountScan {
  readonly account: AccountRef;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly strategy: Strategy;
  readonly reportGeneratedAt: Date | null;
  readonly root: RootAccountResult | null;
  readonly users: readonly UserResult[];
  readonly counts: StatusCounts;
  readonly opened: readonly OpenFinding[];
  readonly closed: readonly ClosedFinding[];
  readonly issues: readonly ScanIssue[];
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

/** Synchronous on purpose: SQLite transactions must never span an await. */
export interface ScanStore {
  openFindings(accountId: string): OpenFinding[];
  /** Writes the scan, every user's state and the findings it opened/closed in one transaction. */
  saveScan(scan: AccountScan): number;
  saveFailedScan(scan: FailedScan): number;
  lastScan(): ScanSummaryRecord | null;
  userResults(accountId: string): UserResult[];
}

/** One scan at a time per database, whatever starts it. Expiring, so a crashed holder cannot block forever. */
export interface ScanLease {
  acquire(holder: string, now: Date, ttlMs: number): boolean;
  renew(holder: string, now: Date, ttlMs: number): boolean;
  release(holder: string): void;
  /** The current unexpired holder, if any. */
  current(now: Date): { holder: string; expiresAt: Date } | null;
}

// ---------------------------------------------------------------------------------------------
// Slack

/** A Slack user as the bot needs to know them: can a DM reach a person? */
export interface SlackUser {
  readonly id: string;
  readonly deleted: boolean;
  readonly isBot: boolean;
  /** profile.email (users:read.email); null when Slack does not show one. */
  readonly email: string | null;
}

export interface BotIdentity {
  readonly botUserId: string;
  /** The bot's B… id; Bolt uses it to ignore the bot's own events. */
  readonly botId: string;
  /** The bot's user name, for "/invite @name" hints. */
  readonly botName: string;
  readonly teamId: string;
}

/** Whether the bot can post to a channel, as conversations.info tells. */
export type ChannelAccess =
  | { readonly kind: 'ok'; readonly name: string }
  | { readonly kind: 'not_member'; readonly name: string }
  | { readonly kind: 'archived'; readonly name: string }
  | { readonly kind: 'not_found' };

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
}

/**
 * The Slack Web API calls mfa-guard makes, all through SLACK_API_URL. Every method throws an
 * AppError with a `slack_*` code on failure; its message names the method and Slack's error code.
 */
export interface SlackGateway {
  /** auth.test */
  identify(): Promise<BotIdentity>;
  /** conversations.info */
  channelAccess(channelId: string): Promise<ChannelAccess>;
  /** users.lookupByEmail; null on users_not_found. */
  findUserByEmail(email: string): Promise<SlackUser | null>;
  /** users.info; null on user_not_found. */
  findUserById(userId: string): Promise<SlackUser | null>;
  /** conversations.open; the DM channel's ID. */
  openDm(userId: string): Promise<string>;
  /** chat.postMessage */
  postMessage(channel: string, message: SlackMessage): Promise<PostedMessage>;
  /** chat.update */
  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** views.publish: the user's App Home tab. */
  publishHome(userId: string, view: HomeView): Promise<void>;
  /** chat.getPermalink: a link people can open to a message. */
  permalink(channel: string, ts: string): Promise<string>;
}

// ---------------------------------------------------------------------------------------------
// Notification state

/** An IAM user a Slack message is about. `findingId` is null for users without an open finding. */
export interface MessageSubject {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly findingId: number | null;
}

export type SlackMessageKind = 'nudge' | 'summary';

export type MessageOutcome =
  | { readonly status: 'sent'; readonly channel: string; readonly ts: string }
  | { readonly status: 'failed'; readonly error: string };

export interface SlackMessageRecord {
  readonly kind: SlackMessageKind;
  /** The scan the message reports on; null for messages outside a scan. */
  readonly scanId: number | null;
  readonly accountId: string | null;
  /** The Slack user ID a nudge is for, or the channel ID a summary goes to. */
  readonly recipient: string;
  readonly outcome: MessageOutcome;
  readonly at: Date;
  /** The users the message covers, in the order it shows them. */
  readonly subjects: readonly MessageSubject[];
}

export interface StoredSlackMessage extends SlackMessageRecord {
  readonly id: number;
}

/**
 * The last time a recipient (an owner's DM, or the security channel's summary) was told about an IAM
 * user, by UserId so a recreated user is new. `at` is the start of the scan that message reported on.
 */
export interface LastNudge {
  readonly userId: string;
  readonly recipient: string;
  readonly at: Date;
}

export interface FindingRecord {
  readonly id: number;
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly openedAt: Date;
  readonly closedAt: Date | null;
  readonly closeReason: FindingCloseReason | null;
}

/** Synchronous on purpose, like ScanStore. */
export interface NotificationStore {
  lastNudges(accountId: string): LastNudge[];
  /** Records a sent or failed message and the users it covers in one transaction; returns its id. */
  recordMessage(record: SlackMessageRecord): number;
  /** A sent message by where it is in Slack, so it can be re-rendered later. */
  messageAt(channel: string, ts: string): StoredSlackMessage | null;
  /** The ids of the account's open findings, by IAM user name. */
  openFindingIds(accountId: string): Map<string, number>;
  /** A finding by id, open or closed: what a button's value resolves to. */
  finding(id: number): FindingRecord | null;
  /** Findings already reported as escalated, so each is announced as new only once. */
  escalatedFindingIds(accountId: string): Set<number>;
  markEscalated(findingIds: readonly number[], at: Date): void;
  /**
   * The `error` count and the problems (as `code:userName` keys, sorted) of the latest completed scan
   * of the account before `scanId`; null when there is none.
   */
  previousErrors(accountId: string, scanId: number): { errorCount: number; issueKeys: string[] } | null;
  /** Whether the latest summary recorded for the account failed to post. */
  lastSummaryFailed(accountId: string): boolean;
  /** Whether root had MFA in the latest completed scan of the account before `scanId`; null if unknown. */
  previousRootMfa(accountId: string, scanId: number): boolean | null;
}

/** Finding changes made outside a scan (a Recheck, an approved removal). Synchronous, like ScanStore. */
export interface FindingStore {
  /**
   * Closes an open finding; `closedBy` is the Slack user whose action closed it. False (and nothing
   * changes) when the finding is not open any more, e.g. a scan closed it first.
   */
  closeFinding(id: number, reason: FindingCloseReason, closedBy: string, at: Date): boolean;
  /**
   * Replaces the stored state of the user with a live result, so status views show what was just
   * checked. Its last scan stays the same. No-op when the account has no stored state for the user.
   */
  saveLiveResult(result: UserResult): void;
  /** The names of the account's IAM users that have ever had a finding, open or closed. */
  userNamesWithFindings(accountId: string): Set<string>;
}

export type CreateRemovalResult =
  | { readonly kind: 'created'; readonly request: RemovalRequest }
  /** The user (by account and UserId) already has a pending or executing request. */
  | { readonly kind: 'already_open'; readonly request: RemovalRequest };

/** The answer to a claim or a denial: the request as it now is. */
export type DecideResult =
  | { readonly kind: 'claimed'; readonly request: RemovalRequest }
  /** Not in a state that allows it (decided, executing, expired); `request` says who decided what. */
  | { readonly kind: 'refused'; readonly request: RemovalRequest }
  | { readonly kind: 'not_found' };

/**
 * Removal requests and their states. Every state change is one SQLite transaction that checks the
 * current state, so two approvers, double clicks and Slack retries can move a request only once.
 * Synchronous on purpose, like ScanStore.
 */
export interface RemovalStore {
  /**
   * Creates a pending request, unless the user already has an open one (pending and not expired,
   * or executing). Pending requests of the user that are past their expiry become expired first.
   */
  create(request: NewRemovalRequest, now: Date): CreateRemovalResult;
  get(id: number): RemovalRequest | null;
  /** Where the approval message is, once it is posted. */
  setApprovalMessage(id: number, message: PostedMessage): void;
  /** Removes a pending request whose approval message could not be posted: nobody ever saw it. */
  discard(id: number): void;
  /**
   * pending (not expired) or failed (not expired, a retry) → executing, by `by` at `now`. A pending
   * request past its expiry becomes expired and is refused.
   */
  claim(id: number, by: string, now: Date): DecideResult;
  /** pending (not expired) → denied. A pending request past its expiry becomes expired and is refused. */
  deny(id: number, by: string, now: Date): DecideResult;
  /** executing → done | failed | not_needed, with the AWS error or the reason in `detail`. */
  finish(id: number, state: 'done' | 'failed' | 'not_needed', detail: string | null, now: Date): RemovalRequest;
  /** Every pending request past its expiry becomes expired; returns them as they now are. */
  expireDue(now: Date): RemovalRequest[];
  /**
   * executing requests claimed before `claimedBefore` → failed with `detail`: their process stopped
   * mid-way (a crash, a kill), so they would otherwise stay executing for ever. `stillRunning` are
   * the ids this process is executing right now, which are left alone. An approver may retry the
   * others; the retry checks the user live again first. Returns them as they now are.
   */
  failInterrupted(claimedBefore: Date, detail: string, now: Date, stillRunning: readonly number[]): RemovalRequest[];
  /**
   * Deletes pending requests created before `createdBefore` that never got an approval message
   * (their process stopped between creating and posting): nobody could decide them, and they would
   * block new requests for the user until they expire. Returns them as they were.
   */
  discardUnposted(createdBefore: Date): RemovalRequest[];
  /** Pending (not expired) and executing requests, oldest first. */
  open(now: Date): RemovalRequest[];
}

/** The append-only record of state changes and refused attempts. */
export interface AuditLog {
  /** Stores the entry and writes it as one JSON line for log pipelines; returns its id. */
  record(entry: AuditEntry): number;
  /** Oldest first; only entries at or after `since` when given. */
  entries(since: Date | null): StoredAuditEntry[];
}

// ---------------------------------------------------------------------------------------------
// Schedule

export interface Schedule {
  start(): void;
  /** Stops future runs; a run in progress is not interrupted. */
  stop(): void;
  nextRun(): Date | null;
}
