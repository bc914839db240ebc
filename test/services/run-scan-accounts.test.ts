import { type FixedAccount, fixedAccounts } from '../../src/adapters/fixed-accounts';
import { noOwnersFile } from '../../src/adapters/memory/fixed-owners-source';
import { type IamOperation, InMemoryIam, type MemoryUser } from '../../src/adapters/memory/in-memory-iam';
import { sampleAccount } from '../../src/adapters/memory/sample-account';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { silentLogger } from '../../src/adapters/stderr-logger';
import { AppError } from '../../src/errors';
import type { AwsAccounts } from '../../src/ports/accounts';
import type { ScanLease } from '../../src/ports/stores';
import { runScan, type RunScanDeps, type RunScanSettings } from '../../src/services/run-scan';
import { createFakeClock } from '../support/fake-clock';
import { completedRun } from '../support/run-results';

const NOW = new Date('2026-11-28T14:00:00Z');
const A = '111122223333';
const B = '444455556666';
const C = '777788889999';
const SETTINGS: RunScanSettings = {
  gracePeriodHours: 24,
  exemptTagKey: 'mfa-exempt',
  ownerTagKeys: ['slack-owner'],
  reopenWindowDays: 7,
  concurrency: 2,
  reportTimeoutMs: 60_000,
  leaseTtlMs: 60_000,
  accountConcurrency: 2,
};
const DENIED = new AppError('iam_access_denied', 'AWS denied sts:AssumeRole (AccessDenied).', {
  hint: 'Deploy the member role.',
});

