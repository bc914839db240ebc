import { accountLabel, type LabelledAccount } from '../domain/account-label';

// Tag values, exemption reasons and AWS error text are not ours: strip control characters so they
// cannot move the cursor, recolour or rewrite a terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export const safeText = (text: string): string => text.replace(CONTROL, ' ');

export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;

export const isoMinute = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 d", "5 h", "12 min": how long between two instants, roughly. */
export const humanDuration = (ms: number): string => {
  if (ms >= DAY) return `${Math.floor(ms / DAY)} d`;
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.max(0, Math.floor(ms / MINUTE))} min`;
};

export const renderTable = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

// IAM caps an alias at 63 characters; anything longer is not IAM's and is cut.
const ALIAS_MAX = 63;

/** The account for a terminal: "acme-prod (111122223333)", the alias made safe (it is outside text). */
export const accountTerminalText = (account: LabelledAccount): string =>
  accountLabel(account, { alias: (alias) => truncate(safeText(alias), ALIAS_MAX), id: safeText });
