import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { openDatabase, openDatabaseReadOnly } from '../../../src/adapters/sqlite/database';
import { LATEST_SCHEMA_VERSION, migrate } from '../../../src/adapters/sqlite/migrations';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import { AppError } from '../../../src/errors';
import { ACCOUNT_A, accountScan, user } from '../../contracts/fixtures';
import { caught, scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const versions = (db: Database.Database): unknown[] =>
  db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();

describe('openDatabaseReadOnly', () => {
  it('refuses a missing file, creating neither it nor its folder, and says what to check', () => {
    const dir = tmp.dir();
    const path = join(dir, 'nested', 'state.db');
    const thrown = caught(() => openDatabaseReadOnly(path));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'database_error',
      message: `No mfa-guard database at ${path}.`,
      hint: 'Check DATABASE_PATH; the bot or `npm run scan` creates it on first run.',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses ":memory:", which could only ever be empty', () => {
    expect(caught(() => openDatabaseReadOnly(':memory:'))).toMatchObject({ code: 'database_error' });
  });

  it('reads an up-to-date database and cannot write to it', async () => {
    const path = join(tmp.dir(), 'state.db');
    const writer = tmp.track(openDatabase(path));
    await createScanStore(writer).saveScan(accountScan({ users: [user({ userName: 'alice' })] }));

    // Still in the writer's -wal file, not yet checkpointed into the database file.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    const db = tmp.track(openDatabaseReadOnly(path));
    expect(db.readonly).toBe(true);
    expect((await createScanStore(db).userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['alice']);
    expect(() => db.exec("DELETE FROM leases WHERE name = 'x'")).toThrow(/readonly/i);
  });

  it('leaves nothing behind next to a WAL database nobody has open', async () => {
    const dir = tmp.dir();
    const path = join(dir, 'state.db');
    const writer = openDatabase(path);
    await createScanStore(writer).saveScan(accountScan({ users: [user({ userName: 'alice' })] }));
    writer.close();
    const before = readdirSync(dir);
    expect(before).toEqual(['state.db']);

    const db = tmp.track(openDatabaseReadOnly(path));
    expect((await createScanStore(db).userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['alice']);
    expect(readdirSync(dir)).toEqual(before);
    db.close();
    expect(readdirSync(dir)).toEqual(before);
  });

  it('opens an older database as it is, without migrating it', () => {
    const path = join(tmp.dir(), 'state.db');
    const old = new Database(path);
    migrate(old, path, 2);
    old.close();
    const db = tmp.track(openDatabaseReadOnly(path));
    expect(versions(db)).toEqual([1, 2]);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'audit_log'").pluck().get()).toBe(0);
  });

  it('refuses a database written by a newer mfa-guard', () => {
    const path = join(tmp.dir(), 'state.db');
    const db = openDatabase(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
      LATEST_SCHEMA_VERSION + 1,
      '2030-01-01T00:00:00.000Z',
    );
    db.close();
    expect(caught(() => openDatabaseReadOnly(path))).toMatchObject({
      code: 'database_error',
      message: expect.stringContaining(`${path} has schema version ${LATEST_SCHEMA_VERSION + 1}`),
      hint: expect.stringMatching(/upgrade mfa-guard/i),
    });
  });

  it('reports a file that is not a database, naming the path', () => {
    const path = join(tmp.dir(), 'not-a.db');
    writeFileSync(path, 'this is a text file, not SQLite, and it is long enough to have a header');
    expect(caught(() => openDatabaseReadOnly(path))).toMatchObject({
      code: 'database_error',
      message: expect.stringContaining(path),
    });
    expect(existsSync(path)).toBe(true);
  });
});
