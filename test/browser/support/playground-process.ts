/**
 * `npm run playground` as a person runs it (node dist/playground.js, PORT=0 for a free port),
 * optionally with a preload, and headless Chromium (Debian's package) to use its page.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../../..');
/** What DATABASE_PATH says in the playground's environment: the playground must never create it. */
export const IGNORED_DATABASE = path.join(ROOT, 'must-never-be-created.db');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface PlaygroundProcess {
  readonly url: string;
  readonly stderr: () => string;
  stop(): Promise<number | null>;
}

export const startPlaygroundProcess = async (
  options: { readonly preload?: string } = {},
): Promise<PlaygroundProcess> => {
  const args = [...(options.preload === undefined ? [] : ['--require', options.preload]), 'dist/playground.js'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATABASE_PATH: IGNORED_DATABASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const found = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    void exited.then((code) => reject(new Error(`the playground exited (${code}) before it started:\n${stderr}`)));
  });
  return {
    url,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
};

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });

/** The page, with every request it makes recorded; fails the test on a page error. */
export const openPlayground = async (
  browser: Browser,
  url: string,
): Promise<{ readonly page: Page; readonly requests: string[]; readonly dialogs: string[] }> => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  return { page, requests, dialogs };
};

/** Picks who the page acts as (by the start of their name in the picker). */
export const actAs = async (page: Page, name: string): Promise<void> => {
  const value = await page.locator('#person option', { hasText: name }).first().getAttribute('value');
  if (value === null) throw new Error(`no ${name} in the picker`);
  await page.selectOption('#person', value);
};

export const say = async (page: Page, text: string): Promise<void> => {
  await page.fill('#say', text);
  await page.click('#composer button[type=submit]');
};
