/**
 * `npm run scan` over several AWS accounts, end to end: the compiled CLI, the real AWS SDK (STS
 * AssumeRole with refreshing credentials, Organizations ListAccounts, IAM) against the local
 * AWS-compatible endpoint, and a real SQLite file.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { builtEntry } from '../support/built-entry';
import { tempDir } from '../support/cli-harness';
import { FAKE_AMBIENT_ACCOUNT, type FakeAws, type FakeUser, startFakeAws } from '../support/fake-aws-http';

const run = promisify(execFile);
const CLI = builtEntry('cli');

const PROD = '111111111111';
const STAGING = '222222222222';
const SANDBOX = '333333333333';
const SECRET = 'very-secret-test-value-0123456789';

type Result = { code: number; stdout: string; stderr: string };

const scan = async (args: string[], env: Record<string, string>): Promise<Result> => {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'scan', ...args], {
      cwd: tempDir(),
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: tempDir(),
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_MAX_ATTEMPTS: '1',
        ...env,
      },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

const endpoints = (aws: FakeAws): Record<string, string> => ({
  AWS_ENDPOINT_URL_IAM: aws.url,
  AWS_ENDPOINT_URL_STS: aws.url,
  AWS_ENDPOINT_URL_ORGANIZATIONS: aws.url,
});

// The same user name in two accounts, each with its own owner.
const deploy = (owner: string): FakeUser => ({
  name: 'deploy',
  created: '2024-01-01T00:00:00Z',
  password: true,
  mfa: 0,
  tags: { 'slack-owner': owner },
});
const fine: FakeUser = { name: 'carol', created: '2024-01-01T00:00:00Z', password: true, mfa: 1 };

const role = (accountId: string): string => `arn:aws:iam::${accountId}:role/mfa-guard-scanner`;

interface AccountJson {
  accountId: string | null;
  alias: string | null;
  outcome: string;
  error: { code: string; message: string; hint: string | null } | null;
  strategy: { name: string } | null;
}
interface UserJson {
  accountId: string;
  userName: string;
  status: string;
  owner: { value: string | null };
}

const openFindings = (path: string, accountId: string) => {
  const db = openDatabase(path);
  try {
    return createSqliteStores(db, () => undefined).findings.open(accountId);
  } finally {
    db.close();
  }
};

describe('npm run scan over several accounts (real SDK, local AWS endpoint)', () => {
  it('assumes each role with the external id, isolates the account that refuses, and exits 3', async () => {
    const aws = await startFakeAws([], {
      accounts: [
        { accountId: PROD, users: [deploy('U0PRODOWNER'), fine], alias: 'acme-prod' },
        { accountId: STAGING, users: [deploy('U0STAGEOWNER')], name: 'Acme Staging' },
        { accountId: SANDBOX, users: [deploy('U0SANDOWNER')], refuseAssumeRole: true },
      ],
    });
    const database = join(tempDir(), 'state.db');
    try {
      const env = {
        ...endpoints(aws),
        AWS_ACCOUNTS: [PROD, STAGING, SANDBOX].map(role).join(','),
        AWS_EXTERNAL_ID: 'mfa-guard-e2e',
        DATABASE_PATH: database,
      };
      const result = await scan(['--json'], env);
      expect(result.code).toBe(3);
      const doc = JSON.parse(result.stdout) as { accounts: AccountJson[]; users: UserJson[]; strategy: unknown };
      expect(doc.accounts.map((a) => [a.accountId, a.alias, a.outcome, a.error?.code ?? null])).toEqual([
        [PROD, 'acme-prod', 'completed', null],
        [STAGING, null, 'completed', null],
        [SANDBOX, null, 'failed', 'iam_assume_role_failed'],
      ]);
      expect(doc.accounts[2]?.error?.message).toContain(role(SANDBOX));
      expect(doc.accounts[2]?.error?.hint).toBeTruthy();
      // Each account's deploy user, with its own owner; nothing from the refusing account.
      expect(
        doc.users.filter((u) => u.status === 'non_compliant').map((u) => [u.accountId, u.userName, u.owner.value]),
      ).toEqual([
        [PROD, 'deploy', 'U0PRODOWNER'],
        [STAGING, 'deploy', 'U0STAGEOWNER'],
      ]);
      // Every AssumeRole named the external id and the session name; IAM ran in each reachable account.
      const assumed = aws.calls.filter((c) => c.action === 'AssumeRole');
      expect(new Set(assumed.map((c) => c.roleArn))).toEqual(new Set([PROD, STAGING, SANDBOX].map(role)));
      expect(new Set(assumed.map((c) => c.externalId))).toEqual(new Set(['mfa-guard-e2e']));
      expect(new Set(assumed.map((c) => c.roleSessionName))).toEqual(new Set(['mfa-guard']));
      expect(aws.actionsIn(PROD)).toContain('ListUsers');
      expect(aws.actionsIn(STAGING)).toContain('ListUsers');
      expect(aws.actionsIn(SANDBOX)).toEqual([]);
      expect(aws.actionsIn(FAKE_AMBIENT_ACCOUNT)).not.toContain('ListUsers');
      expect(result.stderr).not.toContain(SECRET);

      // The failed account's findings are left alone by a later run; --account scans one account alone.
      expect((await openFindings(database, PROD)).map((f) => f.userName)).toEqual(['deploy']);
      const prodOnly = await scan(['--json', '--account', STAGING], env);
      expect(prodOnly.code).toBe(0);
      const subset = JSON.parse(prodOnly.stdout) as { accounts: AccountJson[] };
      expect(subset.accounts.map((a) => a.accountId)).toEqual([STAGING]);
      expect((await openFindings(database, PROD)).map((f) => f.userName)).toEqual(['deploy']);
    } finally {
      await aws.close();
    }
  }, 60_000);

  it('lists the organization, skips excluded and inactive accounts, and scans the ambient account itself', async () => {
    const aws = await startFakeAws([deploy('U0MGMTOWNER')], {
      accounts: [
        { accountId: PROD, users: [deploy('U0PRODOWNER')], name: 'Acme Prod' },
        { accountId: STAGING, users: [deploy('U0STAGEOWNER')], name: 'Acme Staging', state: 'SUSPENDED' },
        { accountId: SANDBOX, users: [deploy('U0SANDOWNER')], name: 'Acme Sandbox' },
      ],
    });
    try {
      const result = await scan(['--json'], {
        ...endpoints(aws),
        AWS_ORGANIZATION_ROLE_NAME: 'mfa-guard-scanner',
        AWS_ACCOUNTS_EXCLUDE: SANDBOX,
        DATABASE_PATH: join(tempDir(), 'state.db'),
      });
      expect(result.code).toBe(0);
      const doc = JSON.parse(result.stdout) as { accounts: AccountJson[] };
      expect(doc.accounts.map((a) => [a.accountId, a.outcome]).sort()).toEqual([
        [PROD, 'completed'],
        [FAKE_AMBIENT_ACCOUNT, 'completed'],
      ]);
      // The ambient account with its own credentials; the others through the organization role.
      expect(aws.calls.filter((c) => c.action === 'AssumeRole').map((c) => c.roleArn)).toEqual(
        expect.arrayContaining([role(PROD)]),
      );
      expect(aws.calls.some((c) => c.action === 'AssumeRole' && c.roleArn === role(FAKE_AMBIENT_ACCOUNT))).toBe(false);
      expect(aws.actionsIn(FAKE_AMBIENT_ACCOUNT)).toContain('ListAccounts');
      expect(aws.actionsIn(SANDBOX)).toEqual([]);
      expect(aws.actionsIn(STAGING)).toEqual([]);
    } finally {
      await aws.close();
    }
  }, 60_000);

  it('refuses a role list together with an organization role name before any AWS call (exit 2)', async () => {
    const aws = await startFakeAws([]);
    try {
      const result = await scan([], {
        ...endpoints(aws),
        AWS_ACCOUNTS: role(PROD),
        AWS_ORGANIZATION_ROLE_NAME: 'mfa-guard-scanner',
        DATABASE_PATH: join(tempDir(), 'state.db'),
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/AWS_ORGANIZATION_ROLE_NAME/);
      expect(aws.actions).toEqual([]);
    } finally {
      await aws.close();
    }
  }, 60_000);
});
