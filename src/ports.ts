/**
 * The seams between the pure core / services and the outside world. Services depend on these
 * interfaces only; src/adapters implements them and src/app.ts wires them together.
 */
import type {
  AccountRef,
  ClosedFinding,
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
