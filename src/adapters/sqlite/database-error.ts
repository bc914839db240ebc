import { AppError, describeError, isAppError } from '../../errors';

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

const sqliteCode = (error: unknown): string | null =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;

/**
 * Turns whatever SQLite threw into the one error shape, keeping AppErrors we raised ourselves
 * (they already say what to do). `action` completes "Could not …".
 */
export const databaseError = (action: string, error: unknown): AppError => {
  if (isAppError(error)) return error;
  const code = sqliteCode(error);
  const hint =
    code !== null && BUSY_CODES.has(code)
      ? 'Another mfa-guard process is using the database; wait for it to finish, then try again.'
      : 'Check that the database file is readable and writable and not damaged; nothing of this operation was saved.';
  return new AppError('database_error', `Could not ${action}: ${describeError(error)}`, { hint, cause: error });
};

/** A value in the database that this code could never have written. */
export const corruptValue = (where: string, value: unknown): AppError =>
  new AppError('database_error', `The database holds an invalid value in ${where}: ${JSON.stringify(value)}.`, {
    hint: 'The file may have been edited by hand or damaged; restore it from a backup, or move it aside to start afresh.',
  });

/**
 * Runs synchronous SQLite work and answers with a promise, rejected with a database_error when the
 * work throws. Nothing is awaited inside `run`, so a transaction it runs never spans an await.
 */
export const guarded = async <T>(action: string, run: () => T): Promise<T> => {
  try {
    return run();
  } catch (error) {
    throw databaseError(action, error);
  }
};
