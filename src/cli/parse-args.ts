export interface ScanArgs {
  readonly command: 'scan';
  readonly json: boolean;
  readonly dryRun: boolean;
  readonly failOnFindings: boolean;
}

export type ParsedArgs =
  | { readonly ok: true; readonly args: ScanArgs }
  | { readonly ok: true; readonly help: true }
  | { readonly ok: false; readonly problem: string };

export const USAGE = `Usage: mfa-guard scan [--json] [--dry-run] [--fail-on-findings]

  --json              print one JSON document on stdout (shape documented in the README)
  --dry-run           scan, but write nothing to the database
  --fail-on-findings  exit 1 when any user is non_compliant
  --help              show this help

Exit codes: 0 done; 1 findings (with --fail-on-findings); 2 bad usage or settings;
3 the scan could not finish or some user could not be checked.
Progress and logs go to stderr; stdout carries only the table or the JSON.`;

const FLAGS = { '--json': 'json', '--dry-run': 'dryRun', '--fail-on-findings': 'failOnFindings' } as const;

const isFlag = (arg: string): arg is keyof typeof FLAGS => Object.hasOwn(FLAGS, arg);

export const parseArgs = (argv: readonly string[]): ParsedArgs => {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { ok: true, help: true };
  if (command !== 'scan') {
    return { ok: false, problem: command === undefined ? 'no command given' : `unknown command "${command}"` };
  }
  const args = { command: 'scan' as const, json: false, dryRun: false, failOnFindings: false };
  for (const arg of rest) {
    if (arg === '--help' || arg === '-h') return { ok: true, help: true };
    if (!isFlag(arg)) return { ok: false, problem: `unknown option "${arg}"` };
    args[FLAGS[arg]] = true;
  }
  return { ok: true, args };
};
