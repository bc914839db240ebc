import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The functional core stays pure: these rules are what make it testable with a fixed `now`.
const DOMAIN = join(__dirname, '..', 'src', 'domain');
const files = readdirSync(DOMAIN).filter((f) => f.endsWith('.ts'));

const importsOf = (source: string): string[] => [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');

describe('src/domain is pure', () => {
  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s imports only domain code and the error shape', (file) => {
    const allowed = (spec: string) => spec.startsWith('./') || spec === '../errors';
    expect(importsOf(readFileSync(join(DOMAIN, file), 'utf8')).filter((spec) => !allowed(spec))).toEqual([]);
  });

  it.each(files)('%s never reads the clock', (file) => {
    const code = readFileSync(join(DOMAIN, file), 'utf8');
    expect(code).not.toMatch(/new Date\(\)|Date\.now\(/);
  });
});

// Block Kit builders are pure functions of their input: no Slack SDK, no I/O, no clock.
const BLOCKS = join(__dirname, '..', 'src', 'slack', 'blocks');
const blockFiles = readdirSync(BLOCKS).filter((f) => f.endsWith('.ts'));

describe('src/slack/blocks is pure', () => {
  it.each(blockFiles)('%s imports only its own folder and the domain', (file) => {
    const allowed = (spec: string) => spec.startsWith('./') || spec.startsWith('../../domain/');
    expect(importsOf(readFileSync(join(BLOCKS, file), 'utf8')).filter((spec) => !allowed(spec))).toEqual([]);
  });

  it.each(blockFiles)('%s never reads the clock', (file) => {
    expect(readFileSync(join(BLOCKS, file), 'utf8')).not.toMatch(/new Date\(\)|Date\.now\(/);
  });
});

// Services compose use cases over the ports only; adapters are wired in src/app.ts.
const SERVICES = join(__dirname, '..', 'src', 'services');
const serviceFiles = readdirSync(SERVICES).filter((f) => f.endsWith('.ts'));

describe('src/services depends on ports, not adapters', () => {
  it.each(serviceFiles)('%s imports no adapter, SDK or database', (file) => {
    const forbidden = (spec: string) =>
      spec.includes('/adapters/') ||
      spec.startsWith('@slack/') ||
      spec.startsWith('@aws-sdk/') ||
      spec === 'better-sqlite3';
    expect(importsOf(readFileSync(join(SERVICES, file), 'utf8')).filter(forbidden)).toEqual([]);
  });
});

// Ports name the interfaces in the domain's words. Only the Slack gateway may carry Block Kit,
// which is plain data; no other port may depend on how the bot talks to Slack.
const PORTS = join(__dirname, '..', 'src', 'ports');
const portFiles = readdirSync(PORTS).filter((f) => f.endsWith('.ts'));

describe('src/ports', () => {
  it('has one file per area', () => {
    expect(portFiles.sort()).toEqual([
      'accounts.ts',
      'clock.ts',
      'iam.ts',
      'logging.ts',
      'owners.ts',
      'slack.ts',
      'stores.ts',
    ]);
  });

  it.each(portFiles)('%s imports only the domain (and the Slack port, Block Kit types)', (file) => {
    const allowed = (spec: string) =>
      spec.startsWith('../domain/') ||
      spec.startsWith('./') ||
      (file === 'slack.ts' && spec === '../slack/blocks/block-kit');
    const source = readFileSync(join(PORTS, file), 'utf8');
    expect(importsOf(source).filter((spec) => !allowed(spec))).toEqual([]);
    expect(source).not.toMatch(/^import (?!type )/m);
  });

  it.each(portFiles.filter((f) => f !== 'slack.ts'))('%s never imports from src/slack/', (file) => {
    expect(importsOf(readFileSync(join(PORTS, file), 'utf8')).filter((spec) => spec.includes('slack/'))).toEqual([]);
  });
});

// The composition root only wires: opening the database, reading the environment and connecting
// to Slack happen in the entry points and the bot's lifecycle, never on import or in wiring.
describe('src/app.ts is pure wiring', () => {
  const source = readFileSync(join(__dirname, '..', 'src', 'app.ts'), 'utf8');
  it.each([
    ['opens no database', /openDatabase|better-sqlite3/],
    ['reads no environment', /process\.env|dotenv/],
    ['builds no Slack client', /WebClient|@slack\//],
    ['starts nothing', /\.start\(|\.listen\(|setTimeout|setInterval/],
  ])('%s', (_name, pattern) => {
    expect(source).not.toMatch(pattern);
  });
});

// Two containers with one hostname, both PID 1, must never share a scan lease or a removal claim.
describe('every entry point that scans names itself with processHolder', () => {
  it.each(['main.ts', 'cli.ts', 'playground.ts'])('src/%s', (file) => {
    const source = readFileSync(join(__dirname, '..', 'src', file), 'utf8');
    expect(source).toMatch(/holder: processHolder\('(bot|cli|playground)'\)/);
    expect(source).not.toMatch(/process\.pid/);
  });
});
