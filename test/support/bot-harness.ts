import { createServer } from 'node:net';
import { join } from 'node:path';

import type { RetryOptions } from '@slack/web-api';

import { ambientAccount } from '../../src/adapters/fixed-accounts';
import { sampleOwnersSource } from '../../src/adapters/memory/fixed-owners-source';
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createStderrLogger } from '../../src/adapters/stderr-logger';
import { type Bot, createBot, type SlackClientRole } from '../../src/bot/bot';
import { readBotConfig } from '../../src/config/bot-config';
import type { Clock } from '../../src/ports/clock';
import { tempDir } from './cli-harness';
import { type FakeSlack, startFakeSlack } from './fake-slack-api';
import { APPROVER, SAMPLE_PEOPLE, SECURITY_CHANNEL } from './sample-world';

export { APPROVER, SECURITY_CHANNEL };
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';

/** The Slack side of the sample account (sample-world.ts's SAMPLE_PEOPLE) on the fake Slack Web API. */
export const startSampleSlack = async (): Promise<FakeSlack> => {
  const slack = await startFakeSlack({ botToken: BOT_TOKEN, botName: 'mfa-guard' });
  for (const person of SAMPLE_PEOPLE) slack.addUser(person);
  slack.addChannel({ id: SECURITY_CHANNEL, name: 'security-alerts', isMember: true });
  return slack;
};

export interface BotHarness {
  readonly bot: Bot;
  readonly port: number;
  readonly logs: string[];
  /** The audit entries the bot wrote to "stdout", one JSON line each. */
  readonly auditLines: string[];
}

export const botEnv = (
  slack: FakeSlack,
  databasePath: string,
  extra: Record<string, string> = {},
): Record<string, string> => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slack.url,
  SECURITY_CHANNEL,
  DATABASE_PATH: databasePath,
  SUMMARY_WHEN: 'always',
  APPROVERS: APPROVER,
  ...extra,
});

export const newDatabasePath = (): string => join(tempDir(), 'mfa-guard.db');

/** The real bot (Bolt in HTTP mode on a free port) against the fake Slack and an in-memory IAM. */
export const startBot = async (options: {
  slack: FakeSlack;
  iam: InMemoryIam;
  clock: Clock;
  databasePath: string;
  env?: Record<string, string>;
  retryConfig?: RetryOptions;
  /** How each Slack client waits out a 429's Retry-After; a real timer unless given. */
  rateLimitWait?: (ms: number, client: SlackClientRole) => Promise<void>;
}): Promise<BotHarness> => {
  const logs: string[] = [];
  const auditLines: string[] = [];
  const config = readBotConfig(botEnv(options.slack, options.databasePath, options.env));
  const bot = createBot({
    config,
    accounts: ambientAccount(options.iam),
    owners: sampleOwnersSource(),
    clock: options.clock,
    logger: createStderrLogger(
      'debug',
      (line) => logs.push(line),
      () => options.clock.now(),
    ),
    holder: 'test-bot',
    slackRetryConfig: options.retryConfig ?? { retries: 0 },
    ...(options.rateLimitWait === undefined ? {} : { slackRateLimitWait: options.rateLimitWait }),
    listenPort: 0,
    auditLine: (line) => auditLines.push(line),
  });
  const { port } = await bot.start();
  return { bot, port, logs, auditLines };
};

/** A TCP port that is free right now (PORT=0 is refused by the settings). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
