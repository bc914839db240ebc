import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createSampleIam } from '../../src/adapters/memory/sample-account';
import { runCli, type ExitCode } from '../../src/cli/run-cli';
import type { Clock } from '../../src/ports';

export interface CliRun {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'mfa-guard-test-'));

/** The sample account behind an in-memory IAM; `failures: false` leaves out the user that errors. */
export const sampleIam = (clock: Clock, options: { failures?: boolean } = {}): InMemoryIam =>
  createSampleIam(() => clock.now(), options);

export const runCliWith = async (argv: string[], env: Record<string, string>, iam: InMemoryIam, clock: Clock): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env },
    { clock, createIam: () => iam, holder: 'test-cli' },
  );
  return { code, stdout, stderr };
};
