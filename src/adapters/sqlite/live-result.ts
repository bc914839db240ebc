import type Database from 'better-sqlite3';

import type { UserResult } from '../../domain/types';
import { USER_STATE_COLUMNS, userStateParams } from './user-state-row';

const KEY_COLUMNS: readonly string[] = ['account_id', 'user_name', 'user_id'];
const STATE_COLUMNS = USER_STATE_COLUMNS.filter((column) => !KEY_COLUMNS.includes(column));

// Only the same IAM user (by UserId): a live result for a recreated user must not overwrite the
// state of the old one, which the next scan will settle. last_scan_id stays: no scan ran.
const SAVE_LIVE_RESULT = `
UPDATE user_states SET ${STATE_COLUMNS.map((column) => `${column} = @${column}`).join(', ')}
WHERE account_id = @account_id AND user_name = @user_name AND user_id = @user_id`;

/**
 * Writes a live check's result over the stored state of the same IAM user, inside whatever
 * transaction the caller runs: a Recheck (FindingStore.saveLiveCheck) and a finished removal
 * (RemovalStore.finish) both store what they saw this way. No-op when there is no such user state.
 */
export const prepareSaveLiveResult = (db: Database.Database): ((result: UserResult) => void) => {
  const statement = db.prepare(SAVE_LIVE_RESULT);
  return (result) => {
    // userStateParams wants a scan id; the statement does not use it.
    const { last_scan_id: _unused, ...params } = userStateParams(result, 0);
    statement.run(params);
  };
};
