import type Database from 'better-sqlite3';
import { AppError } from '../../errors';
import { databaseError } from './database-error';
import { isRow, rowReader } from './row-reader';
import { SCHEMA_V1 } from './schema-v1';
import { SCHEMA_V2 } from './schema-v2';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** Append only, in increasing version order. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'scans, user states, findings and leases', sql: SCHEMA_V1 },
  { version: 2, description: 'Slack messages, the users they cover, and escalations', sql: SCHEMA_V2 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((latest, m) => Math.max(latest, m.version), 0);

const currentVersion = (db: Database.Database): number => {
  const row: unknown = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get();
  if (!isRow(row)) return 0;
  return rowReader('schema_migrations', row).integerOrNull('version') ?? 0;
};

const refuseNewer = (label: string, version: number): void => {
  if (version <= LATEST_SCHEMA_VERSION) return;
  throw new AppError(
    'database_error',
    `The database ${label} has schema version ${version}, but this version of mfa-guard only knows up to version ${LATEST_SCHEMA_VERSION}; it was written by a newer mfa-guard.`,
    { hint: 'Upgrade mfa-guard to the version that wrote this database, or point it at another database file.' },
  );
};

const apply = (db: Database.Database, label: string, migration: Migration): void => {
  // IMMEDIATE takes the write lock up front, and the version is re-read under it, so two processes
  // opening the same new file at once cannot both apply the same migration.
  db.transaction(() => {
    const version = currentVersion(db);
    refuseNewer(label, version);
    if (version >= migration.version) return;
    db.exec(migration.sql);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
      migration.version,
      new Date().toISOString(),
    );
  }).immediate();
};

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
