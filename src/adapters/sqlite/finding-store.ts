import type Database from 'better-sqlite3';

import type { FindingStore, LiveCheckRecord } from '../../ports/stores';
import { guarded } from './database-error';
import { prepareRecordOwner, recordedOwnerFromRow, SELECT_RECORDED_OWNERS } from './finding-owner';
import { FINDING_COLUMNS, findingFromRow } from './finding-row';
import { prepareSaveLiveResult } from './live-result';
import { isRow, rowReader, toIso } from './row-reader';

// Prepared only when needed: tests read findings and escalations of earlier schema versions with
// this store, and closed_by is new in v3.
const CLOSE_FINDING = `
UPDATE findings SET closed_at = @closed_at, close_reason = @close_reason, closed_by = @closed_by
WHERE id = @id AND closed_at IS NULL`;

const SELECT_ESCALATED = `
SELECT e.finding_id AS finding_id FROM escalations e JOIN findings f ON f.id = e.finding_id WHERE f.account_id = ?`;

// Per IAM user (UserId), the latest finding closed as fixed since @since; a tie on closed_at goes
// to the later finding. findings_by_user_id (account_id, user_id, closed_at) serves both parts.
const SELECT_LAST_FIXED = `
SELECT ${FINDING_COLUMNS} FROM findings f
WHERE account_id = @account_id AND close_reason = 'fixed' AND closed_at >= @since
  AND NOT EXISTS (
    SELECT 1 FROM findings later
    WHERE later.account_id = f.account_id AND later.user_id = f.user_id AND later.close_reason = 'fixed'
      AND (later.closed_at > f.closed_at OR (later.closed_at = f.closed_at AND later.id > f.id)))
ORDER BY user_id, id`;

// The first time a finding was escalated is the one that counts, so marking again changes nothing.
const INSERT_ESCALATION =
  'INSERT INTO escalations (finding_id, escalated_at) VALUES (?, ?) ON CONFLICT (finding_id) DO NOTHING';

/** Every finding query, and the finding and user state changes made outside a scan (a Recheck). */
export function createFindingStore(db: Database.Database): FindingStore {
  let closeFinding: Database.Statement | undefined;
  const saveLiveResult = prepareSaveLiveResult(db);
  const recordOwner = prepareRecordOwner(db);
  // Prepared on first use, like CLOSE_FINDING: the owner columns are new in schema v4.
  let selectRecordedOwners: Database.Statement | undefined;
  const selectOpen = db.prepare(
    `SELECT ${FINDING_COLUMNS} FROM findings WHERE account_id = ? AND closed_at IS NULL ORDER BY user_name, id`,
  );
  const selectById = db.prepare(`SELECT ${FINDING_COLUMNS} FROM findings WHERE id = ?`);
  const selectLastFixed = db.prepare(SELECT_LAST_FIXED);
  const selectUserNames = db.prepare('SELECT DISTINCT user_name FROM findings WHERE account_id = ? ORDER BY user_name');
  const selectEscalated = db.prepare(SELECT_ESCALATED);
  const insertEscalation = db.prepare(INSERT_ESCALATION);

  const writeEscalations = db.transaction((findingIds: readonly number[], escalatedAt: string): void => {
    for (const findingId of findingIds) insertEscalation.run(findingId, escalatedAt);
  });

  const liveCheck = db.transaction(({ result, ownerKnown, close }: LiveCheckRecord): { readonly closed: boolean } => {
    // An owner the check did not know for certain replaces neither the stored one nor the finding's.
    const known = ownerKnown === true;
    if (result !== null) saveLiveResult(result, { keepOwner: !known });
    if (result !== null && known) recordOwner(result);
    if (close === null) return { closed: false };
    closeFinding ??= db.prepare(CLOSE_FINDING);
    const { changes } = closeFinding.run({
      id: close.findingId,
      close_reason: close.reason,
      closed_by: close.closedBy,
      closed_at: toIso(close.at),
    });
    return { closed: changes === 1 };
  });

  const describeCheck = ({ result, close }: LiveCheckRecord): string =>
    [
      ...(result === null ? [] : [`save the live check of user "${result.userName}" in account ${result.accountId}`]),
      ...(close === null ? [] : [`close finding ${close.findingId}`]),
    ].join(' and ') || 'save an empty live check';

  return {
    open: (accountId) =>
      guarded(`read the open findings of account ${accountId}`, () =>
        selectOpen.all(accountId).filter(isRow).map(findingFromRow),
      ),

    get: (id) =>
      guarded(`read finding ${id}`, () => {
        const row: unknown = selectById.get(id);
        return isRow(row) ? findingFromRow(row) : null;
      }),

    lastFixed: (accountId, since) =>
      guarded(`read the findings of account ${accountId} fixed since ${toIso(since)}`, () =>
        selectLastFixed
          .all({ account_id: accountId, since: toIso(since) })
          .filter(isRow)
          .map(findingFromRow),
      ),
    recordedOwners: (accountId) =>
      guarded(`read the recorded owners of the open findings of account ${accountId}`, () => {
        selectRecordedOwners ??= db.prepare(SELECT_RECORDED_OWNERS);
        return selectRecordedOwners.all(accountId).filter(isRow).map(recordedOwnerFromRow);
      }),

    userNamesWithFindings: (accountId) =>
      guarded(`read the users of account ${accountId} that had findings`, () => {
        const rows = selectUserNames.all(accountId).filter(isRow);
        return new Set(rows.map((row) => rowReader('findings', row).text('user_name')));
      }),

    escalatedIds: (accountId) =>
      guarded(`read the escalated findings of account ${accountId}`, () => {
        const rows = selectEscalated.all(accountId).filter(isRow);
        return new Set(rows.map((row) => rowReader('escalations', row).integer('finding_id')));
      }),

    markEscalated: (findingIds, at) =>
      guarded(`record findings ${findingIds.join(', ')} as escalated`, () =>
        writeEscalations.immediate(findingIds, toIso(at)),
      ),

    // IMMEDIATE, like every write: the state and the finding change together or not at all.
    saveLiveCheck: (check) => guarded(describeCheck(check), () => liveCheck.immediate(check)),
  };
}
