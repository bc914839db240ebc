/**
 * Shared vocabulary of the pure core. Nothing here may assume a single AWS account: every user is
 * identified by (accountId, userName), and its IAM UserId tells a recreated user from the old one.
 */

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

export type UserStatus = 'no_console' | 'compliant' | 'non_compliant' | 'grace' | 'exempt' | 'error';

export const USER_STATUSES = [
  'non_compliant',
  'grace',
  'exempt',
  'error',
  'compliant',
  'no_console',
] as const satisfies readonly UserStatus[];

/** Statuses that are (or may become) a finding an owner hears about. */
export type FindingStatus = Extract<UserStatus, 'non_compliant' | 'grace' | 'exempt' | 'error'>;

/** How a status was last established: straight from the credential report, or by live IAM calls. */
export type ObservationSource = 'report' | 'live';

export type StrategyName = 'credential-report' | 'per-user';

export interface AccountRef {
  readonly accountId: string;
  readonly partition: Partition;
  /**
   * The account alias (iam:ListAccountAliases) when it could be read; null when the account has
   * none or it could not be read. Shown next to the id (account-label.ts), always escaped, and
   * the only name alias-scoped owners-file keys match: IAM keeps it unique.
   */
  readonly alias: string | null;
  /**
   * The organization's name for the account (organizations:ListAccounts); null or absent when
   * unknown. A label only, shown when there is no alias: two accounts may share it, so it never
   * matches an owners-file key.
   */
  readonly name?: string | null;
}

export interface UserKey {
  readonly accountId: string;
  readonly userName: string;
}

/** An IAM user as ListUsers / GetUser describe it. */
export interface IamUser {
  readonly userName: string;
  readonly userId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: Date;
  readonly passwordLastUsed: Date | null;
}

export interface MfaDevice {
  readonly serialNumber: string;
  readonly enableDate: Date | null;
}

export type Tags = Readonly<Record<string, string>>;

export type OwnerKind = 'slack' | 'email' | 'unowned';

/**
 * Where an owner came from: `owners-file:<pattern>`, `tag:<key>`, `user-name`, or `none`.
 */
export interface Owner {
  readonly kind: OwnerKind;
  readonly value: string | null;
  readonly source: string;
}

/** What a check found out about a user's console password and MFA. */
export type Observation =
  | {
      readonly kind: 'checked';
      readonly hasLoginProfile: boolean;
      readonly hasMfa: boolean;
      readonly source: ObservationSource;
      readonly checkedAt: Date;
    }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      readonly checkedAt: Date;
    };

/** One user's evaluated state in one scan. */
export interface UserResult {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly arn: string;
  readonly status: UserStatus;
  readonly source: ObservationSource;
  readonly checkedAt: Date;
  readonly createdAt: Date;
  readonly passwordLastUsed: Date | null;
  /** When the open finding was first seen non_compliant; null when the user is not non_compliant. */
  readonly nonCompliantSince: Date | null;
  readonly owner: Owner;
  /** Why the user is exempt or in error; null otherwise. */
  readonly reason: string | null;
  /** When the grace period ends; only for `grace`. */
  readonly graceUntil: Date | null;
}

export interface RootAccountResult {
  readonly accountId: string;
  readonly mfaActive: boolean;
  readonly source: ObservationSource;
}

export interface Strategy {
  readonly name: StrategyName;
  readonly reason: string;
}

export type StatusCounts = Readonly<Record<UserStatus, number>>;

export type FindingCloseReason = 'fixed' | 'exempted' | 'in_grace' | 'deleted' | 'replaced';

export const FINDING_CLOSE_REASONS = [
  'fixed',
  'exempted',
  'in_grace',
  'deleted',
  'replaced',
] as const satisfies readonly FindingCloseReason[];

/**
 * A finding: one IAM user (by UserId, so a recreated user is someone else) that was non_compliant
 * from `openedAt` until it closed. The one shape every store, service and message uses; `id` is
 * what buttons carry.
 */
export interface Finding {
  readonly id: number;
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly openedAt: Date;
  /** Both null while the finding is open. */
  readonly closedAt: Date | null;
  readonly closeReason: FindingCloseReason | null;
  /**
   * The finding this one continues: the same IAM user's last finding closed as `fixed` shortly
   * before this one opened (FINDING_REOPEN_WINDOW_DAYS). Null when it starts a chain of its own.
   */
  readonly reopensId: number | null;
  /**
   * When the first finding of its chain opened (its own `openedAt` when it starts one). Escalation
   * counts from here, so fixing a user for a moment does not reset the clock.
   */
  readonly chainStartedAt: Date;
}

/** A finding a scan opens, before the store gives it an id. */
export type NewFinding = Pick<
  Finding,
  'accountId' | 'userName' | 'userId' | 'openedAt' | 'reopensId' | 'chainStartedAt'
>;
