import type { AccountNames } from '../domain/account-label';
import { SYSTEM_ACTOR } from '../domain/audit';
import type { AccountOutcome, CompletedRun, FailedAccount, RunEnd, SavedScan } from '../domain/scan';
import { AppError, describeError, isAppError } from '../errors';
import type { AwsAccounts } from '../ports/accounts';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import type { OwnersSource } from '../ports/owners';
import type { AuditLog, FindingStore, ScanLease, ScanStore } from '../ports/stores';
import { mapWithConcurrency } from './concurrency';
import { keepLease, type LeaseKeeper } from './lease-keeper';
import { recordAudit } from './record-audit';
import { type PlannedTarget, planTargets } from './run-targets';
import { scanAccount, type ScanAccountSettings } from './scan-account';

export interface RunScanDeps {
  /** The accounts a run covers, each reached through its own gateway. */
  readonly accounts: AwsAccounts;
  readonly scans: Pick<ScanStore, 'saveScan' | 'saveFailedScan' | 'startRun' | 'finishRun' | 'accountNames'>;
  readonly findings: Pick<FindingStore, 'open' | 'lastFixed'>;
  readonly lease: ScanLease;
  /** Where a reopened finding chain is recorded (`finding_reopened`). */
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Read once per run: the file as it is now, or its last good copy while it is invalid. */
  readonly owners: OwnersSource;
  /** Who holds the lease while this run lasts, e.g. `cli:<host>:<pid>`. */
  readonly holder: string;
}

export interface RunScanSettings extends ScanAccountSettings {
  readonly leaseTtlMs: number;
  /** ACCOUNT_CONCURRENCY: how many accounts are scanned at a time (each with its own `concurrency`). */
  readonly accountConcurrency: number;
  /** Only these account ids (CLI --account); every covered account when absent. */
  readonly only?: readonly string[];
}

export type RunScanResult =
  | { readonly outcome: 'completed'; readonly run: CompletedRun }
  | { readonly outcome: 'busy'; readonly holder: string; readonly expiresAt: Date }
  | {
      readonly outcome: 'failed';
      /** With one account, that account's own error; with several, a summary of them. */
      readonly error: AppError;
      /** The run's row, or null when even recording the run failed. */
      readonly runId: number | null;
      readonly startedAt: Date;
      readonly finishedAt: Date;
      /** In listing order; empty when the accounts could not even be listed. */
      readonly accounts: readonly FailedAccount[];
    };

/** Any thrown value as the AppError a failed scan reports. */
export const asScanFailure = (error: unknown): AppError =>
  isAppError(error)
    ? error
    : new AppError('scan_failed', `The scan could not finish: ${describeError(error)}`, { cause: error });

/**
 * Audits each finding the scan opened that continues a chain, by mfa-guard itself: the finding it
 * continues and the chain's start, which escalation counts from. Like every audit entry written
 * after its change, a failure to write it is logged loudly and does not undo the saved scan.
 */
const auditReopened = async (
  deps: Pick<RunScanDeps, 'audit' | 'clock' | 'logger'>,
  saved: SavedScan,
): Promise<void> => {
  for (const finding of saved.opened) {
    if (finding.reopensId === null) continue;
    await recordAudit(deps, {
      at: deps.clock.now(),
      actor: SYSTEM_ACTOR,
      action: 'finding_reopened',
      accountId: finding.accountId,
      userName: finding.userName,
      outcome: 'succeeded',
      detail:
        `finding ${finding.id} of IAM user ${finding.userId} continues finding ${finding.reopensId} (fixed shortly before); ` +
        `the chain started ${finding.chainStartedAt.toISOString()}, and escalation counts from there`,
      requestId: null,
    });
  }
};

interface RunContext {
  readonly deps: RunScanDeps;
  readonly settings: RunScanSettings;
  readonly runId: number;
  readonly keeper: LeaseKeeper;
  readonly ownersFile: Awaited<ReturnType<OwnersSource['current']>>['ownersFile'];
  /** Each failed account's own error, for a run whose only account failed. */
  readonly errors: Map<FailedAccount, AppError>;
}

