import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type Database from 'better-sqlite3';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../../src/adapters/sqlite/sqlite-stores';
import type { Stores } from '../../../src/ports/stores';
import type { StoreFactory } from '../../contracts/store-factory';

/** Temp folders and open connections of one test, cleaned up by `cleanup()` in afterEach. */
export const scratch = (): {
  dir(): string;
  track(db: Database.Database): Database.Database;
  cleanup(): void;
} => {
  const dirs: string[] = [];
  const dbs: Database.Database[] = [];
  return {
    dir: () => {
      const dir = mkdtempSync(join(tmpdir(), 'mfa-guard-sqlite-'));
      dirs.push(dir);
      return dir;
    },
    track: (db) => {
      dbs.push(db);
      return db;
    },
    cleanup: () => {
      for (const db of dbs.splice(0)) if (db.open) db.close();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** The contract suites' factory: every store over a new in-memory database. */
export const openSqliteStores: StoreFactory = async (auditLine = () => undefined) => {
  const db = openDatabase(':memory:');
  return {
    stores: createSqliteStores(db, auditLine),
    close: async () => {
      if (db.open) db.close();
    },
  };
};

/** The contract suites' factory over a database file in WAL mode, in a temp folder removed on close. */
export const openSqliteFileStores: StoreFactory = async (auditLine = () => undefined) => {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-guard-sqlite-'));
  try {
    const db = openDatabase(join(dir, 'state.db'));
    return {
      stores: createSqliteStores(db, auditLine),
      close: async () => {
        if (db.open) db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
};

/** Every store over `db`, for tests that also look at the rows. */
export const storesOn = (db: Database.Database, auditLine: (line: string) => void = () => undefined): Stores =>
  createSqliteStores(db, auditLine);

/** What `fn` threw (fails the test when it returns normally). */
export const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
};
