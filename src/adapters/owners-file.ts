/**
 * Reads the owners file from disk: JSON for `.json`, YAML for `.yml`/`.yaml`. Every failure is an
 * `owners_file_invalid` AppError naming the file and, for syntax errors, the line and column.
 * `openOwnersFileSource` reads it again whenever its content changes, keeping the last good copy.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { parse as parseYaml, YAMLParseError } from 'yaml';

import { type OwnersFile, parseOwnersDocument } from '../domain/owners';
import type { OwnersFileProblem, OwnersSnapshot } from '../domain/owners-snapshot';
import { AppError, describeError, isAppError } from '../errors';
import type { OwnersSource } from '../ports/owners';

const HINT = 'Fix the owners file (or the path to it) and restart mfa-guard.';

const invalid = (message: string, cause?: unknown): AppError =>
  new AppError('owners_file_invalid', message, { hint: HINT, cause });

export type ReadFile = (path: string) => string;

const unreadable = (path: string, error: unknown): AppError => {
  // Duck-typed: fs errors can come from another realm (e.g. under jest), failing `instanceof Error`.
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const detail =
    typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  const what =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read (permission denied)'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot be read (${detail})`;
  return invalid(`The owners file ${path} ${what}.`, error);
};

const readText = (path: string, read: ReadFile): string => {
  try {
    return read(path);
  } catch (error) {
    throw unreadable(path, error);
  }
};

/** Converts JSON.parse's "at position N" into line/column, which people can actually find. */
const jsonLocation = (text: string, message: string): string => {
  const match = /position (\d+)/.exec(message);
  if (match?.[1] === undefined) return '';
  const before = text.slice(0, Number(match[1]));
  const lines = before.split('\n');
  return ` at line ${lines.length}, column ${(lines[lines.length - 1]?.length ?? 0) + 1}`;
};

const parseText = (path: string, text: string, format: 'json' | 'yaml'): unknown => {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw invalid(`The owners file ${path} is not valid JSON${jsonLocation(text, message)}: ${message}`, error);
    }
  }
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const pos = error.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      // The library's message ends with a source excerpt; the first line says what is wrong.
      const what = error.message.split('\n')[0] ?? error.message;
      throw invalid(`The owners file ${path} is not valid YAML${where}: ${what}`, error);
    }
    throw invalid(
      `The owners file ${path} could not be parsed as YAML: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
};

export function loadOwnersFile(path: string, read: ReadFile = (p) => readFileSync(p, 'utf8')): OwnersFile {
  const ext = extname(path).toLowerCase();
  const format = ext === '.json' ? 'json' : ext === '.yml' || ext === '.yaml' ? 'yaml' : null;
  if (format === null) {
    throw invalid(`The owners file ${path} must end in .yml, .yaml or .json (found "${ext || 'no extension'}").`);
  }
  const raw = readText(path, read);
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  return parseOwnersDocument(parseText(path, text, format), path);
}

/** sha256 (hex) of the owners file's bytes, exactly as stored. */
export const ownersFileHash = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export type ReadBytes = (path: string) => Promise<Uint8Array>;

const problemOf = (error: unknown, hash: string | null): OwnersFileProblem => ({
  message: isAppError(error) ? error.message : describeError(error),
  hash,
});

/**
 * The owners file, read again at every `current()`: parsed only when its sha256 changed, and while
 * it is invalid (or unreadable) the last good copy is kept, with the problem. Calls run one after
 * the other, so an answer never predates its call. Rejects when the file is invalid right away:
 * a bad file at start-up stops the command, as bad settings do.
 */
export const openOwnersFileSource = async (
  path: string,
  readBytes: ReadBytes = (p) => readFile(p),
): Promise<OwnersSource> => {
  let good: { readonly ownersFile: OwnersFile; readonly hash: string } | null = null;
  /** The last answer and the hash of the bytes it came from (null when they could not be read). */
  let last: { readonly snapshot: OwnersSnapshot; readonly hash: string | null } | null = null;

  const answer = (snapshot: OwnersSnapshot, hash: string | null): OwnersSnapshot => {
    last = { snapshot, hash };
    return snapshot;
  };
  /** The last good copy with the problem; with no good copy yet (at start-up), the error itself. */
  const fallBack = (error: unknown, hash: string | null): OwnersSnapshot => {
    if (good === null) throw error;
    return answer({ ...good, problem: problemOf(error, hash) }, hash);
  };

  const read = async (): Promise<OwnersSnapshot> => {
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(path);
    } catch (error) {
      return fallBack(unreadable(path, error), null);
    }
    const hash = ownersFileHash(bytes);
    if (last !== null && last.hash === hash) return last.snapshot;
    if (good !== null && good.hash === hash) return answer({ ...good, problem: null }, hash);
    let ownersFile: OwnersFile;
    try {
      ownersFile = loadOwnersFile(path, () => Buffer.from(bytes).toString('utf8'));
    } catch (error) {
      return fallBack(error, hash);
    }
    good = { ownersFile, hash };
    return answer({ ownersFile, hash, problem: null }, hash);
  };

  let queue: Promise<unknown> = read();
  await queue;
  return {
    current: () => {
      const next = queue.then(read, read);
      queue = next.catch(() => undefined);
      return next;
    },
  };
};
