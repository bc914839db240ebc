import type Database from 'better-sqlite3';

import { AppError } from '../../errors';
import { databaseError } from './database-error';
import { isRow, rowReader } from './row-reader';
import { SCHEMA_V1 } from './schema-v1';
import { SCHEMA_V2 } from './schema-v2';
import { SCHEMA_V3 } from './schema-v3';
import { SCHEMA_V4 } from './schema-v4';
import { SCHEMA_V5 } from './schema-v5';
import { SCHEMA_V6 } from './schema-v6';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
  /**
   * The migration drops and recreates a table that others reference (SQLite's way to change a
   * CHECK). Dropping a referenced table fails with foreign keys on, even deferred, so it runs with
   * them off and `PRAGMA foreign_key_check` must find nothing before it may commit.
   */
  readonly rebuildsTables?: boolean;
}

/** Append only, in increasing version order. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'scans, user states, findings and leases', sql: SCHEMA_V1 },
  { version: 2, description: 'Slack messages, the users they cover, and escalations', sql: SCHEMA_V2 },
  {
    version: 3,
    description: 'findings closed outside a scan, removal requests and the audit log',
    sql: SCHEMA_V3,
    rebuildsTables: true,
  },
  {
    version: 4,
    description:
      "findings' owners and chains, removal claims' holders and heartbeats, and finding_reopened in the audit log",
    sql: SCHEMA_V4,
    rebuildsTables: true,
  },
  { version: 5, description: 'the account alias each scan read', sql: SCHEMA_V5 },
  {
    version: 6,
    description: "runs over many accounts, the run each scan belongs to, and the organization's name for each account",
    sql: SCHEMA_V6,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((latest, m) => Math.max(latest, m.version), 0);

const currentVersion = (db: Database.Database): number => {
  const row: unknown = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get();
  if (!isRow(row)) return 0;
  return rowReader('schema_migrations', row).integerOrNull('version') ?? 0;
};

export const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;

const refuseNewer = (label: string, version: number): void => {
  if (version <= LATEST_SCHEMA_VERSION) return;
  throw new AppError(
    'database_error',
    `The database ${label} has schema version ${version}, but this version of mfa-guard only knows up to version ${LATEST_SCHEMA_VERSION}; it was written by a newer mfa-guard.`,
    { hint: 'Upgrade mfa-guard to the version that wrote this database, or point it at another database file.' },
  );
};

const describeViolation = (violation: unknown): string =>
  isRow(violation)
    ? `, e.g. row ${String(violation['rowid'])} of ${String(violation['table'])} points at a missing row of ${String(violation['parent'])}`
    : '';

const assertForeignKeys = (db: Database.Database, label: string, migration: Migration): void => {
  const result: unknown = db.pragma('foreign_key_check');
  const violations: readonly unknown[] = Array.isArray(result) ? result : [];
  if (violations.length === 0) return;
  throw new AppError(
    'database_error',
    `Schema version ${migration.version} was not applied to the database ${label}: it would leave ${violations.length} broken reference(s)${describeViolation(violations[0])}. Nothing was changed.`,
    {
      hint: 'The file may have been edited by hand or damaged; restore it from a backup, or move it aside to start afresh.',
    },
  );
};

const applyInTransaction = (db: Database.Database, label: string, migration: Migration): void => {
  // IMMEDIATE takes the write lock up front, and the version is re-read under it, so two processes
  // opening the same new file at once cannot both apply the same migration.
  db.transaction(() => {
    const version = currentVersion(db);
    refuseNewer(label, version);
    if (version >= migration.version) return;
    db.exec(migration.sql);
    if (migration.rebuildsTables === true) assertForeignKeys(db, label, migration);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
      migration.version,
      new Date().toISOString(),
    );
  }).immediate();
};

const apply = (db: Database.Database, label: string, migration: Migration): void => {
  if (migration.rebuildsTables !== true) {
    applyInTransaction(db, label, migration);
    return;
  }
  // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it; the
  // connection gets back whatever it had, also when the migration fails.
  const foreignKeys: unknown = db.pragma('foreign_keys', { simple: true });
  db.pragma('foreign_keys = OFF');
  try {
    applyInTransaction(db, label, migration);
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
  }
};

/**
 * Refuses a database written by a newer mfa-guard, without changing anything: for connections that
 * are not migrated (read-only ones). A file without mfa-guard's tables counts as version 0.
 */
export function assertKnownSchema(db: Database.Database, label: string = db.name): void {
  try {
    refuseNewer(label, hasTable(db, 'schema_migrations') ? currentVersion(db) : 0);
  } catch (error) {
    throw databaseError(`read the schema version of the database ${label}`, error);
  }
}

/**
 * Brings the schema up to date, one transaction per migration; a no-op on an up-to-date database.
 * Refuses a schema newer than this code knows. `label` names the database in messages (an
 * in-memory snapshot would otherwise be called ":memory:"). `upTo` stops at an older version, so
 * tests can build a database as an earlier release left it.
 */
export function migrate(db: Database.Database, label: string = db.name, upTo: number = LATEST_SCHEMA_VERSION): void {
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const version = currentVersion(db);
    refuseNewer(label, version);
    for (const migration of MIGRATIONS) {
      if (migration.version > version && migration.version <= upTo) apply(db, label, migration);
    }
  } catch (error) {
    throw databaseError(`update the schema of the database ${label}`, error);
  }
}
