import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../support/cli-harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

type Result = { code: number; stdout: string; stderr: string };

const exec = async (args: string[], env: Record<string, string>): Promise<Result> => {
  try {
    const { stdout, stderr } = await run(TSX, args, { cwd: tempDir(), env: { PATH: process.env['PATH'] ?? '', HOME: tempDir(), ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

// The real entry points, as `npm run demo` / `npm run scan` start them, in a clean environment.
describe('entry points', () => {
  it('the demo scans the sample account with no AWS or Slack credentials', async () => {
    const result = await exec([join(ROOT, 'src', 'demo.ts')], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('mfa-guard demo');
    expect(result.stdout).toMatch(/non_compliant\s+111122223333\s+bob/);
    expect(result.stdout).toContain('Root account: MFA NOT enabled');
    expect(result.stdout).toContain('--authentication-code1 CODE1 --authentication-code2 CODE2');
    expect(result.stdout).not.toContain('--authentication-code-1');
  }, 60_000);

  it('scan with an unknown flag exits 2 with usage', async () => {
    const result = await exec([join(ROOT, 'src', 'cli.ts'), 'scan', '--nope'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: mfa-guard scan');
  }, 60_000);

  it('scan against an unreachable IAM endpoint exits 3 with a readable error and leaks no key', async () => {
    const result = await exec([join(ROOT, 'src', 'cli.ts'), 'scan'], {
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
    expect(result.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
  }, 60_000);
});
