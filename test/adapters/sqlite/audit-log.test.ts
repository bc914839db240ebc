import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createAuditLog } from '../../../src/adapters/sqlite/audit-log';
import { openDatabase, openDatabaseReadOnly } from '../../../src/adapters/sqlite/database';
import { migrate } from '../../../src/adapters/sqlite/migrations';
import { auditJson, type AuditEntry } from '../../../src/domain/audit';
import { AppError } from '../../../src/errors';
import { ACCOUNT_A, at, caught, scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: at(0),
  actor: 'UAPPROVER',
  action: 'removal_approve',
  accountId: ACCOUNT_A,
  userName: 'alice',
  outcome: 'succeeded',
  detail: null,
  requestId: 7,
  ...overrides,
});

const setup = (path = ':memory:'): { db: Database.Database; lines: string[]; log: ReturnType<typeof createAuditLog> } => {
  const db = tmp.track(openDatabase(path));
  const lines: string[] = [];
  return { db, lines, log: createAuditLog(db, (line) => lines.push(line)) };
};

describe('createAuditLog', () => {
  it('stores an entry and writes it as one JSON line with its id', () => {
    const { log, lines } = setup();
    const id = log.record(entry({ detail: 'AccessDenied: "quoted"\nsecond line' }));
    expect(id).toBeGreaterThan(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      type: 'audit',
      id,
      at: '2025-03-01T10:00:00.000Z',
      actor: 'UAPPROVER',
      action: 'removal_approve',
      accountId: ACCOUNT_A,
      userName: 'alice',
      outcome: 'succeeded',
      detail: 'AccessDenied: "quoted"\nsecond line',
      requestId: 7,
    });
    expect(log.entries(null)).toEqual([{ ...entry({ detail: 'AccessDenied: "quoted"\nsecond line' }), id }]);
  });

  it('keeps null fields null', () => {
    const { log } = setup();
    const bare = entry({ actor: 'mfa-guard', action: 'scan_start', accountId: null, userName: null, detail: null, requestId: null });
    const id = log.record(bare);
    expect(log.entries(null)).toEqual([{ ...bare, id }]);
  });

  it('answers entries oldest first, and only those at or after `since`', () => {
    const { log } = setup();
    const late = log.record(entry({ at: at(20), action: 'removal_execute' }));
    const early = log.record(entry({ at: at(5), action: 'removal_request' }));
    const same = log.record(entry({ at: at(20), action: 'finding_closed' }));
    const middle = log.record(entry({ at: at(10), action: 'removal_deny', outcome: 'refused' }));
    expect(log.entries(null).map((e) => e.id)).toEqual([early, middle, late, same]);
    expect(log.entries(at(10)).map((e) => e.id)).toEqual([middle, late, same]);
    expect(log.entries(new Date(at(10).getTime() + 1)).map((e) => e.id)).toEqual([late, same]);
    expect(log.entries(at(21))).toEqual([]);
  });

  it.each([
    ['UPDATE', "UPDATE audit_log SET outcome = 'failed'", /append-only: entries cannot be changed/],
    ['DELETE', 'DELETE FROM audit_log', /append-only: entries cannot be deleted/],
  ])('is append-only: %s is refused', (_label, sql, message) => {
    const { db, log } = setup();
    log.record(entry());
    const before = log.entries(null);
    expect(() => db.exec(sql)).toThrow(message);
    expect(log.entries(null)).toEqual(before);
  });

  it.each([
    ['an unknown action', "'removal_undo'", "'succeeded'"],
    ['an unknown outcome', "'recheck'", "'maybe'"],
  ])('rejects %s', (_label, action, outcome) => {
    const { db } = setup();
    const sql = `INSERT INTO audit_log (at, actor, action, outcome) VALUES ('2025-03-01T10:00:00.000Z', 'U1', ${action}, ${outcome})`;
    expect(() => db.exec(sql)).toThrow(/constraint failed/i);
  });

  it('still writes the line, marked unstored and without an id, when the entry could not be stored', () => {
    const { db, lines, log } = setup();
    db.close();
    const thrown = caught(() => log.record(entry()));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('record the audit entry "removal_approve"') });
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ ...auditJson({ ...entry(), id: 0 }), id: null, stored: false }]);
  });

  it('reads what another connection recorded, through a read-only connection', () => {
    const path = join(tmp.dir(), 'state.db');
    const { log } = setup(path);
    const id = log.record(entry());
    const lines: string[] = [];
    const reader = createAuditLog(tmp.track(openDatabaseReadOnly(path)), (line) => lines.push(line));
    expect(reader.entries(null)).toEqual([{ ...entry(), id }]);
    expect(caught(() => reader.record(entry()))).toMatchObject({ code: 'database_error', message: expect.stringMatching(/readonly/i) });
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([{ id: null, stored: false }]);
  });

  it('has no entries in a database older than the audit log', () => {
    const path = join(tmp.dir(), 'state.db');
    const old = new Database(path);
    migrate(old, path, 2);
    old.close();
    const db = tmp.track(openDatabaseReadOnly(path));
    expect(createAuditLog(db, () => undefined).entries(null)).toEqual([]);
    expect(createAuditLog(db, () => undefined).entries(at(0))).toEqual([]);
  });
});

describe('a failing log sink', () => {
  it('keeps the stored entry and says exactly what was lost', () => {
    const db = openDatabase(':memory:');
    try {
      const log = createAuditLog(db, () => {
        throw new Error('EPIPE: broken pipe');
      });
      const thrown = caught(() => log.record(entry()));
      expect(thrown).toMatchObject({ code: 'audit_output_failed', message: expect.stringContaining('was stored, but its JSON line could not be written: Error: EPIPE') });
      expect(log.entries(null)).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
