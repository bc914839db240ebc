import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { AppError, describeError } from '../../errors';
import { databaseError } from './database-error';
import { assertKnownSchema, migrate } from './migrations';

const MEMORY = ':memory:';

const cannotOpen = (path: string, error: unknown): AppError =>
  new AppError('database_error', `Could not open the database ${path}: ${describeError(error)}`, {
    hint: 'Check the database path in your configuration, and that mfa-guard may read and write that file and its folder.',
    cause: error,
  });

/** Runs the migrations, closing the connection if they fail so no file handle leaks. */
const migrated = (db: Database.Database, label: string): Database.Database => {
  try {
    migrate(db, label);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/** The database mfa-guard keeps its state in, migrated to the current schema. */
export function openDatabase(path: string): Database.Database {
  const inMemory = path === MEMORY;
  let db: Database.Database;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw cannotOpen(path, error);
  }
  try {
    // WAL lets readers (`status`, a dry run) work while a scan writes.
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    db.close();
    throw databaseError(`prepare the database ${path}`, error);
  }
  return migrated(db, path);
}

// Bytes 18 and 19 of the header are the read/write file format versions: 2 means WAL. An
// in-memory copy cannot use WAL (there is no -shm to map), so the copy is told it is a rollback
// journal database; the real file is untouched.
const WAL_FORMAT = 2;
const ROLLBACK_FORMAT = 1;

const withoutWal = (image: Buffer): Buffer => {
  if (image[18] !== WAL_FORMAT || image[19] !== WAL_FORMAT) return image;
  const copy = Buffer.from(image);
  copy[18] = ROLLBACK_FORMAT;
  copy[19] = ROLLBACK_FORMAT;
  return copy;
};

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

/**
 * The committed content of the database file. A non-empty -wal file may hold transactions not yet
 * copied into the main file, and only SQLite can merge them, so it is read through a readonly
 * connection then; otherwise the file is read directly, because even a readonly SQLite connection
 * to a WAL database creates -wal/-shm files next to it, and a dry run must leave no trace.
 */
const readImage = (path: string): Buffer => {
  if (fileSize(`${path}-wal`) === 0) return readFileSync(path);
  const source = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return source.serialize();
  } finally {
    source.close();
  }
};

/**
 * An in-memory copy of the database for `scan --dry-run`: it can be written to freely, and
 * nothing ever reaches the real file, which (and whose folder) is never created or modified.
 */
export function openDatabaseSnapshot(path: string): Database.Database {
  if (path === MEMORY || !existsSync(path)) return migrated(new Database(MEMORY), path);
  let db: Database.Database | undefined;
  try {
    const image = readImage(path);
    db = image.length === 0 ? new Database(MEMORY) : new Database(withoutWal(image));
    db.pragma('foreign_keys = ON');
    // Reads the schema now, so a file that is not a database is reported as such, by its path.
    db.prepare('SELECT COUNT(*) FROM sqlite_schema').get();
  } catch (error) {
    db?.close();
    throw cannotOpen(path, error);
  }
  return migrated(db, `${path} (dry-run copy)`);
}

/**
 * An existing database, read-only and as it is, for `npm run audit`: nothing is created, migrated
 * or left behind (a read-only SQLite connection to a WAL file would create -wal/-shm files), so it
 * reads a copy of what is committed now. A schema newer than this code knows is refused, like
 * openDatabase does; an older one is read as far as it goes.
 */
export function openDatabaseReadOnly(path: string): Database.Database {
  if (path === MEMORY || !existsSync(path)) {
    throw new AppError('database_error', `No mfa-guard database at ${path}.`, {
      hint: 'Check DATABASE_PATH; the bot or `npm run scan` creates it on first run.',
    });
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(withoutWal(readImage(path)), { readonly: true });
    // Reads the schema now, so a file that is not a database is reported as such, by its path.
    db.prepare('SELECT COUNT(*) FROM sqlite_schema').get();
  } catch (error) {
    db?.close();
    throw cannotOpen(path, error);
  }
  try {
    assertKnownSchema(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
