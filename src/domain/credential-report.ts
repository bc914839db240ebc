/**
 * Parses the IAM credential report (CSV, already decoded as UTF-8). Columns are found by header
 * name, never by position: AWS has added columns over the years and may reorder them.
 *
 * A row is trusted only when it is unambiguous. IAM user names may contain commas and not every
 * producer quotes them, so a row whose field count differs from the header's cannot be split
 * reliably; it goes to `untrusted` (with a best-effort name hint) and its values are never guessed.
 * The caller is expected to check untrusted users some other way (e.g. live IAM calls).
 */
import { AppError } from '../errors';

export interface ReportUserRow {
  readonly userName: string;
  readonly arn: string;
  readonly userCreationTime: Date | null;
  /** null = unknown (N/A, no_information, not_supported, empty, unparseable). */
  readonly passwordEnabled: boolean | null;
  /** null for N/A, no_information, not_supported (and anything unparseable). */
  readonly passwordLastUsed: Date | null;
  readonly mfaActive: boolean | null;
}

export interface UntrustedRow {
  /** 1-based physical line number in the report (the header is line 1). */
  readonly line: number;
  readonly reason: string;
  /** A guess for messages and for choosing whom to check live; never a basis for a verdict. */
  readonly userNameHint: string | null;
}

export interface ParsedCredentialReport {
  readonly root: { readonly arn: string; readonly mfaActive: boolean | null } | null;
  /** Trusted rows only. */
  readonly users: readonly ReportUserRow[];
  readonly untrusted: readonly UntrustedRow[];
}

export const REQUIRED_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'mfa_active',
] as const;

type RequiredColumn = (typeof REQUIRED_REPORT_COLUMNS)[number];
type ColumnIndex = Readonly<Record<RequiredColumn, number>>;

const ROOT_USER = '<root_account>';
const SENTINELS = new Set(['n/a', 'no_information', 'not_supported']);
const IAM_USER_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

type SplitResult = { readonly ok: true; readonly fields: string[] } | { readonly ok: false; readonly reason: string };

/**
 * Splits one physical line as an RFC 4180 record. Records are line-based on purpose: no report
 * value contains a line break, and treating an unterminated quote as "this row is broken" keeps
 * one damaged row from swallowing every user after it.
 */
const splitRecord = (line: string): SplitResult => {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= line.length) return { ok: false, reason: 'a quoted field is not closed' };
        const ch = line[i];
        if (ch === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += ch;
        i += 1;
      }
      fields.push(value);
      if (i >= line.length) return { ok: true, fields };
      if (line[i] !== ',') return { ok: false, reason: 'text follows a closing quote' };
      i += 1;
    } else {
      const end = line.indexOf(',', i);
      const value = end === -1 ? line.slice(i) : line.slice(i, end);
      if (value.includes('"')) return { ok: false, reason: 'a quote appears inside an unquoted field' };
      fields.push(value);
      if (end === -1) return { ok: true, fields };
      i = end + 1;
    }
  }
};

const isSentinel = (value: string): boolean => SENTINELS.has(value.trim().toLowerCase());

const parseBoolean = (value: string): boolean | null => {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
};

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** ISO 8601 with a zone; anything else (or an impossible date like Feb 30, which JS would roll over) → null. */
const parseDate = (value: string): Date | null => {
  const v = value.trim();
  if (isSentinel(v)) return null;
  const m = ISO_8601.exec(v);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const [offH, offM] = [m[7], m[8]].map((x) => (x === undefined ? 0 : Number(x)));
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined ||
    offH === undefined ||
    offM === undefined
  ) {
    return null;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return null;
  const parsed = new Date(v);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
};

const readHeader = (fields: readonly string[]): ColumnIndex => {
  const names = fields.map((f) => f.trim().toLowerCase());
  const missing: string[] = [];
  const duplicated: string[] = [];
  const index: Partial<Record<RequiredColumn, number>> = {};
  for (const column of REQUIRED_REPORT_COLUMNS) {
    const at = names.indexOf(column);
    if (at === -1) missing.push(column);
    else if (names.indexOf(column, at + 1) !== -1) duplicated.push(column);
    else index[column] = at;
  }
  if (missing.length > 0 || duplicated.length > 0) {
    const problems = [
      missing.length > 0 ? `missing column(s): ${missing.join(', ')}` : null,
      duplicated.length > 0 ? `column(s) appearing more than once: ${duplicated.join(', ')}` : null,
    ].filter((p): p is string => p !== null);
    throw new AppError('report_invalid', `The IAM credential report header is unusable: ${problems.join('; ')}.`, {
      hint: 'The report format may have changed. Re-run the scan; if it persists, use the per-user strategy and report a bug.',
    });
  }
  const { user, arn, user_creation_time, password_enabled, password_last_used, mfa_active } = index;
  if (
    user === undefined ||
    arn === undefined ||
    user_creation_time === undefined ||
    password_enabled === undefined ||
    password_last_used === undefined ||
    mfa_active === undefined
  ) {
    throw new AppError('report_invalid', 'The IAM credential report header could not be read.');
  }
  return { user, arn, user_creation_time, password_enabled, password_last_used, mfa_active };
};

