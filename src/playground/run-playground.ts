/**
 * `npm run playground`: the real bot (createBot: its Bolt app over the HTTP receiver, handlers,
 * services and SQLite) over the three sample accounts in memory, talking to the Slack stand-in,
 * with the page that lets a person use it. Everything listens on 127.0.0.1; the database is
 * always `:memory:`, and no AWS SDK client is ever built.
 */
import { randomBytes } from 'node:crypto';

import { sampleOwnersSource } from '../adapters/memory/fixed-owners-source';
import { SAMPLE_ACCOUNT_ALIAS, SAMPLE_ACCOUNT_ID } from '../adapters/memory/sample-account';
import {
  createSampleAccounts,
  SAMPLE_SANDBOX_ACCOUNT_ID,
  SAMPLE_SANDBOX_ACCOUNT_NAME,
  SAMPLE_STAGING_ACCOUNT_ID,
  SAMPLE_STAGING_ACCOUNT_NAME,
} from '../adapters/memory/sample-accounts';
import { createSettableClock } from '../adapters/settable-clock';
import { createStderrLogger } from '../adapters/stderr-logger';
import { createBot } from '../bot/bot';
import { readBotConfig } from '../config/bot-config';
import { accountLabel } from '../domain/account-label';
import { AppError } from '../errors';
import type { Schedule } from '../ports/clock';
import type { PlaygroundWorld } from './page-actions';
import { startPageServer } from './page-server';
import { PLAYGROUND_APPROVER, PLAYGROUND_CHANNEL, PLAYGROUND_PEOPLE } from './people';
import type { PlaygroundAccount } from './sample-controls';
import { startSlackStandIn } from './slack-stand-in';

export interface PlaygroundOptions {
  /** The page's port on 127.0.0.1 (PORT); 0 picks a free one. */
  readonly port: number;
  readonly stderr: (text: string) => void;
  /** This process, as processHolder names it: it holds the scan lease and removal claims. */
  readonly holder: string;
  /** The README's text, for the page's link to connecting a real workspace; none when not found. */
  readonly readme?: string;
}

export interface Playground {
  readonly url: string;
  /** What the page acts on (tests drive it without a browser). */
  readonly world: PlaygroundWorld;
  stop(): Promise<void>;
}

const APP_ID = 'A0PLAYGROUND';

/** A schedule that never fires on its own: the page's "Run a scan now" runs what it would run. */
const NEVER: Schedule = { start: () => undefined, stop: () => undefined, nextRun: () => null };

export const startPlayground = async (options: PlaygroundOptions): Promise<Playground> => {
  const clock = createSettableClock();
  const sample = createSampleAccounts(() => clock.now(), { freshReports: true });
  const accounts: readonly PlaygroundAccount[] = [
    {
      accountId: SAMPLE_ACCOUNT_ID,
      label: accountLabel({ accountId: SAMPLE_ACCOUNT_ID, alias: SAMPLE_ACCOUNT_ALIAS }),
      iam: sample.prod,
      refusing: false,
    },
    {
      accountId: SAMPLE_STAGING_ACCOUNT_ID,
      label: accountLabel({ accountId: SAMPLE_STAGING_ACCOUNT_ID, alias: SAMPLE_STAGING_ACCOUNT_NAME }),
      iam: sample.staging,
      refusing: false,
    },
    {
      accountId: SAMPLE_SANDBOX_ACCOUNT_ID,
      label: accountLabel({ accountId: SAMPLE_SANDBOX_ACCOUNT_ID, alias: SAMPLE_SANDBOX_ACCOUNT_NAME }),
      iam: sample.sandbox,
      refusing: true,
    },
  ];
  const standIn = await startSlackStandIn({ users: PLAYGROUND_PEOPLE, channels: [PLAYGROUND_CHANNEL], clock });
  // Made here and kept here: the page never sees it, it only asks the server to sign.
  const signingSecret = randomBytes(32).toString('hex');
  // Only these settings: the environment (DATABASE_PATH above all) never reaches the playground's bot.
  const config = readBotConfig({
    SLACK_BOT_TOKEN: standIn.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: standIn.url,
    SECURITY_CHANNEL: PLAYGROUND_CHANNEL.id,
    APPROVERS: PLAYGROUND_APPROVER,
    DATABASE_PATH: ':memory:',
    SUMMARY_WHEN: 'always',
    SCAN_ON_START: 'true',
    LOG_LEVEL: 'warn',
  });
  if (config.scan.databasePath !== ':memory:')
    throw new AppError('config_invalid', 'The playground only uses :memory:.');
  const logger = createStderrLogger(config.scan.logLevel, options.stderr, () => clock.now());
  let scheduled: (() => Promise<void>) | null = null;
  const bot = createBot({
    config,
    accounts: sample.accounts,
    owners: sampleOwnersSource(),
    clock,
    logger,
    holder: options.holder,
    auditLine: () => undefined,
    listenPort: 0,
    listenHost: '127.0.0.1',
    schedule: (run) => {
      scheduled = run;
      return NEVER;
    },
  });
  let botPort: number;
  try {
    ({ port: botPort } = await bot.start());
  } catch (error) {
    await standIn.close();
    throw error;
  }
  const world: PlaygroundWorld = {
    standIn,
    receiver: {
      url: `http://127.0.0.1:${botPort}/slack/events`,
      signingSecret,
      teamId: standIn.bot.teamId,
      appId: APP_ID,
    },
    clock,
    accounts,
    runScheduled: async () => {
      if (scheduled === null) throw new AppError('bot_not_running', 'The bot is not running.');
      await scheduled();
    },
  };
  let page;
  try {
    page = await startPageServer(world, {
      port: options.port,
      ...(options.readme === undefined ? {} : { readme: options.readme }),
    });
  } catch (error) {
    await bot.stop();
    await standIn.close();
    throw error;
  }
  const started = page;
  standIn.linkTo(started.url);
  return {
    url: started.url,
    world,
    stop: async () => {
      await started.close();
      await bot.stop();
      await standIn.close();
    },
  };
};
