import type Database from 'better-sqlite3';
import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createFindingStore } from '../../../src/adapters/sqlite/finding-store';
import { createNotificationStore } from '../../../src/adapters/sqlite/notification-store';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import type { UserResult } from '../../../src/domain/types';
import type { FindingStore, OpenFinding, ScanStore } from '../../../src/ports';
import { ACCOUNT_A, ACCOUNT_B, T0, accountScan, at, scratch, user } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: at(0) });
const aliceB = user({ userName: 'alice', accountId: ACCOUNT_B, userId: 'AIDAALICEB', status: 'non_compliant' });

const openFor = (u: UserResult, openedAt: Date = T0): OpenFinding => ({
  accountId: u.accountId,
  userName: u.userName,
  userId: u.userId,
  openedAt,
});

interface Setup {
  db: Database.Database;
  scans: ScanStore;
  store: FindingStore;
  scanId: number;
  findingId(accountId: string, userName: string): number;
}

/** One scan per account opened findings for alice and bob in A, and alice in B. */
const setup = (): Setup => {
  const db = tmp.track(openDatabase(':memory:'));
  const scans = createScanStore(db);
  const scanId = scans.saveScan(accountScan({ users: [alice, bob], opened: [openFor(alice), openFor(bob)] }));
  scans.saveScan(accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [openFor(aliceB)] }));
  const notes = createNotificationStore(db);
  return {
    db,
    scans,
    store: createFindingStore(db),
    scanId,
    findingId: (accountId, userName) => {
      const id = notes.openFindingIds(accountId).get(userName);
      if (id === undefined) throw new Error(`no open finding for ${userName} in ${accountId}`);
      return id;
    },
  };
};

const findingRow = (db: Database.Database, id: number): unknown =>
  db.prepare('SELECT closed_at, close_reason, closed_scan_id, closed_by FROM findings WHERE id = ?').get(id);

describe('createFindingStore', () => {
  describe('closeFinding', () => {
    it('closes an open finding outside a scan, recording who closed it', () => {
      const { db, scans, store, findingId } = setup();
      const id = findingId(ACCOUNT_A, 'alice');
      expect(store.closeFinding(id, 'fixed', 'UALICEOWNER', at(30))).toBe(true);
      expect(findingRow(db, id)).toEqual({
        closed_at: at(30).toISOString(),
        close_reason: 'fixed',
        closed_scan_id: null,
        closed_by: 'UALICEOWNER',
      });
      expect(scans.openFindings(ACCOUNT_A)).toEqual([openFor(bob)]);
      expect(createNotificationStore(db).finding(id)).toMatchObject({ id, closedAt: at(30) });
    });

    it('changes nothing and says so when the finding is no longer open', () => {
      const { db, store, findingId } = setup();
      const id = findingId(ACCOUNT_A, 'alice');
      store.closeFinding(id, 'fixed', 'UFIRST', at(30));
      expect(store.closeFinding(id, 'deleted', 'USECOND', at(31))).toBe(false);
      expect(findingRow(db, id)).toMatchObject({ close_reason: 'fixed', closed_by: 'UFIRST', closed_at: at(30).toISOString() });
    });

    it('does not touch a finding a scan already closed', () => {
      const { db, scans, store, findingId } = setup();
      const id = findingId(ACCOUNT_A, 'bob');
      const closing = scans.saveScan(
        accountScan({ startedAt: at(60), users: [alice], closed: [{ ...openFor(bob), closedAt: at(60), reason: 'deleted' }] }),
      );
      expect(store.closeFinding(id, 'fixed', 'UBOB', at(61))).toBe(false);
      expect(findingRow(db, id)).toEqual({ closed_at: at(60).toISOString(), close_reason: 'deleted', closed_scan_id: closing, closed_by: null });
    });

    it('answers false for an unknown finding', () => {
      expect(setup().store.closeFinding(98_765, 'fixed', 'U1', at(1))).toBe(false);
    });

    it('lets the next scan open a new finding for the user once a person closed the old one', () => {
      const { scans, store, findingId } = setup();
      store.closeFinding(findingId(ACCOUNT_A, 'alice'), 'fixed', 'U1', at(30));
      scans.saveScan(accountScan({ startedAt: at(60), users: [alice, bob], opened: [openFor(alice, at(60))] }));
      expect(scans.openFindings(ACCOUNT_A)).toEqual([openFor(alice, at(60)), openFor(bob)]);
    });
  });

  describe('saveLiveResult', () => {
    const live: UserResult = {
      ...alice,
      arn: 'arn:aws:iam::111111111111:user/team/alice',
      status: 'compliant',
      source: 'live',
      checkedAt: at(45),
      passwordLastUsed: at(40),
      nonCompliantSince: null,
      owner: { kind: 'slack', value: 'UALICE', source: 'tag:owner' },
      reason: null,
      graceUntil: null,
    };

    const lastScanIds = (db: Database.Database): unknown[] =>
      db.prepare('SELECT user_name, last_scan_id FROM user_states ORDER BY account_id, user_name').all();

    it('replaces the stored state of the same IAM user and keeps its last scan', () => {
      const { db, scans, store, scanId } = setup();
      const before = lastScanIds(db);
      store.saveLiveResult(live);
      expect(scans.userResults(ACCOUNT_A)).toEqual([live, bob]);
      expect(lastScanIds(db)).toEqual(before);
      expect(db.prepare("SELECT last_scan_id FROM user_states WHERE user_name = 'alice' AND account_id = ?").pluck().get(ACCOUNT_A)).toBe(
        scanId,
      );
    });

    it('writes every nullable field, set and cleared', () => {
      const { scans, store } = setup();
      const grace: UserResult = { ...live, status: 'grace', nonCompliantSince: at(1), reason: 'new user', graceUntil: at(5000) };
      store.saveLiveResult(grace);
      expect(scans.userResults(ACCOUNT_A)[0]).toEqual(grace);
      store.saveLiveResult(live);
      expect(scans.userResults(ACCOUNT_A)[0]).toEqual(live);
    });

    it.each([
      ['another IAM user with the same name (a recreated user)', { ...live, userId: 'AIDAALICENEW' }],
      ['a user the account has no stored state for', { ...live, userName: 'zoe', userId: 'AIDAZOE' }],
    ])('does nothing for %s', (_label, result) => {
      const { db, store } = setup();
      const before = db.prepare('SELECT * FROM user_states ORDER BY account_id, user_name').all();
      store.saveLiveResult(result);
      expect(db.prepare('SELECT * FROM user_states ORDER BY account_id, user_name').all()).toEqual(before);
    });

    it('leaves the same user name in another account alone', () => {
      const { scans, store } = setup();
      store.saveLiveResult(live);
      expect(scans.userResults(ACCOUNT_B)).toEqual([aliceB]);
    });
  });

  describe('userNamesWithFindings', () => {
    it('names every user of the account that ever had a finding, open or closed', () => {
      const { scans, store, findingId } = setup();
      store.closeFinding(findingId(ACCOUNT_A, 'alice'), 'fixed', 'U1', at(30));
      scans.saveScan(accountScan({ startedAt: at(60), users: [bob], closed: [{ ...openFor(bob), closedAt: at(60), reason: 'fixed' }] }));
      expect(store.userNamesWithFindings(ACCOUNT_A)).toEqual(new Set(['alice', 'bob']));
      expect(store.userNamesWithFindings(ACCOUNT_B)).toEqual(new Set(['alice']));
      expect(store.userNamesWithFindings('333333333333')).toEqual(new Set());
    });
  });
});
