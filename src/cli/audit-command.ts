import type Database from 'better-sqlite3';

import { readAccountNames } from '../adapters/sqlite/account-names';
import { createAuditLog } from '../adapters/sqlite/audit-log';
import { openDatabaseReadOnly } from '../adapters/sqlite/database';
import { type Env, EnvReader, formatProblems } from '../config/env-reader';
import { readScanSettings } from '../config/scan-config';
import type { AccountNames } from '../domain/account-label';
import { auditJson, type StoredAuditEntry } from '../domain/audit';
import { AppError, describeError, isAppError } from '../errors';
import { renderAuditText } from '../render/audit-text';
import type { AuditArgs } from './parse-args';

export interface AuditIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Env;
}

const explain = (error: unknown): string =>
  isAppError(error) ? `${error.message}${error.hint ? `\n${error.hint}` : ''}` : describeError(error);

/**
 * DATABASE_PATH and nothing else: the audit is read where AWS and Slack credentials may not be.
 * The scan settings are read only so the default path lives in one place; problems with the other
 * settings are not this command's business and are dropped.
 */
const readDatabasePath = (env: Env): string => {
  const reader = new EnvReader(env);
  const { databasePath } = readScanSettings(reader);
  const problems = reader.problems.filter((p) => p.variable === 'DATABASE_PATH');
  if (problems.length > 0) throw new AppError('config_invalid', formatProblems(problems));
  return databasePath;
};

// Reading the log must never add to it; a write here would be a bug worth stopping for.
const refuseWrite = (): never => {
  throw new AppError('database_error', 'Reading the audit log tried to write an audit line; nothing was written.', {
    hint: 'This is a bug in mfa-guard; please report it.',
  });
};

// Only a label: an audit that cannot read the aliases still shows every entry, by account id.
const accountNames = (db: Database.Database, entries: readonly StoredAuditEntry[]): Map<string, AccountNames> => {
  try {
    return readAccountNames(
      db,
      entries.flatMap((e) => (e.accountId === null ? [] : [e.accountId])),
    );
  } catch {
    return new Map();
  }
};

const sinceText = (since: Date | null): string => (since === null ? '' : ` since ${since.toISOString()}`);

/** `mfa-guard audit`: exit 0 done, 2 bad settings or no usable database, 3 the log could not be read. */
export const runAudit = async (args: AuditArgs, io: AuditIo): Promise<0 | 2 | 3> => {
  let db: Database.Database;
  try {
    db = openDatabaseReadOnly(readDatabasePath(io.env));
  } catch (error) {
    io.stderr(`${explain(error)}\n`);
    return 2;
  }
  let entries: StoredAuditEntry[];
  let names: Map<string, AccountNames>;
  try {
    entries = await createAuditLog(db, refuseWrite).entries(args.since);
    names = accountNames(db, entries);
  } catch (error) {
    io.stderr(`Could not read the audit log: ${explain(error)}\n`);
    return 3;
  } finally {
    db.close();
  }
  if (args.json) {
    io.stdout(entries.map((entry) => `${JSON.stringify(auditJson(entry))}\n`).join(''));
    // stdout stays pure JSON lines (none here); the person running it still learns why it is empty.
    if (entries.length === 0) io.stderr(`No audit entries${sinceText(args.since)}.\n`);
  } else {
    io.stdout(
      `${entries.length === 0 ? `No audit entries${sinceText(args.since)}.` : renderAuditText(entries, names)}\n`,
    );
  }
  return 0;
};
