/** What IAM and STS answer, as the IAM port hands it over: plain data, no SDK types. */
import type { Partition } from './types';

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
