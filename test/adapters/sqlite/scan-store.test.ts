import type Database from 'better-sqlite3';
import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createFindingStore } from '../../../src/adapters/sqlite/finding-store';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import type { UserResult } from '../../../src/domain/types';
import { AppError } from '../../../src/errors';
import type { AccountScan, ClosedFinding, OpenFinding, ScanStore } from '../../../src/ports';
import { ACCOUNT_A, ACCOUNT_B, T0, accountScan, at, caught, countsOf, scratch, user } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const setup = (): { db: Database.Database; store: ScanStore } => {
  const db = tmp.track(openDatabase(':memory:'));
  return { db, store: createScanStore(db) };
};

const count = (db: Database.Database, sql: string): unknown => db.prepare(sql).pluck().get();

const openFor = (u: UserResult, openedAt: Date = u.checkedAt): OpenFinding => ({
  accountId: u.accountId,
  userName: u.userName,
  userId: u.userId,
  openedAt,
});

const closedFor = (finding: OpenFinding, closedAt: Date, reason: ClosedFinding['reason']): ClosedFinding => ({
  ...finding,
  closedAt,
  reason,
});

const FULL: UserResult = user({
  userName: 'full.user+tag@example',
  userId: 'AIDAFULLUSER',
  status: 'grace',
  source: 'live',
  checkedAt: new Date('2025-03-01T10:00:00.123Z'),
  createdAt: new Date('2019-12-31T23:59:59.999Z'),
  passwordLastUsed: new Date('2025-02-28T08:30:00.000Z'),
  nonCompliantSince: new Date('2025-02-20T00:00:00.000Z'),
  owner: { kind: 'slack', value: 'U012ABCDEF', source: 'owners-file:full.*' },
  reason: 'new user, 7 days to enable MFA',
  graceUntil: new Date('2025-03-08T10:00:00.123Z'),
});

const EMPTY: UserResult = user({
  userName: 'bare',
  status: 'error',
  source: 'report',
  passwordLastUsed: null,
  nonCompliantSince: null,
  owner: { kind: 'unowned', value: null, source: 'none' },
  reason: null,
  graceUntil: null,
});

