import { createStderrLogger } from '../adapters/stderr-logger';
import { ownersSourceFromConfig } from '../app';
import type { Env } from '../config/env-reader';
import { readScanConfig, type ScanConfig } from '../config/scan-config';
import { failedAccounts, runCounts } from '../domain/completed-run';
import { describeError, isAppError } from '../errors';
import type { AwsAccounts } from '../ports/accounts';
import type { Clock } from '../ports/clock';
import { renderFailedAccounts, renderRunReport } from '../render/run-report';
import { runToJson } from '../render/scan-json';
import { watchOwners } from '../services/owners-watch';
import { runAudit } from './audit-command';
import { parseArgs, USAGE } from './parse-args';
import { createScanner, type Scanner } from './scanner';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Env;
}

export interface CliDeps {
  readonly clock: Clock;
  /** The accounts the scan covers; the real CLI builds the AWS adapters from the config. */
  readonly createAccounts: (config: ScanConfig) => AwsAccounts;
  readonly holder: string;
}

export type ExitCode = 0 | 1 | 2 | 3;

const explain = (error: unknown): string =>
  isAppError(error) ? `${error.message}${error.hint ? `\n${error.hint}` : ''}` : describeError(error);

/** `mfa-guard scan` and `mfa-guard audit`: everything but process handling, so tests can run it in-process. */
export const runCli = async (argv: readonly string[], io: CliIo, deps: CliDeps): Promise<ExitCode> => {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr(`mfa-guard: ${parsed.problem}\n\n${USAGE}\n`);
    return 2;
  }
  if ('help' in parsed) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const { args } = parsed;
  // Before any scan setting is read: the audit needs none of them.
  if (args.command === 'audit') return runAudit(args, io);

  let scanner: Scanner;
  let config: ScanConfig;
  try {
    config = readScanConfig(io.env);
    const logger = createStderrLogger(config.logLevel, io.stderr, () => deps.clock.now());
    scanner = createScanner({
      config,
      accounts: deps.createAccounts(config),
      only: args.accounts.length === 0 ? undefined : args.accounts,
      owners: watchOwners(await ownersSourceFromConfig(config), { logger, post: null }),
      clock: deps.clock,
      logger,
      holder: deps.holder,
      dryRun: args.dryRun,
    });
  } catch (error) {
    io.stderr(`${explain(error)}\n`);
    return 2;
  }

  try {
    const result = await scanner.scan();
    if (result.outcome === 'busy') {
      io.stderr(
        `Another scan is running (${result.holder}, lease until ${result.expiresAt.toISOString()}). Try again when it has finished.\n`,
      );
      return 3;
    }
    if (result.outcome === 'failed') {
      if (result.error.code === 'account_not_covered') {
        io.stderr(`${explain(result.error)}\n`);
        return 2;
      }
      if (result.accounts.length > 1) io.stderr(`${renderFailedAccounts(result.accounts)}\n`);
      io.stderr(`The scan could not finish: ${explain(result.error)}\n`);
      return 3;
    }
    const { run } = result;
    if (args.json) io.stdout(`${JSON.stringify(runToJson(run, deps.clock.now()), null, 2)}\n`);
    else io.stdout(`${renderRunReport(run)}\n`);
    if (args.dryRun) io.stderr('Dry run: nothing was written to the database.\n');
    const failed = failedAccounts(run).length;
    const counts = runCounts(run);
    if (failed > 0) io.stderr(`${failed} account(s) could not be scanned; see their error. Exit code 3.\n`);
    if (counts.error > 0) io.stderr(`${counts.error} user(s) could not be checked; see their reason. Exit code 3.\n`);
    if (failed > 0 || counts.error > 0) return 3;
    return args.failOnFindings && counts.non_compliant > 0 ? 1 : 0;
  } catch (error) {
    io.stderr(`The scan could not finish: ${explain(error)}\n`);
    return 3;
  } finally {
    scanner.close();
  }
};
