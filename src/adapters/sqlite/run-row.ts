import type { RunRecord } from '../../domain/scan';
import type { Row } from './row-reader';
import { rowReader } from './row-reader';

const ENDED = ['completed', 'failed'] as const satisfies readonly RunRecord['outcome'][];

/** A finished run's row of scan_runs. */
export const runFromRow = (row: Row): RunRecord => {
  const read = rowReader('scan_runs', row);
  return {
    id: read.integer('id'),
    startedAt: read.date('started_at'),
    finishedAt: read.date('finished_at'),
    outcome: read.oneOf('outcome', ENDED),
    holder: read.text('holder'),
    accountsTotal: read.integer('accounts_total'),
    accountsFailed: read.integer('accounts_failed'),
    error: read.textOrNull('error'),
  };
};
