import type { Finding, FindingCloseReason, UserResult } from '../../src/domain/types';
import { AppError } from '../../src/errors';
import type { LiveCheckRecord, Stores } from '../../src/ports/stores';
import { ACCOUNT_A, ACCOUNT_B, accountScan, at, closing, findingOf, newFinding, rejection, T0, user } from './fixtures';
import type { StoreFactory } from './store-factory';
import { storesFor } from './store-factory';

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: at(0) });
const carol = user({ userName: 'carol', status: 'non_compliant', nonCompliantSince: at(0) });
const aliceB = user({ userName: 'alice', accountId: ACCOUNT_B, userId: 'AIDAALICEB', status: 'non_compliant' });

/** alice as a Recheck just saw her: she enabled MFA. */
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

/** What a Recheck by `closedBy` closes. */
const closeBy = (
  finding: Finding,
  closedBy: string,
  when: Date,
  reason: FindingCloseReason = 'fixed',
): NonNullable<LiveCheckRecord['close']> => ({
  findingId: finding.id,
  reason,
  closedBy,
  at: when,
});

interface Fixture {
  readonly stores: Stores;
  /** The findings the first scans opened: alice and bob in account A, alice in account B. */
  readonly aliceA: Finding;
  readonly bobA: Finding;
  readonly aliceOfB: Finding;
}

