/**
 * Drives the running bot as Slack does: signed slash commands, button clicks and App Home opens
 * sent to Bolt's HTTP receiver, answers read back from the fake Slack Web API (response_url POSTs,
 * DMs, message updates, published views). Work happens after the ack, so reads wait for it
 * (bounded polling).
 *
 * Only what needs Bolt is tested this way (test/interactions); the logic behind the buttons and
 * the command runs in process, see in-process-harness.ts.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { openDatabaseReadOnly } from '../../src/adapters/sqlite/database';
import { type BotHarness, newDatabasePath, SIGNING_SECRET, startBot, startSampleSlack } from './bot-harness';
import { createFakeClock } from './fake-clock';
import type { FakePostedMessage, FakeResponse, FakeSlack } from './fake-slack-api';
import {
  approvalButtons,
  type AuditLine,
  createIamGate,
  type IamGate,
  parseAuditLines,
  readStoredStateFrom,
  SAMPLE_START,
  sampleIam,
  type SamplePerson,
  SECURITY_CHANNEL,
  type StoredState,
} from './sample-world';
import {
  sendAppHomeOpened,
  sendBlockAction,
  type SendOptions,
  sendSlashCommand,
  type SlackReply,
} from './slack-requests';

export const waitFor = async <T>(
  read: () => T | null | undefined | false,
  what: string,
  timeoutMs = 8000,
): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The running bot, its fake Slack and the sample IAM behind a gate; stopped after the test. */
export interface BotWorld {
  readonly slack: FakeSlack;
  readonly clock: ReturnType<typeof createFakeClock>;
  readonly iam: InMemoryIam;
  readonly gate: IamGate;
  readonly databasePath: string;
  harness: BotHarness;
}

const running: BotWorld[] = [];

if (typeof afterEach === 'function') {
  afterEach(async () => {
    for (const world of running.splice(0)) {
      // A test that failed while IAM was held must not leave the bot's work hanging.
      world.gate.release();
      await world.harness.bot.stop();
      await world.slack.close();
    }
  });
}

/** The sample world behind the real bot (Bolt in HTTP mode), scanned once unless `scan: false`. */
export const startBotWorld = async (
  options: {
    readonly env?: Record<string, string>;
    readonly people?: readonly SamplePerson[];
    readonly scan?: boolean;
    readonly rateLimitWait?: Parameters<typeof startBot>[0]['rateLimitWait'];
  } = {},
): Promise<BotWorld> => {
  const slack = await startSampleSlack();
  for (const person of options.people ?? []) slack.addUser(person);
  const clock = createFakeClock(SAMPLE_START);
  const gate = createIamGate();
  const iam = sampleIam(clock, { beforeCall: gate.beforeCall });
  const databasePath = newDatabasePath();
  const world: BotWorld = {
    slack,
    clock,
    iam,
    gate,
    databasePath,
    harness: await startBot({
      slack,
      iam,
      clock,
      databasePath,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.rateLimitWait === undefined ? {} : { rateLimitWait: options.rateLimitWait }),
    }),
  };
  running.push(world);
  if (options.scan !== false) await world.harness.bot.runScanCycle('command');
  return world;
};

/** The bot started again over the same database, Slack and IAM (the old one must be stopped). */
export const restartBot = async (world: BotWorld, env?: Record<string, string>): Promise<BotHarness> => {
  world.harness = await startBot({
    slack: world.slack,
    iam: world.iam,
    clock: world.clock,
    databasePath: world.databasePath,
    ...(env === undefined ? {} : { env }),
  });
  return world.harness;
};

const target = (world: BotWorld) => ({ port: world.harness.port, signingSecret: SIGNING_SECRET });

export interface Answered {
  readonly reply: SlackReply;
  readonly responseUrl: string;
  /** The response_url POSTs so far (at least `expect` of them). */
  readonly responses: FakeResponse[];
}

/**
 * `/mfa-status <text>`; waits for `expect` answers through its response_url (1 when acked with
 * 200, by default). `teamId` is the person's own team: another one plays Slack Connect.
 */
export const command = async (
  world: BotWorld,
  userId: string,
  text: string,
  options: SendOptions & { readonly expect?: number; readonly teamId?: string } = {},
): Promise<Answered> => {
  const { slack } = world;
  const responseUrl = slack.responseUrl();
  const teamId = options.teamId === undefined ? {} : { teamId: options.teamId };
  const reply = await sendSlashCommand(target(world), { userId, text, responseUrl, ...teamId }, options);
  const wanted = options.expect ?? (reply.status === 200 ? 1 : 0);
  const responses =
    wanted === 0
      ? []
      : await waitFor(
          () => slack.responsesTo(responseUrl).length >= wanted && slack.responsesTo(responseUrl),
          `${wanted} answer(s) to /mfa-status ${text}`,
        );
  return { reply, responseUrl, responses };
};

