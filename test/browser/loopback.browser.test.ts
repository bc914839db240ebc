/**
 * Loopback only: a whole playground session (load, /mfa-status, DM reply, Recheck, Show CLI steps,
 * App Home, the clock, a scan, a removal approved) run under a preload that refuses, and records,
 * every connection to anything but 127.0.0.0/8 or ::1. Nothing may be recorded, and every request
 * the page itself makes goes to the playground.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  actAs,
  IGNORED_DATABASE,
  launchChromium,
  openPlayground,
  say,
  startPlaygroundProcess,
} from './support/playground-process';

const PRELOAD = path.join(__dirname, 'support', 'loopback-only.cjs');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mfa-guard-loopback-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const logged = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

test('the preload refuses and records a connection to a non-loopback address before anything is sent', () => {
  const log = path.join(dir, 'refused.log');
  // 192.0.2.1 is TEST-NET-1 (documentation only); the preload refuses it before any packet leaves.
  const script =
    "require('node:net').connect({ host: '192.0.2.1', port: 9 }).on('error', (e) => { console.log(e.message); });";
  const out = execFileSync(process.execPath, ['--require', PRELOAD, '-e', script], {
    env: { ...process.env, LOOPBACK_LOG: log },
    encoding: 'utf8',
  });
  expect(out).toContain('loopback-only preload: refused a connection to 192.0.2.1:9');
  expect(logged(log)).toContain('192.0.2.1:9');
});

test('a whole playground session connects to nothing but loopback', async () => {
  const log = path.join(dir, 'refused.log');
  process.env['LOOPBACK_LOG'] = log;
  const playground = await startPlaygroundProcess({ preload: PRELOAD });
  delete process.env['LOOPBACK_LOG'];
  const browser = await launchChromium();
  try {
    const { page, requests } = await openPlayground(browser, playground.url);
    await actAs(page, 'Bob');
    await page.locator('#dm .message.from-bot').first().waitFor();
    await say(page, '/mfa-status');
    await page.locator('#dm .message.ephemeral').first().waitFor();
    await say(page, 'help');
    await page.locator('#dm .message.from-bot').nth(1).waitFor();
    await page.locator('#dm button', { hasText: 'Recheck' }).first().click();
    await page.locator('#dm .edited').first().waitFor();
    await page.locator('#dm button', { hasText: 'Show CLI steps' }).first().click();
    await page.locator('.modal', { hasText: 'aws iam create-virtual-mfa-device' }).waitFor();
    await page.click('[data-close-modal]');
    await page.locator('#dm button', { hasText: 'Remove console access…' }).first().click();
    await page.click('#confirm-layer [data-confirm=confirm]');
    await page.locator('#dm .message.ephemeral', { hasText: 'Asked the approvers' }).waitFor();
    await actAs(page, 'Sasha');
    await page.click('[data-tab=channel]');
    const request = page.locator('#channel .message', { hasText: '(request #1)' }).last();
    await request.getByRole('button', { name: 'Approve removal' }).click();
    await page.click('#confirm-layer [data-confirm=confirm]');
    await request.filter({ hasText: 'Removed by' }).waitFor();
    await page.click('[data-tab=home]');
    await page.locator('#home .bk-header').first().waitFor();
    await page.getByRole('button', { name: '+1 week' }).click();
    await page.getByRole('button', { name: 'Run a scan now' }).click();
    await page.locator('#status', { hasText: 'Done.' }).waitFor();

    const origin = new URL(playground.url).origin;
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
  } finally {
    await browser.close();
    expect(await playground.stop()).toBe(0);
  }
  expect(playground.stderr()).not.toContain('loopback-only preload');
  expect(logged(log)).toBe('');
  // The database was :memory: whatever DATABASE_PATH said.
  expect(existsSync(IGNORED_DATABASE)).toBe(false);
});
