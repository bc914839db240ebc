/**
 * The one error shape of mfa-guard. `code` is stable and machine-readable; `message` says what
 * went wrong and `hint` what to do about it, both safe to show to a person (no secrets).
 */
export type AppErrorCode =
  | 'config_invalid'
  | 'owners_file_invalid'
  | 'usage'
  | 'scan_in_progress'
  | 'scan_failed'
  | 'account_not_covered'
  | 'account_mismatch'
  | 'accounts_failed'
  | 'bot_not_running'
  | 'report_invalid'
  | 'database_error'
  | 'audit_output_failed'
  | 'iam_access_denied'
  | 'iam_no_such_entity'
  | 'iam_throttled'
  | 'iam_limit_exceeded'
  | 'iam_report_not_present'
  | 'iam_report_expired'
  | 'iam_report_not_ready'
  | 'iam_service_failure'
  | 'iam_invalid_request'
  | 'iam_unexpected'
  | 'iam_timeout'
  /** sts:AssumeRole into a scanned account failed: that account cannot be reached. */
  | 'iam_assume_role_failed'
  /** organizations:ListAccounts failed: no account of the organization can be scanned. */
  | 'organization_list_failed'
  | 'slack_auth'
  | 'slack_not_in_channel'
  | 'slack_channel_not_found'
  | 'slack_user_unreachable'
  | 'slack_rate_limited'
  | 'slack_invalid_message'
  | 'slack_request_failed'
  | 'slack_error';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly hint: string | undefined;

  constructor(code: AppErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;

/** A one-line description of any thrown value, for logs and `reason` fields. */
export const describeError = (error: unknown): string => {
  if (error instanceof AppError) return error.hint ? `${error.message} ${error.hint}` : error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
};
