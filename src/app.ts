/**
 * Wires adapters to services. Importing this module does nothing; every function takes what it
 * needs, so tests and the demo can hand in fakes.
 */
import type Database from 'better-sqlite3';
import { createAwsClients, createAwsIamGateway } from './adapters/aws/iam-gateway';
import { loadOwnersFile } from './adapters/owners-file';
import { openDatabase, openDatabaseSnapshot } from './adapters/sqlite/database';
import { createScanLease } from './adapters/sqlite/scan-lease';
import { createScanStore } from './adapters/sqlite/scan-store';
import type { ScanConfig } from './config/scan-config';
import { EMPTY_OWNERS_FILE, type OwnersFile } from './domain/owners';
import type { Clock, IamGateway, Logger } from './ports';
import { runScan, type RunScanDeps, type RunScanResult, type RunScanSettings } from './services/run-scan';

export const createIamFromConfig = (config: ScanConfig): IamGateway =>
  createAwsIamGateway(
    createAwsClients({
      region: config.aws.region,
      iamEndpoint: config.aws.iamEndpoint,
      stsEndpoint: config.aws.stsEndpoint,
      maxAttempts: config.aws.maxAttempts,
    }),
  );

export const loadOwnersFromConfig = (config: ScanConfig): OwnersFile =>
  config.ownersFilePath === undefined ? EMPTY_OWNERS_FILE : loadOwnersFile(config.ownersFilePath);

export const scanSettingsFromConfig = (config: ScanConfig): RunScanSettings => ({
  gracePeriodHours: config.gracePeriodHours,
  exemptTagKey: config.exemptTagKey,
  ownerTagKeys: config.ownerTagKeys,
  concurrency: config.concurrency,
  reportTimeoutMs: config.reportTimeoutMs,
  leaseTtlMs: config.leaseTtlMs,
});

export interface Scanner {
  scan(): Promise<RunScanResult>;
  close(): void;
}

export interface ScannerParts {
  readonly config: ScanConfig;
  readonly iam: IamGateway;
  readonly ownersFile: OwnersFile;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly holder: string;
  /** Scan against an in-memory copy of the database so that nothing is written to it. */
  readonly dryRun: boolean;
}

export const createScanner = (parts: ScannerParts): Scanner => {
  const db: Database.Database = parts.dryRun ? openDatabaseSnapshot(parts.config.databasePath) : openDatabase(parts.config.databasePath);
  const deps: RunScanDeps = {
    iam: parts.iam,
    store: createScanStore(db),
    lease: createScanLease(db),
    clock: parts.clock,
    logger: parts.logger,
    ownersFile: parts.ownersFile,
    holder: parts.holder,
  };
  const settings = scanSettingsFromConfig(parts.config);
  return {
    scan: () => runScan(deps, settings),
    close: () => db.close(),
  };
};
