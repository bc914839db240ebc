import type { NewRemovalRequest, RemovalOutcome, RemovalRequest, RemovalState } from '../../src/domain/removal';
import { REMOVAL_STATES } from '../../src/domain/removal';
import type { Finding, UserResult } from '../../src/domain/types';
import { AppError } from '../../src/errors';
import type { RemovalStore, Stores } from '../../src/ports/stores';
import { ACCOUNT_A, ACCOUNT_B, accountScan, at, closing, findingOf, newFinding, rejection, T0, user } from './fixtures';
import type { StoreFactory } from './store-factory';
import { storesFor } from './store-factory';

const HOUR = 3_600_000;
const EXPIRES = new Date(T0.getTime() + 72 * HOUR);
const ms = (date: Date, offset: number): Date => new Date(date.getTime() + offset);
/** Well before expiry. */
const BEFORE = at(60);
/** The process that claims, unless a test says otherwise. */
const HOLDER = 'bot:host-a:101:aaaaaa';
const OTHER_HOLDER = 'bot:host-b:202:bbbbbb';

const request = (overrides: Partial<NewRemovalRequest> = {}): NewRemovalRequest => ({
  accountId: ACCOUNT_A,
  userName: 'alice',
  userId: 'AIDAALICE',
  requestedBy: 'UREQUESTER',
  requestedAt: T0,
  expiresAt: EXPIRES,
  ...overrides,
});

/** How a removal ended, with nothing to store about the user. */
const outcome = (state: RemovalOutcome['state'], detail: string | null = null): RemovalOutcome => ({
  state,
  detail,
  fixed: null,
});

const created = async (
  store: RemovalStore,
  req: NewRemovalRequest = request(),
  now: Date = req.requestedAt,
): Promise<RemovalRequest> => {
  const result = await store.create(req, now);
  if (result.kind !== 'created') throw new Error(`expected a new request, got ${result.kind} #${result.request.id}`);
  return result.request;
};

/** A request brought to `state` through the store's own operations. */
const reach = async (store: RemovalStore, state: RemovalState): Promise<number> => {
  const { id } = await created(store);
  switch (state) {
    case 'pending':
      break;
    case 'executing':
      await store.claim(id, 'UFIRST', at(10), HOLDER);
      break;
    case 'done':
    case 'failed':
    case 'not_needed':
      await store.claim(id, 'UFIRST', at(10), HOLDER);
      await store.finish(id, outcome(state, state === 'failed' ? 'AccessDenied: not allowed' : null), at(11), HOLDER);
      break;
    case 'denied':
      await store.deny(id, 'UFIRST', at(10));
      break;
    case 'expired':
      await store.claim(id, 'UFIRST', EXPIRES, HOLDER);
      break;
  }
  expect((await store.get(id))?.state).toBe(state);
  return id;
};

type Operation = 'claim' | 'deny' | 'finish done' | 'finish failed' | 'finish not_needed' | 'discard';

/** What an operation did, as "answer→state afterwards". */
const perform = async (store: RemovalStore, operation: Operation, id: number, now: Date): Promise<string> => {
  try {
    switch (operation) {
      case 'claim':
      case 'deny': {
        const result =
          operation === 'claim' ? await store.claim(id, 'UBOSS', now, HOLDER) : await store.deny(id, 'UBOSS', now);
        if (result.kind === 'not_found') return 'not_found';
        expect(await store.get(id)).toEqual(result.request);
        return `${result.kind}→${result.request.state}`;
      }
      case 'finish done':
      case 'finish failed':
      case 'finish not_needed': {
        const state = operation === 'finish done' ? 'done' : operation === 'finish failed' ? 'failed' : 'not_needed';
        const finished = await store.finish(id, outcome(state, 'why'), now, HOLDER);
        expect(await store.get(id)).toEqual(finished.request);
        if (finished.kind !== 'unchanged') expect(finished.closedFindingId).toBeNull();
        return `${finished.kind}→${finished.request.state}`;
      }
      case 'discard': {
        await store.discard(id);
        const after = await store.get(id);
        return after === null ? 'deleted' : `kept→${after.state}`;
      }
    }
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'database_error' });
    return `throws→${(await store.get(id))?.state ?? 'gone'}`;
  }
};

