import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import type Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import type { NewRemovalRequest, RemovalRequest } from '../../../src/domain/removal';
import type { UserResult } from '../../../src/domain/types';
import type { Stores } from '../../../src/ports/stores';
import { ACCOUNT_A, accountScan, at, findingOf, newFinding, rejection, T0, user } from '../../contracts/fixtures';
import { describeRemovalStoreContract } from '../../contracts/removal-store-contract';
import { openSqliteFileStores, openSqliteStores, scratch, storesOn } from './sqlite-fixtures';

describeRemovalStoreContract('SQLite in memory', openSqliteStores);
describeRemovalStoreContract('SQLite file', openSqliteFileStores);

const tmp = scratch();
afterEach(() => tmp.cleanup());

const HOUR = 3_600_000;
const EXPIRES = new Date(T0.getTime() + 72 * HOUR);

const request = (overrides: Partial<NewRemovalRequest> = {}): NewRemovalRequest => ({
  accountId: ACCOUNT_A,
  userName: 'alice',
  userId: 'AIDAALICE',
  requestedBy: 'UREQUESTER',
  requestedAt: T0,
  expiresAt: EXPIRES,
  ...overrides,
});

const setup = (path = ':memory:'): { db: Database.Database; stores: Stores } => {
  const db = tmp.track(openDatabase(path));
  return { db, stores: storesOn(db) };
};

const created = async (stores: Stores, req: NewRemovalRequest = request()): Promise<RemovalRequest> => {
  const result = await stores.removals.create(req, req.requestedAt);
  if (result.kind !== 'created') throw new Error(`expected a new request, got ${result.kind} #${result.request.id}`);
  return result.request;
};

const alice = user({ userName: 'alice', userId: 'AIDAALICE', status: 'non_compliant', nonCompliantSince: T0 });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: T0 });