/** The behaviour every FindingStore must have, checked through the port only. */
export function describeFindingStoreContract(adapterName: string, open: StoreFactory): void {
  describe(`FindingStore contract: ${adapterName}`, () => {
    const storesOf = storesFor(open);

    /** One scan per account opened findings for alice and bob in A, and alice in B. */
    const setup = async (): Promise<Fixture> => {
      const stores = await storesOf();
      const a = await stores.scans.saveScan(
        accountScan({ users: [alice, bob], opened: [newFinding(alice, T0), newFinding(bob, T0)] }),
      );
      const b = await stores.scans.saveScan(
        accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [newFinding(aliceB, T0)] }),
      );
      return {
        stores,
        aliceA: findingOf(a.opened, 'alice'),
        bobA: findingOf(a.opened, 'bob'),
        aliceOfB: findingOf(b.opened, 'alice', ACCOUNT_B),
      };
    };

    describe('open and get', () => {
      it('answers the open findings of an account by name, leaving out closed ones and other accounts', async () => {
        const { stores, aliceA, bobA, aliceOfB } = await setup();
        const { scans, findings } = stores;
        const saved = await scans.saveScan(
          accountScan({
            startedAt: at(60),
            users: [carol, alice, { ...bob, status: 'compliant', nonCompliantSince: null }],
            opened: [newFinding(carol)],
            closed: [closing(bobA, at(60), 'fixed')],
          }),
        );
        expect(await findings.open(ACCOUNT_A)).toEqual([aliceA, findingOf(saved.opened, 'carol')]);
        expect(await findings.open(ACCOUNT_B)).toEqual([aliceOfB]);
        expect(await findings.open('333333333333')).toEqual([]);
      });

      it('reads a finding by id, open or closed, and null for an unknown id', async () => {
        const { stores, bobA } = await setup();
        const { scans, findings } = stores;
        expect(await findings.get(bobA.id)).toEqual({
          id: bobA.id,
          accountId: ACCOUNT_A,
          userName: 'bob',
          userId: bob.userId,
          openedAt: T0,
          closedAt: null,
          closeReason: null,
          reopensId: null,
          chainStartedAt: T0,
        });

        await scans.saveScan(
          accountScan({ startedAt: at(60), users: [alice], closed: [closing(bobA, at(60), 'deleted')] }),
        );
        expect(await findings.get(bobA.id)).toEqual({ ...bobA, closedAt: at(60), closeReason: 'deleted' });
        expect(await findings.get(987_654)).toBeNull();
      });
    });

    describe('lastFixed', () => {
      it("answers each IAM user's latest finding closed as fixed since then, by a scan or a person", async () => {
        const { stores, aliceA, bobA, aliceOfB } = await setup();
        const { scans, findings } = stores;
        const dave = user({ userName: 'dave', status: 'non_compliant' });
        // alice fixed by a scan, back, then fixed by a Recheck; bob deleted; dave exempted; alice of B fixed.
        const first = await scans.saveScan(
          accountScan({
            startedAt: at(60),
            users: [{ ...alice, status: 'compliant', nonCompliantSince: null }, dave],
            opened: [newFinding(dave, at(60))],
            closed: [closing(aliceA, at(60), 'fixed'), closing(bobA, at(60), 'deleted')],
          }),
        );
        const back = await scans.saveScan(
          accountScan({
            startedAt: at(120),
            users: [alice, { ...dave, status: 'exempt', nonCompliantSince: null }],
            opened: [newFinding(alice, at(120), { reopensId: aliceA.id, chainStartedAt: aliceA.chainStartedAt })],
            closed: [closing(findingOf(first.opened, 'dave'), at(120), 'exempted')],
          }),
        );
        const aliceAgain = findingOf(back.opened, 'alice');
        await findings.saveLiveCheck({ result: null, close: closeBy(aliceAgain, 'UALICE', at(150)) });
        await scans.saveScan(
          accountScan({ accountId: ACCOUNT_B, startedAt: at(60), closed: [closing(aliceOfB, at(60), 'fixed')] }),
        );

        const latest = { ...aliceAgain, closedAt: at(150), closeReason: 'fixed' };
        expect(await findings.lastFixed(ACCOUNT_A, T0)).toEqual([latest]);
        expect(await findings.lastFixed(ACCOUNT_A, at(150))).toEqual([latest]);
        expect(await findings.lastFixed(ACCOUNT_A, new Date(at(150).getTime() + 1))).toEqual([]);
        expect(await findings.lastFixed(ACCOUNT_B, T0)).toEqual([
          { ...aliceOfB, closedAt: at(60), closeReason: 'fixed' },
        ]);
        expect(await findings.lastFixed('333333333333', T0)).toEqual([]);
      });

      it('answers one finding per UserId: a user recreated under the same name has its own', async () => {
        const { stores, aliceA } = await setup();
        const { scans, findings } = stores;
        const newAlice = { ...alice, userId: 'AIDANEWALICE' };
        const saved = await scans.saveScan(
          accountScan({
            startedAt: at(60),
            users: [newAlice],
            opened: [newFinding(newAlice, at(60))],
            closed: [closing(aliceA, at(60), 'fixed')],
          }),
        );
        const newFindingOfAlice = findingOf(saved.opened, 'alice');
        await scans.saveScan(
          accountScan({
            startedAt: at(90),
            users: [{ ...newAlice, status: 'compliant', nonCompliantSince: null }],
            closed: [closing(newFindingOfAlice, at(90), 'fixed')],
          }),
        );
        expect(await findings.lastFixed(ACCOUNT_A, T0)).toEqual([
          { ...aliceA, closedAt: at(60), closeReason: 'fixed' },
          { ...newFindingOfAlice, closedAt: at(90), closeReason: 'fixed' },
        ]);
      });
    });

    describe('userNamesWithFindings', () => {
      it('names every user of the account that ever had a finding, open or closed', async () => {
        const { stores, aliceA, bobA } = await setup();
        const { scans, findings } = stores;
        await findings.saveLiveCheck({ result: null, close: closeBy(aliceA, 'U1', at(30)) });
        await scans.saveScan(
          accountScan({ startedAt: at(60), users: [bob], closed: [closing(bobA, at(60), 'fixed')] }),
        );
        expect(await findings.userNamesWithFindings(ACCOUNT_A)).toEqual(new Set(['alice', 'bob']));
        expect(await findings.userNamesWithFindings(ACCOUNT_B)).toEqual(new Set(['alice']));
        expect(await findings.userNamesWithFindings('333333333333')).toEqual(new Set());
      });
    });

    describe('escalations', () => {
      it('remembers escalated findings per account', async () => {
        const { stores, aliceA, aliceOfB } = await setup();
        const { scans, findings } = stores;
        const third = await scans.saveScan(
          accountScan({ startedAt: at(60), users: [alice, bob, carol], opened: [newFinding(carol)] }),
        );
        const carolA = findingOf(third.opened, 'carol');
        expect(await findings.escalatedIds(ACCOUNT_A)).toEqual(new Set());

        await findings.markEscalated([aliceA.id, carolA.id, aliceOfB.id], at(100));
        expect(await findings.escalatedIds(ACCOUNT_A)).toEqual(new Set([aliceA.id, carolA.id]));
        expect(await findings.escalatedIds(ACCOUNT_B)).toEqual(new Set([aliceOfB.id]));
      });

      it('is idempotent: marking again, even twice in one call, changes nothing', async () => {
        const { stores, aliceA } = await setup();
        const { findings } = stores;
        await findings.markEscalated([aliceA.id], at(100));
        await findings.markEscalated([aliceA.id, aliceA.id], at(200));
        expect(await findings.escalatedIds(ACCOUNT_A)).toEqual(new Set([aliceA.id]));
      });

      it('does nothing for an empty list', async () => {
        const { stores } = await setup();
        await stores.findings.markEscalated([], at(100));
        expect(await stores.findings.escalatedIds(ACCOUNT_A)).toEqual(new Set());
      });

      it('marks none of the findings when one of them does not exist', async () => {
        const { stores, aliceA } = await setup();
        const { findings } = stores;
        const thrown = await rejection(findings.markEscalated([aliceA.id, 31_337], at(100)));
        expect(thrown).toBeInstanceOf(AppError);
        expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('31337') });
        expect(await findings.escalatedIds(ACCOUNT_A)).toEqual(new Set());
        // The store still works afterwards.
        await findings.markEscalated([aliceA.id], at(101));
        expect(await findings.escalatedIds(ACCOUNT_A)).toEqual(new Set([aliceA.id]));
      });
    });

    describe('saveLiveCheck: closing a finding', () => {
      it('closes an open finding outside a scan', async () => {
        const { stores, aliceA, bobA } = await setup();
        const { findings } = stores;
        expect(await findings.saveLiveCheck({ result: null, close: closeBy(aliceA, 'UALICEOWNER', at(30)) })).toEqual({
          closed: true,
        });
        expect(await findings.get(aliceA.id)).toEqual({ ...aliceA, closedAt: at(30), closeReason: 'fixed' });
        expect(await findings.open(ACCOUNT_A)).toEqual([bobA]);
      });

      it('changes nothing and says so when the finding is no longer open', async () => {
        const { stores, aliceA } = await setup();
        const { findings } = stores;
        await findings.saveLiveCheck({ result: null, close: closeBy(aliceA, 'UFIRST', at(30)) });
        expect(
          await findings.saveLiveCheck({ result: null, close: closeBy(aliceA, 'USECOND', at(31), 'deleted') }),
        ).toEqual({ closed: false });
        expect(await findings.get(aliceA.id)).toEqual({ ...aliceA, closedAt: at(30), closeReason: 'fixed' });
      });

      it('does not touch a finding a scan already closed', async () => {
        const { stores, bobA } = await setup();
        const { scans, findings } = stores;
        await scans.saveScan(
          accountScan({ startedAt: at(60), users: [alice], closed: [closing(bobA, at(60), 'deleted')] }),
        );
        expect(await findings.saveLiveCheck({ result: null, close: closeBy(bobA, 'UBOB', at(61)) })).toEqual({
          closed: false,
        });
        expect(await findings.get(bobA.id)).toEqual({ ...bobA, closedAt: at(60), closeReason: 'deleted' });
      });

      it('answers closed: false for an unknown finding', async () => {
        const { stores } = await setup();
        const unknown = { findingId: 98_765, reason: 'fixed', closedBy: 'U1', at: at(1) } as const;
        expect(await stores.findings.saveLiveCheck({ result: null, close: unknown })).toEqual({ closed: false });
      });

      it('changes nothing for a check with neither a result nor a finding to close', async () => {
        const { stores, aliceA, bobA } = await setup();
        const usersBefore = await stores.scans.userResults(ACCOUNT_A);
        expect(await stores.findings.saveLiveCheck({ result: null, close: null })).toEqual({ closed: false });
        expect(await stores.findings.open(ACCOUNT_A)).toEqual([aliceA, bobA]);
        expect(await stores.scans.userResults(ACCOUNT_A)).toEqual(usersBefore);
      });

      it('lets the next scan open a new finding for the user once a person closed the old one', async () => {
        const { stores, aliceA, bobA } = await setup();
        const { scans, findings } = stores;
        await findings.saveLiveCheck({ result: null, close: closeBy(aliceA, 'U1', at(30)) });
        const saved = await scans.saveScan(
          accountScan({ startedAt: at(60), users: [alice, bob], opened: [newFinding(alice, at(60))] }),
        );
        expect(saved.open).toEqual([findingOf(saved.opened, 'alice'), bobA]);
        expect(await findings.open(ACCOUNT_A)).toEqual([
          { ...newFinding(alice, at(60)), id: expect.any(Number), closedAt: null, closeReason: null },
          bobA,
        ]);
      });
    });

    describe('the owner on record', () => {
      const bobOwner = { kind: 'slack', value: 'UBOB', source: 'tag:owner' } as const;
      const guessed = { kind: 'unowned', value: null, source: 'none' } as const;

      /** alice and bob open findings in A; the scan knows bob's owner for certain, not alice's. */
      const recorded = async (): Promise<Fixture> => {
        const fixture = await setup();
        await fixture.stores.scans.saveScan(
          accountScan({ startedAt: at(10), users: [alice, { ...bob, owner: bobOwner }], knownOwnerIds: [bob.userId] }),
        );
        return fixture;
      };

      it('records the owners a scan knows for certain on the open findings, and only those', async () => {
        const { stores } = await recorded();
        expect(await stores.findings.recordedOwners(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userName: 'bob', userId: bob.userId, owner: bobOwner },
        ]);
        expect(await stores.findings.recordedOwners(ACCOUNT_B)).toEqual([]);
      });

      it('keeps it when a later scan does not know the owner (bob could not be checked)', async () => {
        const { stores } = await recorded();
        const failed = { ...bob, status: 'error', owner: guessed, reason: 'Rate exceeded' } as const;
        await stores.scans.saveScan(accountScan({ startedAt: at(20), users: [alice, failed], knownOwnerIds: [] }));
        expect(await stores.findings.recordedOwners(ACCOUNT_A)).toEqual([
          expect.objectContaining({ userName: 'bob', owner: bobOwner }),
        ]);
      });

      it('is replaced by an owner a later scan knows for certain', async () => {
        const { stores } = await recorded();
        const moved = { kind: 'email', value: 'team@example.com', source: 'tag:owner' } as const;
        await stores.scans.saveScan(
          accountScan({ startedAt: at(20), users: [alice, { ...bob, owner: moved }], knownOwnerIds: [bob.userId] }),
        );
        expect(await stores.findings.recordedOwners(ACCOUNT_A)).toEqual([
          expect.objectContaining({ userName: 'bob', owner: moved }),
        ]);
      });

      it('leaves out closed findings, and never records on the finding of another UserId', async () => {
        const { stores, bobA } = await recorded();
        const newBob = { ...bob, userId: 'AIDABOBNEW', owner: bobOwner };
        await stores.scans.saveScan(
          accountScan({
            startedAt: at(20),
            users: [alice, newBob],
            closed: [closing(bobA, at(20), 'replaced')],
            knownOwnerIds: ['AIDABOBNEW'],
          }),
        );
        // The new bob has no finding yet, the old one's is closed: nothing is on record.
        expect(await stores.findings.recordedOwners(ACCOUNT_A)).toEqual([]);
      });

      it('a live check that does not know the owner keeps the recorded one and the stored one', async () => {
        const { stores, bobA } = await recorded();
        const failed: UserResult = { ...bob, status: 'error', source: 'live', owner: guessed, reason: 'Throttling' };
        await stores.findings.saveLiveCheck({ result: failed, ownerKnown: false, close: null });
        await stores.findings.saveLiveCheck({ result: failed, close: null });
        expect(await stores.findings.recordedOwners(ACCOUNT_A)).toEqual([
          expect.objectContaining({ userName: 'bob', owner: bobOwner }),
        ]);
        const stored = (await stores.scans.userResults(ACCOUNT_A)).find((u) => u.userName === 'bob');
        expect(stored).toEqual({ ...failed, owner: bobOwner });
        expect(await stores.findings.open(ACCOUNT_A)).toContainEqual(bobA);
      });

      it('a live check that knows the owner records it on the open finding and the stored state', async () => {
        const { stores } = await recorded();
        const aliceOwner = { kind: 'slack', value: 'UALICE', source: 'tag:owner' } as const;
        await stores.findings.saveLiveCheck({ result: { ...alice, owner: aliceOwner }, ownerKnown: true, close: null });
        expect(await stores.findings.recordedOwners(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userName: 'alice', userId: alice.userId, owner: aliceOwner },
          expect.objectContaining({ userName: 'bob', owner: bobOwner }),
        ]);
        expect((await stores.scans.userResults(ACCOUNT_A))[0]?.owner).toEqual(aliceOwner);
      });
    });

    describe('saveLiveCheck: storing the result', () => {
      it('replaces the stored state of the same IAM user', async () => {
        const { stores } = await setup();
        await stores.findings.saveLiveCheck({ result: live, ownerKnown: true, close: null });
        expect(await stores.scans.userResults(ACCOUNT_A)).toEqual([live, bob]);
      });

      it('writes every nullable field, set and cleared', async () => {
        const { stores } = await setup();
        const { scans, findings } = stores;
        const grace: UserResult = {
          ...live,
          status: 'grace',
          nonCompliantSince: at(1),
          reason: 'new user',
          graceUntil: at(5000),
        };
        await findings.saveLiveCheck({ result: grace, ownerKnown: true, close: null });
        expect((await scans.userResults(ACCOUNT_A))[0]).toEqual(grace);
        await findings.saveLiveCheck({ result: live, ownerKnown: true, close: null });
        expect((await scans.userResults(ACCOUNT_A))[0]).toEqual(live);
      });

      it.each([
        ['another IAM user with the same name (a recreated user)', { ...live, userId: 'AIDAALICENEW' }],
        ['a user the account has no stored state for', { ...live, userName: 'zoe', userId: 'AIDAZOE' }],
      ])('does nothing for %s', async (_label, result) => {
        const { stores } = await setup();
        const { scans, findings } = stores;
        const before = [await scans.userResults(ACCOUNT_A), await scans.userResults(ACCOUNT_B)];
        await findings.saveLiveCheck({ result, ownerKnown: true, close: null });
        expect([await scans.userResults(ACCOUNT_A), await scans.userResults(ACCOUNT_B)]).toEqual(before);
      });

      it('leaves the same user name in another account alone', async () => {
        const { stores } = await setup();
        await stores.findings.saveLiveCheck({ result: live, ownerKnown: true, close: null });
        expect(await stores.scans.userResults(ACCOUNT_B)).toEqual([aliceB]);
      });

      it('stores the result and closes the finding in one call', async () => {
        const { stores, aliceA, bobA } = await setup();
        const { scans, findings } = stores;
        expect(
          await findings.saveLiveCheck({ result: live, ownerKnown: true, close: closeBy(aliceA, 'UALICE', at(45)) }),
        ).toEqual({
          closed: true,
        });
        expect(await scans.userResults(ACCOUNT_A)).toEqual([live, bob]);
        expect(await findings.get(aliceA.id)).toEqual({ ...aliceA, closedAt: at(45), closeReason: 'fixed' });
        expect(await findings.open(ACCOUNT_A)).toEqual([bobA]);
      });

      it('still stores the result when the finding was closed first', async () => {
        const { stores, aliceA } = await setup();
        const { scans, findings } = stores;
        await scans.saveScan(
          accountScan({
            startedAt: at(30),
            users: [{ ...alice, status: 'compliant', nonCompliantSince: null }, bob],
            closed: [closing(aliceA, at(30), 'fixed')],
          }),
        );
        expect(
          await findings.saveLiveCheck({ result: live, ownerKnown: true, close: closeBy(aliceA, 'UALICE', at(45)) }),
        ).toEqual({
          closed: false,
        });
        expect(await scans.userResults(ACCOUNT_A)).toEqual([live, bob]);
        expect(await findings.get(aliceA.id)).toEqual({ ...aliceA, closedAt: at(30), closeReason: 'fixed' });
      });

      it('changes neither the state nor the finding when part of the check cannot be saved', async () => {
        const { stores, aliceA, bobA } = await setup();
        const { scans, findings } = stores;
        const before = await scans.userResults(ACCOUNT_A);
        const thrown = await rejection(
          findings.saveLiveCheck({
            result: live,
            ownerKnown: true,
            close: closeBy(aliceA, 'UALICE', new Date(Number.NaN)),
          }),
        );
        expect(thrown).toBeInstanceOf(AppError);
        expect(thrown).toMatchObject({ code: 'database_error' });
        expect(await scans.userResults(ACCOUNT_A)).toEqual(before);
        expect(await findings.open(ACCOUNT_A)).toEqual([aliceA, bobA]);
      });
    });
  });
}
