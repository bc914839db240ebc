import type Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import type { AccountScan } from '../../../src/domain/scan';
import type { UserResult } from '../../../src/domain/types';
import { AppError } from '../../../src/errors';
import type { Stores } from '../../../src/ports/stores';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  accountScan,
  at,
  closing,
  findingOf,
  newFinding,
  rejection,
  user,
} from '../../contracts/fixtures';
import { describeScanStoreAccountsContract } from '../../contracts/scan-store-accounts-contract';
import { describeScanStoreContract } from '../../contracts/scan-store-contract';
import { openSqliteFileStores, openSqliteStores, scratch, storesOn } from './sqlite-fixtures';

describeScanStoreContract('SQLite in memory', openSqliteStores);
describeScanStoreContract('SQLite file', openSqliteFileStores);
describeScanStoreAccountsContract('SQLite in memory', openSqliteStores);
describeScanStoreAccountsContract('SQLite file', openSqliteFileStores);

const tmp = scratch();
afterEach(() => tmp.cleanup());

const setup = (): { db: Database.Database; stores: Stores } => {
  const db = tmp.track(openDatabase(':memory:'));
  return { db, stores: storesOn(db) };
};

const rows = (db: Database.Database, sql: string): unknown[] => db.prepare(sql).all();

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const fixedOf = (u: UserResult): UserResult => ({ ...u, status: 'compliant', nonCompliantSince: null });

