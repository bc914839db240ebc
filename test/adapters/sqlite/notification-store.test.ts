import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createNotificationStore } from '../../../src/adapters/sqlite/notification-store';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import type { RootAccountResult, UserResult } from '../../../src/domain/types';
import { AppError } from '../../../src/errors';
import type { NotificationStore, OpenFinding, ScanStore, SlackMessageRecord } from '../../../src/ports';
import { ACCOUNT_A, ACCOUNT_B, accountScan, at, caught, nudgeRecord, scratch, subjectOf, user } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: at(0) });
const carol = user({ userName: 'carol', status: 'non_compliant', nonCompliantSince: at(0) });
const aliceB = user({ userName: 'alice', accountId: ACCOUNT_B, userId: 'AIDAALICEB', status: 'non_compliant' });

const openFor = (u: UserResult, openedAt: Date = u.checkedAt): OpenFinding => ({
  accountId: u.accountId,
  userName: u.userName,
  userId: u.userId,
  openedAt,
});

interface Setup {
  db: Database.Database;
  scans: ScanStore;
  store: NotificationStore;
  scanId: number;
  /** Finding ids in account A by user name. */
  findings: Map<string, number>;
}

/** A database where one scan of account A opened findings for alice, bob and carol. */
const setup = (path = ':memory:'): Setup => {
  const db = tmp.track(openDatabase(path));
  const scans = createScanStore(db);
  const store = createNotificationStore(db);
  const users = [alice, bob, carol];
  const scanId = scans.saveScan(accountScan({ users, opened: users.map((u) => openFor(u)) }));
  return { db, scans, store, scanId, findings: store.openFindingIds(ACCOUNT_A) };
};

const idOf = (findings: Map<string, number>, userName: string): number => {
  const id = findings.get(userName);
  if (id === undefined) throw new Error(`no open finding for ${userName} in the fixture`);
  return id;
};

const rows = (db: Database.Database, table: string): unknown[] => db.prepare(`SELECT * FROM ${table}`).all();

