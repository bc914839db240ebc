import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS } from '../../../src/adapters/sqlite/migrations';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import { AppError } from '../../../src/errors';
import { ACCOUNT_A, accountScan, user } from '../../contracts/fixtures';
import { caught, scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const versions = (db: Database.Database): unknown[] =>
  db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);

const tables = (db: Database.Database): unknown[] =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe('openDatabase', () => {
  it('opens an in-memory database with the full schema and foreign keys on', () => {
    const db = tmp.track(openDatabase(':memory:'));
    expect(tables(db)).toEqual([
      'audit_log',
      'escalations',
      'findings',
      'leases',
      'removal_requests',
      'scan_runs',
      'scans',
      'schema_migrations',
      'slack_message_subjects',
      'slack_messages',
      'sqlite_sequence',
      'user_states',
    ]);
    expect(versions(db)).toEqual(ALL_VERSIONS);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('creates missing parent folders and puts a file database in WAL mode', () => {
    const path = join(tmp.dir(), 'deep', 'er', 'state.db');
    const db = tmp.track(openDatabase(path));
    expect(existsSync(path)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('is idempotent: opening the same file twice keeps the data and applies each migration once', async () => {
    const path = join(tmp.dir(), 'state.db');
    const first = openDatabase(path);
    await createScanStore(first).saveScan(accountScan({ users: [user({ userName: 'alice' })] }));
    first.close();

    const second = tmp.track(openDatabase(path));
    expect(versions(second)).toEqual(ALL_VERSIONS);
    expect((await createScanStore(second).userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['alice']);
    migrate(second);
    expect(versions(second)).toEqual(ALL_VERSIONS);
  });

  it('refuses a database written by a newer mfa-guard, saying what to do', () => {
    const path = join(tmp.dir(), 'state.db');
    const db = openDatabase(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
      LATEST_SCHEMA_VERSION + 1,
      '2030-01-01T00:00:00.000Z',
    );
    db.close();

    const thrown = caught(() => openDatabase(path));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'database_error',
      message: expect.stringContaining(`${path} has schema version ${LATEST_SCHEMA_VERSION + 1}`),
      hint: expect.stringMatching(/upgrade mfa-guard/i),
    });
  });

  it('reports a file that is not a database as a database_error naming the path', () => {
    const path = join(tmp.dir(), 'not-a.db');
    writeFileSync(path, 'this is a text file, not SQLite, and it is long enough to have a header');
    const thrown = caught(() => openDatabase(path));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining(path) });
  });
});

describe('migrate', () => {
  it('brings a bare connection up to date and is a no-op the second time', () => {
    const db = tmp.track(new Database(':memory:'));
    migrate(db);
    const appliedAt: unknown = db.prepare('SELECT applied_at FROM schema_migrations').pluck().get();
    migrate(db);
    expect(versions(db)).toEqual(ALL_VERSIONS);
    expect(db.prepare('SELECT applied_at FROM schema_migrations').pluck().get()).toBe(appliedAt);
    expect(appliedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
