import { SYSTEM_ACTOR } from '../domain/audit';
import type { AccountScan, SavedScan } from '../domain/scan';
import { AppError, describeError, isAppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';
import type { Logger } from '../ports/logging';
import type { OwnersSource } from '../ports/owners';
import type { AuditLog, FindingStore, ScanLease, ScanStore } from '../ports/stores';
import { recordAudit } from './record-audit';
import { scanAccount, type ScanAccountSettings } from './scan-account';

export interface RunScanDeps {
  readonly iam: IamGateway;
  readonly scans: Pick<ScanStore, 'saveScan' | 'saveFailedScan'>;
  readonly findings: Pick<FindingStore, 'open' | 'lastFixed'>;
  readonly lease: ScanLease;
  /** Where a reopened finding chain is recorded (`finding_reopened`). */
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Read once per scan: the file as it is now, or its last good copy while it is invalid. */
  readonly owners: OwnersSource;
  /** Who holds the lease while this scan runs, e.g. `cli:<host>:<pid>`. */
  readonly holder: string;
}

export interface RunScanSettings extends ScanAccountSettings {
  readonly leaseTtlMs: number;
}

export type RunScanResult =
  | { readonly outcome: 'completed'; readonly saved: SavedScan; readonly scan: AccountScan }
  | { readonly outcome: 'busy'; readonly holder: string; readonly expiresAt: Date }
  | {
      readonly outcome: 'failed';
      readonly error: AppError;
      /** The failed scan's row, or null when even recording the failure failed. */
      readonly scanId: number | null;
      readonly accountId: string | null;
      readonly startedAt: Date;
      readonly finishedAt: Date;
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

/**
 * One full scan: take the lease, scan, write everything in one transaction, let go of the lease.
 * A scan that cannot finish is recorded as failed and leaves the previous scan's state intact.
 */
export const runScan = async (deps: RunScanDeps, settings: RunScanSettings): Promise<RunScanResult> => {
  const { clock, lease, holder, logger } = deps;
  if (!(await lease.acquire(holder, clock.now(), settings.leaseTtlMs))) {
    const current = await lease.current(clock.now());
    return { outcome: 'busy', holder: current?.holder ?? 'unknown', expiresAt: current?.expiresAt ?? clock.now() };
  }

  const startedAt = clock.now();
  let accountId: string | null = null;
  let lastRenewal = startedAt.getTime();
  const keepAlive = async (): Promise<void> => {
    const now = clock.now();
    if (now.getTime() - lastRenewal < settings.leaseTtlMs / 3) return;
    if (!(await lease.renew(holder, now, settings.leaseTtlMs))) {
      throw new AppError(
        'scan_in_progress',
        'Another scan took over the scan lease, so this one stopped without writing anything.',
        {
          hint: 'Raise SCAN_LEASE_TTL_SECONDS if scans take longer than it.',
        },
      );
    }
    lastRenewal = now.getTime();
  };

  try {
    const scan = await scanAccount(
      {
        iam: deps.iam,
        clock,
        logger,
        ownersFile: (await deps.owners.current()).ownersFile,
        openFindings: (id) => deps.findings.open(id),
        lastFixed: (id, since) => deps.findings.lastFixed(id, since),
        keepAlive,
        onAccount: (id) => (accountId = id),
      },
      settings,
    );
    await keepAlive();
    const saved = await deps.scans.saveScan(scan);
    await auditReopened(deps, saved);
    logger.info('scan finished', {
      accountId: scan.account.accountId,
      strategy: scan.strategy.name,
      users: scan.users.length,
      nonCompliant: scan.counts.non_compliant,
      errors: scan.counts.error,
      durationMs: scan.finishedAt.getTime() - scan.startedAt.getTime(),
    });
    return { outcome: 'completed', saved, scan };
  } catch (caught) {
    const error = asScanFailure(caught);
    logger.error('scan failed', { code: error.code, error: describeError(error) });
    const finishedAt = clock.now();
    let scanId: number | null = null;
    try {
      scanId = await deps.scans.saveFailedScan({
        accountId,
        startedAt,
        finishedAt,
        strategy: null,
        error: describeError(error),
      });
    } catch (storeError) {
      logger.error('could not record the failed scan', { error: describeError(storeError) });
    }
    return { outcome: 'failed', error, scanId, accountId, startedAt, finishedAt };
  } finally {
    await lease.release(holder);
  }
};
