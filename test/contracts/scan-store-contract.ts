import type { AccountScan, RunEnd } from '../../src/domain/scan';
import type { RootAccountResult, UserResult } from '../../src/domain/types';
import { AppError } from '../../src/errors';
import type { Stores } from '../../src/ports/stores';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  accountScan,
  at,
  closing,
  countsOf,
  findingOf,
  newFinding,
  rejection,
  T0,
  user,
} from './fixtures';
import type { StoreFactory } from './store-factory';
import { storesFor } from './store-factory';

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

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: at(0) });
const carol = user({ userName: 'carol', status: 'non_compliant', nonCompliantSince: at(0) });
const aliceB = user({
  userName: 'alice',
  accountId: ACCOUNT_B,
  userId: 'AIDAALICEB',
  status: 'non_compliant',
  nonCompliantSince: T0,
});
const fixedOf = (u: UserResult): UserResult => ({ ...u, status: 'compliant', nonCompliantSince: null });

/** The behaviour every ScanStore must have, checked through the port only. */
export function describeScanStoreContract(adapterName: string, open: StoreFactory): void {
  describe(`ScanStore contract: ${adapterName}`, () => {
    const storesOf = storesFor(open);

    describe('user states', () => {
      it.each([
        ['every nullable field set', FULL],
        ['every nullable field null', EMPTY],
        [
          'an email owner',
          user({
            userName: 'carol',
            status: 'exempt',
            owner: { kind: 'email', value: 'c@example.com', source: 'tag:owner' },
            reason: 'break-glass',
          }),
        ],
      ])('round-trips a user with %s', async (_label, result) => {
        const { scans } = await storesOf();
        await scans.saveScan(accountScan({ users: [result] }));
        const [back] = await scans.userResults(ACCOUNT_A);
        expect(back).toEqual(result);
        expect(back?.checkedAt).toBeInstanceOf(Date);
        expect(back?.createdAt).toBeInstanceOf(Date);
      });

      it('replaces the account state: users the latest scan did not see are gone', async () => {
        const { scans } = await storesOf();
        await scans.saveScan(accountScan({ users: [user({ userName: 'alice' }), user({ userName: 'bob' })] }));
        await scans.saveScan(
          accountScan({ users: [user({ userName: 'alice', status: 'non_compliant' }), user({ userName: 'dave' })] }),
        );
        expect((await scans.userResults(ACCOUNT_A)).map((u) => [u.userName, u.status])).toEqual([
          ['alice', 'non_compliant'],
          ['dave', 'compliant'],
        ]);
      });

      it('answers the users by name and nothing for an account never scanned', async () => {
        const { scans } = await storesOf();
        const names = ['mallory', 'alice', 'zed', 'bob'];
        await scans.saveScan(accountScan({ users: names.map((userName) => user({ userName })) }));
        expect((await scans.userResults(ACCOUNT_A)).map((u) => u.userName)).toEqual(['alice', 'bob', 'mallory', 'zed']);
        expect(await scans.userResults(ACCOUNT_B)).toEqual([]);
      });
    });

    describe('scans', () => {
      it('answers null from lastScan on an empty database', async () => {
        const { scans } = await storesOf();
        expect(await scans.lastScan()).toBeNull();
      });

      it('records a completed scan with its counts and strategy', async () => {
        const { scans } = await storesOf();
        const users = [
          user({ userName: 'a', status: 'non_compliant' }),
          user({ userName: 'b' }),
          user({ userName: 'c' }),
        ];
        const saved = await scans.saveScan(
          accountScan({
            startedAt: at(0),
            finishedAt: new Date(at(0).getTime() + 1234),
            strategy: { name: 'per-user', reason: 'credential report too old' },
            users,
            root: { accountId: ACCOUNT_A, mfaActive: false, source: 'live' },
            issues: [{ code: 'tag_unreadable', message: 'could not read tags', userName: 'b' }],
          }),
        );

        expect(await scans.lastScan()).toEqual({
          id: saved.scanId,
          accountId: ACCOUNT_A,
          startedAt: at(0),
          finishedAt: new Date(at(0).getTime() + 1234),
          outcome: 'completed',
          strategy: { name: 'per-user', reason: 'credential report too old' },
          counts: countsOf(users),
          error: null,
        });
      });

      it.each([
        ['before the account was known', null, null],
        ['of a known account', ACCOUNT_B, { name: 'credential-report', reason: 'default' } as const],
      ])('records a failed scan %s and touches nothing else', async (_label, accountId, strategy) => {
        const { scans, findings } = await storesOf();
        const completed = await scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }));
        const failed = await scans.saveFailedScan({
          accountId,
          startedAt: at(60),
          finishedAt: at(61),
          strategy,
          error: 'AccessDenied on iam:GenerateCredentialReport',
        });

        expect(failed).toBeGreaterThan(completed.scanId);
        expect(await scans.lastScan()).toEqual({
          id: failed,
          accountId,
          startedAt: at(60),
          finishedAt: at(61),
          outcome: 'failed',
          strategy,
          counts: null,
          error: 'AccessDenied on iam:GenerateCredentialReport',
        });
        expect(await scans.userResults(ACCOUNT_A)).toEqual([alice]);
        expect(await findings.open(ACCOUNT_A)).toEqual(completed.opened);
      });

      it('answers the most recently saved scan whatever its outcome or account', async () => {
        const { scans } = await storesOf();
        await scans.saveFailedScan({
          accountId: null,
          startedAt: at(0),
          finishedAt: at(1),
          strategy: null,
          error: 'boom',
        });
        const b = await scans.saveScan(accountScan({ accountId: ACCOUNT_B }));
        expect(await scans.lastScan()).toMatchObject({ id: b.scanId, accountId: ACCOUNT_B, outcome: 'completed' });
      });
    });

    describe('runs', () => {
      const end = (minutes: number, extra: Partial<RunEnd> = {}): RunEnd => ({
        finishedAt: at(minutes),
        outcome: 'completed',
        accountsTotal: 2,
        accountsFailed: 1,
        error: null,
        ...extra,
      });

      it('answers no last run until one ends, then the run as it ended', async () => {
        const { scans } = await storesOf();
        const runId = await scans.startRun({ startedAt: at(0), holder: 'cli:host:1' });
        expect(await scans.lastRun()).toBeNull();
        await scans.saveScan(accountScan({ startedAt: at(0) }), runId);
        await scans.saveFailedScan(
          { accountId: ACCOUNT_B, startedAt: at(0), finishedAt: at(1), strategy: null, error: 'AssumeRole denied' },
          runId,
        );
        await scans.finishRun(runId, end(2));
        expect(await scans.lastRun()).toEqual({
          id: runId,
          startedAt: at(0),
          holder: 'cli:host:1',
          ...end(2),
        });
      });

      it('answers the latest run that ended, skipping one left running (its process stopped)', async () => {
        const { scans } = await storesOf();
        const first = await scans.startRun({ startedAt: at(0), holder: 'a' });
        await scans.finishRun(first, end(1, { outcome: 'failed', accountsTotal: 0, accountsFailed: 0, error: 'x' }));
        await scans.startRun({ startedAt: at(2), holder: 'b' });
        expect(await scans.lastRun()).toMatchObject({ id: first, outcome: 'failed', error: 'x' });
      });

      it('refuses to end a run twice, or one that never started, changing nothing', async () => {
        const { scans } = await storesOf();
        const runId = await scans.startRun({ startedAt: at(0), holder: 'a' });
        await scans.finishRun(runId, end(1));
        expect(await rejection(scans.finishRun(runId, end(5, { accountsFailed: 0 })))).toBeInstanceOf(AppError);
        expect(await rejection(scans.finishRun(runId + 100, end(5)))).toBeInstanceOf(AppError);
        expect(await scans.lastRun()).toMatchObject({ id: runId, finishedAt: at(1), accountsFailed: 1 });
      });

      it('compares each account only with its own last completed scan when accounts interleave', async () => {
        const { scans } = await storesOf();
        const runId = await scans.startRun({ startedAt: at(0), holder: 'a' });
        await scans.saveScan(
          accountScan({
            accountId: ACCOUNT_A,
            root: { accountId: ACCOUNT_A, mfaActive: false, source: 'live' },
            issues: [{ code: 'alias_unreadable', message: 'm' }],
            alias: 'alpha',
          }),
          runId,
        );
        await scans.saveScan(
          accountScan({ accountId: ACCOUNT_B, root: { accountId: ACCOUNT_B, mfaActive: true, source: 'live' } }),
          runId,
        );
        await scans.saveFailedScan(
          { accountId: ACCOUNT_A, startedAt: at(1), finishedAt: at(2), strategy: null, error: 'denied' },
          runId,
        );
        const b2 = await scans.saveScan(accountScan({ accountId: ACCOUNT_B, startedAt: at(3) }), runId);
        const a2 = await scans.saveScan(accountScan({ accountId: ACCOUNT_A, startedAt: at(3) }), runId);
        expect(await scans.previousErrors(ACCOUNT_A, a2.scanId)).toEqual({
          errorCount: 0,
          issueKeys: ['alias_unreadable:'],
        });
        expect(await scans.previousErrors(ACCOUNT_B, b2.scanId)).toEqual({ errorCount: 0, issueKeys: [] });
        expect(await scans.previousRootMfa(ACCOUNT_A, a2.scanId)).toBe(false);
        expect(await scans.previousRootMfa(ACCOUNT_B, b2.scanId)).toBe(true);
        expect(await scans.accountNames(ACCOUNT_B)).toEqual({ alias: null, name: null });
      });

      it("stores the IAM alias and the organization's name apart: the name never becomes the alias", async () => {
        const { scans } = await storesOf();
        await scans.saveScan(accountScan({ alias: null, name: 'org-name' }));
        expect(await scans.accountNames(ACCOUNT_A)).toEqual({ alias: null, name: 'org-name' });
        await scans.saveScan(accountScan({ alias: 'iam-alias', name: 'org-name', startedAt: at(5) }));
        expect(await scans.accountNames(ACCOUNT_A)).toEqual({ alias: 'iam-alias', name: 'org-name' });
      });
    });

    describe('findings', () => {
      it('answers the findings it opened with their ids, as the finding store reads them', async () => {
        const { scans, findings } = await storesOf();
        const saved = await scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }));
        expect(saved.opened).toEqual([
          { id: expect.any(Number), ...newFinding(alice), closedAt: null, closeReason: null },
        ]);
        expect(saved.closed).toEqual([]);
        expect(saved.open).toEqual(saved.opened);
        const [opened] = saved.opened;
        expect(await findings.get(opened?.id ?? -1)).toEqual(opened);
        expect(await findings.open(ACCOUNT_A)).toEqual(saved.opened);
      });

      it('answers what it opened and closed, and every open finding of the account by name', async () => {
        const { scans } = await storesOf();
        const first = await scans.saveScan(
          accountScan({ users: [carol, alice, bob], opened: [newFinding(carol), newFinding(alice), newFinding(bob)] }),
        );
        expect(new Set(first.opened.map((f) => f.id)).size).toBe(3);
        expect(first.open.map((f) => f.userName)).toEqual(['alice', 'bob', 'carol']);
        await scans.saveScan(accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [newFinding(aliceB)] }));

        const dave = user({ userName: 'dave', status: 'non_compliant', nonCompliantSince: at(60) });
        const bobClosed = closing(findingOf(first.opened, 'bob'), at(60), 'fixed');
        const second = await scans.saveScan(
          accountScan({
            startedAt: at(60),
            users: [alice, fixedOf(bob), carol, dave],
            opened: [newFinding(dave)],
            closed: [bobClosed],
          }),
        );
        expect(second.closed).toEqual([bobClosed]);
        expect(second.opened).toEqual([
          { id: expect.any(Number), ...newFinding(dave), closedAt: null, closeReason: null },
        ]);
        expect(first.opened.map((f) => f.id)).not.toContain(findingOf(second.opened, 'dave').id);
        expect(second.open).toEqual([
          findingOf(first.opened, 'alice'),
          findingOf(first.opened, 'carol'),
          findingOf(second.opened, 'dave'),
        ]);
      });

      it('closes a finding with its reason, after which the user may get a new one', async () => {
        const { scans, findings } = await storesOf();
        const first = await scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }));
        const finding = findingOf(first.opened, 'alice');
        const closed = await scans.saveScan(
          accountScan({ users: [fixedOf(alice)], closed: [closing(finding, at(60), 'fixed')] }),
        );
        expect(closed.open).toEqual([]);
        expect(await findings.open(ACCOUNT_A)).toEqual([]);
        expect(await findings.get(finding.id)).toEqual({ ...finding, closedAt: at(60), closeReason: 'fixed' });

        const again = await scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice, at(120))] }));
        const reopened = findingOf(again.opened, 'alice');
        expect(reopened.id).not.toBe(finding.id);
        expect(await findings.open(ACCOUNT_A)).toEqual([reopened]);
        expect(await findings.get(finding.id)).toMatchObject({ closeReason: 'fixed' });
      });

      it('closes the old finding of a recreated user and opens one for the new user in the same scan', async () => {
        const { scans, findings } = await storesOf();
        const first = await scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }));
        const old = findingOf(first.opened, 'alice');
        const recreated = { ...alice, userId: 'AIDANEWALICE', checkedAt: at(60), nonCompliantSince: at(60) };
        const saved = await scans.saveScan(
          accountScan({
            users: [recreated],
            closed: [closing(old, at(60), 'replaced')],
            opened: [newFinding(recreated)],
          }),
        );
        expect(saved.open).toEqual(saved.opened);
        expect(saved.opened).toMatchObject([{ userName: 'alice', userId: 'AIDANEWALICE' }]);
        expect(await findings.open(ACCOUNT_A)).toEqual(saved.opened);
        expect(await findings.get(old.id)).toMatchObject({ userId: alice.userId, closeReason: 'replaced' });
      });

      it('saves a scan whose closing a person already did while it ran, leaving it out of closed', async () => {
        const { scans, findings } = await storesOf();
        const first = await scans.saveScan(
          accountScan({ users: [alice, bob], opened: [newFinding(alice), newFinding(bob)] }),
        );
        const aliceFinding = findingOf(first.opened, 'alice');
        const bobFinding = findingOf(first.opened, 'bob');
        await findings.saveLiveCheck({
          result: null,
          close: { findingId: aliceFinding.id, reason: 'fixed', closedBy: 'U012ABCDEF', at: at(30) },
        });

        const saved = await scans.saveScan(
          accountScan({
            users: [fixedOf(alice), fixedOf(bob)],
            closed: [closing(aliceFinding, at(60), 'fixed'), closing(bobFinding, at(60), 'fixed')],
          }),
        );
        expect(saved.closed).toEqual([closing(bobFinding, at(60), 'fixed')]);
        expect(saved.open).toEqual([]);
        expect((await scans.lastScan())?.id).toBe(saved.scanId);
        expect(await findings.get(aliceFinding.id)).toEqual({
          ...aliceFinding,
          closedAt: at(30),
          closeReason: 'fixed',
        });
      });

      it('refuses to close a finding whose user_id does not match, leaving the real one open and the scan unsaved', async () => {
        const { scans, findings } = await storesOf();
        const first = await scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }));
        const real = findingOf(first.opened, 'alice');
        const impostor = closing({ ...real, userId: 'AIDASOMEONEELSE' }, at(60), 'fixed');

        const thrown = await rejection(scans.saveScan(accountScan({ users: [], closed: [impostor] })));
        expect(thrown).toBeInstanceOf(AppError);
        expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('AIDASOMEONEELSE') });
        expect(await findings.open(ACCOUNT_A)).toEqual([real]);
        expect(await scans.userResults(ACCOUNT_A)).toEqual([alice]);
        expect((await scans.lastScan())?.id).toBe(first.scanId);
      });
    });

    describe('finding chains', () => {
      it('stores the chain of each finding it opens, as the finding store reads it', async () => {
        const { scans, findings } = await storesOf();
        const first = findingOf(
          (await scans.saveScan(accountScan({ users: [alice], opened: [newFinding(alice)] }))).opened,
          'alice',
        );
        expect(first).toMatchObject({ reopensId: null, chainStartedAt: first.openedAt });
        await scans.saveScan(
          accountScan({ startedAt: at(60), users: [fixedOf(alice)], closed: [closing(first, at(60), 'fixed')] }),
        );

        const continues = { reopensId: first.id, chainStartedAt: first.chainStartedAt };
        const saved = await scans.saveScan(
          accountScan({ startedAt: at(120), users: [alice], opened: [newFinding(alice, at(120), continues)] }),
        );
        const second = findingOf(saved.opened, 'alice');
        expect(second).toEqual({
          id: expect.any(Number),
          ...newFinding(alice, at(120), continues),
          closedAt: null,
          closeReason: null,
        });
        expect(saved.open).toEqual([second]);
        expect(await findings.get(second.id)).toEqual(second);
        expect(await findings.open(ACCOUNT_A)).toEqual([second]);

        // A chain of chains keeps its first start.
        await findings.saveLiveCheck({
          result: null,
          close: { findingId: second.id, reason: 'fixed', closedBy: 'U012ABCDEF', at: at(150) },
        });
        const third = await scans.saveScan(
          accountScan({
            startedAt: at(180),
            users: [alice],
            opened: [newFinding(alice, at(180), { reopensId: second.id, chainStartedAt: first.openedAt })],
          }),
        );
        expect(third.opened).toMatchObject([
          { reopensId: second.id, chainStartedAt: first.openedAt, openedAt: at(180) },
        ]);
      });
    });

    describe('atomicity', () => {
      const carolOk = user({ userName: 'carol' });
      const dave = user({ userName: 'dave', status: 'non_compliant' });
      /** dave's finding, opened by a scan and then closed by the next one for `reason` (in `accountId`). */
      const daveClosed = async (stores: Stores, reason: 'fixed' | 'deleted', accountId = ACCOUNT_A) => {
        const daveThere = { ...dave, accountId };
        const others = accountId === ACCOUNT_A ? [alice, carolOk] : [];
        const opened = await stores.scans.saveScan(
          accountScan({ accountId, startedAt: at(30), users: [...others, daveThere], opened: [newFinding(daveThere)] }),
        );
        const finding = findingOf(opened.opened, 'dave', accountId);
        await stores.scans.saveScan(
          accountScan({
            accountId,
            startedAt: at(40),
            users: reason === 'fixed' ? [...others, fixedOf(daveThere)] : others,
            closed: [closing(finding, at(40), reason)],
          }),
        );
        return finding;
      };
      /** A scan at 60 that opens `u` a finding with the given chain. */
      const reopening = (u: UserResult, reopensId: number | null, chainStartedAt: Date): AccountScan =>
        accountScan({
          startedAt: at(60),
          users: [alice, carolOk, u],
          opened: [newFinding(u, at(60), { reopensId, chainStartedAt })],
        });

      /** Each bad scan, given what the previous scan of account A stored. */
      const failing: ReadonlyArray<
        [string, (previous: { aliceId: number; stores: Stores }) => AccountScan | Promise<AccountScan>]
      > = [
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
          'a finding to close that is not open under that name',
          ({ aliceId }) =>
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
          'a finding to close that a scan already closed',
          async ({ stores }) => {
            const dave = user({ userName: 'dave', status: 'non_compliant' });
            const opened = await stores.scans.saveScan(
              accountScan({ startedAt: at(30), users: [alice, carolOk, dave], opened: [newFinding(dave)] }),
            );
            const daveFinding = findingOf(opened.opened, 'dave');
            await stores.scans.saveScan(
              accountScan({
                startedAt: at(40),
                users: [alice, carolOk],
                closed: [closing(daveFinding, at(40), 'deleted')],
              }),
            );
            return accountScan({
              startedAt: at(60),
              users: [alice],
              closed: [closing(daveFinding, at(60), 'deleted')],
            });
          },
        ],
        [
          'a closed finding without a close time',
          ({ aliceId }) =>
            accountScan({
              startedAt: at(60),
              closed: [{ id: aliceId, ...newFinding(alice), closedAt: null, closeReason: 'fixed' }],
            }),
        ],
        ['a new chain that does not start when its finding opens', () => reopening(dave, null, at(30))],
        [
          'a finding continuing a fixed finding of another IAM user',
          async ({ stores }) => {
            const fixed = await daveClosed(stores, 'fixed');
            return reopening(user({ userName: 'erin', status: 'non_compliant' }), fixed.id, fixed.chainStartedAt);
          },
        ],
        [
          'a finding continuing one closed as deleted',
          async ({ stores }) => {
            const deleted = await daveClosed(stores, 'deleted');
            return reopening(dave, deleted.id, deleted.chainStartedAt);
          },
        ],
        [
          'a finding continuing a fixed finding of the same UserId in another account',
          async ({ stores }) => {
            const fixedInB = await daveClosed(stores, 'fixed', ACCOUNT_B);
            return reopening(dave, fixedInB.id, fixedInB.chainStartedAt);
          },
        ],
        [
          'a finding continuing a fixed finding but not its chain start',
          async ({ stores }) => {
            const fixed = await daveClosed(stores, 'fixed');
            return reopening(dave, fixed.id, at(35));
          },
        ],
        ['a finding continuing an open finding', ({ aliceId }) => reopening(dave, aliceId, at(0))],
        ['a finding continuing no finding at all', () => reopening(dave, 987_654, at(0))],
        [
          'a user of another account',
          () => accountScan({ startedAt: at(60), users: [user({ userName: 'eve', accountId: ACCOUNT_B })] }),
        ],
      ];

      it.each(failing)('writes nothing of a scan with %s and keeps the previous scan intact', async (_label, bad) => {
        const stores = await storesOf();
        const { scans, findings } = stores;
        const first = await scans.saveScan(accountScan({ users: [alice, carolOk], opened: [newFinding(alice)] }));
        const scan = await bad({ aliceId: findingOf(first.opened, 'alice').id, stores });
        const before = {
          last: await scans.lastScan(),
          users: await scans.userResults(ACCOUNT_A),
          open: await findings.open(ACCOUNT_A),
          names: await findings.userNamesWithFindings(ACCOUNT_A),
        };

        const thrown = await rejection(scans.saveScan(scan));
        expect(thrown).toBeInstanceOf(AppError);
        expect(thrown).toMatchObject({ code: 'database_error' });

        expect({
          last: await scans.lastScan(),
          users: await scans.userResults(ACCOUNT_A),
          open: await findings.open(ACCOUNT_A),
          names: await findings.userNamesWithFindings(ACCOUNT_A),
        }).toEqual(before);
        // The store still works after a rolled-back scan.
        const after = await scans.saveScan(accountScan({ startedAt: at(120), users: [alice] }));
        expect(after.scanId).toBeGreaterThan(before.last?.id ?? Number.POSITIVE_INFINITY);
        expect(after.open).toEqual(before.open);
      });
    });

    describe('many accounts', () => {
      it('keeps two accounts with the same user names fully apart', async () => {
        const { scans, findings } = await storesOf();
        const aliceA = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: T0 });
        const bobB = user({ userName: 'bob', accountId: ACCOUNT_B });
        const a = await scans.saveScan(accountScan({ users: [aliceA], opened: [newFinding(aliceA)] }));
        const b = await scans.saveScan(
          accountScan({ accountId: ACCOUNT_B, users: [aliceB, bobB], opened: [newFinding(aliceB)] }),
        );
        expect(b.open).toEqual(b.opened);

        expect(await scans.userResults(ACCOUNT_A)).toEqual([aliceA]);
        expect(await scans.userResults(ACCOUNT_B)).toEqual([aliceB, bobB]);
        expect(await findings.open(ACCOUNT_A)).toEqual(a.opened);
        expect(await findings.open(ACCOUNT_B)).toEqual(b.opened);

        // Account A's alice is deleted and account A now has no users at all: B must not notice.
        const emptied = await scans.saveScan(
          accountScan({
            startedAt: at(60),
            users: [],
            closed: [closing(findingOf(a.opened, 'alice'), at(60), 'deleted')],
          }),
        );
        expect(emptied.open).toEqual([]);
        expect(await scans.userResults(ACCOUNT_A)).toEqual([]);
        expect(await findings.open(ACCOUNT_A)).toEqual([]);
        expect(await scans.userResults(ACCOUNT_B)).toEqual([aliceB, bobB]);
        expect(await findings.open(ACCOUNT_B)).toEqual(b.opened);
      });

      it('does not let a scan of one account close the finding of another account', async () => {
        const { scans, findings } = await storesOf();
        const b = await scans.saveScan(
          accountScan({ accountId: ACCOUNT_B, users: [aliceB], opened: [newFinding(aliceB)] }),
        );
        // Its very id, user name and user id, but claimed for account A.
        const wrongAccount = closing(
          { ...findingOf(b.opened, 'alice', ACCOUNT_B), accountId: ACCOUNT_A },
          at(60),
          'fixed',
        );
        expect(await rejection(scans.saveScan(accountScan({ closed: [wrongAccount] })))).toBeInstanceOf(AppError);
        expect(await findings.open(ACCOUNT_B)).toEqual(b.opened);
      });
    });

    describe('previousErrors', () => {
      it('is null for the first scan of an account', async () => {
        const { scans } = await storesOf();
        const first = await scans.saveScan(accountScan({ users: [alice] }));
        expect(await scans.previousErrors(ACCOUNT_A, first.scanId)).toBeNull();
      });

      it('answers with the error count and the sorted problem keys of the previous completed scan', async () => {
        const { scans } = await storesOf();
        await scans.saveScan(accountScan({ users: [alice] }));
        await scans.saveScan(
          accountScan({
            startedAt: at(60),
            users: [alice, user({ userName: 'erin', status: 'error', reason: 'GetLoginProfile: throttled' })],
            issues: [
              { code: 'tags_unreadable', message: 'x', userName: 'zed' },
              { code: 'root_check_failed', message: 'y' },
            ],
          }),
        );
        await scans.saveFailedScan({
          accountId: ACCOUNT_A,
          startedAt: at(61),
          finishedAt: at(62),
          strategy: null,
          error: 'AccessDenied',
        });
        await scans.saveScan(accountScan({ accountId: ACCOUNT_B, startedAt: at(63) }));
        const current = await scans.saveScan(accountScan({ startedAt: at(120) }));
        expect(await scans.previousErrors(ACCOUNT_A, current.scanId)).toEqual({
          errorCount: 1,
          issueKeys: ['root_check_failed:', 'tags_unreadable:zed'],
        });
      });
    });

    describe('previousRootMfa', () => {
      const root = (mfaActive: boolean, accountId = ACCOUNT_A): RootAccountResult => ({
        accountId,
        mfaActive,
        source: 'report',
      });

      it.each([
        ['root had MFA', root(true), true],
        ['root had no MFA', root(false), false],
        ['root was not checked', null, null],
      ])('answers from the previous completed scan when %s', async (_label, previousRoot, expected) => {
        const { scans } = await storesOf();
        await scans.saveScan(accountScan({ startedAt: at(60), root: previousRoot }));
        const current = await scans.saveScan(accountScan({ startedAt: at(120), root: root(false) }));
        expect(await scans.previousRootMfa(ACCOUNT_A, current.scanId)).toBe(expected);
      });

      it('skips failed scans, other accounts and later scans', async () => {
        const { scans } = await storesOf();
        await scans.saveScan(accountScan({ root: root(true) }));
        await scans.saveScan(accountScan({ startedAt: at(60), root: root(false) }));
        const knownFalse = await scans.saveScan(accountScan({ startedAt: at(61), root: root(false) }));
        await scans.saveFailedScan({
          accountId: ACCOUNT_A,
          startedAt: at(62),
          finishedAt: at(63),
          strategy: null,
          error: 'AccessDenied',
        });
        await scans.saveScan(accountScan({ accountId: ACCOUNT_B, startedAt: at(64), root: root(true, ACCOUNT_B) }));
        const current = await scans.saveScan(accountScan({ startedAt: at(120), root: root(true) }));
        const later = await scans.saveScan(accountScan({ startedAt: at(180), root: root(true) }));

        expect(await scans.previousRootMfa(ACCOUNT_A, current.scanId)).toBe(false);
        expect(await scans.previousRootMfa(ACCOUNT_A, knownFalse.scanId)).toBe(false);
        expect(await scans.previousRootMfa(ACCOUNT_B, later.scanId)).toBe(true);
      });

      it('is null for the first scan of an account', async () => {
        const { scans } = await storesOf();
        const firstOfA = await scans.saveScan(accountScan({ root: root(true) }));
        expect(await scans.previousRootMfa(ACCOUNT_A, firstOfA.scanId)).toBeNull();
        const firstOfB = await scans.saveScan(accountScan({ accountId: ACCOUNT_B, root: root(true, ACCOUNT_B) }));
        expect(await scans.previousRootMfa(ACCOUNT_B, firstOfB.scanId)).toBeNull();
      });
    });

    describe('accountNames', () => {
      it("answers the alias and the organization's name the latest completed scan of the account read", async () => {
        const { scans } = await storesOf();
        expect(await scans.accountNames(ACCOUNT_A)).toEqual({ alias: null, name: null });
        await scans.saveScan(accountScan({ startedAt: at(60), alias: 'old-name', name: 'Old name' }));
        await scans.saveScan(accountScan({ startedAt: at(120), alias: 'acme-prod', name: 'Acme production' }));
        await scans.saveFailedScan({
          accountId: ACCOUNT_A,
          startedAt: at(130),
          finishedAt: at(131),
          strategy: null,
          error: 'AccessDenied',
        });
        await scans.saveScan(accountScan({ accountId: ACCOUNT_B, startedAt: at(140), alias: 'acme-dev' }));

        expect(await scans.accountNames(ACCOUNT_A)).toEqual({ alias: 'acme-prod', name: 'Acme production' });
        expect(await scans.accountNames(ACCOUNT_B)).toEqual({ alias: 'acme-dev', name: null });
      });

      it('is null when the latest scan read none, and keeps outside text as it came', async () => {
        const { scans } = await storesOf();
        await scans.saveScan(accountScan({ startedAt: at(60), alias: '<!channel> & `x`', name: '<@U1> & `y`' }));
        expect(await scans.accountNames(ACCOUNT_A)).toEqual({ alias: '<!channel> & `x`', name: '<@U1> & `y`' });
        await scans.saveScan(accountScan({ startedAt: at(120), alias: null, name: null }));
        expect(await scans.accountNames(ACCOUNT_A)).toEqual({ alias: null, name: null });
      });
    });
  });
}
