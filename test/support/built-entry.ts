import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const REBUILD = 'Run `npm run build` (or `npm test`, which builds before jest).';

interface Newest {
  readonly path: string;
  readonly mtimeMs: number;
}

const newestSource = (dir: string): Newest | null => {
  let newest: Newest | null = null;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory()
      ? newestSource(path)
      : entry.name.endsWith('.ts')
        ? { path, mtimeMs: statSync(path).mtimeMs }
        : null;
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
};

/**
 * The compiled entry point dist/<name>.js, as `npm start` / `npm run scan` / `npm run demo` run it.
 * Throws, failing the suite at once with the fix, when it is missing or older than a file in src/:
 * a stale build would test yesterday's code.
 */
export const builtEntry = (name: 'main' | 'cli' | 'demo'): string => {
  const entry = join(ROOT, 'dist', `${name}.js`);
  let builtAt: number;
  try {
    builtAt = statSync(entry).mtimeMs;
  } catch {
    throw new Error(`dist/${name}.js does not exist. ${REBUILD}`);
  }
  const newest = newestSource(join(ROOT, 'src'));
  if (newest && newest.mtimeMs > builtAt) {
    throw new Error(`dist/${name}.js is older than ${relative(ROOT, newest.path)}. ${REBUILD}`);
  }
  return entry;
};
