import { corruptValue } from './database-error';

/** One row as better-sqlite3 returns it: column name → value. */
export type Row = Readonly<Record<string, unknown>>;

export const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null;

/** Dates are stored as ISO-8601 UTC text so they sort and read the same everywhere. */
export const toIso = (date: Date): string => date.toISOString();

export const toIsoOrNull = (date: Date | null): string | null => (date === null ? null : toIso(date));

/** Reads typed columns out of a row, naming the table so a corrupt value can be found. */
export interface RowReader {
  text(column: string): string;
  textOrNull(column: string): string | null;
  integer(column: string): number;
  integerOrNull(column: string): number | null;
  date(column: string): Date;
  dateOrNull(column: string): Date | null;
  oneOf<T extends string>(column: string, allowed: readonly T[]): T;
  oneOfOrNull<T extends string>(column: string, allowed: readonly T[]): T | null;
}

export const rowReader = (table: string, row: Row): RowReader => {
  const where = (column: string): string => `${table}.${column}`;
  const textOrNull = (column: string): string | null => {
    const value = row[column];
    if (value === null || typeof value === 'string') return value;
    throw corruptValue(where(column), value);
  };
  const text = (column: string): string => {
    const value = textOrNull(column);
    if (value === null) throw corruptValue(where(column), value);
    return value;
  };
  const integerOrNull = (column: string): number | null => {
    const value = row[column];
    if (value === null || (typeof value === 'number' && Number.isInteger(value))) return value;
    throw corruptValue(where(column), value);
  };
  const dateOrNull = (column: string): Date | null => {
    const value = textOrNull(column);
    if (value === null) return null;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw corruptValue(where(column), value);
    return date;
  };
  const oneOfOrNull = <T extends string>(column: string, allowed: readonly T[]): T | null => {
    const value = textOrNull(column);
    if (value === null) return null;
    const known = allowed.find((candidate) => candidate === value);
    if (known === undefined) throw corruptValue(where(column), value);
    return known;
  };
  const required = <T>(column: string, value: T | null): T => {
    if (value === null) throw corruptValue(where(column), value);
    return value;
  };
  return {
    text,
    textOrNull,
    integer: (column) => required(column, integerOrNull(column)),
    integerOrNull,
    date: (column) => required(column, dateOrNull(column)),
    dateOrNull,
    oneOf: (column, allowed) => required(column, oneOfOrNull(column, allowed)),
    oneOfOrNull,
  };
};
