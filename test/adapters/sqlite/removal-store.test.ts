import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createNotificationStore } from '../../../src/adapters/sqlite/notification-store';
import { createRemovalStore } from '../../../src/adapters/sqlite/removal-store';
import { createScanStore } from '../../../src/adapters/sqlite/scan-store';
import { REMOVAL_STATES } from '../../../src/domain/removal';
import type { NewRemovalRequest, RemovalRequest, RemovalState } from '../../../src/domain/removal';
import { AppError } from '../../../src/errors';
import type { RemovalStore } from '../../../src/ports';
import { ACCOUNT_A, ACCOUNT_B, T0, accountScan, at, caught, scratch, user } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const HOUR = 3_600_000;
const EXPIRES = new Date(T0.getTime() + 72 * HOUR);
const ms = (date: Date, offset: number): Date => new Date(date.getTime() + offset);
/** Well before expiry. */
const BEFORE = at(60);

const request = (overrides: Partial<NewRemovalRequest> = {}): NewRemovalRequest => ({
  accountId: ACCOUNT_A,
  userName: 'alice',
  userId: 'AIDAALICE',
  findingId: null,
  requestedBy: 'UREQUESTER',
  requestedAt: T0,
  expiresAt: EXPIRES,
  ...overrides,
});

const setup = (path = ':memory:'): { db: Database.Database; store: RemovalStore } => {
  const db = tmp.track(openDatabase(path));
  return { db, store: createRemovalStore(db) };
};

const created = (store: RemovalStore, req: NewRemovalRequest = request(), now: Date = req.requestedAt): RemovalRequest => {
  const result = store.create(req, now);
  if (result.kind !== 'created') throw new Error(`expected a new request, got ${result.kind} #${result.request.id}`);
  return result.request;
};

/** A request brought to `state` through the store's own operations. */
const reach = (store: RemovalStore, state: RemovalState): number => {
  const { id } = created(store);
  switch (state) {
    case 'pending':
      break;
    case 'executing':
      store.claim(id, 'UFIRST', at(10));
      break;
    case 'done':
    case 'failed':
    case 'not_needed':
      store.claim(id, 'UFIRST', at(10));
      store.finish(id, state, state === 'failed' ? 'AccessDenied: not allowed' : null, at(11));
      break;
    case 'denied':
      store.deny(id, 'UFIRST', at(10));
      break;
    case 'expired':
      store.claim(id, 'UFIRST', EXPIRES);
      break;
  }
  expect(store.get(id)?.state).toBe(state);
  return id;
};

type Operation = 'claim' | 'deny' | 'finish done' | 'finish failed' | 'finish not_needed' | 'discard';

/** What an operation did, as "answer→state afterwards". */
const perform = (store: RemovalStore, operation: Operation, id: number, now: Date): string => {
  try {
    switch (operation) {
      case 'claim':
      case 'deny': {
        const result = operation === 'claim' ? store.claim(id, 'UBOSS', now) : store.deny(id, 'UBOSS', now);
        if (result.kind === 'not_found') return 'not_found';
        expect(store.get(id)).toEqual(result.request);
        return `${result.kind}→${result.request.state}`;
      }
      case 'finish done':
      case 'finish failed':
      case 'finish not_needed': {
        const state = operation === 'finish done' ? 'done' : operation === 'finish failed' ? 'failed' : 'not_needed';
        const finished = store.finish(id, state, 'why', now);
        expect(store.get(id)).toEqual(finished);
        return `finished→${finished.state}`;
      }
      case 'discard':
        store.discard(id);
        return store.get(id) === null ? 'deleted' : `kept→${store.get(id)?.state ?? ''}`;
    }
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'database_error' });
    return `throws→${store.get(id)?.state ?? 'gone'}`;
  }
};

const refusedAlways = (state: RemovalState): [string, string] => [`refused→${state}`, `refused→${state}`];
const throwsAlways = (state: RemovalState): [string, string] => [`throws→${state}`, `throws→${state}`];