/** A failed account's names: the alias last stored, and the organization's name, else the one last stored. */
const knownNames = async (ctx: RunContext, planned: PlannedTarget, accountId: string | null): Promise<AccountNames> => {
  let stored: AccountNames = { alias: null, name: null };
  try {
    if (accountId !== null) stored = await ctx.deps.scans.accountNames(accountId);
  } catch {
    // Only a label: the failure is reported by the account's id alone.
  }
  return { alias: stored.alias, name: planned.target.name ?? stored.name };
};

/**
 * Records a failed account as a failed scan row of its own: its findings and user states stay as
 * they were. Never throws, so one account's failure never stops the others.
 */
const failAccount = async (
  ctx: RunContext,
  planned: PlannedTarget,
  accountId: string | null,
  startedAt: Date,
  caught: unknown,
): Promise<AccountOutcome> => {
  const { deps } = ctx;
  const error = asScanFailure(caught);
  const finishedAt = deps.clock.now();
  deps.logger.error('account scan failed', {
    accountId,
    via: planned.target.via,
    code: error.code,
    error: describeError(error),
  });
  let scanId: number | null = null;
  try {
    scanId = await deps.scans.saveFailedScan(
      { accountId, startedAt, finishedAt, strategy: null, error: describeError(error) },
      ctx.runId,
    );
  } catch (storeError) {
    deps.logger.error('could not record the failed scan', { accountId, error: describeError(storeError) });
  }
  const failure: FailedAccount = {
    accountId,
    ...(await knownNames(ctx, planned, accountId)),
    via: planned.target.via,
    code: error.code,
    message: error.message,
    hint: error.hint ?? null,
    scanId,
    startedAt,
    finishedAt,
  };
  ctx.errors.set(failure, error);
  return { outcome: 'failed', failure };
};

/** One account of the run: scanned with its own gateway, saved in its own transaction as it completes. */
const scanOne = async (ctx: RunContext, planned: PlannedTarget): Promise<AccountOutcome> => {
  const { deps, settings, keeper } = ctx;
  const { clock, logger } = deps;
  const startedAt = clock.now();
  let accountId = planned.accountId;
  if (planned.accountId === null) return failAccount(ctx, planned, null, startedAt, planned.unidentified);
  try {
    // Once the lease is lost, another scan owns the state: accounts not started yet are not scanned.
    await keeper.keepAlive();
    const scan = await scanAccount(
      {
        iam: planned.target.iam,
        clock,
        logger,
        ownersFile: ctx.ownersFile,
        openFindings: (id) => deps.findings.open(id),
        lastFixed: (id, since) => deps.findings.lastFixed(id, since),
        keepAlive: () => keeper.keepAlive(),
        onAccount: (id) => (accountId = id),
        expectedAccountId: planned.accountId,
        accountName: planned.target.name,
      },
      settings,
    );
    await keeper.keepAlive();
    const saved = await deps.scans.saveScan(scan, ctx.runId);
    await auditReopened(deps, saved);
    logger.info('account scanned', {
      accountId: scan.account.accountId,
      strategy: scan.strategy.name,
      users: scan.users.length,
      nonCompliant: scan.counts.non_compliant,
      errors: scan.counts.error,
      durationMs: scan.finishedAt.getTime() - scan.startedAt.getTime(),
    });
    return { outcome: 'completed', scan, saved };
  } catch (caught) {
    return failAccount(ctx, planned, accountId, startedAt, caught);
  }
};

