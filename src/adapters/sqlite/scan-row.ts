import type { AccountNames } from '../../domain/account-label';
import type { ScanErrors, ScanSummaryRecord } from '../../domain/scan';
import type { StatusCounts, StrategyName, UserStatus } from '../../domain/types';
import { USER_STATUSES } from '../../domain/types';
import { corruptValue } from './database-error';
import type { Row } from './row-reader';
import { isRow, rowReader } from './row-reader';

const STRATEGY_NAMES = ['credential-report', 'per-user'] as const satisfies readonly StrategyName[];
const OUTCOMES = ['completed', 'failed'] as const satisfies readonly ScanSummaryRecord['outcome'][];

const parseCounts = (json: string): StatusCounts => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw corruptValue('scans.counts_json', json);
  }
  if (!isRow(parsed)) throw corruptValue('scans.counts_json', json);
  const count = (status: UserStatus): number => {
    const value = parsed[status];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    throw corruptValue('scans.counts_json', json);
  };
  // Spelled out so the compiler checks that every status is there.
  const counts: StatusCounts = {
    no_console: count('no_console'),
    compliant: count('compliant'),
    non_compliant: count('non_compliant'),
    grace: count('grace'),
    exempt: count('exempt'),
    error: count('error'),
  };
  return counts;
};

export const countsJson = (counts: StatusCounts): string =>
  JSON.stringify(Object.fromEntries(USER_STATUSES.map((status) => [status, counts[status]])));

export const scanSummaryFromRow = (row: Row): ScanSummaryRecord => {
  const read = rowReader('scans', row);
  const strategyName = read.oneOfOrNull('strategy', STRATEGY_NAMES);
  const counts = read.textOrNull('counts_json');
  return {
    id: read.integer('id'),
    accountId: read.textOrNull('account_id'),
    startedAt: read.date('started_at'),
    finishedAt: read.date('finished_at'),
    outcome: read.oneOf('outcome', OUTCOMES),
    strategy: strategyName === null ? null : { name: strategyName, reason: read.text('strategy_reason') },
    counts: counts === null ? null : parseCounts(counts),
    error: read.textOrNull('error'),
  };
};

const issueKey = (issue: unknown): string | null =>
  isRow(issue) && typeof issue['code'] === 'string'
    ? `${issue['code']}:${typeof issue['userName'] === 'string' ? issue['userName'] : ''}`
    : null;

/** The `error` count and the problem keys of a completed scan's row (counts_json, issues_json). */
export const scanErrorsFromRow = (row: Row): ScanErrors => {
  const read = rowReader('scans', row);
  const countsJson = read.text('counts_json');
  const issuesJson = read.text('issues_json');
  let counts: unknown;
  let issues: unknown;
  try {
    counts = JSON.parse(countsJson);
    issues = JSON.parse(issuesJson);
  } catch {
    throw corruptValue('scans.counts_json or scans.issues_json', countsJson);
  }
  const errorCount = isRow(counts) ? counts['error'] : undefined;
  if (typeof errorCount !== 'number' || !Array.isArray(issues))
    throw corruptValue('scans.counts_json or scans.issues_json', countsJson);
  const keys = issues.map(issueKey);
  if (keys.some((k) => k === null)) throw corruptValue('scans.issues_json', issuesJson);
  return { errorCount, issueKeys: keys.filter((k): k is string => k !== null).sort() };
};

/** Whether root had MFA in a scan's row; null when the scan did not check root. */
export const rootMfaFromRow = (row: Row): boolean | null => {
  const value = rowReader('scans', row).integerOrNull('root_mfa_active');
  if (value === null) return null;
  if (value === 0 || value === 1) return value === 1;
  throw corruptValue('scans.root_mfa_active', value);
};

/** The alias and the organization's name a scan's row recorded for its account (account_alias, account_name). */
export const accountNamesFromRow = (row: Row): AccountNames => {
  const read = rowReader('scans', row);
  return { alias: read.textOrNull('account_alias'), name: read.textOrNull('account_name') };
};
