import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ambientAccount } from '../../src/adapters/fixed-accounts';
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { type ExitCode, runCli } from '../../src/cli/run-cli';
import type { AwsAccounts } from '../../src/ports/accounts';
import type { Clock } from '../../src/ports/clock';

export interface CliRun {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

const made: string[] = [];

/** Deletes every directory tempDir() made, and what is in it. */
const removeTempDirs = (): void => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};

// Registered once per test file that uses this module (jest gives each file its own modules):
// the directories go after the file's tests, its afterEach hooks (which stop bots) included.
if (typeof afterAll === 'function') afterAll(removeTempDirs);

/** A fresh directory under the system's temporary directory, deleted after the test file's tests. */
export const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-guard-test-'));
  made.push(dir);
  return dir;
};

/** `accounts`: the accounts the CLI scans; without it, the account `iam` reaches alone. */
export const runCliWith = async (
  argv: string[],
  env: Record<string, string>,
  iam: InMemoryIam,
  clock: Clock,
  accounts?: AwsAccounts,
): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env },
    {
      clock,
      createAccounts: () => accounts ?? ambientAccount(iam),
      holder: 'test-cli',
    },
  );
  return { code, stdout, stderr };
};