const refusedAlways = (state: RemovalState): [string, string] => [`refused→${state}`, `refused→${state}`];
const unchangedAlways = (state: RemovalState): [string, string] => [`unchanged→${state}`, `unchanged→${state}`];
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
  // A request never claimed cannot have an outcome (a bug); once the claim was taken away, only a
  // deletion that went through is recorded (corrected), over failed or not_needed.
  'finish done': {
    pending: throwsAlways('pending'),
    executing: ['finished→done', 'finished→done'],
    done: unchangedAlways('done'),
    failed: ['corrected→done', 'corrected→done'],
    not_needed: ['corrected→done', 'corrected→done'],
    denied: throwsAlways('denied'),
    expired: throwsAlways('expired'),
  },
  'finish failed': {
    pending: throwsAlways('pending'),
    executing: ['finished→failed', 'finished→failed'],
    done: unchangedAlways('done'),
    failed: unchangedAlways('failed'),
    not_needed: unchangedAlways('not_needed'),
    denied: throwsAlways('denied'),
    expired: throwsAlways('expired'),
  },
  'finish not_needed': {
    pending: throwsAlways('pending'),
    executing: ['finished→not_needed', 'finished→not_needed'],
    done: unchangedAlways('done'),
    failed: unchangedAlways('failed'),
    not_needed: unchangedAlways('not_needed'),
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

const alice = user({ userName: 'alice', userId: 'AIDAALICE', status: 'non_compliant', nonCompliantSince: T0 });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: T0 });
const aliceB = user({
  userName: 'alice',
  accountId: ACCOUNT_B,
  userId: 'AIDAALICE',
  status: 'non_compliant',
  nonCompliantSince: T0,
});
/** alice as the removal left her: no console password any more. */
const aliceFixed: UserResult = {
  ...alice,
  status: 'no_console',
  source: 'live',
  checkedAt: at(20),
  nonCompliantSince: null,
};

interface WithFindings {
  readonly stores: Stores;
  readonly aliceFinding: Finding;
  readonly bobFinding: Finding;
  readonly aliceOfB: Finding;
}

