import type Database from 'better-sqlite3';

import type { Stores } from '../../ports/stores';
import { createAuditLog } from './audit-log';
import { createFindingStore } from './finding-store';
import { createNotificationStore } from './notification-store';
import { createRemovalStore } from './removal-store';
import { createScanLease } from './scan-lease';
import { createScanStore } from './scan-store';

/**
 * Every store over one migrated SQLite database, each built once. `auditLine` receives each audit
 * entry as one JSON line for log pipelines.
 */
export function createSqliteStores(db: Database.Database, auditLine: (line: string) => void): Stores {
  return {
    scans: createScanStore(db),
    lease: createScanLease(db),
    findings: createFindingStore(db),
    notifications: createNotificationStore(db),
    removals: createRemovalStore(db),
    audit: createAuditLog(db, auditLine),
  };
}