/**
 * The name from the ARN column. A name with c commas adds c extra fields to both the user and the
 * arn column (2c in all), so the ARN spans c + 1 fields; with any other surplus we cannot tell and
 * give no hint rather than a truncated name that could be a different, real user.
 */
const hintFromArnField = (fields: readonly string[], width: number): string | null => {
  const extra = fields.length - width;
  if (extra < 0 || extra % 2 !== 0) return null;
  const at = fields.findIndex((f) => f.startsWith('arn:') && f.includes(':user/'));
  if (at === -1) return null;
  const arn = fields.slice(at, at + extra / 2 + 1).join(',');
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  return IAM_USER_NAME.test(name) ? name : null;
};

/**
 * Best-effort name for a row we could not split. In the usual layout (user, then arn) an unquoted
 * name N with commas reads `N,arn:…:user/…/N,…`: take the prefix before a `,arn:` that the ARN
 * then ends with. Otherwise fall back to the last path segment of the first ARN-looking field.
 */
const userNameHint = (line: string, fields: readonly string[] | null, width: number): string | null => {
  let from = 0;
  for (;;) {
    const at = line.indexOf(',arn:', from);
    if (at === -1) break;
    const name = line.slice(0, at);
    const rest = line.slice(at + 1);
    if (
      IAM_USER_NAME.test(name) &&
      rest.includes(':user/') &&
      (rest.includes(`/${name},`) || rest.endsWith(`/${name}`))
    ) {
      return name;
    }
    from = at + 1;
  }
  return fields === null ? null : hintFromArnField(fields, width);
};

const cell = (fields: readonly string[], at: number): string => fields[at] ?? '';

export function parseCredentialReport(csv: string): ParsedCredentialReport {
  const text = csv.startsWith('\uFEFF') ? csv.slice(1) : csv;
  const lines = text.split(/\r\n|\n|\r/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  const headerLine = headerAt === -1 ? undefined : lines[headerAt];
  if (headerLine === undefined) {
    throw new AppError('report_invalid', 'The IAM credential report is empty (no header row).', {
      hint: 'Re-run the scan so a fresh report is generated.',
    });
  }
  const header = splitRecord(headerLine);
  if (!header.ok) {
    throw new AppError('report_invalid', `The IAM credential report header cannot be parsed: ${header.reason}.`, {
      hint: 'Re-run the scan; if it persists, use the per-user strategy and report a bug.',
    });
  }
  const col = readHeader(header.fields);
  const width = header.fields.length;

  let root: ParsedCredentialReport['root'] = null;
  const users: ReportUserRow[] = [];
  const untrusted: UntrustedRow[] = [];
  const rowsByName = new Map<string, number[]>();

  for (let i = headerAt + 1; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    const split = splitRecord(line);
    if (!split.ok) {
      untrusted.push({
        line: lineNo,
        reason: `malformed CSV: ${split.reason}`,
        userNameHint: userNameHint(line, null, width),
      });
      continue;
    }
    const fields = split.fields;
    if (fields.length !== width) {
      untrusted.push({
        line: lineNo,
        reason: `has ${fields.length} fields but the header has ${width} (an unquoted comma in a user name?)`,
        userNameHint: userNameHint(line, fields, width),
      });
      continue;
    }
    const userName = cell(fields, col.user);
    const arn = cell(fields, col.arn);
    const mfaActive = parseBoolean(cell(fields, col.mfa_active));

    if (userName === ROOT_USER) {
      if (root !== null) {
        untrusted.push({ line: lineNo, reason: 'a second <root_account> row', userNameHint: ROOT_USER });
      } else {
        root = { arn, mfaActive };
      }
      continue;
    }
    if (!IAM_USER_NAME.test(userName)) {
      untrusted.push({
        line: lineNo,
        reason: 'the user column is not a valid IAM user name',
        userNameHint: hintFromArnField(fields, width),
      });
      continue;
    }
    // The ARN repeats the name: if they disagree the columns are misaligned and nothing in the row is reliable.
    if (!arn.endsWith(`/${userName}`)) {
      untrusted.push({
        line: lineNo,
        reason: 'the arn column does not end with the user name',
        userNameHint: userName,
      });
      continue;
    }
    rowsByName.set(userName, [...(rowsByName.get(userName) ?? []), lineNo]);
    users.push({
      userName,
      arn,
      userCreationTime: parseDate(cell(fields, col.user_creation_time)),
      passwordEnabled: parseBoolean(cell(fields, col.password_enabled)),
      passwordLastUsed: parseDate(cell(fields, col.password_last_used)),
      mfaActive,
    });
  }
  // Two rows for one user disagree or agree by luck; either way neither can be trusted.
  const duplicated = [...rowsByName].filter(([, rows]) => rows.length > 1);
  for (const [name, rows] of duplicated) {
    for (const line of rows)
      untrusted.push({ line, reason: `user ${name} appears on more than one row`, userNameHint: name });
  }
  untrusted.sort((a, b) => a.line - b.line);
  const trusted = users.filter((u) => (rowsByName.get(u.userName)?.length ?? 0) === 1);
  return { root, users: trusted, untrusted };
}
