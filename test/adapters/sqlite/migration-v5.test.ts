import { join } from 'node:path';

import Database from 'better-sqlite3';

import { readAccountAliases } from '../../../src/adapters/sqlite/account-aliases';
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
    expect(await scans.accountAlias(ACCOUNT_A)).toBeNull();

    await scans.saveScan(accountScan({ startedAt: at(60), alias: 'acme-prod' }));
    expect(await scans.accountAlias(ACCOUNT_A)).toBe('acme-prod');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('readAccountAliases', () => {
  it('answers each account’s latest alias, and none on a database older than v5', async () => {
    const db = tmp.track(openDatabase(v4File()));
    await createScanStore(db).saveScan(accountScan({ startedAt: at(60), alias: 'acme-prod' }));
    expect(readAccountAliases(db, [ACCOUNT_A, ACCOUNT_A, '999999999999'])).toEqual(
      new Map([
        [ACCOUNT_A, 'acme-prod'],
        ['999999999999', null],
      ]),
    );

    const path = join(tmp.dir(), 'old.db');
    const old = new Database(path);
    migrate(old, path, 4);
    expect(readAccountAliases(old, [ACCOUNT_A])).toEqual(new Map());
    old.close();
  });
});