/** The behaviour every RemovalStore must have, checked through the port only. */
export function describeRemovalStoreContract(adapterName: string, open: StoreFactory): void {
  describe(`RemovalStore contract: ${adapterName}`, () => {
    const storesOf = storesFor(open);
    const storeOf = async (): Promise<RemovalStore> => (await storesOf()).removals;

    /** Open findings for alice and bob in account A, and for another alice (same UserId) in account B. */
    const withFindings = async (): Promise<WithFindings> => {
      const stores = await storesOf();
      const a = await stores.scans.saveScan(
        accountScan({ users: [alice, bob], opened: [newFinding(alice), newFinding(bob)] }),
      );
      const b = await stores.scans.saveScan(
        accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [newFinding(aliceB)] }),
      );
      return {
        stores,
        aliceFinding: findingOf(a.opened, 'alice'),
        bobFinding: findingOf(a.opened, 'bob'),
        aliceOfB: findingOf(b.opened, 'alice', ACCOUNT_B),
      };
    };

    describe('state machine', () => {
      it('covers every from-state and operation', () => {
        expect(CASES).toHaveLength(REMOVAL_STATES.length * 6 * 2);
      });

      it.each(CASES)('%s of a %s request %s → %s', async (operation, from, _when, expected, now) => {
        const store = await storeOf();
        const id = await reach(store, from);
        expect(await perform(store, operation, id, now)).toBe(expected);
      });

      it.each(['claim', 'deny'] as const)('answers not_found to %s of an unknown request', async (operation) => {
        const store = await storeOf();
        expect(await perform(store, operation, 4242, BEFORE)).toBe('not_found');
      });

      it('refuses to finish or record a message for an unknown request, and discarding one is a no-op', async () => {
        const store = await storeOf();
        expect(await rejection(store.finish(4242, outcome('done'), BEFORE, HOLDER))).toMatchObject({
          code: 'database_error',
          message: expect.stringContaining('not in the database'),
          hint: expect.stringMatching(/bug/),
        });
        expect(await rejection(store.setApprovalMessage(4242, { channel: 'CSEC', ts: '1.2' }))).toBeInstanceOf(
          AppError,
        );
        await expect(store.discard(4242)).resolves.toBeUndefined();
        expect(await store.get(4242)).toBeNull();
      });
    });

    describe('what a decision records', () => {
      it('stores a new request as pending with every field, read back as it was given', async () => {
        const store = await storeOf();
        const req = request({ requestedAt: at(1), expiresAt: ms(EXPIRES, 123) });
        const result = await store.create(req, at(2));
        expect(result).toEqual({
          kind: 'created',
          request: {
            ...req,
            id: expect.any(Number),
            findingId: null,
            state: 'pending',
            decidedBy: null,
            decidedAt: null,
            detail: null,
            approvalChannel: null,
            approvalTs: null,
            claimHolder: null,
            heartbeatAt: null,
          },
        });
        expect(await store.get(result.request.id)).toEqual(result.request);
      });

      it('records who approved and when, and the outcome of the removal', async () => {
        const store = await storeOf();
        const { id } = await created(store);
        expect(await store.claim(id, 'UBOSS', at(30), HOLDER)).toEqual({
          kind: 'claimed',
          request: expect.objectContaining({ state: 'executing', decidedBy: 'UBOSS', decidedAt: at(30), detail: null }),
        });
        expect(
          await store.finish(id, outcome('not_needed', 'it had no console password any more'), at(31), HOLDER),
        ).toEqual({
          kind: 'finished',
          request: expect.objectContaining({
            state: 'not_needed',
            decidedBy: 'UBOSS',
            decidedAt: at(30),
            detail: 'it had no console password any more',
          }),
          closedFindingId: null,
        });
      });

      it('retries a failed request: the new approver and time replace the old, and the old error is cleared', async () => {
        const store = await storeOf();
        const id = await reach(store, 'failed');
        expect(await store.get(id)).toMatchObject({ decidedBy: 'UFIRST', detail: 'AccessDenied: not allowed' });
        expect(await store.claim(id, 'USECOND', at(90), HOLDER)).toEqual({
          kind: 'claimed',
          request: expect.objectContaining({
            state: 'executing',
            decidedBy: 'USECOND',
            decidedAt: at(90),
            detail: null,
          }),
        });
      });

      it('answers a refusal with who decided what, so the clicker can be told', async () => {
        const store = await storeOf();
        const id = await reach(store, 'denied');
        expect(await store.claim(id, 'UOTHER', BEFORE, HOLDER)).toEqual({
          kind: 'refused',
          request: expect.objectContaining({ state: 'denied', decidedBy: 'UFIRST', decidedAt: at(10) }),
        });
      });

      it.each([
        ['one millisecond before expiry', -1, 'claimed', 'executing', 'UBOSS'],
        ['at the expiry instant', 0, 'refused', 'expired', null],
        ['one millisecond after expiry', 1, 'refused', 'expired', null],
      ])('claim %s → %s', async (_label, offset, kind, state, decidedBy) => {
        const store = await storeOf();
        const { id } = await created(store);
        expect(await store.claim(id, 'UBOSS', ms(EXPIRES, offset), HOLDER)).toEqual({
          kind,
          request: expect.objectContaining({ state, decidedBy }),
        });
      });

      it('expires a pending request on a late deny without recording the denier', async () => {
        const store = await storeOf();
        const { id } = await created(store);
        expect(await store.deny(id, 'UBOSS', EXPIRES)).toEqual({
          kind: 'refused',
          request: expect.objectContaining({ state: 'expired', decidedBy: null, decidedAt: null }),
        });
      });

      it('lets only the first of two claims win', async () => {
        const store = await storeOf();
        const { id } = await created(store);
        expect((await store.claim(id, 'UONE', at(5), HOLDER)).kind).toBe('claimed');
        expect(await store.claim(id, 'UTWO', at(5), HOLDER)).toEqual({
          kind: 'refused',
          request: expect.objectContaining({ state: 'executing', decidedBy: 'UONE' }),
        });
      });

      it('lets only one of two claims started together win', async () => {
        const store = await storeOf();
        const { id } = await created(store);
        const answers = await Promise.all([
          store.claim(id, 'UONE', at(5), HOLDER),
          store.claim(id, 'UTWO', at(5), HOLDER),
          store.deny(id, 'UTHREE', at(5)),
        ]);
        expect(answers.map((a) => a.kind).sort()).toEqual(['claimed', 'refused', 'refused']);
        const winner = answers.find((a) => a.kind === 'claimed');
        expect(await store.get(id)).toEqual(winner?.kind === 'claimed' ? winner.request : 'no winner');
      });
    });

    describe('create', () => {
      it.each(['pending', 'executing'] as const)(
        'answers already_open with the %s request of the same user',
        async (state) => {
          const store = await storeOf();
          const id = await reach(store, state);
          const result = await store.create(
            request({ requestedBy: 'USOMEONEELSE', requestedAt: at(20), expiresAt: ms(EXPIRES, HOUR) }),
            at(20),
          );
          expect(result).toEqual({ kind: 'already_open', request: await store.get(id) });
          expect((await store.open(at(20))).map((r) => r.id)).toEqual([id]);
        },
      );

      it('expires the user’s overdue pending request first, then creates a new one', async () => {
        const store = await storeOf();
        const old = await created(store);
        const later = ms(EXPIRES, 10);
        const result = await store.create(request({ requestedAt: later, expiresAt: ms(later, 72 * HOUR) }), later);
        expect(result.kind).toBe('created');
        expect(result.request.id).not.toBe(old.id);
        expect(await store.get(old.id)).toMatchObject({ state: 'expired', decidedBy: null });
      });

      it.each(['done', 'failed', 'not_needed', 'denied', 'expired'] as const)(
        'creates a new request next to a %s one',
        async (state) => {
          const store = await storeOf();
          const id = await reach(store, state);
          expect((await store.create(request({ requestedAt: at(30) }), at(30))).kind).toBe('created');
          expect((await store.get(id))?.state).toBe(state);
        },
      );

      it.each([
        ['a recreated user with the same name (another UserId)', request({ userId: 'AIDAALICE2' })],
        ['the same UserId in another account', request({ accountId: ACCOUNT_B })],
      ])('keeps %s apart', async (_label, other) => {
        const store = await storeOf();
        await created(store);
        expect((await store.create(other, T0)).kind).toBe('created');
      });

      it('does not retry a failed request while a newer one for the user is open', async () => {
        const store = await storeOf();
        const failed = await reach(store, 'failed');
        const newer = await created(store, request({ requestedAt: at(20) }));
        expect(await store.claim(failed, 'UBOSS', at(30), HOLDER)).toEqual({
          kind: 'refused',
          request: await store.get(failed),
        });
        expect((await store.get(failed))?.state).toBe('failed');
        expect((await store.claim(newer.id, 'UBOSS', at(31), HOLDER)).kind).toBe('claimed');
      });

      it('records the user’s open finding, and only the user’s own', async () => {
        const { stores, aliceFinding, aliceOfB } = await withFindings();
        const { removals } = stores;
        expect((await created(removals)).findingId).toBe(aliceFinding.id);
        expect((await created(removals, request({ accountId: ACCOUNT_B }))).findingId).toBe(aliceOfB.id);
        // A recreated alice is someone else, and carol never had a finding.
        expect((await created(removals, request({ userId: 'AIDAALICE3' }))).findingId).toBeNull();
        expect((await created(removals, request({ userName: 'carol', userId: 'AIDACAROL' }))).findingId).toBeNull();
      });

      it('records no finding once the user’s finding is closed', async () => {
        const { stores, aliceFinding } = await withFindings();
        const { scans, removals } = stores;
        await scans.saveScan(
          accountScan({
            startedAt: at(30),
            users: [aliceFixed, bob],
            closed: [closing(aliceFinding, at(30), 'fixed')],
          }),
        );
        const req = await created(removals, request({ requestedAt: at(40) }));
        expect(req.findingId).toBeNull();
        expect(await removals.get(req.id)).toEqual(req);
      });

      it('never reuses the id of a discarded request', async () => {
        const store = await storeOf();
        const first = await created(store);
        await store.discard(first.id);
        expect((await created(store)).id).toBeGreaterThan(first.id);
      });
    });

    describe('approval message and discard', () => {
      it('records where the approval message is, answers the request as it now is, and then refuses to discard it', async () => {
        const store = await storeOf();
        const { id } = await created(store);
        const updated = await store.setApprovalMessage(id, { channel: 'CSECURITY', ts: '1740823200.000100' });
        expect(updated).toMatchObject({
          id,
          state: 'pending',
          approvalChannel: 'CSECURITY',
          approvalTs: '1740823200.000100',
        });
        expect(await store.get(id)).toEqual(updated);
        expect(await rejection(store.discard(id))).toMatchObject({
          code: 'database_error',
          message: expect.stringContaining('approval message was posted'),
        });
        expect((await store.get(id))?.state).toBe('pending');
      });
    });

    describe('finish with the password gone', () => {
      const fixedBy = (closedBy: string, result: UserResult = aliceFixed): RemovalOutcome => ({
        state: 'done',
        detail: null,
        fixed: { result, closedBy },
      });

      it('stores the user as it now is and closes the user’s open finding as fixed, with the outcome', async () => {
        const { stores, aliceFinding, bobFinding, aliceOfB } = await withFindings();
        const { scans, findings, removals } = stores;
        const { id } = await created(removals);
        await removals.claim(id, 'UBOSS', at(10), HOLDER);

        const finished = await removals.finish(id, fixedBy('UBOSS'), at(20), HOLDER);
        expect(finished).toEqual({
          kind: 'finished',
          request: expect.objectContaining({ id, state: 'done', decidedBy: 'UBOSS', findingId: aliceFinding.id }),
          closedFindingId: aliceFinding.id,
        });
        expect(await removals.get(id)).toEqual(finished.request);
        expect(await findings.get(aliceFinding.id)).toEqual({
          ...aliceFinding,
          closedAt: at(20),
          closeReason: 'fixed',
        });
        expect(await scans.userResults(ACCOUNT_A)).toEqual([aliceFixed, bob]);
        // Nobody else's state or finding changes.
        expect(await findings.open(ACCOUNT_A)).toEqual([bobFinding]);
        expect(await findings.open(ACCOUNT_B)).toEqual([aliceOfB]);
        expect(await scans.userResults(ACCOUNT_B)).toEqual([aliceB]);
      });

      it('closes the finding open now, even when a scan replaced the one the request recorded', async () => {
        const { stores, aliceFinding } = await withFindings();
        const { scans, findings, removals } = stores;
        const { id, findingId } = await created(removals);
        expect(findingId).toBe(aliceFinding.id);
        await scans.saveScan(
          accountScan({
            startedAt: at(5),
            users: [{ ...alice, status: 'grace' }, bob],
            closed: [closing(aliceFinding, at(5), 'in_grace')],
          }),
        );
        const again = await scans.saveScan(
          accountScan({ startedAt: at(8), users: [alice, bob], opened: [newFinding(alice, at(8))] }),
        );
        const current = findingOf(again.opened, 'alice');
        await removals.claim(id, 'UBOSS', at(10), HOLDER);

        expect(await removals.finish(id, fixedBy('UBOSS'), at(20), HOLDER)).toMatchObject({
          kind: 'finished',
          closedFindingId: current.id,
        });
        expect(await findings.get(current.id)).toEqual({ ...current, closedAt: at(20), closeReason: 'fixed' });
        expect(await findings.get(aliceFinding.id)).toEqual({
          ...aliceFinding,
          closedAt: at(5),
          closeReason: 'in_grace',
        });
      });

      it('stores the user and answers no finding when none is open any more', async () => {
        const { stores, aliceFinding } = await withFindings();
        const { scans, findings, removals } = stores;
        const { id } = await created(removals);
        await removals.claim(id, 'UBOSS', at(10), HOLDER);
        await findings.saveLiveCheck({
          result: null,
          close: { findingId: aliceFinding.id, reason: 'fixed', closedBy: 'UALICE', at: at(15) },
        });

        expect(await removals.finish(id, fixedBy('UBOSS'), at(20), HOLDER)).toEqual({
          kind: 'finished',
          request: expect.objectContaining({ state: 'done' }),
          closedFindingId: null,
        });
        expect(await findings.get(aliceFinding.id)).toEqual({
          ...aliceFinding,
          closedAt: at(15),
          closeReason: 'fixed',
        });
        expect(await scans.userResults(ACCOUNT_A)).toEqual([aliceFixed, bob]);
      });

      it.each([
        ['done with nothing fixed', outcome('done')],
        ['not needed', outcome('not_needed', 'no console password')],
        ['failed', outcome('failed', 'AccessDenied')],
      ])('changes no finding and no user state when the removal ended %s', async (_label, ended) => {
        const { stores, aliceFinding, bobFinding } = await withFindings();
        const { scans, findings, removals } = stores;
        const { id } = await created(removals);
        await removals.claim(id, 'UBOSS', at(10), HOLDER);
        expect(await removals.finish(id, ended, at(20), HOLDER)).toEqual({
          kind: 'finished',
          request: expect.objectContaining({ state: ended.state, detail: ended.detail }),
          closedFindingId: null,
        });
        expect(await findings.open(ACCOUNT_A)).toEqual([aliceFinding, bobFinding]);
        expect(await scans.userResults(ACCOUNT_A)).toEqual([alice, bob]);
      });

      it('changes nothing, not even the request, when the user state cannot be saved', async () => {
        const { stores, aliceFinding, bobFinding } = await withFindings();
        const { scans, findings, removals } = stores;
        const { id } = await created(removals);
        const claimed = await removals.claim(id, 'UBOSS', at(10), HOLDER);

        const broken = { ...aliceFixed, checkedAt: new Date(Number.NaN) };
        expect(await rejection(removals.finish(id, fixedBy('UBOSS', broken), at(20), HOLDER))).toMatchObject({
          code: 'database_error',
        });
        expect(await removals.get(id)).toEqual(claimed.kind === 'claimed' ? claimed.request : 'not claimed');
        expect(await findings.open(ACCOUNT_A)).toEqual([aliceFinding, bobFinding]);
        expect(await scans.userResults(ACCOUNT_A)).toEqual([alice, bob]);
      });

      it.each(['pending', 'denied', 'expired'] as const)(
        'throws and changes nothing when the request is %s: it was never claimed',
        async (state) => {
          const { stores, aliceFinding, bobFinding } = await withFindings();
          const { scans, findings, removals } = stores;
          const id = await reach(removals, state);
          const before = await removals.get(id);

          const thrown = await rejection(removals.finish(id, fixedBy('UBOSS'), at(20), HOLDER));
          expect(thrown).toBeInstanceOf(AppError);
          expect(thrown).toMatchObject({
            code: 'database_error',
            message: expect.stringContaining(`it is ${state}; it was never claimed`),
          });
          expect(await removals.get(id)).toEqual(before);
          expect(await findings.open(ACCOUNT_A)).toEqual([aliceFinding, bobFinding]);
          expect(await scans.userResults(ACCOUNT_A)).toEqual([alice, bob]);
        },
      );

      it('changes nothing when another removal already recorded done', async () => {
        const { stores, bobFinding } = await withFindings();
        const { scans, findings, removals } = stores;
        const { id } = await created(removals);
        await removals.claim(id, 'UFIRST', at(10), HOLDER);
        await removals.failInterrupted(at(20), 'cut off', at(20), []);
        await removals.claim(id, 'USECOND', at(30), OTHER_HOLDER);
        await removals.finish(id, fixedBy('USECOND'), at(31), OTHER_HOLDER);
        const done = await removals.get(id);
        const users = await scans.userResults(ACCOUNT_A);

        expect(await removals.finish(id, fixedBy('UFIRST'), at(40), HOLDER)).toEqual({
          kind: 'unchanged',
          request: done,
        });
        expect(await removals.get(id)).toEqual(done);
        expect(await findings.open(ACCOUNT_A)).toEqual([bobFinding]);
        expect(await scans.userResults(ACCOUNT_A)).toEqual(users);
      });
    });

    describe('finish after the claim was taken away', () => {
      const fixedBy = (closedBy: string, detail: string | null = null): RemovalOutcome => ({
        state: 'done',
        detail,
        fixed: { result: aliceFixed, closedBy },
      });

      /** alice's request claimed by HOLDER at at(10), then failed by housekeeping at at(20). */
      const failedUnderUs = async (removals: RemovalStore): Promise<number> => {
        const { id } = await created(removals);
        await removals.claim(id, 'UBOSS', at(10), HOLDER);
        expect((await removals.failInterrupted(at(15), 'stopped mid-way', at(20), [])).map((r) => r.id)).toEqual([id]);
        return id;
      };

      it('records a deletion that went through over failed: done, the user stored, the finding closed, the detail saying it came late', async () => {
        const { stores, aliceFinding, bobFinding } = await withFindings();
        const { scans, findings, removals } = stores;
        const id = await failedUnderUs(removals);

        const finished = await removals.finish(
          id,
          fixedBy('UBOSS', 'the console password was already gone'),
          at(25),
          HOLDER,
        );
        expect(finished).toEqual({
          kind: 'corrected',
          previous: 'failed',
          request: expect.objectContaining({ id, state: 'done', decidedBy: 'UBOSS', decidedAt: at(10) }),
          closedFindingId: aliceFinding.id,
        });
        expect(finished.request.detail).toMatch(
          /^recorded late: the password was removed after mfa-guard had marked it failed/,
        );
        expect(finished.request.detail).toMatch(/; the console password was already gone$/);
        expect(await removals.get(id)).toEqual(finished.request);
        expect(await findings.open(ACCOUNT_A)).toEqual([bobFinding]);
        expect(await findings.get(aliceFinding.id)).toMatchObject({ closedAt: at(25), closeReason: 'fixed' });
        expect(await scans.userResults(ACCOUNT_A)).toEqual([aliceFixed, bob]);
      });

      it('records a deletion that went through over another process’s retry, which then cannot renew or finish it', async () => {
        const { stores, bobFinding } = await withFindings();
        const { findings, removals } = stores;
        const id = await failedUnderUs(removals);
        await removals.claim(id, 'USECOND', at(30), OTHER_HOLDER);

        expect(await removals.finish(id, fixedBy('UBOSS'), at(35), HOLDER)).toMatchObject({
          kind: 'corrected',
          previous: 'executing',
          request: { state: 'done', decidedBy: 'USECOND' },
        });
        expect(await findings.open(ACCOUNT_A)).toEqual([bobFinding]);
        expect(await removals.renewClaim(id, OTHER_HOLDER, at(36))).toBe(false);
        const done = await removals.get(id);
        expect(await removals.finish(id, outcome('not_needed', 'no console password'), at(37), OTHER_HOLDER)).toEqual({
          kind: 'unchanged',
          request: done,
        });
      });

      it.each([
        ['failed', outcome('failed', 'AccessDenied')],
        ['not needed', outcome('not_needed', 'the user has MFA now')],
        ['done with nothing fixed', outcome('done')],
      ])(
        'leaves another process’s running claim alone when this one ended %s… unless it removed the password',
        async (_label, ended) => {
          const { stores, aliceFinding, bobFinding } = await withFindings();
          const { scans, findings, removals } = stores;
          const id = await failedUnderUs(removals);
          await removals.claim(id, 'USECOND', at(30), OTHER_HOLDER);
          const before = await removals.get(id);

          const finished = await removals.finish(id, ended, at(35), HOLDER);
          if (ended.state === 'done') {
            // No user to store, but the password is gone all the same.
            expect(finished).toMatchObject({ kind: 'corrected', request: { state: 'done' }, closedFindingId: null });
          } else {
            expect(finished).toEqual({ kind: 'unchanged', request: before });
            expect(await removals.get(id)).toEqual(before);
            expect(await removals.renewClaim(id, OTHER_HOLDER, at(36))).toBe(true);
          }
          expect(await findings.open(ACCOUNT_A)).toEqual([aliceFinding, bobFinding]);
          expect(await scans.userResults(ACCOUNT_A)).toEqual([alice, bob]);
        },
      );
    });

    describe('claims: holder and heartbeat', () => {
      it('a claim names its holder and starts its heartbeat; a retry by another process replaces both', async () => {
        const store = await storeOf();
        const { id } = await created(store);
        expect(await store.claim(id, 'UBOSS', at(10), HOLDER)).toMatchObject({
          kind: 'claimed',
          request: { state: 'executing', claimHolder: HOLDER, heartbeatAt: at(10) },
        });
        await store.failInterrupted(at(15), 'stopped mid-way', at(20), []);
        expect(await store.get(id)).toMatchObject({ state: 'failed', claimHolder: HOLDER, heartbeatAt: at(10) });
        expect(await store.claim(id, 'USECOND', at(30), OTHER_HOLDER)).toMatchObject({
          kind: 'claimed',
          request: { state: 'executing', claimHolder: OTHER_HOLDER, heartbeatAt: at(30) },
        });
      });

      it('renewClaim moves the heartbeat for the holder only, and only while executing', async () => {
        const store = await storeOf();
        const { id } = await created(store);
        expect(await store.renewClaim(id, HOLDER, at(5))).toBe(false);
        expect(await store.renewClaim(4242, HOLDER, at(5))).toBe(false);
        await store.claim(id, 'UBOSS', at(10), HOLDER);

        expect(await store.renewClaim(id, OTHER_HOLDER, at(11))).toBe(false);
        expect((await store.get(id))?.heartbeatAt).toEqual(at(10));
        expect(await store.renewClaim(id, HOLDER, at(12))).toBe(true);
        expect(await store.get(id)).toMatchObject({ state: 'executing', claimHolder: HOLDER, heartbeatAt: at(12) });

        await store.finish(id, outcome('not_needed', 'the user has MFA now'), at(13), HOLDER);
        expect(await store.renewClaim(id, HOLDER, at(14))).toBe(false);
        expect((await store.get(id))?.heartbeatAt).toEqual(at(12));
      });

      it('a claim taken away by housekeeping cannot be renewed, and a failed finish changes nothing', async () => {
        const store = await storeOf();
        const { id } = await created(store);
        await store.claim(id, 'UBOSS', at(10), HOLDER);
        await store.failInterrupted(at(15), 'stopped mid-way', at(20), []);
        const failed = await store.get(id);

        expect(await store.renewClaim(id, HOLDER, at(21))).toBe(false);
        expect(await store.finish(id, outcome('failed', 'AccessDenied'), at(22), HOLDER)).toEqual({
          kind: 'unchanged',
          request: failed,
        });
        expect(await store.get(id)).toEqual(failed);
      });
    });

    describe('expireDue and open', () => {
      it('expires only pending requests past their expiry, once, and answers them oldest first', async () => {
        const store = await storeOf();
        const due1 = await created(store, request({ userId: 'AIDA1' }));
        const due2 = await created(store, request({ userId: 'AIDA2', expiresAt: ms(EXPIRES, -HOUR) }));
        const notYet = await created(store, request({ userId: 'AIDA3', expiresAt: ms(EXPIRES, 1) }));
        const executing = await created(store, request({ userId: 'AIDA4' }));
        await store.claim(executing.id, 'UBOSS', at(5), HOLDER);

        const expired = await store.expireDue(EXPIRES);
        expect(expired.map((r) => [r.id, r.state, r.decidedBy])).toEqual([
          [due1.id, 'expired', null],
          [due2.id, 'expired', null],
        ]);
        expect(expired[0]).toEqual(await store.get(due1.id));
        expect((await store.get(notYet.id))?.state).toBe('pending');
        expect((await store.get(executing.id))?.state).toBe('executing');
        expect(await store.expireDue(EXPIRES)).toEqual([]);
      });

      it('lists pending requests not past expiry and executing ones, oldest first', async () => {
        const store = await storeOf();
        const newest = await created(
          store,
          request({ userId: 'AIDA1', requestedAt: at(30), expiresAt: ms(EXPIRES, HOUR) }),
        );
        const overdue = await created(store, request({ userId: 'AIDA2', requestedAt: at(0), expiresAt: at(100) }));
        const executing = await created(store, request({ userId: 'AIDA3', requestedAt: at(10) }));
        await store.claim(executing.id, 'UBOSS', at(50), HOLDER);
        const oldest = await created(store, request({ userId: 'AIDA4', requestedAt: at(-5) }));
        await reach(store, 'done');

        expect((await store.open(at(100))).map((r) => r.id)).toEqual([oldest.id, executing.id, newest.id]);
        expect((await store.open(at(99))).map((r) => r.id)).toEqual([oldest.id, overdue.id, executing.id, newest.id]);
        expect((await store.get(overdue.id))?.state).toBe('pending');
      });
    });

    describe('failInterrupted', () => {
      it('fails only executing requests whose heartbeat is older than the cut-off, with the reason, and leaves them retryable', async () => {
        const store = await storeOf();
        const of = (name: string): Promise<RemovalRequest> =>
          created(store, request({ userName: name, userId: `AIDA${name.toUpperCase()}` }));
        const old = (await of('alice')).id;
        await store.claim(old, 'UFIRST', at(10), HOLDER);
        const pending = (await of('bob')).id;
        const done = (await of('carol')).id;
        await store.claim(done, 'UFIRST', at(10), HOLDER);
        await store.finish(done, outcome('done'), at(11), HOLDER);
        const recent = await of('dave');
        await store.claim(recent.id, 'UFIRST', at(40), OTHER_HOLDER);
        const running = (await of('erin')).id;
        await store.claim(running, 'UFIRST', at(10), HOLDER);
        // Claimed long ago, but its process is still at work: its heartbeat is recent.
        const beating = (await of('frank')).id;
        await store.claim(beating, 'UFIRST', at(10), OTHER_HOLDER);
        expect(await store.renewClaim(beating, OTHER_HOLDER, at(30))).toBe(true);

        const failed = await store.failInterrupted(at(30), 'stopped mid-way', at(50), [running]);
        expect(failed.map((r) => [r.id, r.state, r.detail])).toEqual([[old, 'failed', 'stopped mid-way']]);
        expect(failed[0]).toEqual(await store.get(old));
        const states = await Promise.all(
          [pending, done, recent.id, running, beating].map(async (id) => (await store.get(id))?.state),
        );
        expect(states).toEqual(['pending', 'done', 'executing', 'executing', 'executing']);
        expect(await store.failInterrupted(at(30), 'again', at(51), [running])).toEqual([]);
        // One millisecond past the heartbeat, it is stale.
        expect((await store.failInterrupted(ms(at(30), 1), 'later', at(52), [running])).map((r) => r.id)).toEqual([
          beating,
        ]);
        expect(await store.claim(old, 'USECOND', at(60), OTHER_HOLDER)).toMatchObject({
          kind: 'claimed',
          request: { state: 'executing', decidedBy: 'USECOND', claimHolder: OTHER_HOLDER },
        });
      });
    });

    describe('discardUnposted', () => {
      it('deletes only pending requests older than the cut-off that never got an approval message', async () => {
        const store = await storeOf();
        const of = (name: string, requestedAt: Date): Promise<RemovalRequest> =>
          created(
            store,
            request({
              userName: name,
              userId: `AIDA${name.toUpperCase()}`,
              requestedAt,
              expiresAt: ms(requestedAt, 72 * HOUR),
            }),
          );
        const stale = await of('alice', at(0));
        const posted = await of('bob', at(0));
        await store.setApprovalMessage(posted.id, { channel: 'C0APPROVALS1', ts: '1.000100' });
        const fresh = await of('carol', at(50));
        const claimed = await of('dave', at(0));
        await store.claim(claimed.id, 'UFIRST', at(1), HOLDER);

        expect(await store.discardUnposted(at(30))).toEqual([stale]);
        expect(await store.get(stale.id)).toBeNull();
        const states = await Promise.all(
          [posted.id, fresh.id, claimed.id].map(async (id) => (await store.get(id))?.state),
        );
        expect(states).toEqual(['pending', 'pending', 'executing']);
        const again = await created(
          store,
          request({ userName: 'alice', userId: 'AIDAALICE', requestedAt: at(40), expiresAt: ms(at(40), HOUR) }),
        );
        expect(again.id).toBeGreaterThan(stale.id);
      });
    });
  });
}
