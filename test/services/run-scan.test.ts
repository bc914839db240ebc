import { noOwnersFile } from '../../src/adapters/memory/fixed-owners-source';
import { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { sampleAccount } from '../../src/adapters/memory/sample-account';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { silentLogger } from '../../src/adapters/stderr-logger';
import { AppError } from '../../src/errors';
import type { IamGateway } from '../../src/ports/iam';
import type { ScanLease } from '../../src/ports/stores';
import { runScan, type RunScanSettings } from '../../src/services/run-scan';
import { createFakeClock } from '../support/fake-clock';

const NOW = new Date('2026-11-28T14:00:00Z');
const SETTINGS: RunScanSettings = {
  gracePeriodHours: 24,
  exemptTagKey: 'mfa-exempt',
  ownerTagKeys: ['slack-owner'],
  concurrency: 2,
  reportTimeoutMs: 60_000,
  leaseTtlMs: 60_000,
};

/** IAM where every live check takes `msPerCall` of (fake) time: a slow scan without waiting. */
const slowIam = (iam: IamGateway, advance: (ms: number) => void, msPerCall: number): IamGateway => ({
  getCallerIdentity: () => iam.getCallerIdentity(),
  generateCredentialReport: () => iam.generateCredentialReport(),
  getCredentialReport: () => iam.getCredentialReport(),
  listUsers: () => iam.listUsers(),
  getUser: (n) => iam.getUser(n),
  listMfaDevices: (n) => iam.listMfaDevices(n),
  listUserTags: (n) => iam.listUserTags(n),
  getAccountSummary: () => iam.getAccountSummary(),
  deleteLoginProfile: (n) => iam.deleteLoginProfile(n),
  getLoginProfile: async (n) => {
    advance(msPerCall);
    return iam.getLoginProfile(n);
  },
});

const setup = () => {
  const clock = createFakeClock(NOW);
  const sample = sampleAccount(NOW);
  const memory = new InMemoryIam({
    account: sample.account,
    clock: () => clock.now(),
    reportSnapshot: sample.reportSnapshot,
  });
  const db = openDatabase(':memory:');
  const { scans, findings, lease } = createSqliteStores(db, () => undefined);
  return { clock, memory, db, scans, findings, lease };
};

describe('runScan', () => {
  it('renews the lease during a long scan and releases it at the end', async () => {
    const { clock, memory, scans, findings, lease } = setup();
    const renewals: Date[] = [];
    const watched: ScanLease = { ...lease, renew: (h, now, ttl) => (renewals.push(now), lease.renew(h, now, ttl)) };
    const result = await runScan(
      {
        iam: slowIam(memory, (ms) => clock.advance(ms), 30_000),
        scans,
        findings,
        lease: watched,
        clock,
        logger: silentLogger,
        owners: noOwnersFile,
        holder: 'me',
      },
      SETTINGS,
    );
    expect(result.outcome).toBe('completed');
    expect(renewals.length).toBeGreaterThan(2);
    expect(await lease.current(clock.now())).toBeNull();
  });

  it('stops without writing when another scan took the lease over', async () => {
    const { clock, memory, scans, findings, lease, db } = setup();
    const stolen: ScanLease = { ...lease, renew: async () => false };
    const result = await runScan(
      {
        iam: slowIam(memory, (ms) => clock.advance(ms), 30_000),
        scans,
        findings,
        lease: stolen,
        clock,
        logger: silentLogger,
        owners: noOwnersFile,
        holder: 'me',
      },
      SETTINGS,
    );
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'scan_in_progress' } });
    expect(db.prepare('SELECT COUNT(*) AS n FROM user_states').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT outcome FROM scans').all()).toEqual([{ outcome: 'failed' }]);
  });

  it('reports busy, and calls no AWS API, while another holder has the lease', async () => {
    const { clock, memory, scans, findings, lease } = setup();
    await lease.acquire('someone-else', clock.now(), 60_000);
    const result = await runScan(
      { iam: memory, scans, findings, lease, clock, logger: silentLogger, owners: noOwnersFile, holder: 'me' },
      SETTINGS,
    );
    expect(result).toEqual({ outcome: 'busy', holder: 'someone-else', expiresAt: new Date(NOW.getTime() + 60_000) });
    expect(memory.calls).toEqual([]);
  });

  it('a failed scan leaves the previous scan intact', async () => {
    const { clock, memory, scans, findings, lease } = setup();
    const deps = {
      iam: memory,
      scans,
      findings,
      lease,
      clock,
      logger: silentLogger,
      owners: noOwnersFile,
      holder: 'me',
    };
    expect((await runScan(deps, SETTINGS)).outcome).toBe('completed');
    const before = await scans.userResults('111122223333');
    const openBefore = await findings.open('111122223333');

    memory.failWith('listUsers', new AppError('iam_service_failure', 'IAM failed internally'));
    clock.advance(86_400_000);
    expect((await runScan(deps, SETTINGS)).outcome).toBe('failed');
    expect(await scans.userResults('111122223333')).toEqual(before);
    expect(await findings.open('111122223333')).toEqual(openBefore);
    expect(await scans.lastScan()).toMatchObject({
      outcome: 'failed',
      accountId: '111122223333',
      error: expect.stringContaining('IAM failed internally'),
    });
  });
});
