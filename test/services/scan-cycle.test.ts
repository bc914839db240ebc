import { sampleOwnersSource } from '../../src/adapters/memory/fixed-owners-source';
import { createSampleAccounts } from '../../src/adapters/memory/sample-accounts';
import { createSampleSlack, SAMPLE_SECURITY_CHANNEL } from '../../src/adapters/memory/sample-slack';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { silentLogger } from '../../src/adapters/stderr-logger';
import { createScan, installationOnce } from '../../src/app';
import { AppError } from '../../src/errors';
import type { RunScanResult, RunScanSettings } from '../../src/services/run-scan';
import { createScanCycle } from '../../src/services/scan-cycle';
import { createFakeClock } from '../support/fake-clock';

const NOW = new Date('2026-11-28T14:00:00Z');
const SCAN: RunScanSettings = {
  gracePeriodHours: 24,
  exemptTagKey: 'mfa-exempt',
  ownerTagKeys: ['slack-owner'],
  reopenWindowDays: 7,
  concurrency: 2,
  reportTimeoutMs: 60_000,
  leaseTtlMs: 60_000,
  accountConcurrency: 2,
};
const NOTIFY = {
  securityChannel: SAMPLE_SECURITY_CHANNEL,
  nudgeIntervalHours: 24,
  escalateAfterDays: 7,
  summaryWhen: 'always' as const,
  removalEnabled: false,
};

const world = (scan?: () => Promise<RunScanResult>) => {
  const clock = createFakeClock(NOW);
  const slack = createSampleSlack();
  const stores = createSqliteStores(openDatabase(':memory:'), () => undefined);
  const sample = createSampleAccounts(() => clock.now());
  const parts = {
    iam: sample.prod,
    accounts: sample.accounts,
    owners: sampleOwnersSource(),
    clock,
    logger: silentLogger,
    holder: 'me',
  };
  const cycle = createScanCycle({
    scan: scan ?? createScan(stores, parts, SCAN),
    notify: {
      slack,
      installation: installationOnce(slack),
      notifications: stores.notifications,
      findings: stores.findings,
      scans: stores.scans,
      clock,
      logger: silentLogger,
    },
    settings: NOTIFY,
    logger: silentLogger,
  });
  const channelPosts = () => slack.posts.filter((p) => p.channel === SAMPLE_SECURITY_CHANNEL);
  return { cycle, slack, channelPosts, clock };
};

describe('the scan cycle over a run', () => {
  it('notifies after a completed run, failed accounts included, and carries the run', async () => {
    const { cycle, slack } = world();
    const outcome = await cycle.run('command');
    if (outcome.kind !== 'completed') throw new Error(`expected completed, got ${outcome.kind}`);
    expect(outcome.run.accounts.map((a) => a.outcome)).toEqual(['completed', 'completed', 'failed']);
    expect(outcome.notify.dmsSent).toBeGreaterThan(0);
    expect(slack.posts.length).toBeGreaterThan(outcome.notify.dmsSent);
  });

  it('tells the security channel when no account completed', async () => {
    const failed: RunScanResult = {
      outcome: 'failed',
      error: new AppError('accounts_failed', 'None of the 2 AWS accounts could be scanned.', { hint: 'Fix them.' }),
      runId: 4,
      startedAt: NOW,
      finishedAt: NOW,
      accounts: [],
    };
    const { cycle, channelPosts } = world(() => Promise.resolve(failed));
    expect(await cycle.run('schedule')).toMatchObject({ kind: 'failed', error: failed.error, summary: 'posted' });
    expect(channelPosts()).toHaveLength(1);
  });

  it('tells the security channel when the run itself throws', async () => {
    const { cycle, channelPosts } = world(() => Promise.reject(new Error('database gone')));
    expect(await cycle.run('schedule')).toMatchObject({ kind: 'failed', error: { code: 'scan_failed' } });
    expect(channelPosts()).toHaveLength(1);
  });

  it('posts nothing while another process holds the lease', async () => {
    const { cycle, slack } = world(() => Promise.resolve({ outcome: 'busy', holder: 'cli', expiresAt: NOW }));
    expect(await cycle.run('schedule')).toEqual({ kind: 'busy', holder: 'cli' });
    expect(slack.posts).toEqual([]);
  });
});
