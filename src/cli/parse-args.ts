import { parseIsoDate } from './iso-date';

export interface ScanArgs {
  readonly command: 'scan';
  readonly json: boolean;
  readonly dryRun: boolean;
  readonly failOnFindings: boolean;
  /** --account: scan only these account ids; empty for every covered account. */
  readonly accounts: readonly string[];
}

export interface AuditArgs {
  readonly command: 'audit';
  readonly json: boolean;
  /** Only entries at or after this instant; null for all. */
  readonly since: Date | null;
}

export type ParsedArgs =
  | { readonly ok: true; readonly args: ScanArgs | AuditArgs }
  | { readonly ok: true; readonly help: true }
  | { readonly ok: false; readonly problem: string };

export const USAGE = `Usage: mfa-guard scan [--json] [--dry-run] [--fail-on-findings] [--account ID]...
       mfa-guard audit [--since DATE] [--json]

scan: check every IAM user for a console password without MFA.
  --json              print one JSON document on stdout (shape documented in the README)
  --dry-run           scan, but write nothing to the database
  --fail-on-findings  exit 1 when any user is non_compliant
  --account ID        scan only this 12-digit AWS account id (repeatable); every other
                      account's state stays as it is

audit: print the audit log (oldest first) from the database; needs only DATABASE_PATH.
  --since DATE        only entries at or after DATE: 2026-11-01 (midnight UTC) or
                      2026-11-01T10:00:00Z (a time needs Z or an offset such as +01:00)
  --json              one JSON line per entry, the same lines the bot writes to stdout

  --help              show this help

Exit codes: 0 done; 1 findings (scan --fail-on-findings); 2 bad usage or settings, the
database cannot be opened, or --account names an account mfa-guard does not cover; 3 the
scan could not finish, some account could not be scanned, some user could not be checked,
or the audit log could not be read.
Progress and logs go to stderr; stdout carries only the table or the JSON.`;

const SINCE_EXAMPLE = 'for example --since 2026-11-01 or --since 2026-11-01T10:00:00Z';

const parseAuditArgs = (rest: readonly string[]): ParsedArgs => {
  let json = false;
  let since: Date | null = null;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (arg === '--help' || arg === '-h') return { ok: true, help: true };
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg !== '--since' && !arg.startsWith('--since=')) return { ok: false, problem: `unknown option "${arg}"` };
    if (since !== null) return { ok: false, problem: '--since given more than once' };
    const inline = arg.startsWith('--since=');
    const value = inline ? arg.slice('--since='.length) : rest[i + 1];
    if (!inline) i += 1;
    if (value === undefined || value === '' || value.startsWith('--'))
      return { ok: false, problem: `--since needs a date, ${SINCE_EXAMPLE}` };
    const parsed = parseIsoDate(value);
    if (!parsed.ok) return { ok: false, problem: `--since "${value}" ${parsed.problem}; ${SINCE_EXAMPLE}` };
    since = parsed.date;
  }
  return { ok: true, args: { command: 'audit', json, since } };
};

const ACCOUNT_ID = /^\d{12}$/;

const FLAGS = { '--json': 'json', '--dry-run': 'dryRun', '--fail-on-findings': 'failOnFindings' } as const;

const isFlag = (arg: string): arg is keyof typeof FLAGS => Object.hasOwn(FLAGS, arg);

export const parseArgs = (argv: readonly string[]): ParsedArgs => {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { ok: true, help: true };
  if (command === 'audit') return parseAuditArgs(rest);
  if (command !== 'scan') {
    return { ok: false, problem: command === undefined ? 'no command given' : `unknown command "${command}"` };
  }
  const args = { command: 'scan' as const, json: false, dryRun: false, failOnFindings: false };
  const accounts: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (arg === '--help' || arg === '-h') return { ok: true, help: true };
    if (arg === '--account' || arg.startsWith('--account=')) {
      const inline = arg.startsWith('--account=');
      const value = inline ? arg.slice('--account='.length) : rest[i + 1];
      if (!inline) i += 1;
      if (value === undefined || !ACCOUNT_ID.test(value))
        return {
          ok: false,
          problem: `--account needs a 12-digit AWS account id, for example --account 111122223333${value === undefined ? '' : ` (got "${value}")`}`,
        };
      if (!accounts.includes(value)) accounts.push(value);
      continue;
    }
    if (!isFlag(arg)) return { ok: false, problem: `unknown option "${arg}"` };
    args[FLAGS[arg]] = true;
  }
  return { ok: true, args: { ...args, accounts } };
};
