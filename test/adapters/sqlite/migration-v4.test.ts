import { join } from 'node:path';

import Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import { migrate } from '../../../src/adapters/sqlite/migrations';
import { caught, scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

/** A v3 file as the previous release left it: one scan, one open finding, one audit entry. */
const v3File = (): string => {
  const path = join(tmp.dir(), 'state.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, path, 3);
  db.prepare(
    "INSERT INTO scans (id, account_id, started_at, finished_at, duration_ms, outcome, counts_json, issues_json) VALUES (1, '111111111111', '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', 60000, 'completed', '{}', '[]')",
  ).run();
  db.prepare(
    "INSERT INTO findings (id, account_id, user_name, user_id, opened_at, opened_scan_id) VALUES (7, '111111111111', 'alice', 'AIDAALICE', '2026-01-01T00:00:30.000Z', 1)",
  ).run();
  db.prepare(
    "INSERT INTO audit_log (id, at, actor, action, outcome) VALUES (3, '2026-01-02T00:00:00.000Z', 'U012ABCDEF', 'recheck', 'succeeded')",
  ).run();
  db.close();
  return path;
};

describe('schema v4', () => {
  it("adds findings' owners and chains, keeping every finding as its own chain", () => {
    const db = tmp.track(openDatabase(v3File()));
    expect(
      db.prepare('SELECT id, owner_kind, owner_value, owner_source, reopens_id, chain_started_at FROM findings').all(),
    ).toEqual([
      {
        id: 7,
        owner_kind: null,
        owner_value: null,
        owner_source: null,
        reopens_id: null,
        chain_started_at: '2026-01-01T00:00:30.000Z',
      },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('keeps every audit entry, accepts finding_reopened, and stays append-only', () => {
    const db = tmp.track(openDatabase(v3File()));
    expect(db.prepare('SELECT id, action FROM audit_log').all()).toEqual([{ id: 3, action: 'recheck' }]);
    db.prepare(
      "INSERT INTO audit_log (at, actor, action, outcome) VALUES ('2026-01-03T00:00:00.000Z', 'mfa-guard', 'finding_reopened', 'succeeded')",
    ).run();
    expect(caught(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 3").run())).toMatchObject({
      message: expect.stringMatching(/append-only/),
    });
    expect(caught(() => db.prepare('DELETE FROM audit_log WHERE id = 3').run())).toMatchObject({
      message: expect.stringMatching(/append-only/),
    });
  });

  it('gives removal requests a claim holder and a heartbeat', () => {
    const db = tmp.track(openDatabase(v3File()));
    const columns = db.prepare("SELECT name FROM pragma_table_info('removal_requests')").pluck().all();
    expect(columns).toEqual(expect.arrayContaining(['claim_holder', 'heartbeat_at']));
  });
});