/** [well before expiry, at the expiry instant], for every from-state × operation. Written out, not computed. */
const EXPECTED: Record<Operation, Record<RemovalState, [string, string]>> = {
  claim: {
    pending: ['claimed→executing', 'refused→expired'],
    executing: refusedAlways('executing'),
    done: refusedAlways('done'),
    failed: ['claimed→executing', 'refused→failed'],
    not_needed: refusedAlways('not_needed'),
    denied: refusedAlways('denied'),
    expired: refusedAlways('expired'),
  },
  deny: {
    pending: ['claimed→denied', 'refused→expired'],
    executing: refusedAlways('executing'),
    done: refusedAlways('done'),
    failed: refusedAlways('failed'),
    not_needed: refusedAlways('not_needed'),
    denied: refusedAlways('denied'),
    expired: refusedAlways('expired'),
  },
  'finish done': {
    pending: throwsAlways('pending'),
    executing: ['finished→done', 'finished→done'],
    done: throwsAlways('done'),
    failed: throwsAlways('failed'),
    not_needed: throwsAlways('not_needed'),
    denied: throwsAlways('denied'),
    expired: throwsAlways('expired'),
  },
  'finish failed': {
    pending: throwsAlways('pending'),
    executing: ['finished→failed', 'finished→failed'],
    done: throwsAlways('done'),
    failed: throwsAlways('failed'),
    not_needed: throwsAlways('not_needed'),
    denied: throwsAlways('denied'),
    expired: throwsAlways('expired'),
  },
  'finish not_needed': {
    pending: throwsAlways('pending'),
    executing: ['finished→not_needed', 'finished→not_needed'],
    done: throwsAlways('done'),
    failed: throwsAlways('failed'),
    not_needed: throwsAlways('not_needed'),
    denied: throwsAlways('denied'),
    expired: throwsAlways('expired'),
  },
  discard: {
    pending: ['deleted', 'deleted'],
    executing: throwsAlways('executing'),
    done: throwsAlways('done'),
    failed: throwsAlways('failed'),
    not_needed: throwsAlways('not_needed'),
    denied: throwsAlways('denied'),
    expired: throwsAlways('expired'),
  },
};

const OPERATIONS = Object.keys(EXPECTED).filter((op): op is Operation => op in EXPECTED);
const CASES = OPERATIONS.flatMap((operation) =>
  REMOVAL_STATES.flatMap((from) => {
    const [before, atExpiry] = EXPECTED[operation][from];
    return [
      [operation, from, 'well before expiry', before, BEFORE] as const,
      [operation, from, 'at the expiry instant', atExpiry, EXPIRES] as const,
    ];
  }),
);

