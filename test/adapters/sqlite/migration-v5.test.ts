import { join } from 'node:path';

import Database from 'better-sqlite3';

import { readAccountNames } from '../../../src/adapters/sqlite/account-names';
import { openDatabase } from '../../../src/adapters/sqlite/database';
import { migrate } from '../../../src/adapters/sqlite/migrations';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import { ACCOUNT_A, accountScan, at } from '../../contracts/fixtures';
import { scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

/** A v4 file as the previous release left it: one completed scan, without an alias. */
const v4File = (): string => {
  const path = join(tmp.dir(), 'state.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, path, 4);
  db.prepare(
    `INSERT INTO scans (id, account_id, started_at, finished_at, duration_ms, outcome, counts_json, issues_json) VALUES (1, '${ACCOUNT_A}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', 60000, 'completed', '{}', '[]')`,
  ).run();
  db.close();
  return path;
};

describe('schema v5', () => {
  it('gives scans an account alias, none for the scans stored before', async () => {
    const db = tmp.track(openDatabase(v4File()));
    expect(db.prepare('SELECT id, account_alias FROM scans').all()).toEqual([{ id: 1, account_alias: null }]);
    expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBeGreaterThanOrEqual(5);
    const scans = createScanStore(db);
    expect((await scans.accountNames(ACCOUNT_A)).alias).toBeNull();

    await scans.saveScan(accountScan({ startedAt: at(60), alias: 'acme-prod' }));
    expect((await scans.accountNames(ACCOUNT_A)).alias).toBe('acme-prod');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('readAccountNames', () => {
  it('answers each account’s latest alias and name, and none on a database older than v5', async () => {
    const db = tmp.track(openDatabase(v4File()));
    await createScanStore(db).saveScan(accountScan({ startedAt: at(60), alias: 'acme-prod', name: 'Acme' }));
    expect(readAccountNames(db, [ACCOUNT_A, ACCOUNT_A, '999999999999'])).toEqual(
      new Map([
        [ACCOUNT_A, { alias: 'acme-prod', name: 'Acme' }],
        ['999999999999', { alias: null, name: null }],
      ]),
    );

    const path = join(tmp.dir(), 'old.db');
    const old = new Database(path);
    migrate(old, path, 4);
    expect(readAccountNames(old, [ACCOUNT_A])).toEqual(new Map());
    old.close();
  });

  it('answers the alias without a name on a v5 database, which stored no names', () => {
    const path = join(tmp.dir(), 'v5.db');
    const v5 = new Database(path);
    migrate(v5, path, 5);
    v5.prepare(
      `INSERT INTO scans (account_id, account_alias, started_at, finished_at, duration_ms, outcome, counts_json, issues_json) VALUES ('${ACCOUNT_A}', 'acme-prod', '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', 60000, 'completed', '{}', '[]')`,
    ).run();
    expect(readAccountNames(v5, [ACCOUNT_A])).toEqual(new Map([[ACCOUNT_A, { alias: 'acme-prod', name: null }]]));
    v5.close();
  });
});
