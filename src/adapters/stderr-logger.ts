import type { Logger, LogLevel } from '../ports/logging';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Belt and braces: no caller should pass secrets, but a field named like one is never printed.
const SECRET_FIELD = /token|secret|password|passwd|credential|authorization|access.?key|session/i;

const formatValue = (value: unknown): string => {
  if (value instanceof Date) return value.toISOString();
  // Quoting also escapes control characters, so a value from AWS or a tag cannot drive the terminal.
  // eslint-disable-next-line no-control-regex
  if (typeof value === 'string') return /[\s"=\u0000-\u001f\u007f]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
};

export const formatFields = (fields: Record<string, unknown> = {}): string =>
  Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${SECRET_FIELD.test(key) ? '[redacted]' : formatValue(value)}`)
    .join(' ');

/** Human-readable log lines on stderr, so that stdout stays clean for tables and JSON. */
export const createStderrLogger = (
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
  now: () => Date = () => new Date(),
): Logger => {
  const log = (at: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (RANK[at] < RANK[level]) return;
    const rest = formatFields(fields);
    write(`${now().toISOString()} ${at.padEnd(5)} ${message}${rest ? ` ${rest}` : ''}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
};

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
