import { spawn } from 'node:child_process';

import { botEnv, freePort, newDatabasePath, startSampleSlack } from '../support/bot-harness';
import { builtEntry } from '../support/built-entry';
import { tempDir } from '../support/cli-harness';
import type { FakeSlack } from '../support/fake-slack-api';

const MAIN = builtEntry('main');

interface Started {
  readonly exited: Promise<number | null>;
  readonly stderr: () => string;
  kill(signal: NodeJS.Signals): void;
}

/** `npm start` as a process: the compiled dist/main.js under node, in a clean environment. */
const startMain = (env: Record<string, string>): Started => {
  const child = spawn(process.execPath, [MAIN], {
    cwd: tempDir(),
    env: { PATH: process.env['PATH'] ?? '', HOME: tempDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  return {
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
  };
};

const waitForHealth = async (port: number, process: Started): Promise<Record<string, unknown>> => {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) return (await response.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the bot never answered /healthz; stderr:\n${process.stderr()}`);
};

describe('npm start (dist/main.js)', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startSampleSlack();
  });
  afterEach(async () => {
    await slack.close();
  });

  it('starts, answers /healthz, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const bot = startMain({ ...botEnv(slack, newDatabasePath()), PORT: String(port), SCAN_TIMEZONE: 'Asia/Tokyo' });
    const health = await waitForHealth(port, bot);
    expect(health).toMatchObject({ status: 'ok', scanning: false, lastScan: null });
    expect(String(health['nextScheduledRun'])).toMatch(/^\d{4}-\d\d-\d\dT05:00:00\.000Z$/);
    expect(slack.callsTo('auth.test')).toHaveLength(1);
    expect(slack.callsTo('conversations.info').map((c) => c.params['channel'])).toEqual(['C0SECURITY01']);
    bot.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).toContain('SIGTERM received');
  }, 60_000);

  it('reports every bad setting at once and exits 2 without calling Slack', async () => {
    const bot = startMain({
      SLACK_API_URL: `${slack.url}`.replace(/\/$/, ''),
      SCAN_TIMEZONE: 'Mars/Olympus',
      SLACK_BOT_TOKEN: 'xoxb-secret-value-123',
    });
    expect(await bot.exited).toBe(2);
    const stderr = bot.stderr();
    for (const variable of ['SLACK_API_URL', 'SCAN_TIMEZONE', 'SECURITY_CHANNEL', 'SLACK_SIGNING_SECRET'])
      expect(stderr).toContain(variable);
    expect(stderr).not.toContain('xoxb-secret-value-123');
    expect(slack.calls).toHaveLength(0);
  }, 60_000);

  it('exits 3 with the fix when the token is refused', async () => {
    slack.failNext('auth.test', 'invalid_auth');
    const bot = startMain({ ...botEnv(slack, newDatabasePath()), PORT: String(await freePort()) });
    expect(await bot.exited).toBe(3);
    expect(bot.stderr()).toContain('invalid_auth');
  }, 60_000);
});
