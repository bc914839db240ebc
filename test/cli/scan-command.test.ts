import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { SAMPLE_EXPECTED_STATUSES } from '../../src/adapters/memory/sample-account';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createScanLease } from '../../src/adapters/sqlite/scan-lease';
import { AppError } from '../../src/errors';
import { runCliWith, tempDir } from '../support/cli-harness';
import { createFakeClock } from '../support/fake-clock';
import { sampleIam } from '../support/sample-world';

const NOW = new Date('2026-11-28T14:00:00Z');
const DAY = 86_400_000;

const setup = (extraEnv: Record<string, string> = {}) => {
  const dir = tempDir();
  const ownersFile = join(dir, 'owners.yml');
  writeFileSync(
    ownersFile,
    'users:\n  alice: U012ABCDEF\n  "svc-*": platform@example.com\n  breakglass:\n    owner: U0SECURITY1\n    exempt: "Break-glass account"\n',
  );
  const env = { DATABASE_PATH: join(dir, 'state', 'mfa-guard.db'), OWNERS_FILE: ownersFile, ...extraEnv };
  return { dir, env, clock: createFakeClock(NOW) };
};

describe('mfa-guard scan (end to end on the in-memory IAM)', () => {
  it('prints the JSON document: every user with the right status, source and owner', async () => {
    const { env, clock } = setup();
    const iam = sampleIam(clock);
    const run = await runCliWith(['scan', '--json'], env, iam, clock);

    expect(run.code).toBe(3); // the sample's flaky-user ends in error
    const doc = JSON.parse(run.stdout);
    expect(Object.keys(doc)).toEqual([
      'generatedAt',
      'strategy',
      'accounts',
      'rootAccounts',
      'summary',
      'users',
      'issues',
    ]);
    expect(doc.strategy.name).toBe('credential-report');
    expect(doc.accounts).toEqual([
      {
        accountId: '111122223333',
        partition: 'aws',
        alias: 'acme-prod',
        name: null,
        reportGeneratedAt: new Date(NOW.getTime() - 3 * 3_600_000).toISOString(),
        outcome: 'completed',
        error: null,
        strategy: {
          name: 'credential-report',
          reason: 'credential report read; offenders and users missing from it re-checked live',
        },
      },
    ]);
    expect(doc.rootAccounts).toEqual([{ accountId: '111122223333', mfaActive: false }]);

    const statuses = Object.fromEntries(
      doc.users.map((u: { userName: string; status: string }) => [u.userName, u.status]),
    );
    expect(statuses).toEqual(SAMPLE_EXPECTED_STATUSES);
    const counts = Object.values(SAMPLE_EXPECTED_STATUSES).reduce<Record<string, number>>(
      (acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }),
      {},
    );
    expect(doc.summary).toEqual({
      non_compliant: counts['non_compliant'],
      grace: counts['grace'],
      exempt: counts['exempt'],
      error: counts['error'],
      compliant: counts['compliant'],
      no_console: counts['no_console'],
      total: Object.keys(SAMPLE_EXPECTED_STATUSES).length,
      new: counts['non_compliant'],
      reopened: 0,
      fixed: 0,
    });

    const byName = new Map(doc.users.map((u: { userName: string }) => [u.userName, u]));
    expect(Object.keys(byName.get('bob') as object).sort()).toEqual(
      [
        'accountId',
        'arn',
        'checkedAt',
        'createdAt',
        'escalationSince',
        'graceUntil',
        'nonCompliantSince',
        'owner',
        'passwordLastUsed',
        'reason',
        'source',
        'status',
        'userId',
        'userName',
      ].sort(),
    );
    expect(byName.get('bob')).toMatchObject({
      source: 'live',
      nonCompliantSince: NOW.toISOString(),
      escalationSince: NOW.toISOString(),
      owner: { kind: 'slack', value: 'U0BOB12345', source: 'tag:slack-owner' },
    });
    expect(byName.get('alice')).toMatchObject({
      owner: { kind: 'slack', value: 'U012ABCDEF', source: 'owners-file:alice' },
    });
    expect(byName.get('svc-deploy')).toMatchObject({
      owner: { kind: 'email', value: 'platform@example.com', source: 'owners-file:svc-*' },
    });
    expect(byName.get('dana@example.com')).toMatchObject({
      owner: { kind: 'email', value: 'dana@example.com', source: 'user-name' },
    });
    expect(byName.get('frank')).toMatchObject({ owner: { kind: 'unowned', value: null, source: 'none' } });
    expect(byName.get('breakglass')).toMatchObject({ status: 'exempt', reason: 'Break-glass account' });
    expect(byName.get('kiosk')).toMatchObject({ status: 'exempt', reason: expect.stringContaining('kiosk') });
    expect(byName.get('gina')).toMatchObject({ status: 'grace', graceUntil: expect.any(String) });
    expect(byName.get('flaky-user')).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('ListMFADevices'),
    });
    // Settled by the 3-hour-old report alone, so marked as such:
    expect(byName.get('carol')).toMatchObject({
      status: 'compliant',
      source: 'report',
      checkedAt: new Date(NOW.getTime() - 3 * 3_600_000).toISOString(),
    });
    // The report says "no MFA" but the live re-check finds the device added since:
    expect(byName.get('jules')).toMatchObject({ status: 'compliant', source: 'live' });
    // Created after the report: found through ListUsers and checked live.
    expect(byName.get('ivan')).toMatchObject({ status: 'grace', source: 'live' });
    expect(run.stderr).toContain('could not be checked');
  });

  it('reads tags only for users without MFA', async () => {
    const { env, clock } = setup();
    const iam = sampleIam(clock);
    await runCliWith(['scan', '--json'], env, iam, clock);
    const tagged = iam.calls
      .filter((c) => c.operation === 'listUserTags')
      .map((c) => c.userName)
      .sort();
    expect(tagged).toEqual([
      'alice',
      'bob',
      'breakglass',
      'dana@example.com',
      'frank',
      'gina',
      'ivan',
      'kiosk',
      'svc-deploy',
    ]);
  });

  it('exits 0 with a table on stdout and logs on stderr when every user could be checked', async () => {
    const { env, clock } = setup();
    const run = await runCliWith(['scan'], env, sampleIam(clock, { failures: false }), clock);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^STATUS\s+ACCOUNT\s+USER\s+OWNER\s+DETAIL\s+SOURCE/);
    expect(run.stdout).toContain('Strategy: credential-report');
    expect(run.stdout).toContain('Root account: MFA NOT enabled');
    // The sample account's alias, next to its id, in the summary and in every row.
    expect(run.stdout).toContain('Account acme-prod (111122223333) [aws], scanned');
    expect(run.stdout).toMatch(/^non_compliant\s+acme-prod \(111122223333\)\s+/m);
    expect(run.stdout).not.toMatch(/\binfo\b.*scan started/);
    expect(run.stderr).toMatch(/info\s+scan started/);
  });

  it('exits 1 with --fail-on-findings when anyone is non_compliant', async () => {
    const { env, clock } = setup();
    const run = await runCliWith(['scan', '--fail-on-findings'], env, sampleIam(clock, { failures: false }), clock);
    expect(run.code).toBe(1);
  });

  it('exits 0 with --fail-on-findings when nobody is non_compliant', async () => {
    const { env, clock } = setup({ LOG_LEVEL: 'warn' });
    const iam = sampleIam(clock, { failures: false });
    for (const name of ['bob', 'frank', 'dana@example.com', 'alice', 'svc-deploy', 'flaky-user'])
      iam.setLoginProfile(name, false);
    const run = await runCliWith(['scan', '--fail-on-findings', '--json'], env, iam, clock);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).summary.non_compliant).toBe(0);
    expect(run.code).toBe(0);
  });

  it.each([
    [['scan', '--verbose'], 'unknown option "--verbose"'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('exits 2 with usage on %j', async (argv, message) => {
    const { env, clock } = setup();
    const iam = sampleIam(clock);
    const run = await runCliWith(argv, env, iam, clock);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: mfa-guard scan');
    expect(run.stdout).toBe('');
    expect(iam.calls).toEqual([]);
  });

  it('exits 2 listing every bad setting, and calls no AWS API', async () => {
    const { env, clock } = setup({ SCAN_CONCURRENCY: '0', GRACE_PERIOD_HOURS: 'soon' });
    const iam = sampleIam(clock);
    const run = await runCliWith(['scan'], env, iam, clock);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SCAN_CONCURRENCY');
    expect(run.stderr).toContain('GRACE_PERIOD_HOURS');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(iam.calls).toEqual([]);
  });

  it('exits 2 on a bad owners file, naming the file and the key, and writes nothing', async () => {
    const { dir, env, clock } = setup();
    writeFileSync(env.OWNERS_FILE, 'users:\n  alice: not-an-owner\n');
    const run = await runCliWith(['scan'], env, sampleIam(clock), clock);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(env.OWNERS_FILE);
    expect(run.stderr).toContain('users.alice');
    expect(existsSync(join(dir, 'state'))).toBe(false);
  });

  it('--dry-run writes nothing to the database', async () => {
    const { dir, env, clock } = setup();
    const run = await runCliWith(['scan', '--dry-run', '--json'], env, sampleIam(clock), clock);
    expect(JSON.parse(run.stdout).summary.total).toBe(Object.keys(SAMPLE_EXPECTED_STATUSES).length);
    expect(run.stderr).toContain('Dry run');
    expect(existsSync(join(dir, 'state'))).toBe(false);
  });

  it('remembers findings across scans: the second scan knows what is new and what was fixed', async () => {
    const { env, clock } = setup();
    const iam = sampleIam(clock, { failures: false });
    const first = JSON.parse((await runCliWith(['scan', '--json'], env, iam, clock)).stdout);
    expect(first.summary.new).toBe(6); // five sample offenders plus flaky-user, which has no MFA either

    clock.advance(DAY);
    iam.addMfaDevice('bob', {
      serialNumber: 'arn:aws:iam::111122223333:mfa/bob',
      kind: 'virtual',
      enableDate: clock.now(),
    });
    const second = JSON.parse((await runCliWith(['scan', '--json'], env, iam, clock)).stdout);
    // gina and ivan left their 24-hour grace period in that day: they are the new offenders.
    expect(second.summary).toMatchObject({ new: 2, fixed: 1, non_compliant: 7 });
    expect(
      second.users
        .filter((u: { nonCompliantSince: string | null }) => u.nonCompliantSince === clock.now().toISOString())
        .map((u: { userName: string }) => u.userName)
        .sort(),
    ).toEqual(['gina', 'ivan']);
    const frank = second.users.find((u: { userName: string }) => u.userName === 'frank');
    expect(frank.nonCompliantSince).toBe(NOW.toISOString());

    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const scans = db.prepare('SELECT outcome FROM scans ORDER BY id').all();
    db.close();
    expect(scans).toEqual([{ outcome: 'completed' }, { outcome: 'completed' }]);
  });

  it('a finding that reopens within FINDING_REOPEN_WINDOW_DAYS continues its chain: reopened, not new, escalation from its start', async () => {
    const { env, clock } = setup();
    const iam = sampleIam(clock, { failures: false });
    const device = { serialNumber: 'arn:aws:iam::111122223333:mfa/bob', kind: 'virtual' as const };
    const scan = async () => JSON.parse((await runCliWith(['scan', '--json'], env, iam, clock)).stdout);
    const bobIn = (doc: { users: { userName: string }[] }) => doc.users.find((u) => u.userName === 'bob');
    await scan();

    clock.advance(2 * DAY);
    iam.addMfaDevice('bob', { ...device, enableDate: clock.now() });
    expect((await scan()).summary).toMatchObject({ fixed: 1 });

    clock.advance(DAY);
    iam.removeMfaDevice('bob', device.serialNumber);
    const reopened = await scan();
    expect(reopened.summary).toMatchObject({ new: 0, reopened: 1, fixed: 0 });
    expect(bobIn(reopened)).toMatchObject({
      status: 'non_compliant',
      nonCompliantSince: clock.now().toISOString(),
      escalationSince: NOW.toISOString(),
    });
    expect((await runCliWith(['audit'], env, iam, clock)).stdout).toMatch(
      /finding_reopened[^\n]*bob[^\n]*continues finding \d+ \(fixed shortly before\); the chain started 2026-11-28T14:00/,
    );

    // Fixed again, and back only after the window: a chain of its own.
    clock.advance(DAY);
    iam.addMfaDevice('bob', { ...device, enableDate: clock.now() });
    await scan();
    clock.advance(8 * DAY);
    iam.removeMfaDevice('bob', device.serialNumber);
    const fresh = await scan();
    expect(fresh.summary).toMatchObject({ reopened: 0 });
    expect(bobIn(fresh)).toMatchObject({ escalationSince: clock.now().toISOString() });
  });

  it('FINDING_REOPEN_WINDOW_DAYS=0 never chains: a finding back the next day is new', async () => {
    const { env, clock } = setup({ FINDING_REOPEN_WINDOW_DAYS: '0' });
    const iam = sampleIam(clock, { failures: false });
    const device = { serialNumber: 'arn:aws:iam::111122223333:mfa/bob', kind: 'virtual' as const };
    await runCliWith(['scan'], env, iam, clock);
    clock.advance(DAY);
    iam.addMfaDevice('bob', { ...device, enableDate: clock.now() });
    await runCliWith(['scan'], env, iam, clock);
    clock.advance(DAY);
    iam.removeMfaDevice('bob', device.serialNumber);
    const doc = JSON.parse((await runCliWith(['scan', '--json'], env, iam, clock)).stdout);
    expect(doc.summary).toMatchObject({ reopened: 0 });
    expect(doc.users.find((u: { userName: string }) => u.userName === 'bob')).toMatchObject({
      escalationSince: clock.now().toISOString(),
    });
  });

  it('falls back to per-user checks when the credential report is denied, and says so', async () => {
    const { env, clock } = setup();
    const iam = sampleIam(clock);
    iam.failWith(
      'generateCredentialReport',
      new AppError('iam_access_denied', 'AWS denied iam:GenerateCredentialReport (AccessDenied).'),
    );
    const run = await runCliWith(['scan', '--json'], env, iam, clock);
    const doc = JSON.parse(run.stdout);
    expect(doc.strategy).toEqual({ name: 'per-user', reason: expect.stringContaining('iam:GenerateCredentialReport') });
    const statuses = Object.fromEntries(
      doc.users.map((u: { userName: string; status: string }) => [u.userName, u.status]),
    );
    expect(statuses).toEqual(SAMPLE_EXPECTED_STATUSES);
    expect(doc.users.every((u: { source: string }) => u.source === 'live')).toBe(true);
    expect(doc.rootAccounts).toEqual([{ accountId: '111122223333', mfaActive: false }]);
  });

  it('exits 3 when the scan cannot finish (user list denied), and records the failed scan', async () => {
    const { env, clock } = setup();
    const iam = sampleIam(clock);
    iam.failWith(
      'listUsers',
      new AppError('iam_access_denied', 'AWS denied iam:ListUsers (AccessDenied).', { hint: 'Grant iam:ListUsers.' }),
    );
    const run = await runCliWith(['scan'], env, iam, clock);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('AWS denied iam:ListUsers');
    expect(run.stderr).toContain('Grant iam:ListUsers.');
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    expect(db.prepare('SELECT outcome FROM scans').all()).toEqual([{ outcome: 'failed' }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM user_states').get()).toEqual({ n: 0 });
    db.close();
  });

  it('exits 3 without scanning while another scan holds the lease', async () => {
    const { env, clock } = setup();
    const db = openDatabase(env.DATABASE_PATH);
    await createScanLease(db).acquire('bot:other-host:42', clock.now(), 600_000);
    db.close();
    const iam = sampleIam(clock);
    const run = await runCliWith(['scan'], env, iam, clock);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Another scan is running (bot:other-host:42');
    expect(iam.calls).toEqual([]);
  });

  it('takes over a lease whose holder crashed long ago', async () => {
    const { env, clock } = setup();
    const db = openDatabase(env.DATABASE_PATH);
    await createScanLease(db).acquire('crashed', new Date(NOW.getTime() - DAY), 600_000);
    db.close();
    const run = await runCliWith(['scan'], env, sampleIam(clock, { failures: false }), clock);
    expect(run.code).toBe(0);
  });

  it('waits out throttling of the user list instead of failing the scan', async () => {
    const { env, clock } = setup();
    const iam = sampleIam(clock, { failures: false });
    iam.failWith(
      'listUsers',
      new AppError('iam_throttled', 'AWS kept throttling iam:ListUsers (Throttling) after all retries.'),
      { times: 2 },
    );
    const run = await runCliWith(['scan'], env, iam, clock);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('iam:ListUsers is throttled; waiting before trying again');
  });
});
