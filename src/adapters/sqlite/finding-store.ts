import type Database from 'better-sqlite3';
import type { FindingStore } from '../../ports';
import { databaseError } from './database-error';
import { isRow, rowReader, toIso } from './row-reader';
import { USER_STATE_COLUMNS, userStateParams } from './user-state-row';

const CLOSE_FINDING = `
UPDATE findings SET closed_at = @closed_at, close_reason = @close_reason, closed_by = @closed_by
WHERE id = @id AND closed_at IS NULL`;

const KEY_COLUMNS: readonly string[] = ['account_id', 'user_name', 'user_id'];
const STATE_COLUMNS = USER_STATE_COLUMNS.filter((column) => !KEY_COLUMNS.includes(column));

// Only the same IAM user (by UserId): a live result for a recreated user must not overwrite the
// state of the old one, which the next scan will settle. last_scan_id stays: no scan ran.
const SAVE_LIVE_RESULT = `
UPDATE user_states SET ${STATE_COLUMNS.map((column) => `${column} = @${column}`).join(', ')}
WHERE account_id = @account_id AND user_name = @user_name AND user_id = @user_id`;

/** Finding and user state changes made outside a scan (a Recheck, an approved removal). */
export function createFindingStore(db: Database.Database): FindingStore {
  const closeFinding = db.prepare(CLOSE_FINDING);
  const saveLiveResult = db.prepare(SAVE_LIVE_RESULT);
  const selectUserNames = db.prepare('SELECT DISTINCT user_name FROM findings WHERE account_id = ? ORDER BY user_name');

  return {
    closeFinding: (id, reason, closedBy, at) => {
      try {
        const { changes } = closeFinding.run({ id, close_reason: reason, closed_by: closedBy, closed_at: toIso(at) });
        return changes === 1;
      } catch (error) {
        throw databaseError(`close finding ${id}`, error);
      }
    },

    saveLiveResult: (result) => {
      try {
        // userStateParams wants a scan id; the statement does not use it.
        const { last_scan_id: _unused, ...params } = userStateParams(result, 0);
        saveLiveResult.run(params);
      } catch (error) {
        throw databaseError(`save the live check of user "${result.userName}" in account ${result.accountId}`, error);
      }
    },

    userNamesWithFindings: (accountId) => {
      try {
        const rows = selectUserNames.all(accountId).filter(isRow);
        return new Set(rows.map((row) => rowReader('findings', row).text('user_name')));
      } catch (error) {
        throw databaseError(`read the users of account ${accountId} that had findings`, error);
      }
    },
  };
}
