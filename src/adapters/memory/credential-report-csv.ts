/**
 * Renders a credential report the way IAM does, so the real report parser can be run against the
 * in-memory gateway. Column set, order and the `N/A` / `no_information` / `not_supported` markers
 * follow the IAM User Guide ("Getting credential reports for your AWS account").
 */

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

export const ROOT_ACCOUNT_USER = '<root_account>';

export interface ReportRootRow {
  readonly arn: string;
  readonly createdAt: Date;
  readonly passwordLastUsed: Date | null;
  readonly mfaActive: boolean;
}

export interface ReportUserRow {
  readonly userName: string;
  readonly arn: string;
  readonly createdAt: Date;
  readonly passwordEnabled: boolean;
  readonly passwordLastUsed: Date | null;
  readonly passwordLastChanged: Date | null;
  readonly mfaActive: boolean;
}

/** IAM truncates every timestamp to whole seconds; the report and the API agree on that. */
export const toIamTime = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

/** `2024-05-01T10:00:00+00:00`, as IAM writes dates in the report. */
export const formatReportDate = (date: Date): string =>
  toIamTime(date)
    .toISOString()
    .replace(/\.\d{3}Z$/, '+00:00');

/** RFC 4180: only fields holding a comma, quote or line break are quoted. */
export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

// Access keys and signing certificates are not modelled: every user has none, which IAM reports so.
const NO_KEYS_OR_CERTS = [
  'false',
  'N/A',
  'N/A',
  'N/A',
  'N/A',
  'false',
  'N/A',
  'N/A',
  'N/A',
  'N/A',
  'false',
  'N/A',
  'false',
  'N/A',
] as const;

const rootLine = (root: ReportRootRow): string =>
  [
    ROOT_ACCOUNT_USER,
    root.arn,
    formatReportDate(root.createdAt),
    'not_supported',
    root.passwordLastUsed === null ? 'no_information' : formatReportDate(root.passwordLastUsed),
    'not_supported',
    'not_supported',
    String(root.mfaActive),
    ...NO_KEYS_OR_CERTS,
  ]
    .map(csvField)
    .join(',');

const passwordLastUsedField = (row: ReportUserRow): string => {
  // IAM: N/A when the user has no password, no_information when it has one that was never used.
  if (!row.passwordEnabled) return 'N/A';
  return row.passwordLastUsed === null ? 'no_information' : formatReportDate(row.passwordLastUsed);
};

const userLine = (row: ReportUserRow): string =>
  [
    row.userName,
    row.arn,
    formatReportDate(row.createdAt),
    String(row.passwordEnabled),
    passwordLastUsedField(row),
    row.passwordEnabled && row.passwordLastChanged !== null ? formatReportDate(row.passwordLastChanged) : 'N/A',
    // The account has no password policy that forces rotation.
    'N/A',
    String(row.mfaActive),
    ...NO_KEYS_OR_CERTS,
  ]
    .map(csvField)
    .join(',');

export const renderCredentialReport = (
  root: ReportRootRow,
  users: readonly ReportUserRow[],
  extraLines: readonly string[] = [],
): string => [CREDENTIAL_REPORT_COLUMNS.join(','), rootLine(root), ...users.map(userLine), ...extraLines].join('\n');
