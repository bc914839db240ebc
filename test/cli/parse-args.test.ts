import { parseArgs } from '../../src/cli/parse-args';

describe('parseArgs', () => {
  it.each([
    [['scan'], { json: false, dryRun: false, failOnFindings: false }],
    [['scan', '--json'], { json: true, dryRun: false, failOnFindings: false }],
    [['scan', '--dry-run', '--fail-on-findings'], { json: false, dryRun: true, failOnFindings: true }],
    [['scan', '--json', '--dry-run', '--fail-on-findings'], { json: true, dryRun: true, failOnFindings: true }],
  ])('%j', (argv, flags) => {
    expect(parseArgs(argv)).toEqual({ ok: true, args: { command: 'scan', ...flags } });
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

  it.each([[['--help']], [['scan', '--help']], [['help']]])('%j asks for help', (argv) => {
    expect(parseArgs(argv)).toEqual({ ok: true, help: true });
  });
});
