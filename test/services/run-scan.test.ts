import { ambientAccount } from '../../src/adapters/fixed-accounts';
import { noOwnersFile } from '../../src/adapters/memory/fixed-owners-source';
import { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { sampleAccount } from '../../src/adapters/memory/sample-account';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { silentLogger } from '../../src/adapters/stderr-logger';
import { AppError } from '../../src/errors';
import type { IamGateway } from '../../src/ports/iam';
import type { Logger } from '../../src/ports/logging';
import type { AuditLog, ScanLease } from '../../src/ports/stores';
import { runScan, type RunScanSettings } from '../../src/services/run-scan';
import { createFakeClock } from '../support/fake-clock';
import { onlyAccount } from '../support/run-results';

const NOW = new Date('2026-11-28T14:00:00Z');
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
  listAccountAliases: () => iam.listAccountAliases(),
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
  const { scans, findings, lease, audit } = createSqliteStores(db, () => undefined);
  return { clock, memory, db, scans, findings, lease, audit, accounts: ambientAccount(memory) };
};

describe('runScan', () => {
  it('renews the lease during a long scan and releases it at the end', async () => {
    const { clock, memory, scans, findings, lease, audit } = setup();
    const renewals: Date[] = [];
    const watched: ScanLease = { ...lease, renew: (h, now, ttl) => (renewals.push(now), lease.renew(h, now, ttl)) };
    const result = await runScan(
      {
        accounts: ambientAccount(slowIam(memory, (ms) => clock.advance(ms), 30_000)),
        scans,
        findings,
        audit,
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
    const { clock, memory, scans, findings, lease, audit, db } = setup();
    const stolen: ScanLease = { ...lease, renew: async () => false };
    const result = await runScan(
      {
        accounts: ambientAccount(slowIam(memory, (ms) => clock.advance(ms), 30_000)),
        scans,
        findings,
        audit,
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
    expect(await scans.lastRun()).toMatchObject({ outcome: 'failed', error: expect.stringContaining('took over') });
  });

  it('reports busy, and calls no AWS API, while another holder has the lease', async () => {
    const { clock, memory, scans, findings, lease, audit } = setup();
    await lease.acquire('someone-else', clock.now(), 60_000);
    const result = await runScan(
      {
        accounts: ambientAccount(memory),
        scans,
        findings,
        audit,
        lease,
        clock,
        logger: silentLogger,
        owners: noOwnersFile,
        holder: 'me',
      },
      SETTINGS,
    );
    expect(result).toEqual({ outcome: 'busy', holder: 'someone-else', expiresAt: new Date(NOW.getTime() + 60_000) });
    expect(memory.calls).toEqual([]);
  });

  it('a failed scan leaves the previous scan intact', async () => {
    const { clock, memory, scans, findings, lease, audit } = setup();
    const deps = {
      accounts: ambientAccount(memory),
      scans,
      findings,
      audit,
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
    // One account: the run fails with that account's own error, as a single-account scan did.
    expect(await runScan(deps, SETTINGS)).toMatchObject({
      outcome: 'failed',
      error: { code: 'iam_service_failure', message: 'IAM failed internally' },
      accounts: [{ accountId: '111122223333', code: 'iam_service_failure' }],
    });
    expect(await scans.userResults('111122223333')).toEqual(before);
    expect(await findings.open('111122223333')).toEqual(openBefore);
    expect(await scans.lastScan()).toMatchObject({
      outcome: 'failed',
      accountId: '111122223333',
      error: expect.stringContaining('IAM failed internally'),
    });
  });

  describe('a finding that continues a chain', () => {
    /** A scan, alice's finding closed as fixed by a person (a Recheck), a day, then the scan again. */
    const reopenAlice = async (audit: AuditLog | null, logger: Logger = silentLogger) => {
      const stores = setup();
      const deps = {
        accounts: stores.accounts,
        scans: stores.scans,
        findings: stores.findings,
        audit: audit ?? stores.audit,
        lease: stores.lease,
        clock: stores.clock,
        logger,
        owners: noOwnersFile,
        holder: 'me',
      };
      expect((await runScan(deps, SETTINGS)).outcome).toBe('completed');
      const alice = (await stores.findings.open('111122223333')).find((f) => f.userName === 'alice');
      if (alice === undefined) throw new Error('the sample account has alice without MFA');
      await stores.findings.saveLiveCheck({
        result: null,
        close: { findingId: alice.id, reason: 'fixed', closedBy: 'U012ABCDEF', at: stores.clock.now() },
      });
      stores.clock.advance(86_400_000);
      return { ...stores, alice, result: await runScan(deps, SETTINGS) };
    };

    it('is audited by mfa-guard, naming the finding it continues and the chain start', async () => {
      const { audit, alice, result } = await reopenAlice(null);
      const reopened = onlyAccount(result).saved.opened.find((f) => f.userName === 'alice');
      expect(reopened).toMatchObject({ reopensId: alice.id, chainStartedAt: alice.openedAt });
      expect((await audit.entries(null)).filter((e) => e.action === 'finding_reopened')).toEqual([
        {
          id: expect.any(Number),
          at: new Date(NOW.getTime() + 86_400_000),
          actor: 'mfa-guard',
          action: 'finding_reopened',
          accountId: '111122223333',
          userName: 'alice',
          outcome: 'succeeded',
          detail: `finding ${reopened?.id ?? -1} of IAM user ${alice.userId} continues finding ${alice.id} (fixed shortly before); the chain started ${alice.openedAt.toISOString()}, and escalation counts from there`,
          requestId: null,
        },
      ]);
    });

    it('still completes the saved scan when the audit log fails, and says so loudly', async () => {
      const errors: string[] = [];
      const broken: AuditLog = {
        record: async () => {
          throw new AppError('database_error', 'the audit log is gone');
        },
        entries: async () => [],
      };
      const { result, findings } = await reopenAlice(broken, {
        ...silentLogger,
        error: (message) => errors.push(message),
      });
      expect(result.outcome).toBe('completed');
      expect(await findings.open('111122223333')).toContainEqual(
        expect.objectContaining({ userName: 'alice', reopensId: expect.any(Number) }),
      );
      expect(errors).toEqual(['could not write an audit entry']);
    });
  });
});