describe('SQLite removal store', () => {
  it('stores the times of a new request as ISO-8601 UTC text', async () => {
    const { db, stores } = setup();
    await stores.removals.create(request({ requestedAt: at(1), expiresAt: new Date(EXPIRES.getTime() + 123) }), at(2));
    expect(db.prepare('SELECT requested_at, expires_at, updated_at FROM removal_requests').get()).toEqual({
      requested_at: '2025-03-01T10:01:00.000Z',
      expires_at: '2025-03-04T10:00:00.123Z',
      updated_at: '2025-03-01T10:02:00.000Z',
    });
  });

  it('records the approver as whoever closed the finding, with no scan, and keeps the user’s last scan', async () => {
    const { db, stores } = setup();
    const saved = await stores.scans.saveScan(
      accountScan({ users: [alice, bob], opened: [newFinding(alice), newFinding(bob)] }),
    );
    const { id } = await created(stores);
    await stores.removals.claim(id, 'UBOSS', at(10), 'bot-a');
    const fixed: UserResult = {
      ...alice,
      status: 'no_console',
      source: 'live',
      checkedAt: at(20),
      nonCompliantSince: null,
    };
    await stores.removals.finish(
      id,
      { state: 'done', detail: null, fixed: { result: fixed, closedBy: 'UBOSS' } },
      at(20),
      'bot-a',
    );

    expect(
      db
        .prepare('SELECT closed_at, close_reason, closed_scan_id, closed_by FROM findings WHERE id = ?')
        .get(findingOf(saved.opened, 'alice').id),
    ).toEqual({
      closed_at: at(20).toISOString(),
      close_reason: 'fixed',
      closed_scan_id: null,
      closed_by: 'UBOSS',
    });
    expect(db.prepare('SELECT DISTINCT last_scan_id FROM user_states').pluck().all()).toEqual([saved.scanId]);
  });

  it('rolls back the outcome when the user state cannot be saved, and leaves no transaction open', async () => {
    const { db, stores } = setup();
    await stores.scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }));
    const { id } = await created(stores);
    await stores.removals.claim(id, 'UBOSS', at(10), 'bot-a');
    const dump = (): unknown => ({
      requests: db.prepare('SELECT * FROM removal_requests').all(),
      users: db.prepare('SELECT * FROM user_states').all(),
      findings: db.prepare('SELECT * FROM findings').all(),
    });
    const before = dump();
    const broken: UserResult = { ...alice, checkedAt: new Date(Number.NaN) };
    await rejection(
      stores.removals.finish(
        id,
        { state: 'done', detail: null, fixed: { result: broken, closedBy: 'UBOSS' } },
        at(20),
        'bot-a',
      ),
    );
    expect(db.inTransaction).toBe(false);
    expect(dump()).toEqual(before);
  });

  it('fails a claim made before heartbeats existed (schema v3) by its claim time', async () => {
    const { db, stores } = setup();
    const { id } = await created(stores);
    await stores.removals.claim(id, 'UBOSS', at(10), 'bot-a');
    // What the v4 migration leaves on a request a v3 process was executing.
    db.prepare('UPDATE removal_requests SET claim_holder = NULL, heartbeat_at = NULL WHERE id = ?').run(id);

    expect(await stores.removals.failInterrupted(at(10), 'stopped', at(20), [])).toEqual([]);
    expect((await stores.removals.failInterrupted(at(11), 'stopped', at(20), [])).map((r) => r.id)).toEqual([id]);
  });

  describe('claims from two connections', () => {
    it('lets only one of two connections to the same file claim, and one deny cannot undo it', async () => {
      const path = join(tmp.dir(), 'state.db');
      const a = setup(path).stores.removals;
      const b = setup(path).stores.removals;
      const { id } = await created(setup(path).stores);
      expect((await b.get(id))?.state).toBe('pending');
      const answers = [
        (await a.claim(id, 'UONE', at(5), 'bot-a')).kind,
        (await b.claim(id, 'UTWO', at(5), 'bot-a')).kind,
        (await b.deny(id, 'UTWO', at(6))).kind,
      ];
      expect(answers).toEqual(['claimed', 'refused', 'refused']);
      expect(await a.get(id)).toMatchObject({ state: 'executing', decidedBy: 'UONE' });
    });

    it('lets exactly one of several racing processes claim', async () => {
      const path = join(tmp.dir(), 'race.db');
      const { id } = await created(setup(path).stores);
      const racers = Array.from({ length: 5 }, (_, i) =>
        spawn(
          process.execPath,
          ['--import', 'tsx', join(__dirname, 'removal-racer.ts'), path, String(id), `URACER${i}`, at(5).toISOString()],
          { cwd: resolve(__dirname, '../../..'), stdio: ['pipe', 'pipe', 'inherit'] },
        ),
      );
      const lines = racers.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
      const next = async (i: number): Promise<string> => {
        const line = await lines[i]?.next();
        return line?.done === false ? line.value : '(exited)';
      };

      try {
        expect(await Promise.all(racers.map((_, i) => next(i)))).toEqual(racers.map(() => 'ready'));
        for (const child of racers) child.stdin.write('go\n');
        const answers = await Promise.all(racers.map((_, i) => next(i)));

        expect(answers.filter((answer) => answer === 'claimed')).toHaveLength(1);
        expect(answers.filter((answer) => answer === 'refused')).toHaveLength(racers.length - 1);
        const winner = `URACER${answers.indexOf('claimed')}`;
        expect(await setup(path).stores.removals.get(id)).toMatchObject({ state: 'executing', decidedBy: winner });
      } finally {
        for (const child of racers) if (child.exitCode === null) child.kill();
      }
    }, 60_000);
  });

  describe('CHECK constraints, foreign keys and indexes', () => {
    const insert = (values: string): string =>
      `INSERT INTO removal_requests (account_id, user_name, user_id, requested_by, requested_at, expires_at, state, decided_by, decided_at, detail, approval_channel, approval_ts, updated_at) VALUES (${values})`;
    const base = "'111111111111', 'zed', 'AIDAZED', 'U1', '2025-03-01T10:00:00.000Z', '2025-03-04T10:00:00.000Z'";
    const now = "'2025-03-01T10:00:00.000Z'";

    it('accepts a well-formed row', () => {
      const { db } = setup();
      expect(() => db.exec(insert(`${base}, 'done', 'U2', ${now}, NULL, 'C1', '1.1', ${now}`))).not.toThrow();
    });

    it.each([
      ['an unknown state', `${base}, 'approved', 'U2', ${now}, NULL, NULL, NULL, ${now}`],
      ['a pending request with a decider', `${base}, 'pending', 'U2', ${now}, NULL, NULL, NULL, ${now}`],
      ['an expired request with a decider', `${base}, 'expired', 'U2', ${now}, NULL, NULL, NULL, ${now}`],
      ['a decided request without a decider', `${base}, 'denied', NULL, NULL, NULL, NULL, NULL, ${now}`],
      ['a decider without a time', `${base}, 'denied', 'U2', NULL, NULL, NULL, NULL, ${now}`],
      ['an executing request with a detail', `${base}, 'executing', 'U2', ${now}, 'x', NULL, NULL, ${now}`],
      ['an approval channel without a ts', `${base}, 'pending', NULL, NULL, NULL, 'C1', NULL, ${now}`],
      ['an approval ts without a channel', `${base}, 'pending', NULL, NULL, NULL, NULL, '1.1', ${now}`],
      [
        'an expiry not after the request',
        `'111111111111', 'zed', 'AIDAZED', 'U1', ${now}, ${now}, 'pending', NULL, NULL, NULL, NULL, NULL, ${now}`,
      ],
    ])('rejects %s', (_label, values) => {
      const { db } = setup();
      expect(() => db.exec(insert(values))).toThrow(/constraint failed/i);
    });

    it.each([
      ['pending', 'pending', true],
      ['pending', 'executing', true],
      ['executing', 'executing', true],
      ['failed', 'pending', false],
      ['done', 'pending', false],
    ])('a %s then a %s request for one user: clash = %p', (first, second, clash) => {
      const { db } = setup();
      const row = (state: string): string =>
        insert(`${base}, '${state}', ${state === 'pending' ? 'NULL, NULL' : `'U2', ${now}`}, NULL, NULL, NULL, ${now}`);
      db.exec(row(first));
      if (clash) expect(() => db.exec(row(second))).toThrow(/UNIQUE constraint failed/);
      else expect(() => db.exec(row(second))).not.toThrow();
    });

    it('links a request to its own user’s finding only', async () => {
      const { db, stores } = setup();
      const saved = await stores.scans.saveScan(
        accountScan({ users: [alice, bob], opened: [newFinding(alice), newFinding(bob)] }),
      );
      const link = db.prepare(
        `INSERT INTO removal_requests (account_id, user_name, user_id, finding_id, requested_by, requested_at, expires_at, state, updated_at)
         VALUES (?, 'alice', ?, ?, 'U1', '2025-03-01T10:00:00.000Z', '2025-03-04T10:00:00.000Z', 'pending', '2025-03-01T10:00:00.000Z')`,
      );
      expect(() => link.run(ACCOUNT_A, 'AIDAALICE3', findingOf(saved.opened, 'bob').id)).toThrow(
        /FOREIGN KEY constraint failed/,
      );
      expect(() => link.run(ACCOUNT_A, 'AIDAALICE3', 999_999)).toThrow(/FOREIGN KEY constraint failed/);
      expect(link.run(ACCOUNT_A, alice.userId, findingOf(saved.opened, 'alice').id).changes).toBe(1);
    });
  });
});
