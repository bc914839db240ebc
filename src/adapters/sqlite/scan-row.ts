import { USER_STATUSES } from '../../domain/types';
import type { StatusCounts, StrategyName, UserStatus } from '../../domain/types';
import type { ScanSummaryRecord } from '../../ports';
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