const summaryError = (failed: readonly FailedAccount[]): AppError =>
  failed.length === 0
    ? new AppError('accounts_failed', 'There was no AWS account to scan.', {
        hint: 'Check AWS_ACCOUNTS, AWS_ACCOUNTS_FILE, AWS_ORGANIZATION_ROLE_NAME and AWS_ACCOUNTS_EXCLUDE.',
      })
    : new AppError(
        'accounts_failed',
        `None of the ${failed.length} AWS accounts could be scanned: ${failed.map((f) => `${f.accountId ?? f.via}: ${f.message}`).join('; ')}`,
        { hint: 'Each account lists what to do about it; fix the first, then scan again.' },
      );

const finish = async (deps: RunScanDeps, runId: number, end: RunEnd): Promise<void> => {
  try {
    await deps.scans.finishRun(runId, end);
  } catch (error) {
    deps.logger.error('could not record the end of the scan run', { runId, error: describeError(error) });
  }
};

/**
 * One run: take the lease, record the run, list the accounts, scan them `accountConcurrency` at a
 * time, each saved in its own transaction as it completes, let go of the lease. An account that
 * fails is recorded as failed and leaves its previous state intact; it never stops the others.
 * Losing the lease stops the whole run.
 */
export const runScan = async (deps: RunScanDeps, settings: RunScanSettings): Promise<RunScanResult> => {
  const { clock, lease, holder, logger } = deps;
  if (!(await lease.acquire(holder, clock.now(), settings.leaseTtlMs))) {
    const current = await lease.current(clock.now());
    return { outcome: 'busy', holder: current?.holder ?? 'unknown', expiresAt: current?.expiresAt ?? clock.now() };
  }
  const startedAt = clock.now();
  let runId: number | null = null;
  let total = 0;
  try {
    runId = await deps.scans.startRun({ startedAt, holder });
    const keeper = keepLease(lease, holder, clock, settings.leaseTtlMs);
    const ctx: RunContext = {
      deps,
      settings,
      runId,
      keeper,
      ownersFile: (await deps.owners.current()).ownersFile,
      errors: new Map(),
    };
    const planned = await planTargets(await deps.accounts.targets(), settings.only, {
      concurrency: settings.accountConcurrency,
      clock,
      logger,
    });
    total = planned.length;
    const accounts = await mapWithConcurrency(planned, settings.accountConcurrency, (p) => scanOne(ctx, p));
    const failed = accounts.flatMap((a) => (a.outcome === 'failed' ? [a.failure] : []));
    const finishedAt = clock.now();
    const lost = keeper.lost();
    const completed = accounts.length - failed.length;
    if (lost === null && completed > 0) {
      await finish(deps, runId, {
        finishedAt,
        outcome: 'completed',
        accountsTotal: total,
        accountsFailed: failed.length,
        error: null,
      });
      logger.info('scan run finished', {
        runId,
        accounts: total,
        failed: failed.length,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
      });
      return { outcome: 'completed', run: { runId, startedAt, finishedAt, accounts } };
    }
    const only = failed.length === 1 ? failed[0] : undefined;
    const error = lost ?? (only === undefined ? summaryError(failed) : (ctx.errors.get(only) ?? summaryError(failed)));
    await finish(deps, runId, {
      finishedAt,
      outcome: 'failed',
      accountsTotal: total,
      accountsFailed: failed.length,
      error: describeError(error),
    });
    logger.error('scan run failed', {
      runId,
      accounts: total,
      failed: failed.length,
      code: error.code,
      error: describeError(error),
    });
    return { outcome: 'failed', error, runId, startedAt, finishedAt, accounts: failed };
  } catch (caught) {
    // The run could not start, or the accounts could not be listed: nothing was scanned.
    const error = asScanFailure(caught);
    const finishedAt = clock.now();
    if (runId !== null)
      await finish(deps, runId, {
        finishedAt,
        outcome: 'failed',
        accountsTotal: total,
        accountsFailed: 0,
        error: describeError(error),
      });
    logger.error('scan run failed', { runId, code: error.code, error: describeError(error) });
    return { outcome: 'failed', error, runId, startedAt, finishedAt, accounts: [] };
  } finally {
    await lease.release(holder);
  }
};