describe('createRemovalStore', () => {
  describe('state machine', () => {
    it('covers every from-state and operation', () => {
      expect(CASES).toHaveLength(REMOVAL_STATES.length * 6 * 2);
    });

    it.each(CASES)('%s of a %s request %s → %s', (operation, from, _when, expected, now) => {
      const { store } = setup();
      const id = reach(store, from);
      expect(perform(store, operation, id, now)).toBe(expected);
    });

    it.each(['claim', 'deny'] as const)('answers not_found to %s of an unknown request', (operation) => {
      const { store } = setup();
      expect(perform(store, operation, 4242, BEFORE)).toBe('not_found');
    });

    it('refuses to finish or record a message for an unknown request, and discarding one is a no-op', () => {
      const { store } = setup();
      expect(caught(() => store.finish(4242, 'done', null, BEFORE))).toMatchObject({
        code: 'database_error',
        message: expect.stringContaining('not in the database'),
        hint: expect.stringMatching(/bug/),
      });
      expect(caught(() => store.setApprovalMessage(4242, { channel: 'CSEC', ts: '1.2' }))).toBeInstanceOf(AppError);
      expect(() => store.discard(4242)).not.toThrow();
      expect(store.get(4242)).toBeNull();
    });
  });

  describe('what a decision records', () => {
    it('stores a new request as pending with every field, read back as it was given', () => {
      const { db, store } = setup();
      const req = request({ requestedAt: at(1), expiresAt: ms(EXPIRES, 123) });
      const result = store.create(req, at(2));
      expect(result).toEqual({
        kind: 'created',
        request: {
          ...req,
          id: expect.any(Number),
          state: 'pending',
          decidedBy: null,
          decidedAt: null,
          detail: null,
          approvalChannel: null,
          approvalTs: null,
        },
      });
      expect(store.get(result.request.id)).toEqual(result.request);
      expect(db.prepare('SELECT requested_at, expires_at, updated_at FROM removal_requests').get()).toEqual({
        requested_at: '2025-03-01T10:01:00.000Z',
        expires_at: '2025-03-04T10:00:00.123Z',
        updated_at: '2025-03-01T10:02:00.000Z',
      });
    });

    it('records who approved and when, and the outcome of the removal', () => {
      const { store } = setup();
      const { id } = created(store);
      expect(store.claim(id, 'UBOSS', at(30))).toEqual({
        kind: 'claimed',
        request: expect.objectContaining({ state: 'executing', decidedBy: 'UBOSS', decidedAt: at(30), detail: null }),
      });
      expect(store.finish(id, 'not_needed', 'it had no console password any more', at(31))).toEqual(
        expect.objectContaining({ state: 'not_needed', decidedBy: 'UBOSS', decidedAt: at(30), detail: 'it had no console password any more' }),
      );
    });

    it('retries a failed request: the new approver and time replace the old, and the old error is cleared', () => {
      const { store } = setup();
      const id = reach(store, 'failed');
      expect(store.get(id)).toMatchObject({ decidedBy: 'UFIRST', detail: 'AccessDenied: not allowed' });
      const result = store.claim(id, 'USECOND', at(90));
      expect(result).toEqual({
        kind: 'claimed',
        request: expect.objectContaining({ state: 'executing', decidedBy: 'USECOND', decidedAt: at(90), detail: null }),
      });
    });

    it('answers a refusal with who decided what, so the clicker can be told', () => {
      const { store } = setup();
      const id = reach(store, 'denied');
      expect(store.claim(id, 'UOTHER', BEFORE)).toEqual({
        kind: 'refused',
        request: expect.objectContaining({ state: 'denied', decidedBy: 'UFIRST', decidedAt: at(10) }),
      });
    });

    it.each([
      ['one millisecond before expiry', -1, 'claimed', 'executing', 'UBOSS'],
      ['at the expiry instant', 0, 'refused', 'expired', null],
      ['one millisecond after expiry', 1, 'refused', 'expired', null],
    ])('claim %s → %s', (_label, offset, kind, state, decidedBy) => {
      const { store } = setup();
      const { id } = created(store);
      const result = store.claim(id, 'UBOSS', ms(EXPIRES, offset));
      expect(result).toEqual({ kind, request: expect.objectContaining({ state, decidedBy }) });
    });

    it('expires a pending request on a late deny without recording the denier', () => {
      const { store } = setup();
      const { id } = created(store);
      expect(store.deny(id, 'UBOSS', EXPIRES)).toEqual({
        kind: 'refused',
        request: expect.objectContaining({ state: 'expired', decidedBy: null, decidedAt: null }),
      });
    });
  });

  describe('claims racing each other', () => {
    it('lets only the first of two claims on one connection win', () => {
      const { store } = setup();
      const { id } = created(store);
      expect(store.claim(id, 'UONE', at(5)).kind).toBe('claimed');
      expect(store.claim(id, 'UTWO', at(5))).toEqual({
        kind: 'refused',
        request: expect.objectContaining({ state: 'executing', decidedBy: 'UONE' }),
      });
    });

    it('lets only one of two connections to the same file claim, and one deny cannot undo it', () => {
      const path = join(tmp.dir(), 'state.db');
      const a = setup(path).store;
      const b = setup(path).store;
      const { id } = created(a);
      expect(b.get(id)?.state).toBe('pending');
      const answers = [a.claim(id, 'UONE', at(5)).kind, b.claim(id, 'UTWO', at(5)).kind, b.deny(id, 'UTWO', at(6)).kind];
      expect(answers).toEqual(['claimed', 'refused', 'refused']);
      expect(a.get(id)).toMatchObject({ state: 'executing', decidedBy: 'UONE' });
    });

    it('lets exactly one of several racing processes claim', async () => {
      const path = join(tmp.dir(), 'race.db');
      const { id } = created(setup(path).store);
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
        expect(setup(path).store.get(id)).toMatchObject({ state: 'executing', decidedBy: winner });
      } finally {
        for (const child of racers) if (child.exitCode === null) child.kill();
      }
    }, 60_000);
  });

  describe('create', () => {
    it.each(['pending', 'executing'] as const)('answers already_open with the %s request of the same user', (state) => {
      const { db, store } = setup();
      const id = reach(store, state);
      const result = store.create(request({ requestedBy: 'USOMEONEELSE', requestedAt: at(20), expiresAt: ms(EXPIRES, HOUR) }), at(20));
      expect(result).toEqual({ kind: 'already_open', request: store.get(id) });
      expect(db.prepare('SELECT COUNT(*) FROM removal_requests').pluck().get()).toBe(1);
    });

    it('expires the user’s overdue pending request first, then creates a new one', () => {
      const { store } = setup();
      const old = created(store);
      const later = ms(EXPIRES, 10);
      const result = store.create(request({ requestedAt: later, expiresAt: ms(later, 72 * HOUR) }), later);
      expect(result.kind).toBe('created');
      expect(result.request.id).not.toBe(old.id);
      expect(store.get(old.id)).toMatchObject({ state: 'expired', decidedBy: null });
    });

    it.each(['done', 'failed', 'not_needed', 'denied', 'expired'] as const)('creates a new request next to a %s one', (state) => {
      const { store } = setup();
      const id = reach(store, state);
      const result = store.create(request({ requestedAt: at(30) }), at(30));
      expect(result.kind).toBe('created');
      expect(store.get(id)?.state).toBe(state);
    });

    it.each([
      ['a recreated user with the same name (another UserId)', request({ userId: 'AIDAALICE2' })],
      ['the same UserId in another account', request({ accountId: ACCOUNT_B })],
    ])('keeps %s apart', (_label, other) => {
      const { store } = setup();
      created(store);
      expect(store.create(other, T0).kind).toBe('created');
    });

    it('does not retry a failed request while a newer one for the user is open', () => {
      const { store } = setup();
      const failed = reach(store, 'failed');
      const newer = created(store, request({ requestedAt: at(20) }));
      expect(store.claim(failed, 'UBOSS', at(30))).toEqual({ kind: 'refused', request: store.get(failed) });
      expect(store.get(failed)?.state).toBe('failed');
      expect(store.claim(newer.id, 'UBOSS', at(31)).kind).toBe('claimed');
    });

    it('links a request to the user’s own finding only', () => {
      const { db, store } = setup();
      const alice = user({ userName: 'alice', userId: 'AIDAALICE', status: 'non_compliant' });
      const bob = user({ userName: 'bob', status: 'non_compliant' });
      createScanStore(db).saveScan(
        accountScan({
          users: [alice, bob],
          opened: [alice, bob].map((u) => ({ accountId: u.accountId, userName: u.userName, userId: u.userId, openedAt: T0 })),
        }),
      );
      const ids = createNotificationStore(db).openFindingIds(ACCOUNT_A);
      expect(created(store, request({ findingId: ids.get('alice') ?? -1 })).findingId).toBe(ids.get('alice'));
      const thrown = caught(() => store.create(request({ userId: 'AIDAALICE3', findingId: ids.get('bob') ?? -1 }), T0));
      expect(thrown).toMatchObject({
        code: 'database_error',
        message: expect.stringMatching(/Could not create a removal request for user "alice" in account 111111111111: .*FOREIGN KEY/),
      });
    });

    it('never reuses the id of a discarded request', () => {
      const { store } = setup();
      const first = created(store);
      store.discard(first.id);
      expect(created(store).id).toBeGreaterThan(first.id);
    });
  });

  describe('approval message and discard', () => {
    it('records where the approval message is, and then refuses to discard the request', () => {
      const { store } = setup();
      const { id } = created(store);
      store.setApprovalMessage(id, { channel: 'CSECURITY', ts: '1740823200.000100' });
      expect(store.get(id)).toMatchObject({ state: 'pending', approvalChannel: 'CSECURITY', approvalTs: '1740823200.000100' });
      expect(caught(() => store.discard(id))).toMatchObject({
        code: 'database_error',
        message: expect.stringContaining('approval message was posted'),
      });
      expect(store.get(id)?.state).toBe('pending');
    });
  });

  describe('expireDue and open', () => {
    it('expires only pending requests past their expiry, once, and answers them oldest first', () => {
      const { store } = setup();
      const due1 = created(store, request({ userId: 'AIDA1' }));
      const due2 = created(store, request({ userId: 'AIDA2', expiresAt: ms(EXPIRES, -HOUR) }));
      const notYet = created(store, request({ userId: 'AIDA3', expiresAt: ms(EXPIRES, 1) }));
      const executing = created(store, request({ userId: 'AIDA4' }));
      store.claim(executing.id, 'UBOSS', at(5));

      const expired = store.expireDue(EXPIRES);
      expect(expired.map((r) => [r.id, r.state, r.decidedBy])).toEqual([
        [due1.id, 'expired', null],
        [due2.id, 'expired', null],
      ]);
      expect(expired[0]).toEqual(store.get(due1.id));
      expect(store.get(notYet.id)?.state).toBe('pending');
      expect(store.get(executing.id)?.state).toBe('executing');
      expect(store.expireDue(EXPIRES)).toEqual([]);
    });

    it('lists pending requests not past expiry and executing ones, oldest first', () => {
      const { store } = setup();
      const newest = created(store, request({ userId: 'AIDA1', requestedAt: at(30), expiresAt: ms(EXPIRES, HOUR) }));
      const overdue = created(store, request({ userId: 'AIDA2', requestedAt: at(0), expiresAt: at(100) }));
      const executing = created(store, request({ userId: 'AIDA3', requestedAt: at(10) }));
      store.claim(executing.id, 'UBOSS', at(50));
      const oldest = created(store, request({ userId: 'AIDA4', requestedAt: at(-5) }));
      reach(store, 'done');

      expect(store.open(at(100)).map((r) => r.id)).toEqual([oldest.id, executing.id, newest.id]);
      expect(store.open(at(99)).map((r) => r.id)).toEqual([oldest.id, overdue.id, executing.id, newest.id]);
      expect(store.get(overdue.id)?.state).toBe('pending');
    });
  });

  describe('failInterrupted', () => {
    it('fails only executing requests claimed before the cut-off, with the reason, and leaves them retryable', () => {
      const { store } = setup();
      const of = (name: string): RemovalRequest => created(store, request({ userName: name, userId: `AIDA${name.toUpperCase()}` }));
      const old = of('alice').id;
      store.claim(old, 'UFIRST', at(10));
      const pending = of('bob').id;
      const done = of('carol').id;
      store.claim(done, 'UFIRST', at(10));
      store.finish(done, 'done', null, at(11));
      const recent = of('dave');
      store.claim(recent.id, 'UFIRST', at(40));

      const running = of('erin').id;
      store.claim(running, 'UFIRST', at(10));
      const failed = store.failInterrupted(at(30), 'stopped mid-way', at(50), [running]);
      expect(failed.map((r) => [r.id, r.state, r.detail])).toEqual([[old, 'failed', 'stopped mid-way']]);
      expect([pending, done, recent.id, running].map((id) => store.get(id)?.state)).toEqual(['pending', 'done', 'executing', 'executing']);
      expect(store.failInterrupted(at(30), 'again', at(51), [running])).toEqual([]);
      expect(store.claim(old, 'USECOND', at(60))).toMatchObject({ kind: 'claimed', request: { state: 'executing', decidedBy: 'USECOND' } });
    });
  });

  describe('discardUnposted', () => {
    it('deletes only pending requests older than the cut-off that never got an approval message', () => {
      const { store } = setup();
      const of = (name: string, requestedAt: Date): RemovalRequest =>
        created(store, request({ userName: name, userId: `AIDA${name.toUpperCase()}`, requestedAt, expiresAt: ms(requestedAt, 72 * HOUR) }));
      const stale = of('alice', at(0));
      const posted = of('bob', at(0));
      store.setApprovalMessage(posted.id, { channel: 'C0APPROVALS1', ts: '1.000100' });
      const fresh = of('carol', at(50));
      const claimed = of('dave', at(0));
      store.claim(claimed.id, 'UFIRST', at(1));

      expect(store.discardUnposted(at(30)).map((r) => r.id)).toEqual([stale.id]);
      expect(store.get(stale.id)).toBeNull();
      expect([posted.id, fresh.id, claimed.id].map((id) => store.get(id)?.state)).toEqual(['pending', 'pending', 'executing']);
      expect(created(store, request({ userName: 'alice', userId: 'AIDAALICE', requestedAt: at(40), expiresAt: ms(at(40), HOUR) })).id).toBeGreaterThan(stale.id);
    });
  });

  describe('CHECK constraints and indexes', () => {
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
      ['an expiry not after the request', `'111111111111', 'zed', 'AIDAZED', 'U1', ${now}, ${now}, 'pending', NULL, NULL, NULL, NULL, NULL, ${now}`],
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
  });
});
