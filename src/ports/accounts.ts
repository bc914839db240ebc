/**
 * Which AWS accounts the bot covers and how it reaches each: the ambient credentials' own account,
 * a list of roles to assume, or an organization's accounts. Scans and interactions reach IAM only
 * through a target's gateway, so a Recheck or a removal always acts with its own account's
 * credentials.
 */
import type { Partition } from '../domain/types';
import type { IamGateway } from './iam';

/** One AWS account the bot covers, and how it is reached. */
export interface AccountTarget {
  /**
   * Known before any call for an assumed role (from its ARN) or an organization member (from the
   * listing); null for the ambient credentials' account until it is asked (GetCallerIdentity).
   */
  readonly accountId: string | null;
  /**
   * The organization's name for the account (ListAccounts): shown when the account has no IAM
   * alias. Text from outside, escaped by whoever shows it; null when not listed from an organization.
   */
  readonly name: string | null;
  /** How it is reached, for errors and logs: the role ARN, or `ambient credentials`. Never a secret. */
  readonly via: string;
  /** That account's IAM, through its own clients and its own credentials (refreshed before they expire). */
  readonly iam: IamGateway;
}

export interface AwsAccounts {
  /**
   * Every account a scan covers, in a stable order, each with its own gateway. Throws an AppError
   * when they cannot be listed (e.g. organizations:ListAccounts denied): then nothing is scanned.
   */
  targets(): Promise<readonly AccountTarget[]>;
  /**
   * The account an interaction about `accountId` acts in, with that account's credentials; null
   * when the bot does not cover that account (a database reused after the settings changed).
   */
  target(accountId: string): Promise<AccountTarget | null>;
  /** The ambient credentials' account: what button values made before accounts were named mean. */
  home(): Promise<{ readonly accountId: string; readonly partition: Partition }>;
}
