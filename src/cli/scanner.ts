import { openDatabase, openDatabaseSnapshot } from '../adapters/sqlite/database';
import { createSqliteStores } from '../adapters/sqlite/sqlite-stores';
import { type AppParts, createScan, scanSettingsFromConfig } from '../app';
import type { ScanConfig } from '../config/scan-config';
import type { RunScanResult } from '../services/run-scan';

export interface Scanner {
  scan(): Promise<RunScanResult>;
  close(): void;
}

export interface ScannerParts extends AppParts {
  readonly config: ScanConfig;
  /** Scan against an in-memory copy of the database so that nothing is written to it. */
  readonly dryRun: boolean;
  /** --account: only these account ids. */
  readonly only?: readonly string[] | undefined;
}

/** `npm run scan`: one scan over the configured database (or a copy of it for a dry run). */
export const createScanner = (parts: ScannerParts): Scanner => {
  const db = parts.dryRun ? openDatabaseSnapshot(parts.config.databasePath) : openDatabase(parts.config.databasePath);
  // The CLI writes no audit entries: a scan changes findings, not people's requests.
  const stores = createSqliteStores(db, () => undefined);
  const settings = {
    ...scanSettingsFromConfig(parts.config),
    ...(parts.only === undefined ? {} : { only: parts.only }),
  };
  return { scan: createScan(stores, parts, settings), close: () => db.close() };
};
