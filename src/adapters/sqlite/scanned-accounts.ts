import type Database from 'better-sqlite3';

import type { ScannedAccount } from '../../domain/scanned-account';
import type { UserResult } from '../../domain/types';
import { isRow, rowReader } from './row-reader';
import { accountNamesFromRow, scanSummaryFromRow } from './scan-row';
import { USER_STATE_COLUMNS, userResultFromRow } from './user-state-row';

// The latest completed scan of each account (ids grow with time, as everywhere in this store).
const SELECT_SCANNED_ACCOUNTS = `
SELECT s.* FROM scans s
JOIN (SELECT account_id, MAX(id) AS id FROM scans WHERE outcome = 'completed' AND account_id IS NOT NULL
      GROUP BY account_id) latest ON latest.id = s.id
ORDER BY s.account_id`;

const SELECT_USERS_NAMED = `
SELECT ${USER_STATE_COLUMNS.join(', ')} FROM user_states WHERE user_name = ? COLLATE NOCASE ORDER BY account_id`;

/** The ScanStore queries across accounts, prepared once over the database. */
export const prepareScannedAccounts = (
  db: Database.Database,
): { scannedAccounts(): ScannedAccount[]; usersNamed(userName: string): UserResult[] } => {
  const selectAccounts = db.prepare(SELECT_SCANNED_ACCOUNTS);
  const selectUsersNamed = db.prepare(SELECT_USERS_NAMED);
  return {
    scannedAccounts: () =>
      selectAccounts
        .all()
        .filter(isRow)
        .map((row) => {
          const summary = scanSummaryFromRow(row);
          return {
            accountId: rowReader('scans', row).text('account_id'),
            ...accountNamesFromRow(row),
            finishedAt: summary.finishedAt,
            counts: summary.counts ?? { no_console: 0, compliant: 0, non_compliant: 0, grace: 0, exempt: 0, error: 0 },
          };
        }),
    usersNamed: (userName) => selectUsersNamed.all(userName).filter(isRow).map(userResultFromRow),
  };
};