describe('SQLite scan store', () => {
  describe('rows', () => {
    it('stores dates as ISO-8601 UTC text', async () => {
      const { db, stores } = setup();
      const full = user({
        userName: 'full',
        checkedAt: new Date('2025-03-01T10:00:00.123Z'),
        passwordLastUsed: new Date('2025-02-28T08:30:00.000Z'),
        status: 'grace',
        graceUntil: new Date('2025-03-08T10:00:00.123Z'),
      });
      await stores.scans.saveScan(accountScan({ users: [full] }));
      expect(db.prepare('SELECT checked_at, grace_until, password_last_used FROM user_states').get()).toEqual({
        checked_at: '2025-03-01T10:00:00.123Z',
        grace_until: '2025-03-08T10:00:00.123Z',
        password_last_used: '2025-02-28T08:30:00.000Z',
      });
    });

    it('points every user state at the scan that last saw it, also after a failed scan', async () => {
      const { db, stores } = setup();
      await stores.scans.saveScan(accountScan({ users: [user({ userName: 'alice' }), user({ userName: 'bob' })] }));
      const second = await stores.scans.saveScan(
        accountScan({ users: [user({ userName: 'alice' }), user({ userName: 'dave' })] }),
      );
      await stores.scans.saveFailedScan({
        accountId: ACCOUNT_A,
        startedAt: at(60),
        finishedAt: at(61),
        strategy: null,
        error: 'boom',
      });
      expect(db.prepare('SELECT DISTINCT last_scan_id FROM user_states').pluck().all()).toEqual([second.scanId]);
    });

    it('records the duration, report time, root result and issues of a completed scan', async () => {
      const { db, stores } = setup();
      const scan = accountScan({
        startedAt: at(0),
        finishedAt: new Date(at(0).getTime() + 1234),
        root: { accountId: ACCOUNT_A, mfaActive: false, source: 'live' },
        issues: [{ code: 'tag_unreadable', message: 'could not read tags', userName: 'b' }],
      });
      await stores.scans.saveScan(scan);
      expect(
        db.prepare('SELECT duration_ms, report_generated_at, root_mfa_active, issues_json, error FROM scans').get(),
      ).toEqual({
        duration_ms: 1234,
        report_generated_at: at(-5).toISOString(),
        root_mfa_active: 0,
        issues_json: JSON.stringify(scan.issues),
        error: null,
      });
    });

    it.each([
      ['root with MFA', { accountId: ACCOUNT_A, mfaActive: true, source: 'report' } as const, 1],
      ['no root result', null, null],
    ])('stores %s as root_mfa_active %p', async (_label, root, expected) => {
      const { db, stores } = setup();
      await stores.scans.saveScan(accountScan({ root, reportGeneratedAt: null }));
      expect(db.prepare('SELECT root_mfa_active, report_generated_at FROM scans').get()).toEqual({
        root_mfa_active: expected,
        report_generated_at: null,
      });
    });

    it('ties a finding to the scan that opened it and the scan (or person) that closed it', async () => {
      const { db, stores } = setup();
      const bob = user({ userName: 'bob', status: 'non_compliant' });
      const first = await stores.scans.saveScan(
        accountScan({ users: [alice, bob], opened: [newFinding(alice), newFinding(bob)] }),
      );
      expect(rows(db, 'SELECT opened_scan_id, closed_at FROM findings ORDER BY id')).toEqual([
        { opened_scan_id: first.scanId, closed_at: null },
        { opened_scan_id: first.scanId, closed_at: null },
      ]);
      const bobFinding = findingOf(first.opened, 'bob');
      await stores.findings.saveLiveCheck({
        result: null,
        close: { findingId: bobFinding.id, reason: 'fixed', closedBy: 'U012ABCDEF', at: at(30) },
      });

      const closing2 = await stores.scans.saveScan(
        accountScan({
          users: [fixedOf(alice), fixedOf(bob)],
          closed: [closing(findingOf(first.opened, 'alice'), at(60), 'fixed'), closing(bobFinding, at(60), 'fixed')],
        }),
      );
      expect(
        rows(db, 'SELECT user_name, closed_at, close_reason, closed_scan_id, closed_by FROM findings ORDER BY id'),
      ).toEqual([
        {
          user_name: 'alice',
          closed_at: at(60).toISOString(),
          close_reason: 'fixed',
          closed_scan_id: closing2.scanId,
          closed_by: null,
        },
        {
          user_name: 'bob',
          closed_at: at(30).toISOString(),
          close_reason: 'fixed',
          closed_scan_id: null,
          closed_by: 'U012ABCDEF',
        },
      ]);
    });

    it('leaves the real finding row untouched when a scan names it with another user_id', async () => {
      const { db, stores } = setup();
      const first = await stores.scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }));
      const impostor = closing({ ...findingOf(first.opened, 'alice'), userId: 'AIDASOMEONEELSE' }, at(60), 'fixed');
      expect(await rejection(stores.scans.saveScan(accountScan({ users: [], closed: [impostor] })))).toBeInstanceOf(
        AppError,
      );
      expect(rows(db, 'SELECT user_id, closed_at, close_reason, closed_scan_id FROM findings')).toEqual([
        { user_id: alice.userId, closed_at: null, close_reason: null, closed_scan_id: null },
      ]);
    });
  });

  describe('corrupt rows', () => {
    it('reports a corrupt stored value as a database_error naming the column', async () => {
      const { db, stores } = setup();
      await stores.scans.saveScan(accountScan({ users: [user({ userName: 'alice' })] }));
      db.exec("UPDATE user_states SET checked_at = 'yesterday-ish'");
      const thrown = await rejection(stores.scans.userResults(ACCOUNT_A));
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({
        code: 'database_error',
        message: expect.stringContaining('user_states.checked_at'),
      });
    });

    it.each([
      ['counts that are not JSON', "UPDATE scans SET counts_json = '{oops'", 'scans.counts_json'],
      ['issues without a code', `UPDATE scans SET issues_json = '[{"message":"x"}]'`, 'scans.issues_json'],
    ])('reports %s of the previous scan as a database_error naming the column', async (_label, sql, column) => {
      const { db, stores } = setup();
      await stores.scans.saveScan(accountScan());
      db.exec(sql);
      const current = await stores.scans.saveScan(accountScan({ startedAt: at(60) }));
      expect(await rejection(stores.scans.previousErrors(ACCOUNT_A, current.scanId))).toMatchObject({
        code: 'database_error',
        message: expect.stringContaining(column),
      });
    });

    it('reports a root_mfa_active the schema would refuse', async () => {
      const { db, stores } = setup();
      await stores.scans.saveScan(accountScan());
      db.pragma('ignore_check_constraints = ON');
      db.exec('UPDATE scans SET root_mfa_active = 7');
      db.pragma('ignore_check_constraints = OFF');
      const current = await stores.scans.saveScan(accountScan({ startedAt: at(60) }));
      expect(await rejection(stores.scans.previousRootMfa(ACCOUNT_A, current.scanId))).toMatchObject({
        code: 'database_error',
        message: expect.stringContaining('scans.root_mfa_active'),
      });
    });
  });

  describe('transactions', () => {
    const bob = user({ userName: 'bob' });
    const failing: ReadonlyArray<[string, (aliceId: number) => AccountScan]> = [
      ['the same user twice', () => accountScan({ startedAt: at(60), users: [bob, bob] })],
      [
        'a user with an invalid date',
        () => accountScan({ startedAt: at(60), users: [{ ...bob, checkedAt: new Date(Number.NaN) }] }),
      ],
      [
        'a second open finding for a user',
        () => accountScan({ startedAt: at(60), users: [alice], opened: [newFinding(alice, at(60))] }),
      ],
      [
        'a finding to close that is not open',
        (aliceId) =>
          accountScan({
            startedAt: at(60),
            closed: [
              closing(
                { id: aliceId, ...newFinding(alice), userName: 'nobody', closedAt: null, closeReason: null },
                at(60),
                'deleted',
              ),
            ],
          }),
      ],
      [
        'a user of another account',
        () => accountScan({ startedAt: at(60), users: [user({ userName: 'eve', accountId: ACCOUNT_B })] }),
      ],
    ];

    it.each(failing)('rolls back every row of a scan with %s and leaves no transaction open', async (_label, bad) => {
      const { db, stores } = setup();
      const first = await stores.scans.saveScan(
        accountScan({ users: [alice, user({ userName: 'carol' })], opened: [newFinding(alice)] }),
      );
      const dump = (): unknown => ({
        scans: rows(db, 'SELECT * FROM scans'),
        users: rows(db, 'SELECT * FROM user_states'),
        findings: rows(db, 'SELECT * FROM findings'),
      });
      const before = dump();
      expect(await rejection(stores.scans.saveScan(bad(findingOf(first.opened, 'alice').id)))).toMatchObject({
        code: 'database_error',
      });
      expect(db.inTransaction).toBe(false);
      expect(dump()).toEqual(before);
    });
  });

  describe('CHECK constraints', () => {
    it.each([
      ['user_states.status', "UPDATE user_states SET status = 'bogus'"],
      ['user_states.source', "UPDATE user_states SET source = 'guess'"],
      ['user_states.owner_kind', "UPDATE user_states SET owner_kind = 'pager'"],
      ['scans.outcome', "UPDATE scans SET outcome = 'partial'"],
      ['scans.strategy', "UPDATE scans SET strategy = 'magic'"],
      [
        'findings.close_reason',
        "UPDATE findings SET closed_at = '2025-01-01T00:00:00.000Z', closed_scan_id = 1, close_reason = 'whim'",
      ],
      [
        'findings closed without a reason',
        "UPDATE findings SET closed_at = '2025-01-01T00:00:00.000Z', closed_scan_id = 1",
      ],
      ['a failed scan without an error', "UPDATE scans SET outcome = 'failed'"],
      ['user_states.last_scan_id foreign key', 'UPDATE user_states SET last_scan_id = 999'],
    ])('rejects a bad %s', async (_label, sql) => {
      const { db, stores } = setup();
      await stores.scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }));
      expect(() => db.exec(sql)).toThrow(/constraint failed/i);
    });
  });
});
