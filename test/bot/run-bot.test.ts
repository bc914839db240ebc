import { type BotProcess, runBot } from '../../src/bot/run-bot';
import { botEnv, freePort, newDatabasePath, startSampleSlack } from '../support/bot-harness';
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
});
