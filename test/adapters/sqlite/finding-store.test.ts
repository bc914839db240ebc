import type Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import type { Finding, UserResult } from '../../../src/domain/types';
import type { Stores } from '../../../src/ports/stores';
import { describeFindingStoreContract } from '../../contracts/finding-store-contract';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  accountScan,
  at,
  findingOf,
  newFinding,
  rejection,
  user,
} from '../../contracts/fixtures';
import { openSqliteFileStores, openSqliteStores, scratch, storesOn } from './sqlite-fixtures';

describeFindingStoreContract('SQLite in memory', openSqliteStores);
describeFindingStoreContract('SQLite file', openSqliteFileStores);

const tmp = scratch();
afterEach(() => tmp.cleanup());

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: at(0) });
const aliceB = user({ userName: 'alice', accountId: ACCOUNT_B, userId: 'AIDAALICEB', status: 'non_compliant' });

interface Setup {
  readonly db: Database.Database;
  readonly stores: Stores;
  readonly scanId: number;
  readonly aliceA: Finding;
}

/** One scan per account opened findings for alice and bob in A, and alice in B. */
const setup = async (): Promise<Setup> => {
  const db = tmp.track(openDatabase(':memory:'));
  const stores = storesOn(db);
  const a = await stores.scans.saveScan(
    accountScan({ users: [alice, bob], opened: [newFinding(alice), newFinding(bob)] }),
  );
  await stores.scans.saveScan(accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [newFinding(aliceB)] }));
  return { db, stores, scanId: a.scanId, aliceA: findingOf(a.opened, 'alice') };
};

const findingRow = (db: Database.Database, id: number): unknown =>
  db.prepare('SELECT closed_at, close_reason, closed_scan_id, closed_by FROM findings WHERE id = ?').get(id);

const live: UserResult = { ...alice, status: 'compliant', source: 'live', checkedAt: at(45), nonCompliantSince: null };

describe('SQLite finding store', () => {
  it('records who closed a finding outside a scan, and no scan', async () => {
    const { db, stores, aliceA } = await setup();
    await stores.findings.saveLiveCheck({
      result: null,
      close: { findingId: aliceA.id, reason: 'fixed', closedBy: 'UALICEOWNER', at: at(30) },
    });
    expect(findingRow(db, aliceA.id)).toEqual({
      closed_at: at(30).toISOString(),
      close_reason: 'fixed',
      closed_scan_id: null,
      closed_by: 'UALICEOWNER',
    });
  });

  it('keeps the first closer when a second close comes too late', async () => {
    const { db, stores, aliceA } = await setup();
    const close = { findingId: aliceA.id, reason: 'fixed', closedBy: 'UFIRST', at: at(30) } as const;
    await stores.findings.saveLiveCheck({ result: null, close });
    await stores.findings.saveLiveCheck({
      result: null,
      close: { ...close, reason: 'deleted', closedBy: 'USECOND', at: at(31) },
    });
    expect(findingRow(db, aliceA.id)).toMatchObject({
      close_reason: 'fixed',
      closed_by: 'UFIRST',
      closed_at: at(30).toISOString(),
    });
  });

  it('keeps the last scan of a user whose live result it stores', async () => {
    const { db, stores, scanId } = await setup();
    const lastScanIds = (): unknown[] =>
      db.prepare('SELECT account_id, user_name, last_scan_id FROM user_states ORDER BY account_id, user_name').all();
    const before = lastScanIds();
    await stores.findings.saveLiveCheck({ result: live, close: null });
    expect(lastScanIds()).toEqual(before);
    expect(
      db
        .prepare("SELECT last_scan_id FROM user_states WHERE user_name = 'alice' AND account_id = ?")
        .pluck()
        .get(ACCOUNT_A),
    ).toBe(scanId);
  });

  it('keeps the time a finding was first escalated', async () => {
    const { db, stores, aliceA } = await setup();
    await stores.findings.markEscalated([aliceA.id], at(100));
    await stores.findings.markEscalated([aliceA.id, aliceA.id], at(200));
    expect(db.prepare('SELECT finding_id, escalated_at FROM escalations').all()).toEqual([
      { finding_id: aliceA.id, escalated_at: at(100).toISOString() },
    ]);
  });

  it('rolls back the stored state when the finding cannot be closed, and leaves no transaction open', async () => {
    const { db, stores, aliceA } = await setup();
    const dump = (): unknown => ({
      users: db.prepare('SELECT * FROM user_states ORDER BY account_id, user_name').all(),
      findings: db.prepare('SELECT * FROM findings ORDER BY id').all(),
    });
    const before = dump();
    const close = { findingId: aliceA.id, reason: 'fixed', closedBy: 'UALICE', at: new Date(Number.NaN) } as const;
    expect(await rejection(stores.findings.saveLiveCheck({ result: live, close }))).toMatchObject({
      code: 'database_error',
      message: expect.stringContaining(
        `save the live check of user "alice" in account ${ACCOUNT_A} and close finding ${aliceA.id}`,
      ),
    });
    expect(db.inTransaction).toBe(false);
    expect(dump()).toEqual(before);
  });

  it('rolls back every escalation of a list with an unknown finding', async () => {
    const { db, stores, aliceA } = await setup();
    await rejection(stores.findings.markEscalated([aliceA.id, 31_337], at(100)));
    expect(db.prepare('SELECT * FROM escalations').all()).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });
});
