import type Database from 'better-sqlite3';

import { databaseError } from './database-error';
import { isRow, rowReader } from './row-reader';

/**
 * The alias the latest completed scan of each account read, for a reader of the database that
 * may be older than schema v5 (`npm run audit` opens the file read-only, without migrating it):
 * there, no account has a known alias.
 */
export const readAccountAliases = (
  db: Database.Database,
  accountIds: readonly string[],
): Map<string, string | null> => {
  const aliases = new Map<string, string | null>();
  try {
    const hasColumn = db.prepare("SELECT 1 FROM pragma_table_info('scans') WHERE name = 'account_alias'").get();
    if (hasColumn === undefined) return aliases;
    const select = db.prepare(
      "SELECT account_alias FROM scans WHERE account_id = ? AND outcome = 'completed' ORDER BY id DESC LIMIT 1",
    );
    for (const accountId of new Set(accountIds)) {
      const row: unknown = select.get(accountId);
      aliases.set(accountId, isRow(row) ? rowReader('scans', row).textOrNull('account_alias') : null);
    }
    return aliases;
  } catch (error) {
    throw databaseError('read the account aliases', error);
  }
};
