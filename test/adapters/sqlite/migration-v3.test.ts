import { join } from 'node:path';

import Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createFindingStore } from '../../../src/adapters/sqlite/finding-store';
import { migrate, MIGRATIONS } from '../../../src/adapters/sqlite/migrations';
import { createNotificationStore } from '../../../src/adapters/sqlite/notification-store';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import type { Finding } from '../../../src/domain/types';
import { AppError } from '../../../src/errors';
import {
  ACCOUNT_A,
  accountScan,
  at,
  closing,
  newFinding,
  nudgeRecord,
  subjectOf,
  user,
} from '../../contracts/fixtures';
import { legacyCloseFinding, legacyEscalate, legacyOpenFinding, legacyScan } from './legacy-rows';
import { caught, scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const versions = (db: Database.Database): unknown[] =>
  db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();

const findingIndexes = (db: Database.Database): unknown[] =>
  db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'findings' ORDER BY name")
    .pluck()
    .all();

const rows = (db: Database.Database, table: string): unknown[] =>
  db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: at(0) });

/** A connection set up like openDatabase does, at schema v2. */
const v2Connection = (path: string): Database.Database => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, path, 2);
  return db;
};

/**
 * A v2 file as the previous release left it: alice's finding open (nudged and escalated), bob's
 * closed by a later scan (nudged while it was open).
 */
const v2File = async (): Promise<{ path: string; aliceFinding: Finding; aliceId: number; bobId: number }> => {
  const path = join(tmp.dir(), 'state.db');
  const db = v2Connection(path);
  const firstId = legacyScan(db, accountScan({ users: [alice, bob] }));
  const aliceFinding = legacyOpenFinding(db, newFinding(alice, at(0)), firstId);
  const bobFinding = legacyOpenFinding(db, newFinding(bob, at(0)), firstId);
  await createNotificationStore(db).recordMessage(
    nudgeRecord({
      recipient: 'U1',
      scanId: firstId,
      at: at(2),
      subjects: [subjectOf(alice, aliceFinding.id), subjectOf(bob, bobFinding.id)],
    }),
  );
  legacyEscalate(db, aliceFinding.id, at(3));
  const secondId = legacyScan(
    db,
    accountScan({
      startedAt: at(60),
      finishedAt: at(61),
      users: [alice, { ...bob, status: 'compliant', nonCompliantSince: null }],
    }),
  );
  legacyCloseFinding(db, bobFinding, at(60), 'fixed', secondId);
  expect(versions(db)).toEqual([1, 2]);
  db.close();
  return { path, aliceFinding, aliceId: aliceFinding.id, bobId: bobFinding.id };
};

