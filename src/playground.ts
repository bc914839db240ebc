#!/usr/bin/env node
/**
 * `npm run playground`: the real bot against a local Slack stand-in and in-memory sample accounts,
 * with a page on http://127.0.0.1:PORT (3000 by default). Reads PORT only: no .env, no Slack or
 * AWS setting, no DATABASE_PATH.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { processHolder } from './adapters/process-holder';
import { describeError, isAppError } from './errors';
import { startPlayground } from './playground/run-playground';

const readPort = (value: string | undefined): number | null => {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  return /^\d+$/.test(value) && port <= 65_535 ? port : null;
};

/** npm runs scripts from the package root, where the README is; without one the page only names it. */
const readReadme = (): string | undefined => {
  try {
    return readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  } catch {
    return undefined;
  }
};

const main = async (): Promise<number> => {
  const port = readPort(process.env['PORT']);
  if (port === null) {
    process.stderr.write('PORT must be a port number (0 to 65535); e.g. PORT=3000 npm run playground\n');
    return 2;
  }
  const readme = readReadme();
  let playground;
  try {
    playground = await startPlayground({
      port,
      stderr: (text) => process.stderr.write(text),
      holder: processHolder('playground'),
      ...(readme === undefined ? {} : { readme }),
    });
  } catch (error) {
    const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
    const why = inUse ? `port ${port} is in use; try PORT=3001 npm run playground` : describeError(error);
    const hint = isAppError(error) && error.hint ? `\n${error.hint}` : '';
    process.stderr.write(`The playground could not start: ${why}${hint}\n`);
    return 3;
  }
  process.stdout.write(`mfa-guard playground: open ${playground.url} (Ctrl-C stops it)\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`${signal} received; stopping the playground\n`);
  await playground.stop();
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`mfa-guard playground: unexpected failure: ${describeError(error)}\n`);
    process.exit(3);
  },
);
