import { fixedAccounts } from '../src/adapters/fixed-accounts';
import { noOwnersFile } from '../src/adapters/memory/fixed-owners-source';
import { type IamOperation, InMemoryIam, type MemoryUser } from '../src/adapters/memory/in-memory-iam';
import { silentLogger } from '../src/adapters/stderr-logger';
import { type Bot, createBot, type SlackClientRole } from '../src/bot/bot';
import { readBotConfig } from '../src/config/bot-config';
import { BOT_TOKEN, newDatabasePath, SIGNING_SECRET } from '../test/support/bot-harness';
import { createFakeClock } from '../test/support/fake-clock';
import { type FakeSlack, startFakeSlack } from '../test/support/fake-slack-api';
import { ownerEmail, ownerSlackId, population } from './population';

/**
 * The real bot (Bolt's HTTP receiver, both WebClients, SQLite) over accounts of the bench's
 * population on the in-memory IAM, against the fake Slack Web API: what the Slack and
 * responsiveness scenarios drive. 5,000 users per account at most, as IAM allows.
 */
export const SECURITY_CHANNEL = 'CBENCHSEC1';
export const APPROVER_IDS = Array.from({ length: 10 }, (_, i) => `UAPPROVE${String(i).padStart(2, '0')}`);
const USERS_PER_ACCOUNT = 5000;

export interface BenchWorld {
  readonly bot: Bot;
  readonly port: number;
  readonly slack: FakeSlack;
  readonly clock: ReturnType<typeof createFakeClock>;
  readonly accounts: readonly { readonly accountId: string; readonly users: readonly MemoryUser[] }[];
  stop(): Promise<void>;
}

export interface BenchWorldOptions {
  /** Users in all, split into accounts of at most 5,000; owners are 5 % of them, shared across accounts. */
  readonly users: number;
  readonly env?: Record<string, string>;
  readonly beforeCall?: (operation: IamOperation, userName: string | undefined) => Promise<void>;
  readonly rateLimitWait?: (ms: number, client: SlackClientRole) => Promise<void>;
}

export const benchAccountId = (index: number): string => String(400_000_000_000 + index);

export const startBenchWorld = async (options: BenchWorldOptions): Promise<BenchWorld> => {
  const start = new Date();
  const clock = createFakeClock(start);
  const slack = await startFakeSlack({ botToken: BOT_TOKEN, botName: 'mfa-guard' });
  slack.addChannel({ id: SECURITY_CHANNEL, name: 'security-alerts', isMember: true });
  const owners = Math.max(1, Math.round(options.users * 0.05));
  for (let owner = 0; owner < owners; owner += 1) slack.addUser({ id: ownerSlackId(owner), email: ownerEmail(owner) });
  for (const id of APPROVER_IDS) slack.addUser({ id, email: `${id.toLowerCase()}@bench.example.com` });

  const accountCount = Math.ceil(options.users / USERS_PER_ACCOUNT);
  const accounts = Array.from({ length: accountCount }, (_, k) => {
    const size = Math.min(USERS_PER_ACCOUNT, options.users - k * USERS_PER_ACCOUNT);
    const users: MemoryUser[] = population({
      users: size,
      now: start,
      accountIndex: k,
      owners: Math.round(size * 0.05),
      ownerOffset: Math.round(k * USERS_PER_ACCOUNT * 0.05),
    }).map((u, i) => ({
      userName: u.name,
      userId: `AIDA${k}X${String(i).padStart(8, '0')}`,
      createDate: new Date(u.created),
      loginProfile: u.password,
      mfaDevices:
        u.mfa > 0
          ? [{ serialNumber: `arn:aws:iam::${benchAccountId(k)}:mfa/${u.name}`, kind: 'virtual', enableDate: start }]
          : [],
      ...(u.tags === undefined ? {} : { tags: u.tags }),
    }));
    return { accountId: benchAccountId(k), users };
  });
  const gateways = accounts.map(
    (account) =>
      new InMemoryIam({
        account: { accountId: account.accountId, partition: 'aws', rootMfaActive: true, users: account.users },
        clock: () => clock.now(),
        ...(options.beforeCall === undefined ? {} : { beforeCall: options.beforeCall }),
      }),
  );
  const [home, ...rest] = gateways;
  if (home === undefined) throw new Error('the bench world has no account');
  const config = readBotConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    SECURITY_CHANNEL,
    DATABASE_PATH: newDatabasePath(),
    SUMMARY_WHEN: 'always',
    APPROVERS: APPROVER_IDS.join(','),
    ...options.env,
  });
  const bot = createBot({
    config,
    accounts: fixedAccounts([
      { iam: home, accountId: benchAccountId(0), name: 'bench-0' },
      ...rest.map((iam, k) => ({ iam, accountId: benchAccountId(k + 1), name: `bench-${k + 1}` })),
    ]),
    owners: noOwnersFile,
    clock,
    logger: silentLogger,
    holder: 'bench-bot',
    ...(options.rateLimitWait === undefined ? {} : { slackRateLimitWait: options.rateLimitWait }),
    listenPort: 0,
    auditLine: () => undefined,
  });
  const { port } = await bot.start();
  return {
    bot,
    port,
    slack,
    clock,
    accounts,
    stop: async () => {
      await bot.stop();
      await slack.close();
    },
  };
};
