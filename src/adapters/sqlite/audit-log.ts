import type Database from 'better-sqlite3';

import type { AuditEntry, StoredAuditEntry } from '../../domain/audit';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, auditJson } from '../../domain/audit';
import { AppError, describeError } from '../../errors';
import type { AuditLog } from '../../ports/stores';
import { databaseError } from './database-error';
import { hasTable } from './migrations';
import type { Row } from './row-reader';
import { isRow, rowReader, toIso } from './row-reader';

const INSERT = `
INSERT INTO audit_log (at, actor, action, account_id, user_name, outcome, detail, request_id)
VALUES (@at, @actor, @action, @account_id, @user_name, @outcome, @detail, @request_id)`;

const entryFromRow = (row: Row): StoredAuditEntry => {
  const read = rowReader('audit_log', row);
  return {
    id: read.integer('id'),
    at: read.date('at'),
    actor: read.text('actor'),
    action: read.oneOf('action', AUDIT_ACTIONS),
    accountId: read.textOrNull('account_id'),
    userName: read.textOrNull('user_name'),
    outcome: read.oneOf('outcome', AUDIT_OUTCOMES),
    detail: read.textOrNull('detail'),
    requestId: read.integerOrNull('request_id'),
  };
};

/**
 * The audit log in SQLite (append-only: the schema's triggers refuse UPDATE and DELETE), each entry
 * also written as one JSON line through `writeLine` for log pipelines. Statements are prepared on
 * first use: `npm run audit` may open a read-only database older than the audit log, which simply
 * has no entries yet.
 */
export function createAuditLog(db: Database.Database, writeLine: (line: string) => void): AuditLog {
  let insert: Database.Statement | undefined;
  let selectAll: Database.Statement | undefined;
  let selectSince: Database.Statement | undefined;

  const store = (entry: AuditEntry): StoredAuditEntry => {
    insert ??= db.prepare(INSERT);
    const { lastInsertRowid } = insert.run({
      at: toIso(entry.at),
      actor: entry.actor,
      action: entry.action,
      account_id: entry.accountId,
      user_name: entry.userName,
      outcome: entry.outcome,
      detail: entry.detail,
      request_id: entry.requestId,
    });
    return { ...entry, id: Number(lastInsertRowid) };
  };

  const read = (since: Date | null): StoredAuditEntry[] => {
    if (!hasTable(db, 'audit_log')) return [];
    if (since === null) {
      selectAll ??= db.prepare('SELECT * FROM audit_log ORDER BY at, id');
      return selectAll.all().filter(isRow).map(entryFromRow);
    }
    selectSince ??= db.prepare('SELECT * FROM audit_log WHERE at >= ? ORDER BY at, id');
    return selectSince.all(toIso(since)).filter(isRow).map(entryFromRow);
  };

  return {
    record: async (entry) => {
      let stored: StoredAuditEntry;
      try {
        stored = store(entry);
      } catch (error) {
        // The log pipeline still gets the entry (without an id), so the action is not lost twice.
        writeLine(JSON.stringify({ ...auditJson({ ...entry, id: 0 }), id: null, stored: false }));
        throw databaseError(`record the audit entry "${entry.action}" by ${entry.actor}`, error);
      }
      try {
        writeLine(JSON.stringify(auditJson(stored)));
      } catch (error) {
        // Not a database problem: say exactly what was lost, so nobody hunts for a missing row.
        throw new AppError(
          'audit_output_failed',
          `Audit entry ${stored.id} was stored, but its JSON line could not be written: ${describeError(error)}`,
          {
            hint: "Check what reads mfa-guard's stdout (a closed pipe, a full disk); `npm run audit` still lists the entry.",
            cause: error,
          },
        );
      }
      return stored.id;
    },
    entries: async (since) => {
      try {
        return read(since);
      } catch (error) {
        throw databaseError(since === null ? 'read the audit log' : `read the audit log since ${toIso(since)}`, error);
      }
    },
  };
}
