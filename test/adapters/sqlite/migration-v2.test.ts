import { join } from 'node:path';

import Database from 'better-sqlite3';

import { createFindingStore } from '../../../src/adapters/sqlite/finding-store';
import { migrate, MIGRATIONS } from '../../../src/adapters/sqlite/migrations';
import { createNotificationStore } from '../../../src/adapters/sqlite/notification-store';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import { ACCOUNT_A, accountScan, at, newFinding, nudgeRecord, subjectOf, user } from '../../contracts/fixtures';
import { legacyOpenFinding, legacyScan } from './legacy-rows';
import { scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const versions = (db: Database.Database): unknown[] =>
  db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();

const tables = (db: Database.Database): unknown[] =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

const V1_TABLES = ['findings', 'leases', 'scans', 'schema_migrations', 'user_states'];

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob' });

/** A database file as the released version (schema v1) left it, with a scan and an open finding. */
const v1File = async (): Promise<string> => {
  const path = join(tmp.dir(), 'state.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, path, 1);
  legacyOpenFinding(db, newFinding(alice, at(0)), legacyScan(db, accountScan({ users: [alice, bob] })));
  expect(versions(db)).toEqual([1]);
  expect(tables(db)).toEqual(V1_TABLES);
  db.close();
  return path;
};

describe('schema v2', () => {
  it('migrates a v1 database file to v2, keeping every scan, user state and finding', async () => {
    const path = await v1File();
    const before = new Database(path, { readonly: true });
    const dump = (db: Database.Database): Record<string, unknown[]> =>
      Object.fromEntries(
        ['scans', 'user_states', 'findings', 'leases'].map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]),
      );
    const v1Data = dump(before);
    before.close();
    expect(v1Data['findings']).toHaveLength(1);

    // Up to v2 only: this is what the v2 release did to a v1 file (later versions change findings).
    const db = tmp.track(new Database(path));
    db.pragma('foreign_keys = ON');
    migrate(db, path, 2);
    expect(versions(db)).toEqual([1, 2]);
    expect(tables(db)).toEqual([...V1_TABLES, 'escalations', 'slack_message_subjects', 'slack_messages'].sort());
    expect(dump(db)).toEqual(v1Data);
    expect(db.pragma('foreign_key_check')).toEqual([]);

    // Today's stores, on today's schema: what v1 stored is still there, and the findings opened
    // under v1 can be nudged about and escalated.
    migrate(db, path);
    expect(await createScanStore(db).userResults(ACCOUNT_A)).toEqual([alice, bob]);
    const notes = createNotificationStore(db);
    const findings = createFindingStore(db);
    const [open] = await findings.open(ACCOUNT_A);
    const aliceId = open?.id ?? -1;
    expect(open).toMatchObject({ id: expect.any(Number), userName: 'alice', closedAt: null });
    const id = await notes.recordMessage(
      nudgeRecord({ recipient: 'U1', at: at(5), subjects: [subjectOf(alice, aliceId)] }),
    );
    await findings.markEscalated([aliceId], at(6));
    expect(await notes.previousNudges(ACCOUNT_A)).toEqual([
      { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U1', at: at(5) },
    ]);
    expect(await findings.escalatedIds(ACCOUNT_A)).toEqual(new Set([aliceId]));
    expect(await findings.get(aliceId)).toEqual(open);
    expect(id).toBeGreaterThan(0);
  });

  it('never goes back: asking for an older version of an up-to-date database changes nothing', () => {
    const db = tmp.track(new Database(':memory:'));
    migrate(db);
    const schema = db.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all();
    migrate(db, 'test', 1);
    expect(versions(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(schema);
  });

  it('applies v2 on its own to a v1 database and is then a no-op', () => {
    const db = tmp.track(new Database(':memory:'));
    migrate(db, 'test', 1);
    expect(tables(db)).toEqual(V1_TABLES);
    migrate(db, 'test', 2);
    migrate(db, 'test', 2);
    expect(versions(db)).toEqual([1, 2]);
  });
});