/** Resolves when opened; `open` may be called any number of times. */
const signal = () => {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

/** A macrotask: every promise chain that can move on without outside help has moved on by then. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const offender = (accountId: string, userName: string): MemoryUser => ({
  userName,
  userId: `AIDA${accountId}${userName.toUpperCase()}`,
  createDate: new Date(NOW.getTime() - 90 * 86_400_000),
  passwordLastUsed: null,
  loginProfile: true,
  mfaDevices: [],
});

/** An account with two users without MFA; `beforeCall` as InMemoryIam takes it. */
const memberIam = (
  accountId: string,
  clock: () => Date,
  beforeCall?: (operation: IamOperation) => Promise<void>,
): InMemoryIam =>
  new InMemoryIam({
    account: {
      accountId,
      partition: 'aws',
      rootMfaActive: true,
      users: [offender(accountId, 'alice'), offender(accountId, 'bob')],
    },
    clock,
    ...(beforeCall === undefined ? {} : { beforeCall: (operation) => beforeCall(operation) }),
  });

const world = () => {
  const clock = createFakeClock(NOW);
  const db = openDatabase(':memory:');
  const stores = createSqliteStores(db, () => undefined);
  const deps = (accounts: AwsAccounts, holder = 'me'): RunScanDeps => ({
    accounts,
    scans: stores.scans,
    findings: stores.findings,
    lease: stores.lease,
    audit: stores.audit,
    clock,
    logger: silentLogger,
    owners: noOwnersFile,
    holder,
  });
  const rows = (sql: string, ...params: unknown[]): unknown[] => db.prepare(sql).all(...params);
  return { clock, db, stores, deps, rows, now: () => clock.now() };
};

const role = (accountId: string, iam: InMemoryIam, name?: string): FixedAccount => ({
  iam,
  accountId,
  via: `arn:aws:iam::${accountId}:role/mfa-guard`,
  ...(name === undefined ? {} : { name }),
});

describe('runScan over many accounts', () => {
  it('scans accountConcurrency accounts at a time and lists them in listing order, whatever finishes first', async () => {
    const w = world();
    const events: string[] = [];
    const gates = new Map([A, B, C].map((id) => [id, { entered: signal(), release: signal() }] as const));
    const gated = (id: string) =>
      memberIam(id, w.now, async (operation) => {
        const gate = gates.get(id);
        if (operation !== 'getCallerIdentity' || gate === undefined) return;
        events.push(`enter ${id}`);
        gate.entered.open();
        await gate.release.opened;
      });
    const release = (id: string): void => {
      events.push(`release ${id}`);
      gates.get(id)?.release.open();
    };
    const running = runScan(w.deps(fixedAccounts([role(A, gated(A)), role(B, gated(B)), role(C, gated(C))])), SETTINGS);
    await gates.get(A)?.entered.opened;
    await gates.get(B)?.entered.opened;
    await settle();
    release(B);
    await gates.get(C)?.entered.opened;
    release(C);
    await settle();
    release(A);
    const run = completedRun(await running);
    // C started only once B (one of the two running) was done.
    expect(events).toEqual([`enter ${A}`, `enter ${B}`, `release ${B}`, `enter ${C}`, `release ${C}`, `release ${A}`]);
    expect(run.accounts.map((a) => (a.outcome === 'completed' ? a.scan.account.accountId : null))).toEqual([A, B, C]);
    expect(w.rows('SELECT account_id, run_id FROM scans ORDER BY id')).toEqual([
      { account_id: B, run_id: run.runId },
      { account_id: C, run_id: run.runId },
      { account_id: A, run_id: run.runId },
    ]);
  });

  it('isolates a failing account: the others complete, its findings and user states stay exactly as they were', async () => {
    const w = world();
    let denyC = false;
    const cIam = memberIam(C, w.now, () => (denyC ? Promise.reject(DENIED) : Promise.resolve()));
    const accounts = fixedAccounts([
      role(A, memberIam(A, w.now)),
      role(B, memberIam(B, w.now)),
      role(C, cIam, 'sandbox'),
    ]);
    completedRun(await runScan(w.deps(accounts), SETTINGS));
    const findingsBefore = await w.stores.findings.open(C);
    const statesBefore = await w.stores.scans.userResults(C);
    expect(findingsBefore).toHaveLength(2);

    denyC = true;
    w.clock.advance(86_400_000);
    const run = completedRun(await runScan(w.deps(accounts), SETTINGS));
    expect(run.accounts.map((a) => a.outcome)).toEqual(['completed', 'completed', 'failed']);
    expect(run.accounts[2]).toMatchObject({
      outcome: 'failed',
      failure: {
        accountId: C,
        // Its organization's name, shown where it has no alias.
        alias: null,
        name: 'sandbox',
        via: `arn:aws:iam::${C}:role/mfa-guard`,
        code: 'iam_access_denied',
        message: 'AWS denied sts:AssumeRole (AccessDenied).',
        hint: 'Deploy the member role.',
        scanId: expect.any(Number),
      },
    });
    expect(await w.stores.findings.open(C)).toEqual(findingsBefore);
    expect(await w.stores.scans.userResults(C)).toEqual(statesBefore);
    expect(
      w.rows('SELECT account_id, outcome, run_id FROM scans WHERE run_id = ? ORDER BY account_id', run.runId),
    ).toEqual([
      { account_id: A, outcome: 'completed', run_id: run.runId },
      { account_id: B, outcome: 'completed', run_id: run.runId },
      { account_id: C, outcome: 'failed', run_id: run.runId },
    ]);
    expect(await w.stores.scans.lastRun()).toMatchObject({
      id: run.runId,
      outcome: 'completed',
      holder: 'me',
      accountsTotal: 3,
      accountsFailed: 1,
      error: null,
    });
  });

  it('compares each account only with its own last completed scan, however the rows interleave', async () => {
    const w = world();
    const aIam = memberIam(A, w.now);
    const bIam = memberIam(B, w.now);
    const accounts = fixedAccounts([role(A, aIam), role(B, bIam)]);
    completedRun(await runScan(w.deps(accounts), SETTINGS));
    bIam.failWith('getAccountSummary', new AppError('iam_access_denied', 'denied'));
    const second = completedRun(await runScan(w.deps(accounts), SETTINGS));
    const scanIdOf = (id: string): number => {
      const found = second.accounts.find((a) => a.outcome === 'completed' && a.scan.account.accountId === id);
      if (found?.outcome !== 'completed') throw new Error(`no completed scan of ${id}`);
      return found.saved.scanId;
    };
    expect(await w.stores.scans.previousErrors(A, scanIdOf(A))).toEqual({ errorCount: 0, issueKeys: [] });
    expect(await w.stores.scans.previousErrors(B, scanIdOf(B))).toEqual({ errorCount: 0, issueKeys: [] });
    expect(await w.stores.scans.previousRootMfa(B, scanIdOf(B))).toBe(true);
  });

  it('holds one lease for the whole run: a second run meanwhile is busy', async () => {
    const w = world();
    const entered = signal();
    const release = signal();
    const slow = memberIam(A, w.now, async (operation) => {
      if (operation !== 'getCallerIdentity') return;
      entered.open();
      await release.opened;
    });
    const first = runScan(w.deps(fixedAccounts([role(A, slow), role(B, memberIam(B, w.now))])), SETTINGS);
    await entered.opened;
    const second = await runScan(w.deps(fixedAccounts([role(B, memberIam(B, w.now))]), 'other'), SETTINGS);
    expect(second).toMatchObject({ outcome: 'busy', holder: 'me' });
    release.open();
    expect(completedRun(await first).accounts).toHaveLength(2);
    expect(w.rows('SELECT holder FROM scan_runs')).toEqual([{ holder: 'me' }]);
  });

  it('serializes lease renewals across accounts: one in flight at a time', async () => {
    const w = world();
    let inFlight = 0;
    let most = 0;
    let renewals = 0;
    const lease: ScanLease = {
      ...w.stores.lease,
      renew: async (holder, now, ttl) => {
        inFlight += 1;
        renewals += 1;
        most = Math.max(most, inFlight);
        await settle();
        inFlight -= 1;
        return w.stores.lease.renew(holder, now, ttl);
      },
    };
    // Every IAM call takes 10 s of fake time, so renewals fall due while both accounts run.
    const ticking = (id: string) =>
      memberIam(id, w.now, async () => {
        w.clock.advance(10_000);
      });
    const result = await runScan(
      { ...w.deps(fixedAccounts([role(A, ticking(A)), role(B, ticking(B))])), lease },
      SETTINGS,
    );
    expect(completedRun(result).accounts.map((a) => a.outcome)).toEqual(['completed', 'completed']);
    expect(renewals).toBeGreaterThan(1);
    expect(most).toBe(1);
  });

  it('stops the whole run once the lease is lost, and scans no account not started yet', async () => {
    const w = world();
    const stolen: ScanLease = { ...w.stores.lease, renew: async () => false };
    const ticking = (id: string) =>
      memberIam(id, w.now, async () => {
        w.clock.advance(30_000);
      });
    const late = memberIam(C, w.now);
    const result = await runScan(
      {
        ...w.deps(fixedAccounts([role(A, ticking(A)), role(B, ticking(B)), role(C, late)])),
        lease: stolen,
      },
      { ...SETTINGS, accountConcurrency: 2 },
    );
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'scan_in_progress' } });
    expect(late.calls).toEqual([]);
    expect(w.rows("SELECT COUNT(*) AS n FROM scans WHERE outcome = 'completed'")).toEqual([{ n: 0 }]);
    expect(await w.stores.scans.lastRun()).toMatchObject({ outcome: 'failed' });
  });

  describe('only (--account)', () => {
    it('scans just those accounts and changes no other account’s rows or findings', async () => {
      const w = world();
      const bIam = memberIam(B, w.now);
      const accounts = fixedAccounts([role(A, memberIam(A, w.now)), role(B, bIam)]);
      completedRun(await runScan(w.deps(accounts), SETTINGS));
      const bFindings = await w.stores.findings.open(B);
      const bStates = await w.stores.scans.userResults(B);
      // alice in B turns MFA on: a scan of B would close her finding.
      bIam.addMfaDevice('alice', { serialNumber: `arn:aws:iam::${B}:mfa/alice`, kind: 'virtual', enableDate: NOW });
      w.clock.advance(3_600_000);

      const run = completedRun(await runScan(w.deps(accounts), { ...SETTINGS, only: [A] }));
      expect(run.accounts).toHaveLength(1);
      expect(bIam.calls.filter((c) => c.operation === 'listUsers')).toHaveLength(1);
      expect(await w.stores.findings.open(B)).toEqual(bFindings);
      expect(await w.stores.scans.userResults(B)).toEqual(bStates);
      expect(w.rows('SELECT account_id FROM scans WHERE run_id = ?', run.runId)).toEqual([{ account_id: A }]);
      expect(await w.stores.scans.lastRun()).toMatchObject({ accountsTotal: 1, accountsFailed: 0 });
    });

    it('an account it names that is not covered fails the run before anything is scanned', async () => {
      const w = world();
      const aIam = memberIam(A, w.now);
      const result = await runScan(w.deps(fixedAccounts([role(A, aIam)])), { ...SETTINGS, only: [A, C] });
      expect(result).toMatchObject({ outcome: 'failed', error: { code: 'account_not_covered' }, accounts: [] });
      if (result.outcome !== 'failed') throw new Error('expected a failed run');
      expect(result.error.message).toContain(C);
      expect(result.error.message).toContain(`It covers: ${A}`);
      expect(aIam.calls).toEqual([]);
      expect(w.rows('SELECT COUNT(*) AS n FROM scans')).toEqual([{ n: 0 }]);
    });

    it('finds the ambient account by its identity', async () => {
      const w = world();
      const run = completedRun(
        await runScan(w.deps(fixedAccounts([{ iam: memberIam(A, w.now) }, role(B, memberIam(B, w.now))])), {
          ...SETTINGS,
          only: [A],
        }),
      );
      expect(run.accounts.map((a) => (a.outcome === 'completed' ? a.scan.account.accountId : null))).toEqual([A]);
    });
  });

  it('scans an account listed twice (self and a role into it) once', async () => {
    const w = world();
    const aIam = memberIam(A, w.now);
    const run = completedRun(
      await runScan(w.deps(fixedAccounts([{ iam: aIam }, role(A, aIam), role(B, memberIam(B, w.now))])), SETTINGS),
    );
    expect(run.accounts).toHaveLength(2);
    expect(aIam.calls.filter((c) => c.operation === 'listUsers')).toHaveLength(1);
    expect(w.rows('SELECT account_id FROM scans ORDER BY account_id')).toEqual([{ account_id: A }, { account_id: B }]);
  });

  it('fails a target whose credentials answer for another account, rather than scan the wrong one', async () => {
    const w = world();
    const misconfigured = memberIam(A, w.now);
    const run = completedRun(
      await runScan(w.deps(fixedAccounts([role(B, memberIam(B, w.now)), role(C, misconfigured)])), SETTINGS),
    );
    expect(run.accounts[1]).toMatchObject({ outcome: 'failed', failure: { accountId: C, code: 'account_mismatch' } });
    expect(misconfigured.calls.map((c) => c.operation)).toEqual(['getCallerIdentity']);
    expect(await w.stores.scans.userResults(A)).toEqual([]);
    expect(w.rows('SELECT account_id, outcome FROM scans ORDER BY account_id')).toEqual([
      { account_id: B, outcome: 'completed' },
      { account_id: C, outcome: 'failed' },
    ]);
  });

  it('fails with a summary when no account completes, listing each', async () => {
    const w = world();
    const refusing = (id: string) => memberIam(id, w.now, () => Promise.reject(DENIED));
    const result = await runScan(w.deps(fixedAccounts([role(B, refusing(B)), role(C, refusing(C))])), SETTINGS);
    expect(result).toMatchObject({
      outcome: 'failed',
      error: { code: 'accounts_failed' },
      accounts: [{ accountId: B }, { accountId: C }],
    });
    expect(await w.stores.scans.lastRun()).toMatchObject({ outcome: 'failed', accountsTotal: 2, accountsFailed: 2 });
  });

  it('fails, scanning nothing, when the accounts cannot be listed', async () => {
    const w = world();
    const listing = new AppError('iam_access_denied', 'AWS denied organizations:ListAccounts (AccessDenied).');
    const accounts: AwsAccounts = {
      targets: () => Promise.reject(listing),
      target: () => Promise.resolve(null),
      home: () => Promise.resolve({ accountId: A, partition: 'aws' }),
    };
    const result = await runScan(w.deps(accounts), SETTINGS);
    expect(result).toMatchObject({ outcome: 'failed', error: listing, accounts: [], runId: expect.any(Number) });
    expect(await w.stores.scans.lastRun()).toMatchObject({
      outcome: 'failed',
      accountsTotal: 0,
      error: expect.stringContaining('ListAccounts'),
    });
    expect(await w.stores.lease.current(w.now())).toBeNull();
  });
});

// The sample account stays scannable among others: the demo and the playground rely on it.
it('scans the sample account next to a member account', async () => {
  const w = world();
  const sample = sampleAccount(NOW);
  const prod = new InMemoryIam({ account: sample.account, clock: w.now, reportSnapshot: sample.reportSnapshot });
  const run = completedRun(
    await runScan(w.deps(fixedAccounts([{ iam: prod }, role(B, memberIam(B, w.now))])), SETTINGS),
  );
  expect(run.accounts.map((a) => a.outcome)).toEqual(['completed', 'completed']);
});