describe('createScanStore', () => {
  describe('user states', () => {
    it.each([
      ['every nullable field set', FULL],
      ['every nullable field null', EMPTY],
      ['an email owner', user({ userName: 'carol', status: 'exempt', owner: { kind: 'email', value: 'c@example.com', source: 'tag:owner' }, reason: 'break-glass' })],
    ])('round-trips a user with %s', (_label, result) => {
      const { store } = setup();
      store.saveScan(accountScan({ users: [result] }));
      const [back] = store.userResults(ACCOUNT_A);
      expect(back).toEqual(result);
      expect(back?.checkedAt).toBeInstanceOf(Date);
      expect(back?.createdAt).toBeInstanceOf(Date);
    });

    it('stores dates as ISO-8601 UTC text', () => {
      const { db, store } = setup();
      store.saveScan(accountScan({ users: [FULL] }));
      const row = db.prepare('SELECT checked_at, grace_until, password_last_used FROM user_states').get();
      expect(row).toEqual({
        checked_at: '2025-03-01T10:00:00.123Z',
        grace_until: '2025-03-08T10:00:00.123Z',
        password_last_used: '2025-02-28T08:30:00.000Z',
      });
    });

    it('replaces the account state: users the latest scan did not see are gone, the rest point to it', () => {
      const { db, store } = setup();
      store.saveScan(accountScan({ users: [user({ userName: 'alice' }), user({ userName: 'bob' })] }));
      const second = store.saveScan(
        accountScan({ users: [user({ userName: 'alice', status: 'non_compliant' }), user({ userName: 'dave' })] }),
      );
      expect(store.userResults(ACCOUNT_A).map((u) => [u.userName, u.status])).toEqual([
        ['alice', 'non_compliant'],
        ['dave', 'compliant'],
      ]);
      expect(db.prepare('SELECT DISTINCT last_scan_id FROM user_states').pluck().all()).toEqual([second]);
    });

    it('reports a corrupt stored value as a database_error naming the column', () => {
      const { db, store } = setup();
      store.saveScan(accountScan({ users: [user({ userName: 'alice' })] }));
      db.exec("UPDATE user_states SET checked_at = 'yesterday-ish'");
      const thrown = caught(() => store.userResults(ACCOUNT_A));
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('user_states.checked_at') });
    });
  });

  describe('scans', () => {
    it('returns null from lastScan on an empty database', () => {
      expect(setup().store.lastScan()).toBeNull();
    });

    it('records a completed scan with its counts, strategy, issues and root result', () => {
      const { db, store } = setup();
      const users = [user({ userName: 'a', status: 'non_compliant' }), user({ userName: 'b' }), user({ userName: 'c' })];
      const scan = accountScan({
        startedAt: at(0),
        finishedAt: new Date(at(0).getTime() + 1234),
        strategy: { name: 'per-user', reason: 'credential report too old' },
        users,
        root: { accountId: ACCOUNT_A, mfaActive: false, source: 'live' },
        issues: [{ code: 'tag_unreadable', message: 'could not read tags', userName: 'b' }],
      });
      const id = store.saveScan(scan);

      expect(store.lastScan()).toEqual({
        id,
        accountId: ACCOUNT_A,
        startedAt: at(0),
        finishedAt: new Date(at(0).getTime() + 1234),
        outcome: 'completed',
        strategy: { name: 'per-user', reason: 'credential report too old' },
        counts: countsOf(users),
        error: null,
      });
      expect(db.prepare('SELECT duration_ms, report_generated_at, root_mfa_active, issues_json, error FROM scans').get()).toEqual({
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
    ])('stores %s as root_mfa_active %p', (_label, root, expected) => {
      const { db, store } = setup();
      store.saveScan(accountScan({ root, reportGeneratedAt: null }));
      expect(db.prepare('SELECT root_mfa_active, report_generated_at FROM scans').get()).toEqual({
        root_mfa_active: expected,
        report_generated_at: null,
      });
    });

    it.each([
      ['before the account was known', null, null],
      ['of a known account', ACCOUNT_B, { name: 'credential-report', reason: 'default' } as const],
    ])('records a failed scan %s and touches nothing else', (_label, accountId, strategy) => {
      const { db, store } = setup();
      const alice = user({ userName: 'alice', status: 'non_compliant' });
      const completed = store.saveScan(accountScan({ users: [alice], opened: [openFor(alice)] }));
      const failed = store.saveFailedScan({
        accountId,
        startedAt: at(60),
        finishedAt: at(61),
        strategy,
        error: 'AccessDenied on iam:GenerateCredentialReport',
      });

      expect(failed).toBeGreaterThan(completed);
      expect(store.lastScan()).toEqual({
        id: failed,
        accountId,
        startedAt: at(60),
        finishedAt: at(61),
        outcome: 'failed',
        strategy,
        counts: null,
        error: 'AccessDenied on iam:GenerateCredentialReport',
      });
      expect(store.userResults(ACCOUNT_A)).toEqual([alice]);
      expect(store.openFindings(ACCOUNT_A)).toEqual([openFor(alice)]);
      expect(db.prepare('SELECT DISTINCT last_scan_id FROM user_states').pluck().all()).toEqual([completed]);
    });

    it('returns the most recently saved scan whatever its outcome or account', () => {
      const { store } = setup();
      store.saveFailedScan({ accountId: null, startedAt: at(0), finishedAt: at(1), strategy: null, error: 'boom' });
      const b = store.saveScan(accountScan({ accountId: ACCOUNT_B }));
      expect(store.lastScan()).toMatchObject({ id: b, accountId: ACCOUNT_B, outcome: 'completed' });
    });
  });

  describe('findings', () => {
    const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });

    it('opens a finding tied to the scan that opened it', () => {
      const { db, store } = setup();
      const id = store.saveScan(accountScan({ users: [alice], opened: [openFor(alice)] }));
      expect(store.openFindings(ACCOUNT_A)).toEqual([openFor(alice)]);
      expect(db.prepare('SELECT opened_scan_id, closed_at FROM findings').get()).toEqual({ opened_scan_id: id, closed_at: null });
    });

    it('closes a finding with its reason and scan, after which the user may get a new one', () => {
      const { db, store } = setup();
      const finding = openFor(alice);
      store.saveScan(accountScan({ users: [alice], opened: [finding] }));
      const fixed = { ...alice, status: 'compliant', nonCompliantSince: null } as const;
      const closing = store.saveScan(accountScan({ users: [fixed], closed: [closedFor(finding, at(60), 'fixed')] }));
      expect(store.openFindings(ACCOUNT_A)).toEqual([]);
      expect(db.prepare('SELECT closed_at, close_reason, closed_scan_id FROM findings').get()).toEqual({
        closed_at: at(60).toISOString(),
        close_reason: 'fixed',
        closed_scan_id: closing,
      });

      const again = openFor(alice, at(120));
      store.saveScan(accountScan({ users: [alice], opened: [again] }));
      expect(store.openFindings(ACCOUNT_A)).toEqual([again]);
      expect(count(db, 'SELECT COUNT(*) FROM findings')).toBe(2);
    });

    it('closes the old finding of a recreated user and opens one for the new user in the same scan', () => {
      const { db, store } = setup();
      const old = openFor(alice);
      store.saveScan(accountScan({ users: [alice], opened: [old] }));
      const recreated = { ...alice, userId: 'AIDANEWALICE', checkedAt: at(60), nonCompliantSince: at(60) };
      store.saveScan(
        accountScan({
          users: [recreated],
          closed: [closedFor(old, at(60), 'replaced')],
          opened: [openFor(recreated)],
        }),
      );
      expect(store.openFindings(ACCOUNT_A)).toEqual([openFor(recreated)]);
      expect(db.prepare('SELECT user_id, close_reason FROM findings ORDER BY id').all()).toEqual([
        { user_id: alice.userId, close_reason: 'replaced' },
        { user_id: 'AIDANEWALICE', close_reason: null },
      ]);
    });

    it('saves a scan whose closing a person already did while it ran (a Recheck or an approved removal)', () => {
      const { db, store } = setup();
      const finding = openFor(alice);
      store.saveScan(accountScan({ users: [alice], opened: [finding] }));
      const id = Number(db.prepare('SELECT id FROM findings').pluck().get());
      createFindingStore(db).closeFinding(id, 'fixed', 'U012ABCDEF', at(30));

      const fixed = { ...alice, status: 'compliant', nonCompliantSince: null } as const;
      const saved = store.saveScan(accountScan({ users: [fixed], closed: [closedFor(finding, at(60), 'fixed')] }));
      expect(store.lastScan()?.id).toBe(saved);
      expect(db.prepare('SELECT closed_at, closed_by, closed_scan_id FROM findings').all()).toEqual([
        { closed_at: at(30).toISOString(), closed_by: 'U012ABCDEF', closed_scan_id: null },
      ]);
    });

    it('refuses to close a finding whose user_id does not match, leaving the real one open and the scan unsaved', () => {
      const { db, store } = setup();
      const real = openFor(alice);
      const first = store.saveScan(accountScan({ users: [alice], opened: [real] }));
      const impostor = closedFor({ ...real, userId: 'AIDASOMEONEELSE' }, at(60), 'fixed');

      const thrown = caught(() => store.saveScan(accountScan({ users: [], closed: [impostor] })));
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('AIDASOMEONEELSE') });
      expect(store.openFindings(ACCOUNT_A)).toEqual([real]);
      expect(db.prepare('SELECT user_id, closed_at, close_reason, closed_scan_id FROM findings').all()).toEqual([
        { user_id: alice.userId, closed_at: null, close_reason: null, closed_scan_id: null },
      ]);
      expect(store.userResults(ACCOUNT_A)).toEqual([alice]);
      expect(store.lastScan()?.id).toBe(first);
    });
  });

  describe('atomicity', () => {
    const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
    const bob = user({ userName: 'bob' });
    const aliceFinding = openFor(alice);

    const failing: ReadonlyArray<[string, AccountScan]> = [
      ['the same user twice', accountScan({ startedAt: at(60), users: [bob, bob] })],
      ['a user with an invalid date', accountScan({ startedAt: at(60), users: [{ ...bob, checkedAt: new Date(Number.NaN) }] })],
      ['a second open finding for a user', accountScan({ startedAt: at(60), users: [alice], opened: [openFor(alice, at(60))] })],
      [
        'a finding to close that is not open',
        accountScan({ startedAt: at(60), closed: [closedFor({ ...aliceFinding, userName: 'nobody' }, at(60), 'deleted')] }),
      ],
      ['a user of another account', accountScan({ startedAt: at(60), users: [user({ userName: 'eve', accountId: ACCOUNT_B })] })],
    ];

    it.each(failing)('writes nothing of a scan with %s and keeps the previous scan intact', (_label, bad) => {
      const { db, store } = setup();
      const previous = store.saveScan(accountScan({ users: [alice, user({ userName: 'carol' })], opened: [aliceFinding] }));
      const before = {
        scans: db.prepare('SELECT * FROM scans').all(),
        users: db.prepare('SELECT * FROM user_states').all(),
        findings: db.prepare('SELECT * FROM findings').all(),
      };

      const thrown = caught(() => store.saveScan(bad));
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'database_error' });

      expect(db.inTransaction).toBe(false);
      expect({
        scans: db.prepare('SELECT * FROM scans').all(),
        users: db.prepare('SELECT * FROM user_states').all(),
        findings: db.prepare('SELECT * FROM findings').all(),
      }).toEqual(before);
      expect(store.lastScan()?.id).toBe(previous);
      // The store still works after a rolled-back scan.
      expect(store.saveScan(accountScan({ startedAt: at(120), users: [alice] }))).toBeGreaterThan(previous);
    });
  });

  describe('CHECK constraints', () => {
    it.each([
      ["user_states.status", "UPDATE user_states SET status = 'bogus'"],
      ["user_states.source", "UPDATE user_states SET source = 'guess'"],
      ["user_states.owner_kind", "UPDATE user_states SET owner_kind = 'pager'"],
      ["scans.outcome", "UPDATE scans SET outcome = 'partial'"],
      ["scans.strategy", "UPDATE scans SET strategy = 'magic'"],
      ["findings.close_reason", "UPDATE findings SET closed_at = '2025-01-01T00:00:00.000Z', closed_scan_id = 1, close_reason = 'whim'"],
      ["findings closed without a reason", "UPDATE findings SET closed_at = '2025-01-01T00:00:00.000Z', closed_scan_id = 1"],
      ["a failed scan without an error", "UPDATE scans SET outcome = 'failed'"],
      ["user_states.last_scan_id foreign key", 'UPDATE user_states SET last_scan_id = 999'],
    ])('rejects a bad %s', (_label, sql) => {
      const { db, store } = setup();
      const alice = user({ userName: 'alice', status: 'non_compliant' });
      store.saveScan(accountScan({ users: [alice], opened: [openFor(alice)] }));
      expect(() => db.exec(sql)).toThrow(/constraint failed/i);
    });
  });

  describe('many accounts', () => {
    it('keeps two accounts with the same user names fully apart', () => {
      const { store } = setup();
      const aliceA = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: T0 });
      const aliceB = user({ userName: 'alice', accountId: ACCOUNT_B, userId: 'AIDAALICEB', status: 'non_compliant', nonCompliantSince: T0 });
      const bobB = user({ userName: 'bob', accountId: ACCOUNT_B });
      store.saveScan(accountScan({ users: [aliceA], opened: [openFor(aliceA)] }));
      store.saveScan(accountScan({ accountId: ACCOUNT_B, users: [aliceB, bobB], opened: [openFor(aliceB)] }));

      expect(store.userResults(ACCOUNT_A)).toEqual([aliceA]);
      expect(store.userResults(ACCOUNT_B)).toEqual([aliceB, bobB]);
      expect(store.openFindings(ACCOUNT_A)).toEqual([openFor(aliceA)]);
      expect(store.openFindings(ACCOUNT_B)).toEqual([openFor(aliceB)]);

      // Account A's alice is fixed and account A now has no users at all: B must not notice.
      store.saveScan(accountScan({ startedAt: at(60), users: [], closed: [closedFor(openFor(aliceA), at(60), 'deleted')] }));
      expect(store.userResults(ACCOUNT_A)).toEqual([]);
      expect(store.openFindings(ACCOUNT_A)).toEqual([]);
      expect(store.userResults(ACCOUNT_B)).toEqual([aliceB, bobB]);
      expect(store.openFindings(ACCOUNT_B)).toEqual([openFor(aliceB)]);
    });

    it('does not let a closed finding of one account close the same user name in another', () => {
      const { store } = setup();
      const aliceB = user({ userName: 'alice', accountId: ACCOUNT_B, status: 'non_compliant' });
      store.saveScan(accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [openFor(aliceB)] }));
      // Same name and even the same user id, but account A has no such open finding.
      const wrongAccount = closedFor({ ...openFor(aliceB), accountId: ACCOUNT_A }, at(60), 'fixed');
      expect(caught(() => store.saveScan(accountScan({ closed: [wrongAccount] })))).toBeInstanceOf(AppError);
      expect(store.openFindings(ACCOUNT_B)).toEqual([openFor(aliceB)]);
    });
  });
});
