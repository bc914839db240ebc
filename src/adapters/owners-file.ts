/**
 * Reads the owners file from disk: JSON for `.json`, YAML for `.yml`/`.yaml`. Every failure is an
 * `owners_file_invalid` AppError naming the file and, for syntax errors, the line and column.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

import { parse as parseYaml, YAMLParseError } from 'yaml';

import { type OwnersFile, parseOwnersDocument } from '../domain/owners';
import { AppError } from '../errors';

const HINT = 'Fix the owners file (or the path to it) and restart mfa-guard.';

const invalid = (message: string, cause?: unknown): AppError =>
  new AppError('owners_file_invalid', message, { hint: HINT, cause });

export type ReadFile = (path: string) => string;

const readText = (path: string, read: ReadFile): string => {
  try {
    return read(path);
  } catch (error) {
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
    throw invalid(`The owners file ${path} ${what}.`, error);
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