/** Where a button is: a message (`ephemeral` for a reply only the clicker sees), or a view (App Home). */
export type ClickWhere = { readonly channel: string; readonly ts: string; readonly ephemeral?: boolean } | 'view';

export interface ClickInput {
  readonly userId: string;
  readonly actionId: string;
  readonly value: string;
  readonly where: ClickWhere;
  readonly responseUrl?: string;
  readonly triggerId?: string;
  /** The clicker's own team; another one plays Slack Connect. */
  readonly teamId?: string;
}

export interface Clicked {
  readonly reply: SlackReply;
  /** The click's response_url; null for a click in a view, which carries none on Slack. */
  readonly responseUrl: string | null;
  readonly triggerId: string;
}

/**
 * A button click as Slack sends it, with a trigger_id from the fake Slack; a Slack retry re-sends
 * the same `responseUrl`. A click in a view gets no response_url, as on Slack. Does not wait for
 * the answer.
 */
export async function click(
  world: BotWorld,
  input: ClickInput & { readonly where: Exclude<ClickWhere, 'view'> },
  options?: SendOptions,
): Promise<Clicked & { readonly responseUrl: string }>;
export async function click(world: BotWorld, input: ClickInput, options?: SendOptions): Promise<Clicked>;
export async function click(world: BotWorld, input: ClickInput, options: SendOptions = {}): Promise<Clicked> {
  const { where } = input;
  const triggerId = input.triggerId ?? world.slack.triggerId();
  const common = {
    userId: input.userId,
    actionId: input.actionId,
    value: input.value,
    triggerId,
    ...(input.teamId === undefined ? {} : { teamId: input.teamId }),
  };
  if (where === 'view') {
    const reply = await sendBlockAction(target(world), { ...common, containerType: 'view' }, options);
    return { reply, responseUrl: null, triggerId };
  }
  const responseUrl = input.responseUrl ?? world.slack.responseUrl();
  const reply = await sendBlockAction(
    target(world),
    {
      ...common,
      responseUrl,
      containerType: where.ephemeral === true ? 'ephemeral' : 'message',
      channelId: where.channel,
      messageTs: where.ts,
    },
    options,
  );
  return { reply, responseUrl, triggerId };
}

export const openHome = (
  world: BotWorld,
  userId: string,
  options: SendOptions & { readonly tab?: 'home' | 'messages'; readonly teamId?: string } = {},
): Promise<SlackReply> =>
  sendAppHomeOpened(
    target(world),
    {
      userId,
      ...(options.tab === undefined ? {} : { tab: options.tab }),
      ...(options.teamId === undefined ? {} : { teamId: options.teamId }),
    },
    options,
  );

/** Every message the bot posted in a person's DM (the fake names it D<user id>), oldest first. */
export const dmsTo = (slack: FakeSlack, userId: string): FakePostedMessage[] =>
  slack.posted.filter((m) => m.channel === `D${userId}`);

/** The pending-removal approval message for an IAM user, with its Approve and Deny button values, waited for. */
export const approvalFor = async (
  slack: FakeSlack,
  userName: string,
  channel = SECURITY_CHANNEL,
): Promise<{ message: FakePostedMessage; approve: string; deny: string }> => {
  const found = await waitFor(() => {
    for (const message of slack.posted) {
      const buttons = message.channel === channel ? approvalButtons(message, userName) : null;
      if (buttons !== null) return { message, ...buttons };
    }
    return null;
  }, `the approval message for ${userName}`);
  return found;
};

/** The audit lines the bot wrote since index `from` (harness.auditLines.length taken earlier), parsed. */
export const auditSince = (harness: BotHarness, from = 0): AuditLine[] => parseAuditLines(harness.auditLines, from);

/** What the bot's database file holds now, read from a read-only connection. */
export const readStoredState = (databasePath: string): StoredState => {
  const db = openDatabaseReadOnly(databasePath);
  try {
    return readStoredStateFrom(db);
  } finally {
    db.close();
  }
};

/** Everything a refused request must leave as it was: Slack writes, IAM deletions, stored state. */
export interface WorldSnapshot {
  readonly postMessages: number;
  readonly updates: number;
  readonly publishes: number;
  readonly deletions: number;
  readonly stored: Omit<StoredState, 'auditRows'>;
}

export const snapshotWorld = (world: BotWorld): WorldSnapshot => {
  const { removals, findings } = readStoredState(world.databasePath);
  return {
    postMessages: world.slack.callsTo('chat.postMessage').length,
    updates: world.slack.callsTo('chat.update').length,
    publishes: world.slack.callsTo('views.publish').length,
    deletions: world.iam.calls.filter((c) => c.operation === 'deleteLoginProfile').length,
    stored: { removals, findings },
  };
};
