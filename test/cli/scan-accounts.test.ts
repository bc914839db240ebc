import { existsSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { createSampleAccounts } from '../../src/adapters/memory/sample-accounts';
import { AppError } from '../../src/errors';
import { runCliWith, tempDir } from '../support/cli-harness';
import { createFakeClock } from '../support/fake-clock';

const NOW = new Date('2026-11-28T14:00:00Z');
const PROD = '111122223333';
const STAGING = '444455556666';
const SANDBOX = '777788889999';

const setup = () => {
  const clock = createFakeClock(NOW);
  const sample = createSampleAccounts(() => clock.now());
  const databasePath = join(tempDir(), 'state', 'mfa-guard.db');
  const scan = (...argv: string[]) =>
    runCliWith(['scan', ...argv], { DATABASE_PATH: databasePath }, sample.prod, clock, sample.accounts);
  const scanRows = (): unknown[] => {
    const db = new Database(databasePath, { readonly: true });
    try {
      return db.prepare('SELECT account_id, outcome FROM scans ORDER BY account_id').all();
    } finally {
      db.close();
    }
  };
  return { clock, sample, scan, scanRows, databasePath };
};

describe('mfa-guard scan over several accounts', () => {
  it('prints the failed account first with what to do, users qualified by account, and exits 3', async () => {
    const { scan } = setup();
    const run = await scan('--account', STAGING, '--account', SANDBOX);
    expect(run.code).toBe(3);
    const failed = run.stdout.indexOf(`FAILED acme-sandbox (${SANDBOX})`);
    expect(failed).toBe(
      run.stdout.indexOf('account(s) could not be scanned') +
        'account(s) could not be scanned; their findings stay as they were:\n  '.length,
    );
    expect(run.stdout).toContain('What to do: Deploy the mfa-guard member role');
    expect(failed).toBeLessThan(run.stdout.indexOf('STATUS'));
    expect(run.stdout).toMatch(new RegExp(`acme-staging \\(${STAGING}\\) +alice`));
    expect(run.stderr).toContain('1 account(s) could not be scanned; see their error. Exit code 3.');
  });

  it('JSON: every account with its outcome, error and strategy; the top-level strategy mixed when they differ', async () => {
    const { scan, sample } = setup();
    sample.staging.failWith('generateCredentialReport', new AppError('iam_access_denied', 'denied'));
    const run = await scan('--json');
    expect(run.code).toBe(3);
    const doc = JSON.parse(run.stdout);
    expect(doc.strategy.name).toBe('mixed');
    expect(doc.accounts).toEqual([
      expect.objectContaining({ accountId: PROD, alias: 'acme-prod', name: null, outcome: 'completed', error: null }),
      expect.objectContaining({
        accountId: STAGING,
        // No IAM alias: the organization's name is shown as its alias, and given as its name.
        alias: 'acme-staging',
        name: 'acme-staging',
        outcome: 'completed',
        strategy: expect.objectContaining({ name: 'per-user' }),
        reportGeneratedAt: null,
      }),
      {
        accountId: SANDBOX,
        partition: null,
        alias: 'acme-sandbox',
        name: 'acme-sandbox',
        reportGeneratedAt: null,
        outcome: 'failed',
        error: {
          code: 'iam_assume_role_failed',
          message: `mfa-guard could not assume the role arn:aws:iam::${SANDBOX}:role/mfa-guard-scanner: AWS denied sts:AssumeRole (AccessDenied).`,
          hint: expect.stringContaining(`in account ${SANDBOX}`),
        },
        strategy: null,
      },
    ]);
    const alices = doc.users.filter((u: { userName: string }) => u.userName === 'alice');
    expect(alices.map((u: { accountId: string }) => u.accountId).sort()).toEqual([PROD, STAGING]);
    expect(doc.rootAccounts.map((r: { accountId: string }) => r.accountId)).toEqual([PROD, STAGING]);
    expect(doc.summary.total).toBe(doc.users.length);
  });

  it('--account scans only that account and writes nothing about the others', async () => {
    const { scan, scanRows, sample } = setup();
    const run = await scan('--account', STAGING, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).accounts.map((a: { accountId: string }) => a.accountId)).toEqual([STAGING]);
    expect(sample.prod.calls.filter((c) => c.operation === 'listUsers')).toEqual([]);
    expect(scanRows()).toEqual([{ account_id: STAGING, outcome: 'completed' }]);
  });

  it('--account with an account mfa-guard does not cover exits 2 and scans nothing', async () => {
    const { scan, scanRows } = setup();
    const run = await scan('--account', '999999999999');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mfa-guard does not cover account 999999999999');
    expect(run.stderr).toContain(`It covers: ${PROD}, ${STAGING}, ${SANDBOX}`);
    expect(run.stdout).toBe('');
    expect(scanRows()).toEqual([]);
  });

  it('a malformed --account exits 2 with a clear message before anything is opened', async () => {
    const { scan, databasePath } = setup();
    const run = await scan('--account', 'acme-prod');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--account needs a 12-digit AWS account id, for example --account 111122223333 (got "acme-prod")',
    );
    expect(existsSync(databasePath)).toBe(false);
  });

  it('--dry-run scans every account and writes nothing', async () => {
    const { scan, scanRows } = setup();
    expect((await scan()).code).toBe(3);
    const before = scanRows();
    const run = await scan('--dry-run', '--json');
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).accounts).toHaveLength(3);
    expect(run.stderr).toContain('Dry run: nothing was written to the database.');
    expect(scanRows()).toEqual(before);
  });

  it('fails with every account listed when none completes', async () => {
    const { scan } = setup();
    const run = await scan('--account', SANDBOX);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`mfa-guard could not assume the role arn:aws:iam::${SANDBOX}:role/mfa-guard-scanner`);
  });
});