describe('schema v3', () => {
  it('rebuilds findings on a v2 file, keeping every row, reference and index, with foreign keys back on', async () => {
    const { path, aliceFinding, aliceId, bobId } = await v2File();
    const before = new Database(path, { readonly: true });
    const v2Findings = rows(before, 'findings');
    const v2Kept = ['scans', 'user_states', 'slack_messages', 'slack_message_subjects', 'escalations'].map((t) =>
      rows(before, t),
    );
    const v2Indexes = findingIndexes(before);
    before.close();
    expect(v2Findings).toHaveLength(2);

    const db = tmp.track(openDatabase(path));
    expect(versions(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'findings_new'").pluck().get()).toBe(0);

    // v4's columns come after v3's rebuild: owners unknown, no chain, each finding its own chain start.
    expect(rows(db, 'findings')).toEqual(
      v2Findings.map((row) => {
        const copy: Record<string, unknown> = { ...Object(row) };
        return {
          ...copy,
          closed_by: null,
          owner_kind: null,
          owner_value: null,
          owner_source: null,
          reopens_id: null,
          chain_started_at: copy['opened_at'],
        };
      }),
    );
    // v5 adds the account alias to scans, v6 the run and the organization's name: none for scans stored before them.
    const [v2Scans, ...v2Others] = v2Kept;
    expect(rows(db, 'scans')).toEqual(
      (Array.isArray(v2Scans) ? v2Scans : []).map((row) => ({
        ...Object(row),
        account_alias: null,
        run_id: null,
        account_name: null,
      })),
    );
    expect(['user_states', 'slack_messages', 'slack_message_subjects', 'escalations'].map((t) => rows(db, t))).toEqual(
      v2Others,
    );
    // Every v2 index survives the rebuild; v4 adds one (by UserId, for chains).
    expect(findingIndexes(db)).toEqual([...v2Indexes, 'findings_by_user_id'].sort());
    expect(v2Indexes).toEqual([
      'findings_by_closed_scan',
      'findings_by_id_account_user',
      'findings_by_opened_scan',
      'findings_by_user',
      'findings_one_open_per_user',
    ]);

    // The finding bob's scan closed is still closed by that scan; alice's is still open.
    expect(db.prepare('SELECT closed_scan_id, closed_by, close_reason FROM findings WHERE id = ?').get(bobId)).toEqual({
      closed_scan_id: 2,
      closed_by: null,
      close_reason: 'fixed',
    });
    const findings = createFindingStore(db);
    expect(await findings.open(ACCOUNT_A)).toEqual([aliceFinding]);
    expect(await findings.escalatedIds(ACCOUNT_A)).toEqual(new Set([aliceId]));
  });

  it('keeps the foreign keys that point at findings enforced after the rebuild', async () => {
    const { path, aliceId, bobId } = await v2File();
    const db = tmp.track(openDatabase(path));
    const messageId = db.prepare('SELECT id FROM slack_messages').pluck().get();
    const subject = db.prepare(
      'INSERT INTO slack_message_subjects (message_id, position, account_id, user_name, user_id, finding_id) VALUES (?, 9, ?, ?, ?, ?)',
    );
    expect(() => subject.run(messageId, ACCOUNT_A, 'alice', alice.userId, 999)).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    // The composite key: bob's finding cannot be named as alice's.
    expect(() => subject.run(messageId, ACCOUNT_A, 'alice', alice.userId, bobId)).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    expect(() =>
      db.prepare('INSERT INTO escalations (finding_id, escalated_at) VALUES (999, ?)').run(at(5).toISOString()),
    ).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => db.prepare('DELETE FROM findings WHERE id = ?').run(aliceId)).toThrow(/FOREIGN KEY constraint failed/);
    expect(subject.run(messageId, ACCOUNT_A, 'alice', alice.userId, aliceId).changes).toBe(1);
  });

  it('lets a scan close and open findings on the rebuilt table', async () => {
    const { path, aliceFinding, aliceId } = await v2File();
    const db = tmp.track(openDatabase(path));
    const scans = createScanStore(db);
    const newAlice = { ...alice, userId: 'AIDAALICE2' };
    const saved = await scans.saveScan(
      accountScan({
        startedAt: at(120),
        users: [newAlice],
        closed: [closing(aliceFinding, at(120), 'replaced')],
        opened: [newFinding(newAlice, at(120))],
      }),
    );
    expect(
      db.prepare('SELECT closed_scan_id IS NOT NULL AS by_scan, closed_by FROM findings WHERE id = ?').get(aliceId),
    ).toEqual({
      by_scan: 1,
      closed_by: null,
    });
    expect(saved.closed).toEqual([closing(aliceFinding, at(120), 'replaced')]);
    expect(saved.opened).toMatchObject([{ userId: 'AIDAALICE2', openedAt: at(120) }]);
    expect(await createFindingStore(db).open(ACCOUNT_A)).toEqual(saved.opened);
  });

  describe('findings CHECKs', () => {
    const closedAt = "'2025-03-02T00:00:00.000Z'";
    it.each([
      [
        'closed by a scan and a person',
        `UPDATE findings SET closed_at = ${closedAt}, close_reason = 'fixed', closed_scan_id = 1, closed_by = 'U1' WHERE closed_at IS NULL`,
      ],
      [
        'closed by nobody',
        `UPDATE findings SET closed_at = ${closedAt}, close_reason = 'fixed' WHERE closed_at IS NULL`,
      ],
      ['open but closed by a person', "UPDATE findings SET closed_by = 'U1' WHERE closed_at IS NULL"],
      ['open but closed by a scan', 'UPDATE findings SET closed_scan_id = 1 WHERE closed_at IS NULL'],
      ['a reason but no close time', "UPDATE findings SET close_reason = 'fixed' WHERE closed_at IS NULL"],
      [
        'closed by a person without a reason',
        `UPDATE findings SET closed_at = ${closedAt}, closed_by = 'U1' WHERE closed_at IS NULL`,
      ],
      [
        'an unknown close reason',
        `UPDATE findings SET closed_at = ${closedAt}, close_reason = 'whim', closed_by = 'U1' WHERE closed_at IS NULL`,
      ],
      [
        'a second open finding for a user',
        'INSERT INTO findings (account_id, user_name, user_id, opened_at, opened_scan_id) SELECT account_id, user_name, user_id, opened_at, opened_scan_id FROM findings WHERE closed_at IS NULL',
      ],
    ])('rejects %s', async (_label, sql) => {
      const db = tmp.track(openDatabase((await v2File()).path));
      expect(() => db.exec(sql)).toThrow(/constraint failed/i);
    });

    it('accepts a finding closed by a person', async () => {
      const db = tmp.track(openDatabase((await v2File()).path));
      const sql = `UPDATE findings SET closed_at = ${closedAt}, close_reason = 'fixed', closed_by = 'U1' WHERE closed_at IS NULL`;
      expect(db.prepare(sql).run().changes).toBe(1);
    });
  });

  it('restores foreign_keys = OFF on a connection that had it off', () => {
    const db = tmp.track(new Database(':memory:'));
    db.pragma('foreign_keys = OFF');
    migrate(db, 'test', 2);
    migrate(db, 'test');
    expect(versions(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('foreign_keys', { simple: true })).toBe(0);
  });

  it('refuses to commit a rebuild that would leave broken references, changing nothing, and restores foreign keys', async () => {
    const path = join(tmp.dir(), 'state.db');
    const db = tmp.track(v2Connection(path));
    legacyOpenFinding(db, newFinding(alice, at(0)), legacyScan(db, accountScan({ users: [alice] })));
    // A reference broken by hand, behind the foreign keys' back.
    db.pragma('foreign_keys = OFF');
    db.prepare('INSERT INTO escalations (finding_id, escalated_at) VALUES (999, ?)').run(at(5).toISOString());
    db.pragma('foreign_keys = ON');
    const findingsBefore = rows(db, 'findings');

    const thrown = caught(() => migrate(db, path));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'database_error',
      message: expect.stringMatching(
        /Schema version 3 was not applied .*1 broken reference.*escalations.*findings.*Nothing was changed/,
      ),
      hint: expect.stringMatching(/backup/),
    });
    expect(versions(db)).toEqual([1, 2]);
    expect(rows(db, 'findings')).toEqual(findingsBefore);
    expect(
      db
        .prepare("SELECT name FROM sqlite_schema WHERE name IN ('findings_new', 'removal_requests', 'audit_log')")
        .all(),
    ).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('is applied once when two connections open the same v2 file', async () => {
    const { path } = await v2File();
    const first = tmp.track(openDatabase(path));
    const second = tmp.track(openDatabase(path));
    expect(versions(first)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(versions(second)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(second.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
