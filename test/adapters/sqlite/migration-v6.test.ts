import { join } from 'node:path';

import Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import { migrate } from '../../../src/adapters/sqlite/migrations';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import { ACCOUNT_A, accountScan, at } from '../../contracts/fixtures';
import { scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

/** A v5 file as the previous release left it: one completed scan with an alias, outside any run. */
const v5File = (): string => {
  const path = join(tmp.dir(), 'state.db');
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  migrate(db, path, 5);
  db.prepare(
    `INSERT INTO scans (id, account_id, account_alias, started_at, finished_at, duration_ms, outcome, counts_json, issues_json) VALUES (1, '${ACCOUNT_A}', 'acme-prod', '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', 60000, 'completed', '{}', '[]')`,
  ).run();
  db.close();
  return path;
};

describe('schema v6', () => {
  it('adds runs; scans stored before belong to none, and new ones to theirs', async () => {
    const db = tmp.track(openDatabase(v5File()));
    expect(db.prepare('SELECT id, run_id FROM scans').all()).toEqual([{ id: 1, run_id: null }]);
    const scans = createScanStore(db);
    expect(await scans.lastRun()).toBeNull();

    const runId = await scans.startRun({ startedAt: at(60), holder: 'bot:host:1' });
    const saved = await scans.saveScan(accountScan({ startedAt: at(60) }), runId);
    expect(db.prepare('SELECT run_id FROM scans WHERE id = ?').pluck().get(saved.scanId)).toBe(runId);
    expect(db.prepare('SELECT outcome, finished_at FROM scan_runs').all()).toEqual([
      { outcome: 'running', finished_at: null },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it("gives scans the organization's name for the account, none for the scans stored before", async () => {
    const db = tmp.track(openDatabase(v5File()));
    expect(db.prepare('SELECT id, account_alias, account_name FROM scans').all()).toEqual([
      { id: 1, account_alias: 'acme-prod', account_name: null },
    ]);
    const scans = createScanStore(db);
    expect(await scans.accountNames(ACCOUNT_A)).toEqual({ alias: 'acme-prod', name: null });

    await scans.saveScan(accountScan({ startedAt: at(60), alias: null, name: 'Acme production' }));
    expect(await scans.accountNames(ACCOUNT_A)).toEqual({ alias: null, name: 'Acme production' });
  });

  it('looks a user up by name, whatever its case, through an index rather than every stored user', () => {
    const db = tmp.track(openDatabase(v5File()));
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM user_states WHERE user_name = ? COLLATE NOCASE')
      .all('Alice') as { detail: string }[];
    expect(plan.map((step) => step.detail)).toEqual([expect.stringContaining('USING INDEX user_states_by_name')]);
  });

  it.each([
    [
      'a finished run without counts',
      "('2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'completed', 'h', NULL, NULL, NULL)",
    ],
    ['a failed run without an error', "('2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'failed', 'h', 1, 1, NULL)"],
    ['a running run with an end', "('2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'running', 'h', NULL, NULL, NULL)"],
    [
      'more failed accounts than accounts',
      "('2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'completed', 'h', 1, 2, NULL)",
    ],
  ])('refuses %s', (_label, values) => {
    const db = tmp.track(openDatabase(':memory:'));
    expect(() =>
      db
        .prepare(
          `INSERT INTO scan_runs (started_at, finished_at, outcome, holder, accounts_total, accounts_failed, error) VALUES ${values}`,
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
  });
});
