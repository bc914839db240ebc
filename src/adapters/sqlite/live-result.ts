import type Database from 'better-sqlite3';

import type { UserResult } from '../../domain/types';
import { USER_STATE_COLUMNS, userStateParams } from './user-state-row';

const KEY_COLUMNS: readonly string[] = ['account_id', 'user_name', 'user_id'];
const OWNER_COLUMNS: readonly string[] = ['owner_kind', 'owner_value', 'owner_source'];
const STATE_COLUMNS = USER_STATE_COLUMNS.filter((column) => !KEY_COLUMNS.includes(column));

// Only the same IAM user (by UserId): a live result for a recreated user must not overwrite the
// state of the old one, which the next scan will settle. last_scan_id stays: no scan ran.
const saveLiveResultSql = (columns: readonly string[]): string => `
UPDATE user_states SET ${columns.map((column) => `${column} = @${column}`).join(', ')}
WHERE account_id = @account_id AND user_name = @user_name AND user_id = @user_id`;

/**
 * Writes a live check's result over the stored state of the same IAM user, inside whatever
 * transaction the caller runs: a Recheck (FindingStore.saveLiveCheck) and a finished removal
 * (RemovalStore.finish) both store what they saw this way. No-op when there is no such user state.
 * With `keepOwner`, the stored owner stays: the check did not know the owner for certain.
 */
export const prepareSaveLiveResult = (
  db: Database.Database,
): ((result: UserResult, options?: { readonly keepOwner: boolean }) => void) => {
  const withOwner = db.prepare(saveLiveResultSql(STATE_COLUMNS));
  const keepingOwner = db.prepare(saveLiveResultSql(STATE_COLUMNS.filter((c) => !OWNER_COLUMNS.includes(c))));
  return (result, options) => {
    // userStateParams wants a scan id; the statement does not use it.
    const { last_scan_id: _unused, owner_kind, owner_value, owner_source, ...rest } = userStateParams(result, 0);
    if (options?.keepOwner === true) keepingOwner.run(rest);
    else withOwner.run({ ...rest, owner_kind, owner_value, owner_source });
  };
};
