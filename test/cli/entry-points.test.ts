import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { createAuditLog } from '../../src/adapters/sqlite/audit-log';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { builtEntry } from '../support/built-entry';
import { tempDir } from '../support/cli-harness';
import { startFakeAws } from '../support/fake-aws-http';

const run = promisify(execFile);
const DEMO = builtEntry('demo');
const CLI = builtEntry('cli');

type Result = { code: number; stdout: string; stderr: string };

const exec = async (args: string[], env: Record<string, string>): Promise<Result> => {
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd: tempDir(),
      env: { PATH: process.env['PATH'] ?? '', HOME: tempDir(), ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

// The real entry points, compiled, as `npm run demo` / `npm run scan` / `npm run audit` start them, in a clean environment.
describe('entry points', () => {
  it('the demo scans the sample account with no AWS or Slack credentials', async () => {
    const result = await exec([DEMO], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('mfa-guard demo');
    expect(result.stdout).toMatch(/non_compliant\s+acme-prod \(111122223333\)\s+bob/);
    expect(result.stdout).toContain('Root account: MFA NOT enabled');
    expect(result.stdout).toContain('--authentication-code1 CODE1 --authentication-code2 CODE2');
    expect(result.stdout).not.toContain('--authentication-code-1');
  }, 60_000);

  it('scan with an unknown flag exits 2 with usage', async () => {
    const result = await exec([CLI, 'scan', '--nope'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: mfa-guard scan');
  }, 60_000);

  it('audit reads the log with nothing but DATABASE_PATH set', async () => {
    const path = join(tempDir(), 'state.db');
    const db = openDatabase(path);
    await createAuditLog(db, () => undefined).record({
      at: new Date('2026-11-01T10:00:00Z'),
      actor: 'U0SECURITY1',
      action: 'removal_approve',
      accountId: '111122223333',
      userName: 'frank',
      outcome: 'succeeded',
      detail: null,
      requestId: 1,
    });
    db.close();
    const result = await exec([CLI, 'audit', '--json'], { DATABASE_PATH: path });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: 'audit',
      id: 1,
      action: 'removal_approve',
      userName: 'frank',
      requestId: 1,
    });
  }, 60_000);

  it('scan against an unreachable IAM endpoint exits 3 with a readable error and leaks no key', async () => {
    const result = await exec([CLI, 'scan'], {
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
      AWS_SECRET_ACCESS_KEY: 'very-secret-test-value-0123456789',
      AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      DATABASE_PATH: ':memory:',
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('The scan could not finish');
    expect(result.stderr).not.toContain('very-secret-test-value');
    expect(result.stderr).not.toMatch(/\n\s+at .*\.[jt]s:\d+/);
  }, 60_000);

  it('scan --json runs against AWS_ENDPOINT_URL_IAM / _STS through the real SDK', async () => {
    const aws = await startFakeAws([
      { name: 'alice', created: '2024-01-01T00:00:00Z', password: true, mfa: 0, tags: { 'slack-owner': 'U0ALICE001' } },
      { name: 'bob', created: '2024-01-01T00:00:00Z', password: true, mfa: 1 },
      { name: 'svc', created: '2024-01-01T00:00:00Z', password: false, mfa: 0 },
    ]);
    try {
      const dir = tempDir();
      const result = await exec([CLI, 'scan', '--json', '--fail-on-findings'], {
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
        AWS_SECRET_ACCESS_KEY: 'very-secret-test-value-0123456789',
        AWS_ENDPOINT_URL_IAM: aws.url,
        AWS_ENDPOINT_URL_STS: aws.url,
        DATABASE_PATH: join(dir, 'db', 'state.db'),
      });
      expect(result.code).toBe(1);
      const doc = JSON.parse(result.stdout);
      expect(doc.accounts).toEqual([
        {
          accountId: '210987654321',
          partition: 'aws',
          alias: 'acme-staging',
          name: null,
          reportGeneratedAt: '2026-11-28T11:00:00.000Z',
          outcome: 'completed',
          error: null,
          strategy: expect.objectContaining({ name: 'credential-report' }),
        },
      ]);
      expect(
        doc.users.map((u: { userName: string; status: string; source: string }) => [u.userName, u.status, u.source]),
      ).toEqual([
        ['alice', 'non_compliant', 'live'],
        ['bob', 'compliant', 'live'],
        ['svc', 'no_console', 'report'],
      ]);
      expect(doc.users[0].owner).toEqual({ kind: 'slack', value: 'U0ALICE001', source: 'tag:slack-owner' });
      expect(aws.actions).toEqual(
        expect.arrayContaining([
          'GetCallerIdentity',
          'ListAccountAliases',
          'GenerateCredentialReport',
          'GetCredentialReport',
          'ListUsers',
          'GetLoginProfile',
          'ListMFADevices',
          'ListUserTags',
        ]),
      );
      expect(result.stderr).not.toContain('very-secret-test-value');
    } finally {
      await aws.close();
    }
  }, 60_000);

  it('falls back to per-user checks when the role may not generate the credential report', async () => {
    const aws = await startFakeAws([{ name: 'alice', created: '2024-01-01T00:00:00Z', password: true, mfa: 0 }], {
      deny: ['GenerateCredentialReport'],
    });
    try {
      const result = await exec([CLI, 'scan', '--json', '--dry-run'], {
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
        AWS_SECRET_ACCESS_KEY: 'very-secret-test-value-0123456789',
        AWS_ENDPOINT_URL_IAM: aws.url,
        AWS_ENDPOINT_URL_STS: aws.url,
        DATABASE_PATH: join(tempDir(), 'state.db'),
      });
      expect(result.code).toBe(0);
      const doc = JSON.parse(result.stdout);
      expect(doc.strategy).toEqual({
        name: 'per-user',
        reason: expect.stringContaining('AWS denied iam:GenerateCredentialReport (AccessDenied)'),
      });
      expect(doc.rootAccounts).toEqual([{ accountId: '210987654321', mfaActive: true }]);
      expect(aws.actions).not.toContain('GetCredentialReport');
      expect(aws.actions).toContain('GetAccountSummary');
    } finally {
      await aws.close();
    }
  }, 60_000);
});
