import type { Finding } from '../../domain/types';
import { FINDING_CLOSE_REASONS } from '../../domain/types';
import type { Row } from './row-reader';
import { rowReader } from './row-reader';

/** The columns findingFromRow reads; the chain's (reopens_id, chain_started_at) are new in schema v4. */
export const FINDING_COLUMNS =
  'id, account_id, user_name, user_id, opened_at, closed_at, close_reason, reopens_id, chain_started_at';

export const findingFromRow = (row: Row): Finding => {
  const read = rowReader('findings', row);
  return {
    id: read.integer('id'),
    accountId: read.text('account_id'),
    userName: read.text('user_name'),
    userId: read.text('user_id'),
    openedAt: read.date('opened_at'),
    closedAt: read.dateOrNull('closed_at'),
    closeReason: read.oneOfOrNull('close_reason', FINDING_CLOSE_REASONS),
    reopensId: read.integerOrNull('reopens_id'),
    chainStartedAt: read.date('chain_started_at'),
  };
};
