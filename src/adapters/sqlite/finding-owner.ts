import type Database from 'better-sqlite3';

import type { RecordedOwner } from '../../domain/owner-record';
import type { OwnerKind, UserResult } from '../../domain/types';
import type { Row } from './row-reader';
import { rowReader } from './row-reader';

const OWNER_KINDS = ['slack', 'email', 'unowned'] as const satisfies readonly OwnerKind[];

// The user's open finding, by account, name and UserId: an owner known for one IAM user is never
// recorded on the finding of another one that has the name now.
const RECORD_OWNER = `
UPDATE findings SET owner_kind = @owner_kind, owner_value = @owner_value, owner_source = @owner_source
WHERE account_id = @account_id AND user_name = @user_name AND user_id = @user_id AND closed_at IS NULL`;

export const SELECT_RECORDED_OWNERS = `
SELECT account_id, user_name, user_id, owner_kind, owner_value, owner_source FROM findings
WHERE account_id = ? AND closed_at IS NULL AND owner_kind IS NOT NULL ORDER BY user_name, id`;

/**
 * Records `user.owner`, known for certain, on the user's open finding (if it has one), inside
 * whatever transaction the caller runs. Prepared on first use: the owner columns are new in schema
 * v4, and tests build earlier versions with the stores.
 */
export const prepareRecordOwner = (db: Database.Database): ((user: UserResult) => void) => {
  let statement: Database.Statement | undefined;
  return (user) => {
    statement ??= db.prepare(RECORD_OWNER);
    statement.run({
      account_id: user.accountId,
      user_name: user.userName,
      user_id: user.userId,
      owner_kind: user.owner.kind,
      owner_value: user.owner.value,
      owner_source: user.owner.source,
    });
  };
};

export const recordedOwnerFromRow = (row: Row): RecordedOwner => {
  const read = rowReader('findings', row);
  return {
    accountId: read.text('account_id'),
    userName: read.text('user_name'),
    userId: read.text('user_id'),
    owner: {
      kind: read.oneOf('owner_kind', OWNER_KINDS),
      value: read.textOrNull('owner_value'),
      source: read.text('owner_source'),
    },
  };
};
