import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { type BotProcess, runBot } from '../../src/bot/run-bot';
import { botEnv, freePort, newDatabasePath, startSampleSlack } from '../support/bot-harness';
import { tempDir } from '../support/cli-harness';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';

interface Controls {
  readonly io: BotProcess;
  readonly signal: (name: string) => void;
  readonly fatal: (error: unknown) => void;
  readonly stderr: () => string;
}

const controls = (env: Record<string, string>): Controls => {
  let onSignal: (signal: string) => void = () => undefined;
  let onFatal: (error: unknown) => void = () => undefined;
  let stderr = '';
  return {
    io: {
      env,
      stderr: (text) => (stderr += text),
      stdout: () => undefined,
      onSignal: (handler) => (onSignal = handler),
      onFatal: (handler) => (onFatal = handler),
      clock: createFakeClock(new Date('2026-11-23T14:00:00Z')),
      holder: 'test-run-bot',
    },
    signal: (name) => onSignal(name),
    fatal: (error) => onFatal(error),
    stderr: () => stderr,
  };
};

describe('runBot', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startSampleSlack();
  });
  afterEach(async () => {
    await slack.close();
  });

  const env = async (): Promise<Record<string, string>> => ({
    ...botEnv(slack, newDatabasePath()),
    PORT: String(await freePort()),
  });

  it('exits 0 after SIGTERM once started', async () => {
    const c = controls(await env());
    const exit = runBot(c.io);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.callsTo('conversations.info')).toHaveLength(1);
    c.signal('SIGTERM');
    await expect(exit).resolves.toBe(0);
  });

  it('a signal during start-up waits for start to settle, then stops cleanly', async () => {
    slack.rateLimitNext('auth.test', 1);
    const c = controls(await env());
    const exit = runBot(c.io);
    c.signal('SIGINT');
    await expect(exit).resolves.toBe(0);
    expect(slack.callsTo('auth.test')).toHaveLength(2);
    expect(c.stderr()).toContain('SIGINT received; stopping');
  }, 10_000);

  it('an error nothing caught stops the bot cleanly and exits 1', async () => {
    const c = controls(await env());
    const exit = runBot(c.io);
    await new Promise((resolve) => setTimeout(resolve, 300));
    c.fatal(new Error('socket mode gave up reconnecting'));
    await expect(exit).resolves.toBe(1);
    expect(c.stderr()).toContain('unexpected failure; stopping: Error: socket mode gave up reconnecting');
  });

  // The owners file is read again while the bot runs, but a bad one at start-up is a bad setting.
  it('exits 2 when the owners file is invalid at start-up, naming the file, before calling Slack', async () => {
    const ownersFile = join(tempDir(), 'owners.yml');
    writeFileSync(ownersFile, 'users:\n  alice: not-an-owner\n');
    const c = controls({ ...(await env()), OWNERS_FILE: ownersFile });
    await expect(runBot(c.io)).resolves.toBe(2);
    expect(c.stderr()).toContain(`${ownersFile}: users.alice: "not-an-owner" is not a Slack user ID`);
    expect(slack.callsTo('auth.test')).toHaveLength(0);
  });
});
