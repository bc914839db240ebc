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