describe('createNotificationStore', () => {
  describe('lastNudges', () => {
    it('is empty before any nudge', () => {
      expect(setup().store.lastNudges(ACCOUNT_A)).toEqual([]);
    });

    it('counts a sent nudge for every user it covers', () => {
      const { store, findings } = setup();
      store.recordMessage(
        nudgeRecord({ recipient: 'U1', at: at(5), subjects: [subjectOf(alice, idOf(findings, 'alice')), subjectOf(bob, idOf(findings, 'bob'))] }),
      );
      expect(store.lastNudges(ACCOUNT_A)).toEqual([
        { userId: alice.userId, recipient: 'U1', at: at(5) },
        { userId: bob.userId, recipient: 'U1', at: at(5) },
      ]);
    });

    it('ignores failed nudges, so the owner is nudged again next time', () => {
      const { store } = setup();
      store.recordMessage(
        nudgeRecord({ recipient: 'U1', at: at(5), outcome: { status: 'failed', error: 'cannot_dm_bot' }, subjects: [subjectOf(alice)] }),
      );
      expect(store.lastNudges(ACCOUNT_A)).toEqual([]);

      store.recordMessage(nudgeRecord({ recipient: 'U1', at: at(10), subjects: [subjectOf(alice)] }));
      store.recordMessage(
        nudgeRecord({ recipient: 'U1', at: at(20), outcome: { status: 'failed', error: 'ratelimited' }, subjects: [subjectOf(alice)] }),
      );
      expect(store.lastNudges(ACCOUNT_A)).toEqual([{ userId: alice.userId, recipient: 'U1', at: at(10) }]);
    });

    it('counts a summary for the security channel only, so an owner is still due', () => {
      const { store } = setup();
      store.recordMessage(
        nudgeRecord({ kind: 'summary', recipient: 'C0SECURITY', outcome: { status: 'sent', channel: 'C0SECURITY', ts: '1.1' }, subjects: [subjectOf(alice)] }),
      );
      expect(store.lastNudges(ACCOUNT_A)).toEqual([{ userId: alice.userId, recipient: 'C0SECURITY', at: at(0) }]);
    });

    it('times a message by the start of the scan it reported on, not by when it went out', () => {
      const { scans, store } = setup();
      const scanId = scans.saveScan(accountScan({ startedAt: at(600) }));
      store.recordMessage(nudgeRecord({ recipient: 'U1', scanId, at: at(700), subjects: [subjectOf(alice)] }));
      expect(store.lastNudges(ACCOUNT_A)).toEqual([{ userId: alice.userId, recipient: 'U1', at: at(600) }]);
    });

    it('returns the latest of several sends, whatever order they were recorded in', () => {
      const { store } = setup();
      // Across days and an hour with a different digit count, so a text comparison would show it.
      for (const minutes of [24 * 60, 9 * 60, 3 * 24 * 60 + 5, 2 * 24 * 60]) {
        store.recordMessage(nudgeRecord({ recipient: 'U1', at: at(minutes), subjects: [subjectOf(alice)] }));
      }
      expect(store.lastNudges(ACCOUNT_A)).toEqual([{ userId: alice.userId, recipient: 'U1', at: at(3 * 24 * 60 + 5) }]);
    });

    it('keeps recipients apart, so a user whose owner changed is due for the new owner', () => {
      const { store } = setup();
      store.recordMessage(nudgeRecord({ recipient: 'U1OLD', at: at(60), subjects: [subjectOf(alice)] }));
      store.recordMessage(nudgeRecord({ recipient: 'U2NEW', at: at(30), subjects: [subjectOf(alice)] }));
      expect(store.lastNudges(ACCOUNT_A)).toEqual([
        { userId: alice.userId, recipient: 'U1OLD', at: at(60) },
        { userId: alice.userId, recipient: 'U2NEW', at: at(30) },
      ]);
    });

    it('tracks IAM users by UserId, so a recreated user with the same name has no history', () => {
      const { store } = setup();
      store.recordMessage(nudgeRecord({ recipient: 'U1', at: at(5), subjects: [subjectOf(alice)] }));
      const recreated = { ...alice, userId: 'AIDARECREATED' };
      store.recordMessage(nudgeRecord({ recipient: 'U1', at: at(50), subjects: [subjectOf(recreated)] }));
      expect(store.lastNudges(ACCOUNT_A)).toEqual([
        { userId: alice.userId, recipient: 'U1', at: at(5) },
        { userId: 'AIDARECREATED', recipient: 'U1', at: at(50) },
      ]);
    });

    it('keeps accounts apart, by the account of each user covered', () => {
      const { store } = setup();
      store.recordMessage(nudgeRecord({ recipient: 'U1', accountId: ACCOUNT_B, at: at(5), subjects: [subjectOf(aliceB)] }));
      expect(store.lastNudges(ACCOUNT_A)).toEqual([]);
      expect(store.lastNudges(ACCOUNT_B)).toEqual([{ userId: 'AIDAALICEB', recipient: 'U1', at: at(5) }]);
    });

    it('reports a corrupt stored date as a database_error naming the column', () => {
      const { db, store } = setup();
      store.recordMessage(nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice)] }));
      db.exec("UPDATE slack_messages SET at = 'last tuesday'");
      const thrown = caught(() => store.lastNudges(ACCOUNT_A));
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('slack_messages.at') });
    });
  });

  describe('recordMessage and messageAt', () => {
    it('stores a sent message with its subjects in the order it shows them, found again by (channel, ts)', () => {
      const { store, scanId, findings } = setup();
      const record: SlackMessageRecord = {
        kind: 'nudge',
        scanId,
        accountId: ACCOUNT_A,
        recipient: 'U1',
        outcome: { status: 'sent', channel: 'D1', ts: '1740823200.000200' },
        at: at(3),
        // Deliberately not in name or id order.
        subjects: [subjectOf(carol, idOf(findings, 'carol')), subjectOf(alice, null), subjectOf(bob, idOf(findings, 'bob'))],
      };
      const id = store.recordMessage(record);
      expect(store.messageAt('D1', '1740823200.000200')).toEqual({ ...record, id });
      expect(store.messageAt('D1', '1740823200.000300')).toBeNull();
      expect(store.messageAt('D2', '1740823200.000200')).toBeNull();
    });

    it('returns a new, increasing id for each message', () => {
      const { store } = setup();
      const first = store.recordMessage(nudgeRecord({ recipient: 'U1', at: at(1), subjects: [] }));
      const second = store.recordMessage(nudgeRecord({ recipient: 'U1', at: at(2), subjects: [] }));
      expect(second).toBeGreaterThan(first);
      expect(store.messageAt('DU1', `${Math.floor(at(2).getTime() / 1000)}.000100`)?.id).toBe(second);
    });

    it('stores a failed message with its error and no place in Slack', () => {
      const { db, store } = setup();
      const id = store.recordMessage(
        nudgeRecord({ recipient: 'U1', outcome: { status: 'failed', error: 'slack_user_not_found: no such user' }, subjects: [subjectOf(alice)] }),
      );
      expect(db.prepare('SELECT id, status, channel, ts, error FROM slack_messages').all()).toEqual([
        { id, status: 'failed', channel: null, ts: null, error: 'slack_user_not_found: no such user' },
      ]);
      expect(db.prepare('SELECT user_name FROM slack_message_subjects WHERE message_id = ?').pluck().all(id)).toEqual(['alice']);
    });

    it('stores a summary outside a scan with no account and no subjects', () => {
      const { store } = setup();
      const record: SlackMessageRecord = {
        kind: 'summary',
        scanId: null,
        accountId: null,
        recipient: 'C0SECURITY',
        outcome: { status: 'sent', channel: 'C0SECURITY', ts: '99.1' },
        at: at(7),
        subjects: [],
      };
      const id = store.recordMessage(record);
      expect(store.messageAt('C0SECURITY', '99.1')).toEqual({ ...record, id });
    });

    it('does not find a failed message by a (channel, ts) it never had', () => {
      const { db, store } = setup();
      store.recordMessage(nudgeRecord({ recipient: 'U1', outcome: { status: 'failed', error: 'x' }, subjects: [] }));
      // Even if a failed row somehow named a place, only a sent message lives there.
      db.exec("UPDATE slack_messages SET channel = 'D1', ts = '5.5'");
      expect(store.messageAt('D1', '5.5')).toBeNull();
    });

    const failing: ReadonlyArray<[string, (s: Setup) => SlackMessageRecord]> = [
      ['a subject whose finding does not exist', () => nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice), subjectOf(bob, 999_999)] })],
      [
        "a subject pointing at another user's finding",
        ({ findings }) => nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice, idOf(findings, 'bob'))] }),
      ],
      [
        'a subject in another account than its finding',
        ({ findings }) => nudgeRecord({ recipient: 'U1', subjects: [subjectOf({ ...alice, accountId: ACCOUNT_B }, idOf(findings, 'alice'))] }),
      ],
      ['a scan that does not exist', () => nudgeRecord({ recipient: 'U1', scanId: 424_242, subjects: [subjectOf(alice)] })],
      ['a second sent message at the same (channel, ts)', () => nudgeRecord({ recipient: 'U0FIRST', at: at(-10), subjects: [subjectOf(carol)] })],
      ['an invalid date', () => nudgeRecord({ recipient: 'U1', at: new Date(Number.NaN), subjects: [subjectOf(alice)] })],
    ];

    it.each(failing)('writes nothing of a message with %s', (_label, bad) => {
      const s = setup();
      const { db, store } = s;
      store.recordMessage(nudgeRecord({ recipient: 'U0FIRST', at: at(-10), subjects: [subjectOf(alice)] }));
      const before = { messages: rows(db, 'slack_messages'), subjects: rows(db, 'slack_message_subjects') };

      const thrown = caught(() => store.recordMessage(bad(s)));
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('Slack nudge to U') });

      expect(db.inTransaction).toBe(false);
      expect({ messages: rows(db, 'slack_messages'), subjects: rows(db, 'slack_message_subjects') }).toEqual(before);
      // The store still works after a rolled-back message.
      expect(store.recordMessage(nudgeRecord({ recipient: 'U1', at: at(30), subjects: [subjectOf(alice)] }))).toBeGreaterThan(0);
    });

    it('allows two failed messages to the same recipient: they have no place in Slack to clash on', () => {
      const { db, store } = setup();
      const failed = nudgeRecord({ recipient: 'U1', outcome: { status: 'failed', error: 'ratelimited' }, subjects: [] });
      store.recordMessage(failed);
      store.recordMessage(failed);
      expect(db.prepare('SELECT COUNT(*) FROM slack_messages').pluck().get()).toBe(2);
    });
  });

  describe('findings', () => {
    it('maps the open findings of an account by user name, leaving out closed ones and other accounts', () => {
      const { db, scans, store, findings } = setup();
      scans.saveScan(accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [openFor(aliceB)] }));
      const fixedBob = { ...bob, status: 'compliant', nonCompliantSince: null } as const;
      scans.saveScan(
        accountScan({ startedAt: at(60), users: [alice, fixedBob, carol], closed: [{ ...openFor(bob), closedAt: at(60), reason: 'fixed' }] }),
      );

      const open = store.openFindingIds(ACCOUNT_A);
      expect([...open.keys()].sort()).toEqual(['alice', 'carol']);
      expect(open.get('alice')).toBe(findings.get('alice'));
      expect(open.get('carol')).toBe(findings.get('carol'));
      const expected = db.prepare("SELECT id FROM findings WHERE account_id = ? AND user_name = 'alice'").pluck().get(ACCOUNT_B);
      expect(store.openFindingIds(ACCOUNT_B)).toEqual(new Map([['alice', expected]]));
      expect(store.openFindingIds('333333333333')).toEqual(new Map());
    });

    it('reads a finding by id, open or closed, and null for an unknown id', () => {
      const { scans, store, findings } = setup();
      const bobId = idOf(findings, 'bob');
      expect(store.finding(bobId)).toEqual({
        id: bobId,
        accountId: ACCOUNT_A,
        userName: 'bob',
        userId: bob.userId,
        openedAt: bob.checkedAt,
        closedAt: null,
        closeReason: null,
      });

      scans.saveScan(
        accountScan({ startedAt: at(60), users: [alice, carol], closed: [{ ...openFor(bob), closedAt: at(60), reason: 'deleted' }] }),
      );
      expect(store.finding(bobId)).toMatchObject({ id: bobId, userName: 'bob', closedAt: at(60), closeReason: 'deleted' });
      expect(store.finding(987_654)).toBeNull();
    });
  });

  describe('escalations', () => {
    it('remembers escalated findings per account', () => {
      const { scans, store, findings } = setup();
      scans.saveScan(accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [openFor(aliceB)] }));
      const bId = idOf(store.openFindingIds(ACCOUNT_B), 'alice');
      expect(store.escalatedFindingIds(ACCOUNT_A)).toEqual(new Set());

      store.markEscalated([idOf(findings, 'alice'), idOf(findings, 'carol'), bId], at(100));
      expect(store.escalatedFindingIds(ACCOUNT_A)).toEqual(new Set([idOf(findings, 'alice'), idOf(findings, 'carol')]));
      expect(store.escalatedFindingIds(ACCOUNT_B)).toEqual(new Set([bId]));
    });

    it('is idempotent: marking again keeps the first time', () => {
      const { db, store, findings } = setup();
      const aliceId = idOf(findings, 'alice');
      store.markEscalated([aliceId], at(100));
      store.markEscalated([aliceId, aliceId], at(200));
      expect(db.prepare('SELECT finding_id, escalated_at FROM escalations').all()).toEqual([
        { finding_id: aliceId, escalated_at: at(100).toISOString() },
      ]);
    });

    it('does nothing for an empty list', () => {
      const { db, store } = setup();
      store.markEscalated([], at(100));
      expect(rows(db, 'escalations')).toEqual([]);
    });

    it('marks none of the findings when one of them does not exist', () => {
      const { db, store, findings } = setup();
      const thrown = caught(() => store.markEscalated([idOf(findings, 'alice'), 31_337], at(100)));
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('31337') });
      expect(rows(db, 'escalations')).toEqual([]);
      expect(db.inTransaction).toBe(false);
    });
  });

  describe('previousErrors', () => {
    it('is null for the first scan of an account', () => {
      const { store, scanId } = setup();
      expect(store.previousErrors(ACCOUNT_A, scanId)).toBeNull();
    });

    it('answers with the error count and the sorted problem keys of the previous completed scan', () => {
      const { scans, store } = setup();
      scans.saveScan(
        accountScan({
          startedAt: at(60),
          issues: [
            { code: 'tags_unreadable', message: 'x', userName: 'zed' },
            { code: 'root_check_failed', message: 'y' },
          ],
        }),
      );
      scans.saveFailedScan({ accountId: ACCOUNT_A, startedAt: at(61), finishedAt: at(62), strategy: null, error: 'AccessDenied' });
      const current = scans.saveScan(accountScan({ startedAt: at(120) }));
      expect(store.previousErrors(ACCOUNT_A, current)).toEqual({ errorCount: 0, issueKeys: ['root_check_failed:', 'tags_unreadable:zed'] });
    });
  });

  describe('lastSummaryFailed', () => {
    const summary = (outcome: SlackMessageRecord['outcome'], accountId = ACCOUNT_A): SlackMessageRecord =>
      nudgeRecord({ kind: 'summary', recipient: 'C0SECURITY', accountId, outcome, subjects: [] });

    it('is false with no summary, true after a failed one, false again after a sent one', () => {
      const { store } = setup();
      expect(store.lastSummaryFailed(ACCOUNT_A)).toBe(false);
      store.recordMessage(summary({ status: 'failed', error: 'not_in_channel' }));
      expect(store.lastSummaryFailed(ACCOUNT_A)).toBe(true);
      expect(store.lastSummaryFailed(ACCOUNT_B)).toBe(false);
      store.recordMessage(summary({ status: 'sent', channel: 'C0SECURITY', ts: '2.2' }));
      expect(store.lastSummaryFailed(ACCOUNT_A)).toBe(false);
    });
  });

  describe('previousRootMfa', () => {
    const root = (mfaActive: boolean, accountId = ACCOUNT_A): RootAccountResult => ({ accountId, mfaActive, source: 'report' });

    it.each([
      ['root had MFA', root(true), true],
      ['root had no MFA', root(false), false],
      ['root was not checked', null, null],
    ])('answers from the previous completed scan when %s', (_label, previousRoot, expected) => {
      const { scans, store } = setup();
      scans.saveScan(accountScan({ startedAt: at(60), root: previousRoot }));
      const current = scans.saveScan(accountScan({ startedAt: at(120), root: root(false) }));
      expect(store.previousRootMfa(ACCOUNT_A, current)).toBe(expected);
    });

    it('skips failed scans, other accounts and later scans', () => {
      const { scans, store } = setup(); // scan 1 of A: root with MFA (the fixture default)
      scans.saveScan(accountScan({ startedAt: at(60), root: root(false) }));
      const knownFalse = scans.saveScan(accountScan({ startedAt: at(61), root: root(false) }));
      scans.saveFailedScan({ accountId: ACCOUNT_A, startedAt: at(62), finishedAt: at(63), strategy: null, error: 'AccessDenied' });
      scans.saveScan(accountScan({ accountId: ACCOUNT_B, startedAt: at(64), root: root(true, ACCOUNT_B) }));
      const current = scans.saveScan(accountScan({ startedAt: at(120), root: root(true) }));
      scans.saveScan(accountScan({ startedAt: at(180), root: root(true) }));

      expect(store.previousRootMfa(ACCOUNT_A, current)).toBe(false);
      expect(store.previousRootMfa(ACCOUNT_A, knownFalse)).toBe(false);
      expect(store.previousRootMfa(ACCOUNT_B, current + 1)).toBe(true);
    });

    it('is null for the first scan of an account', () => {
      const { scans, store, scanId } = setup();
      expect(store.previousRootMfa(ACCOUNT_A, scanId)).toBeNull();
      const firstOfB = scans.saveScan(accountScan({ accountId: ACCOUNT_B, root: root(true, ACCOUNT_B) }));
      expect(store.previousRootMfa(ACCOUNT_B, firstOfB)).toBeNull();
    });
  });

  describe('across a restart', () => {
    it('still knows who was nudged, when, and where the message is, after the file is reopened', () => {
      const path = join(tmp.dir(), 'state.db');
      const first = setup(path);
      const aliceId = idOf(first.findings, 'alice');
      const record = nudgeRecord({ recipient: 'U1', scanId: first.scanId, at: at(5), subjects: [subjectOf(alice, aliceId), subjectOf(bob)] });
      const id = first.store.recordMessage(record);
      first.store.markEscalated([aliceId], at(6));
      const nudgesBefore = first.store.lastNudges(ACCOUNT_A);
      first.db.close();

      const db = tmp.track(openDatabase(path));
      const store = createNotificationStore(db);
      expect(nudgesBefore).toHaveLength(2);
      expect(store.lastNudges(ACCOUNT_A)).toEqual(nudgesBefore);
      expect(store.messageAt(`DU1`, `${Math.floor(at(5).getTime() / 1000)}.000100`)).toEqual({ ...record, id });
      expect(store.escalatedFindingIds(ACCOUNT_A)).toEqual(new Set([aliceId]));
    });
  });

  describe('CHECK constraints', () => {
    it.each([
      ['a bad slack_messages.kind', "UPDATE slack_messages SET kind = 'shout'"],
      ['a bad slack_messages.status', "UPDATE slack_messages SET status = 'maybe'"],
      ['a sent message without a ts', 'UPDATE slack_messages SET ts = NULL'],
      ['a sent message without a channel', 'UPDATE slack_messages SET channel = NULL'],
      ['a sent message with an error', "UPDATE slack_messages SET error = 'oops'"],
      ['a failed message without an error', "UPDATE slack_messages SET status = 'failed'"],
      ['a negative subject position', 'UPDATE slack_message_subjects SET position = -1'],
      ['a bad slack_messages.scan_id foreign key', 'UPDATE slack_messages SET scan_id = 999'],
      ['a bad slack_message_subjects.message_id foreign key', 'UPDATE slack_message_subjects SET message_id = 999'],
      ['a bad escalations.finding_id foreign key', "INSERT INTO escalations (finding_id, escalated_at) VALUES (999, '2025-01-01T00:00:00.000Z')"],
    ])('rejects %s', (_label, sql) => {
      const { db, store, findings } = setup();
      store.recordMessage(nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice, idOf(findings, 'alice'))] }));
      expect(() => db.exec(sql)).toThrow(/constraint failed/i);
    });
  });
});
