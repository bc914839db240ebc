import type Database from 'better-sqlite3';

import type { AccountNames } from '../../domain/account-label';
import { databaseError } from './database-error';
import { isRow } from './row-reader';
import { accountNamesFromRow } from './scan-row';

const hasColumn = (db: Database.Database, column: string): boolean =>
  db.prepare("SELECT 1 FROM pragma_table_info('scans') WHERE name = ?").get(column) !== undefined;

/**
 * The alias and the organization's name the latest completed scan of each account read, for a
 * reader of the database that may be older than schema v6 (`npm run audit` opens the file
 * read-only, without migrating it): before v5 no account has a known alias, before v6 no name.
 */
export const readAccountNames = (db: Database.Database, accountIds: readonly string[]): Map<string, AccountNames> => {
  const names = new Map<string, AccountNames>();
  try {
    if (!hasColumn(db, 'account_alias')) return names;
    const name = hasColumn(db, 'account_name') ? 'account_name' : 'NULL AS account_name';
    const select = db.prepare(
      `SELECT account_alias, ${name} FROM scans WHERE account_id = ? AND outcome = 'completed' ORDER BY id DESC LIMIT 1`,
    );
    for (const accountId of new Set(accountIds)) {
      const row: unknown = select.get(accountId);
      names.set(accountId, isRow(row) ? accountNamesFromRow(row) : { alias: null, name: null });
    }
    return names;
  } catch (error) {
    throw databaseError('read the account aliases and names', error);
  }
};
