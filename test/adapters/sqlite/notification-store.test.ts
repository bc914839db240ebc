import { join } from 'node:path';

import type Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import { AppError } from '../../../src/errors';
import type { Stores } from '../../../src/ports/stores';
import {
  ACCOUNT_A,
  accountScan,
  at,
  findingOf,
  newFinding,
  nudgeRecord,
  nudgeTs,
  rejection,
  subjectOf,
  user,
} from '../../contracts/fixtures';
import { describeNotificationStoreContract } from '../../contracts/notification-store-contract';
import { openSqliteFileStores, openSqliteStores, scratch, storesOn } from './sqlite-fixtures';

describeNotificationStoreContract('SQLite in memory', openSqliteStores);
describeNotificationStoreContract('SQLite file', openSqliteFileStores);

const tmp = scratch();
afterEach(() => tmp.cleanup());

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: at(0) });
const carol = user({ userName: 'carol', status: 'non_compliant', nonCompliantSince: at(0) });

interface Setup {
  readonly db: Database.Database;
  readonly stores: Stores;
  readonly scanId: number;
  readonly idOf: (userName: string) => number;
}

/** A database where one scan of account A opened findings for alice, bob and carol. */
const setup = async (path = ':memory:'): Promise<Setup> => {
  const db = tmp.track(openDatabase(path));
  const stores = storesOn(db);
  const users = [alice, bob, carol];
  const saved = await stores.scans.saveScan(accountScan({ users, opened: users.map((u) => newFinding(u)) }));
  return { db, stores, scanId: saved.scanId, idOf: (userName) => findingOf(saved.opened, userName).id };
};

const rows = (db: Database.Database, table: string): unknown[] => db.prepare(`SELECT * FROM ${table}`).all();

describe('SQLite notification store', () => {
  it('reports a corrupt stored date as a database_error naming the column', async () => {
    const { db, stores } = await setup();
    await stores.notifications.recordMessage(nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice)] }));
    db.exec("UPDATE slack_messages SET at = 'last tuesday'");
    const thrown = await rejection(stores.notifications.previousNudges(ACCOUNT_A));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('slack_messages.at') });
  });

  it('stores a failed message with its error and no place in Slack', async () => {
    const { db, stores } = await setup();
    const id = await stores.notifications.recordMessage(
      nudgeRecord({
        recipient: 'U1',
        outcome: { status: 'failed', error: 'slack_user_not_found: no such user' },
        subjects: [subjectOf(alice)],
      }),
    );
    expect(db.prepare('SELECT id, status, channel, ts, error FROM slack_messages').all()).toEqual([
      { id, status: 'failed', channel: null, ts: null, error: 'slack_user_not_found: no such user' },
    ]);
    expect(db.prepare('SELECT user_name FROM slack_message_subjects WHERE message_id = ?').pluck().all(id)).toEqual([
      'alice',
    ]);
  });

  it('does not find a failed message by a (channel, ts) it never had', async () => {
    const { db, stores } = await setup();
    await stores.notifications.recordMessage(
      nudgeRecord({ recipient: 'U1', outcome: { status: 'failed', error: 'x' }, subjects: [] }),
    );
    // Even if a failed row somehow named a place, only a sent message lives there.
    db.exec("UPDATE slack_messages SET channel = 'D1', ts = '5.5'");
    expect(await stores.notifications.messageAt('D1', '5.5')).toBeNull();
  });

  it('rolls back every row of a message that cannot be stored, and leaves no transaction open', async () => {
    const { db, stores } = await setup();
    await stores.notifications.recordMessage(
      nudgeRecord({ recipient: 'U0FIRST', at: at(-10), subjects: [subjectOf(alice)] }),
    );
    const before = { messages: rows(db, 'slack_messages'), subjects: rows(db, 'slack_message_subjects') };
    const bad = nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice), subjectOf(bob, 999_999)] });
    expect(await rejection(stores.notifications.recordMessage(bad))).toMatchObject({ code: 'database_error' });
    expect(db.inTransaction).toBe(false);
    expect({ messages: rows(db, 'slack_messages'), subjects: rows(db, 'slack_message_subjects') }).toEqual(before);
  });

  it('still knows who was nudged, when, and where the message is, after the file is reopened', async () => {
    const path = join(tmp.dir(), 'state.db');
    const first = await setup(path);
    const aliceId = first.idOf('alice');
    const record = nudgeRecord({
      recipient: 'U1',
      scanId: first.scanId,
      at: at(5),
      subjects: [subjectOf(alice, aliceId), subjectOf(bob)],
    });
    const id = await first.stores.notifications.recordMessage(record);
    await first.stores.findings.markEscalated([aliceId], at(6));
    const nudgesBefore = await first.stores.notifications.previousNudges(ACCOUNT_A);
    first.db.close();

    const stores = storesOn(tmp.track(openDatabase(path)));
    expect(nudgesBefore).toHaveLength(2);
    expect(await stores.notifications.previousNudges(ACCOUNT_A)).toEqual(nudgesBefore);
    expect(await stores.notifications.messageAt('DU1', nudgeTs(at(5)))).toEqual({ ...record, id });
    expect(await stores.findings.escalatedIds(ACCOUNT_A)).toEqual(new Set([aliceId]));
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
      [
        'a bad escalations.finding_id foreign key',
        "INSERT INTO escalations (finding_id, escalated_at) VALUES (999, '2025-01-01T00:00:00.000Z')",
      ],
    ])('rejects %s', async (_label, sql) => {
      const { db, stores, idOf } = await setup();
      await stores.notifications.recordMessage(
        nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice, idOf('alice'))] }),
      );
      expect(() => db.exec(sql)).toThrow(/constraint failed/i);
    });
  });
});
