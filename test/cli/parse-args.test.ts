import { parseArgs } from '../../src/cli/parse-args';

describe('parseArgs', () => {
  it.each([
    [['scan'], { json: false, dryRun: false, failOnFindings: false }],
    [['scan', '--json'], { json: true, dryRun: false, failOnFindings: false }],
    [['scan', '--dry-run', '--fail-on-findings'], { json: false, dryRun: true, failOnFindings: true }],
    [['scan', '--json', '--dry-run', '--fail-on-findings'], { json: true, dryRun: true, failOnFindings: true }],
  ])('%j', (argv, flags) => {
    expect(parseArgs(argv)).toEqual({ ok: true, args: { command: 'scan', accounts: [], ...flags } });
  });

  it.each([
    [['scan', '--account', '111122223333'], ['111122223333']],
    [
      ['scan', '--account=111122223333', '--json', '--account', '444455556666'],
      ['111122223333', '444455556666'],
    ],
    [['scan', '--account', '111122223333', '--account', '111122223333'], ['111122223333']],
  ])('%j scans those accounts', (argv, accounts) => {
    expect(parseArgs(argv)).toMatchObject({ ok: true, args: { command: 'scan', accounts } });
  });

  it.each([
    [['scan', '--account'], '--account needs a 12-digit AWS account id, for example --account 111122223333'],
    [
      ['scan', '--account', 'prod'],
      '--account needs a 12-digit AWS account id, for example --account 111122223333 (got "prod")',
    ],
    [
      ['scan', '--account=11112222333'],
      '--account needs a 12-digit AWS account id, for example --account 111122223333 (got "11112222333")',
    ],
    [
      ['scan', '--account', '--json'],
      '--account needs a 12-digit AWS account id, for example --account 111122223333 (got "--json")',
    ],
  ])('%j is refused', (argv, problem) => {
    expect(parseArgs(argv)).toEqual({ ok: false, problem });
  });

  it.each([
    [[], 'no command given'],
    [['scna'], 'unknown command "scna"'],
    [['scan', '--jsno'], 'unknown option "--jsno"'],
    [['scan', 'extra'], 'unknown option "extra"'],
    [['scan', '--json=true'], 'unknown option "--json=true"'],
    [['scan', '--constructor'], 'unknown option "--constructor"'],
  ])('%j is refused', (argv, problem) => {
    expect(parseArgs(argv)).toEqual({ ok: false, problem });
  });

  it.each([
    [['audit'], { json: false, since: null }],
    [['audit', '--json'], { json: true, since: null }],
    [['audit', '--since', '2026-11-01'], { json: false, since: new Date('2026-11-01T00:00:00Z') }],
    [['audit', '--since=2026-11-01T10:00:00+01:00', '--json'], { json: true, since: new Date('2026-11-01T09:00:00Z') }],
    [['audit', '--json', '--since', '2026-11-01T10:00:00Z'], { json: true, since: new Date('2026-11-01T10:00:00Z') }],
  ])('%j', (argv, flags) => {
    expect(parseArgs(argv)).toEqual({ ok: true, args: { command: 'audit', ...flags } });
  });

  const EXAMPLE = 'for example --since 2026-11-01 or --since 2026-11-01T10:00:00Z';
  it.each([
    [['audit', '--dry-run'], 'unknown option "--dry-run"'],
    [['audit', '--fail-on-findings'], 'unknown option "--fail-on-findings"'],
    [['audit', 'bob'], 'unknown option "bob"'],
    [['audit', '--json=true'], 'unknown option "--json=true"'],
    [['audit', '--sinc', '2026-11-01'], 'unknown option "--sinc"'],
    [['audit', '--since'], `--since needs a date, ${EXAMPLE}`],
    [['audit', '--since='], `--since needs a date, ${EXAMPLE}`],
    [['audit', '--since', '--json'], `--since needs a date, ${EXAMPLE}`],
    [['audit', '--since', 'last week'], `--since "last week" is not an ISO-8601 date or date-time; ${EXAMPLE}`],
    [['audit', '--since', '2026-02-30'], `--since "2026-02-30" is not a date that exists; ${EXAMPLE}`],
    [
      ['audit', '--since', '2026-11-01T10:00'],
      `--since "2026-11-01T10:00" has a time but no time zone; add Z for UTC or an offset such as +01:00; ${EXAMPLE}`,
    ],
    [['audit', '--since', '2026-11-01', '--since', '2026-11-02'], '--since given more than once'],
  ])('%j is refused', (argv, problem) => {
    expect(parseArgs(argv)).toEqual({ ok: false, problem });
  });

  it.each([[['--help']], [['scan', '--help']], [['help']], [['audit', '--help']], [['audit', '--json', '-h']]])(
    '%j asks for help',
    (argv) => {
      expect(parseArgs(argv)).toEqual({ ok: true, help: true });
    },
  );
});
