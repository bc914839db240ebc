import { join } from 'node:path';

import Database from 'better-sqlite3';

import { createAuditLog } from '../../../src/adapters/sqlite/audit-log';
import { openDatabase, openDatabaseReadOnly } from '../../../src/adapters/sqlite/database';
import { migrate } from '../../../src/adapters/sqlite/migrations';
import { auditJson } from '../../../src/domain/audit';
import { AppError } from '../../../src/errors';
import type { AuditLog } from '../../../src/ports/stores';
import { auditEntry, describeAuditLogContract } from '../../contracts/audit-log-contract';
import { at, rejection } from '../../contracts/fixtures';
import { openSqliteFileStores, openSqliteStores, scratch } from './sqlite-fixtures';

describeAuditLogContract('SQLite in memory', openSqliteStores);
describeAuditLogContract('SQLite file', openSqliteFileStores);

const tmp = scratch();
afterEach(() => tmp.cleanup());

const setup = (path = ':memory:'): { db: Database.Database; lines: string[]; log: AuditLog } => {
  const db = tmp.track(openDatabase(path));
  const lines: string[] = [];
  return { db, lines, log: createAuditLog(db, (line) => lines.push(line)) };
};

describe('SQLite audit log', () => {
  it.each([
    ['UPDATE', "UPDATE audit_log SET outcome = 'failed'", /append-only: entries cannot be changed/],
    ['DELETE', 'DELETE FROM audit_log', /append-only: entries cannot be deleted/],
  ])('is append-only: %s is refused', async (_label, sql, message) => {
    const { db, log } = setup();
    await log.record(auditEntry());
    const before = await log.entries(null);
    expect(() => db.exec(sql)).toThrow(message);
    expect(await log.entries(null)).toEqual(before);
  });

  it.each([
    ['an unknown action', "'removal_undo'", "'succeeded'"],
    ['an unknown outcome', "'recheck'", "'maybe'"],
  ])('rejects %s', (_label, action, outcome) => {
    const { db } = setup();
    const sql = `INSERT INTO audit_log (at, actor, action, outcome) VALUES ('2025-03-01T10:00:00.000Z', 'U1', ${action}, ${outcome})`;
    expect(() => db.exec(sql)).toThrow(/constraint failed/i);
  });

  it('still writes the line, marked unstored and without an id, when the entry could not be stored', async () => {
    const { db, lines, log } = setup();
    db.close();
    const thrown = await rejection(log.record(auditEntry()));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'database_error',
      message: expect.stringContaining('record the audit entry "removal_approve"'),
    });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { ...auditJson({ ...auditEntry(), id: 0 }), id: null, stored: false },
    ]);
  });

  it('reads what another connection recorded, through a read-only connection', async () => {
    const path = join(tmp.dir(), 'state.db');
    const { log } = setup(path);
    const id = await log.record(auditEntry());
    const lines: string[] = [];
    const reader = createAuditLog(tmp.track(openDatabaseReadOnly(path)), (line) => lines.push(line));
    expect(await reader.entries(null)).toEqual([{ ...auditEntry(), id }]);
    expect(await rejection(reader.record(auditEntry()))).toMatchObject({
      code: 'database_error',
      message: expect.stringMatching(/readonly/i),
    });
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([{ id: null, stored: false }]);
  });

  it('has no entries in a database older than the audit log', async () => {
    const path = join(tmp.dir(), 'state.db');
    const old = new Database(path);
    migrate(old, path, 2);
    old.close();
    const db = tmp.track(openDatabaseReadOnly(path));
    expect(await createAuditLog(db, () => undefined).entries(null)).toEqual([]);
    expect(await createAuditLog(db, () => undefined).entries(at(0))).toEqual([]);
  });
});
