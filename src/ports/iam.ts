import type {
  AccountSummary,
  CallerIdentity,
  CredentialReport,
  CredentialReportState,
  LoginProfile,
} from '../domain/iam-records';
import type { IamUser, MfaDevice, Tags } from '../domain/types';

/** What the calls a removal makes accept besides their arguments. */
export interface IamCallOptions {
  /**
   * Once aborted (a deadline), the call stops waiting for AWS and throws an `iam_timeout` AppError.
   * A change already sent may still be carried out by IAM: whoever aborts must check before acting again.
   */
  readonly signal?: AbortSignal;
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
  getUser(userName: string, options?: IamCallOptions): Promise<IamUser | null>;
  /** null when the user has no console password (NoSuchEntity). */
  getLoginProfile(userName: string, options?: IamCallOptions): Promise<LoginProfile | null>;
  /** Every MFA device of the user (virtual, hardware, security key), all pages. */
  listMfaDevices(userName: string, options?: IamCallOptions): Promise<MfaDevice[]>;
  /** Every tag of the user, all pages. */
  listUserTags(userName: string, options?: IamCallOptions): Promise<Tags>;
  getAccountSummary(): Promise<AccountSummary>;
  /**
   * The account's aliases (IAM allows at most one), all pages; empty when it has none. Text from
   * outside: whoever shows it escapes it.
   */
  listAccountAliases(): Promise<string[]>;
  /**
   * Removes the user's console password. 'not_found' when it had none (NoSuchEntity): the goal is
   * reached either way. Throws iam_* AppErrors otherwise (e.g. EntityTemporarilyUnmodifiable).
   */
  deleteLoginProfile(userName: string, options?: IamCallOptions): Promise<'deleted' | 'not_found'>;
}
