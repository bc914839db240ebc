/**
 * The sample world in one process, with no HTTP: the interaction services and the scan cycle as
 * src/app.ts wires them for the bot, over the in-memory Slack, SQLite (`:memory:` unless a file is
 * asked for), the sample IAM behind a gate that can hold calls, and the fake clock.
 *
 * A command or click goes through the handlers' own request handling (src/slack/handlers/
 * request-handling.ts: organization check, service, answer through the response_url or by DM) and
 * returns what the person was answered, so a test reads answers without polling; Bolt's respond()
 * is played by a recorder. "Nothing else happened" is asserted after `idle()`: the services'
 * in-flight tracker and the scan cycle have nothing running. What only Bolt does (signing, reading
 * payloads, acks, real response_url POSTs, Slack's retries) is left to the e2e tests in
 * test/interactions.
 *
 * Every world is closed after its test (gate released, work waited for, database closed).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';

import type Database from 'better-sqlite3';

import { fixedAccounts } from '../../src/adapters/fixed-accounts';
import { sampleOwnersSource } from '../../src/adapters/memory/fixed-owners-source';
import { type IamOperation, InMemoryIam, type MemoryAccount } from '../../src/adapters/memory/in-memory-iam';
import {
  InMemorySlack,
  MEMORY_PERMALINK_BASE,
  type MemorySlackChannel,
  type MemorySlackPost,
} from '../../src/adapters/memory/in-memory-slack';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { createStderrLogger } from '../../src/adapters/stderr-logger';
import { createScan, scanSettingsFromConfig, wireBot } from '../../src/app';
import { type BotConfig, readBotConfig } from '../../src/config/bot-config';
import type { RequestOrigin } from '../../src/domain/organization';
import type { PostedMessage } from '../../src/domain/slack-records';
import { AppError } from '../../src/errors';
import type { AwsAccounts } from '../../src/ports/accounts';
import type { Clock } from '../../src/ports/clock';
import type { OwnersSource } from '../../src/ports/owners';
import type { Stores } from '../../src/ports/stores';
import type { DmReplyOutcome } from '../../src/services/dm-reply';
import type { InFlight } from '../../src/services/in-flight';
import type { RunScanResult } from '../../src/services/run-scan';
import type { CycleOutcome, CycleTrigger, ScanCycle } from '../../src/services/scan-cycle';
import type { HomeView, ModalView, SlackMessage } from '../../src/slack/blocks/block-kit';
import type { InteractionServices } from '../../src/slack/handlers/interaction-services';
import type { ReplyTo } from '../../src/slack/handlers/replier';
import { BUTTON_SERVICES, createRequestHandling } from '../../src/slack/handlers/request-handling';
import { blockKitProblems, homeViewProblems, modalViewProblems } from './block-kit-limits';
import { tempDir } from './cli-harness';
import { createFakeClock } from './fake-clock';
import {
  approvalButtons,
  APPROVER,
  type AuditLine,
  createIamGate,
  type IamGate,
  parseAuditLines,
  readStoredStateFrom,
  SAMPLE_PEOPLE,
  SAMPLE_START,
  sampleIam,
  type SamplePerson,
  SECURITY_CHANNEL,
  type StoredState,
  STRANGER_PERSON,
} from './sample-world';

export type FakeClock = ReturnType<typeof createFakeClock>;

/** Where a message is: what a button click carries about the message it sits on. */
export interface Where {
  readonly channel: string;
  readonly ts: string;
}

/**
 * Where a click in an ephemeral reply (to `/mfa-status`, say) seems to be: Slack gives the channel
 * and a message ts, but no message the bot posted is there.
 */
export const ephemeralReplyTo = (userId: string): Where => ({ channel: `D${userId}`, ts: '1700000999.000100' });

/** A person's DM with the bot, named as the in-memory Slack's conversations.open names it. */
export const dmChannelOf = (userId: string): string => `D${userId.slice(1)}`;

/** A Slack Web API call the services made, by Slack's method name. */
export interface RecordedCall {
  readonly method:
    'chat.postMessage' | 'chat.update' | 'views.publish' | 'conversations.open' | 'views.open' | 'views.update';
  readonly channel?: string;
  readonly ts?: string;
  readonly userId?: string;
}

/** What Slack would have refused, and why (Block Kit limits, as test/support/block-kit-limits.ts checks them). */
export interface Refused {
  readonly what: RecordedCall['method'] | 'response_url';
  readonly problems: readonly string[];
}

/** Slack's limit on a views.publish payload (`view_too_large`). */
const MAX_VIEW_BYTES = 250_000;

/** What Slack would refuse in a message: Block Kit's limits, or neither text nor blocks (`no_text`). */
const messageProblems = (message: SlackMessage): string[] => [
  ...blockKitProblems(message.blocks, message.text),
  ...(message.text.trim() === '' && message.blocks.length === 0 ? ['no_text'] : []),
];

/**
 * The in-memory Slack, recording every write the services make (and every update, which the
 * in-memory gateway applies in place) and refusing, like Slack, what breaks Block Kit's limits.
 */
export class RecordingSlack extends InMemorySlack {
  readonly calls: RecordedCall[] = [];
  /** Every accepted chat.update, oldest first. */
  readonly updates: MemorySlackPost[] = [];
  /** Everything refused, replies through response_url included; a passing test leaves it empty. */
  readonly refused: Refused[] = [];

  override openDm(userId: string): Promise<string> {
    this.calls.push({ method: 'conversations.open', userId });
    return super.openDm(userId);
  }

  override async postMessage(channel: string, message: SlackMessage): Promise<PostedMessage> {
    this.calls.push({ method: 'chat.postMessage', channel });
    this.check('chat.postMessage', message);
    return super.postMessage(channel, message);
  }

  override async updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void> {
    this.calls.push({ method: 'chat.update', channel, ts });
    this.check('chat.update', message);
    await super.updateMessage(channel, ts, message);
    this.updates.push({ channel, ts, message });
  }

  override async publishHome(userId: string, view: HomeView): Promise<void> {
    this.calls.push({ method: 'views.publish', userId });
    const problems = [
      ...homeViewProblems(view),
      ...(Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES ? ['view_too_large'] : []),
    ];
    this.refuseIf('views.publish', problems);
    await super.publishHome(userId, view);
  }

  override async openView(triggerId: string, view: ModalView): Promise<string> {
    this.calls.push({ method: 'views.open' });
    this.refuseIf('views.open', modalViewProblems(view));
    return super.openView(triggerId, view);
  }

  override async updateView(viewId: string, view: ModalView): Promise<void> {
    this.calls.push({ method: 'views.update' });
    this.refuseIf('views.update', modalViewProblems(view));
    await super.updateView(viewId, view);
  }

  callsTo(method: RecordedCall['method']): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The message as it is now (updates applied); throws when it was never posted. */
  messageAt(where: Where): SlackMessage {
    const post = this.posts.find((p) => p.channel === where.channel && p.ts === where.ts);
    if (post === undefined) throw new Error(`no message ${where.channel}/${where.ts}`);
    return post.message;
  }

  /** The chat.updates of one message, oldest first. */
  updatesOf(where: Where): SlackMessage[] {
    return this.updates.filter((u) => u.channel === where.channel && u.ts === where.ts).map((u) => u.message);
  }

  /** Every message posted in a person's DM (opened with conversations.open), oldest first. */
  dmsTo(userId: string): MemorySlackPost[] {
    return this.posts.filter((p) => this.dmUser(p.channel) === userId);
  }

  /** The messages posted in a channel, oldest first. */
  postsIn(channel: string): MemorySlackPost[] {
    return this.posts.filter((p) => p.channel === channel);
  }

  /** The link permalink() gives for a message. */
  permalinkOf(where: Where): string {
    return `${MEMORY_PERMALINK_BASE}${where.channel}/p${where.ts.replace('.', '')}`;
  }

  /** A reply through response_url: Slack refuses the same things there as in chat.postMessage. */
  checkReply(message: SlackMessage): void {
    const problems = messageProblems(message);
    if (problems.length > 0) this.refused.push({ what: 'response_url', problems });
  }

  private check(what: RecordedCall['method'], message: SlackMessage): void {
    this.refuseIf(what, messageProblems(message));
  }

  private refuseIf(what: RecordedCall['method'], problems: readonly string[]): void {
    if (problems.length === 0) return;
    this.refused.push({ what, problems });
    throw new AppError('slack_invalid_message', `Slack refused ${what}: ${problems.join('; ')}`);
  }
}

export interface WorldOptions {
  /** Bot settings on top of the test defaults (APPROVERS=U0SECURITY1, SUMMARY_WHEN=always), as the bot reads them. */
  readonly env?: Readonly<Record<string, string>>;
  /** Slack people besides the sample ones and the stranger. */
  readonly people?: readonly SamplePerson[];
  /** Channels besides the security channel (the bot is in them when `isMember`). */
  readonly channels?: readonly MemorySlackChannel[];
  /** Changes the sample account before the first scan. */
  readonly prepareIam?: (iam: InMemoryIam) => void;
  /** Scans (with DMs and summary) before handing the world over; true by default. */
  readonly scan?: boolean;
  /** A database file in a temporary directory instead of `:memory:`, for tests that read it from outside. */
  readonly databaseFile?: boolean;
  readonly start?: Date;
  /** Where the owners file comes from (a file source over a temp file, say); the sample file by default. */
  readonly owners?: OwnersSource;
  /**
   * AWS accounts the bot covers besides the sample one (the home account, the ambient credentials'):
   * each an in-memory IAM of its own, with a distinct account id, reached through `fixedAccounts`.
   * The world's scan covers them all; `scanAccount` scans one alone.
   */
  readonly accounts?: readonly MemoryAccount[];
  /** The organization's name for some of those accounts, by id, as organizations:ListAccounts lists it. */
  readonly organizationNames?: Readonly<Record<string, string>>;
}

/**
 * What a person was answered, in order: the ephemeral replies through the request's response_url,
 * and the DMs sent instead where it had none (a click in App Home) or it was spent.
 */
export interface Reply {
  readonly userId: string;
  readonly message: SlackMessage;
  readonly via: 'response_url' | 'dm';
  /** The response_url of the request, for a reply through it. */
  readonly responseUrl: string | null;
}

/** Where a request comes from, when not the person's own workspace. */
export interface RequestOptions {
  /** The acting user's own team (Slack Connect: another organization's); the installation's by default. */
  readonly teamId?: string;
  /**
   * The response_url the request carries; a fresh one by default. Giving one a previous request
   * had plays Slack re-sending that request.
   */
  readonly responseUrl?: string;
}

export interface World {
  readonly clock: FakeClock;
  /** The home account's IAM (the sample account). */
  readonly iam: InMemoryIam;
  /** The IAM of every covered account by account id, the home account's included. */
  readonly iams: ReadonlyMap<string, InMemoryIam>;
  /** The accounts the bot covers, as the services reach them. */
  readonly accounts: AwsAccounts;
  /** Holds IAM calls on demand (see IamGate); nothing is held unless a test asks. */
  readonly gate: IamGate;
  readonly slack: RecordingSlack;
  readonly db: Database.Database;
  /** The database file when `databaseFile` was asked for. */
  readonly databasePath: string | null;
  readonly config: BotConfig;
  readonly stores: Stores;
  readonly services: InteractionServices;
  readonly cycle: ScanCycle;
  readonly inFlight: InFlight;
  /** Each audit entry as the JSON line the bot writes to stdout, oldest first (shared across restarts). */
  readonly auditLines: string[];
  readonly logs: string[];
  /** Every reply to a command or click, oldest first (shared across restarts). */
  readonly replies: Reply[];
  /** Runs before every IAM call (before the gate): lets a test change IAM between the bot's calls. */
  onIamCall: ((operation: string, userName: string | undefined) => void) | null;

  /** A scan with its DMs and summary, as the schedule runs it. */
  scan(trigger?: CycleTrigger): Promise<CycleOutcome>;
  /** A scan of that one account alone (lease, scan, save; no DMs), through its own gateway. */
  scanAccount(accountId: string): Promise<RunScanResult>;
  /** From now on the bot no longer covers the account (`target` answers null), as after a settings change. */
  uncover(accountId: string): void;
  /**
   * `/mfa-status <text>` through the handlers' request handling: what the person was answered for
   * it (a scan's outcome comes later, by a DM of its own; it is waited for).
   */
  command(userId: string, text: string, options?: RequestOptions): Promise<SlackMessage[]>;
  /**
   * A button click on a message (`where`), in an ephemeral reply or elsewhere with a response_url
   * (null), or in a view ('view': App Home, no response_url); the answer, or null when a message
   * update is the answer.
   */
  click(
    userId: string,
    actionId: string,
    value: string,
    where?: Where | null | 'view',
    options?: RequestOptions,
  ): Promise<SlackMessage | null>;
  /** Opens the App Home tab; the view published for it. */
  openHome(userId: string): Promise<HomeView>;
  /**
   * `userId` writes `text` in their DM with the bot (a `message.im` event the handler let through,
   * with a fresh event_id unless `eventId` is given, as a Slack retry keeps it). The answer is
   * posted in the DM (dmChannelOf); the outcome says what it was, or why there was none.
   */
  dm(userId: string, text: string, options?: { readonly eventId?: string }): Promise<DmReplyOutcome>;
  /** Resolves once no interaction and no scan is running (throws after 5 s of real time). */
  idle(): Promise<void>;
  /** Settles overdue and interrupted removal requests, as the bot does at start and before each scheduled scan. */
  tidy(): Promise<void>;
  /**
   * The bot started again over the same database, Slack, IAM and clock, with these settings: new
   * services (nothing in memory carried over) and the start-up housekeeping run, as bot.start does.
   */
  restart(env?: Readonly<Record<string, string>>): Promise<World>;
  /**
   * This bot dies where it stands: the IAM calls held now never finish, its timers (a removal's
   * heartbeat, IAM deadlines) never fire, and its unfinished work is forgotten (nothing waits for it
   * at the end of the test). Restart to go on.
   */
  crash(): void;

  audit(from?: number): AuditLine[];
  stored(): StoredState;
  /** Everything a refused request must leave as it was. */
  snapshot(): WorldSnapshot;
  /** The pending-removal approval message for an IAM user, with its Approve and Deny values. */
  approvalFor(userName: string, channel?: string): Approval;
  /** The current text of a message, as `seen` renders it. */
  textAt(where: Where): string;
}

export interface Approval {
  readonly where: Where;
  readonly approve: string;
  readonly deny: string;
}

export interface WorldSnapshot {
  readonly postMessages: number;
  readonly updates: number;
  readonly publishes: number;
  readonly deletions: number;
  readonly stored: Omit<StoredState, 'auditRows'>;
}

const BOT_ENV: Readonly<Record<string, string>> = {
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
  SECURITY_CHANNEL,
  SUMMARY_WHEN: 'always',
  APPROVERS: APPROVER,
};

const IDLE_TIMEOUT_MS = 5000;

interface Shared {
  readonly clock: FakeClock;
  readonly iam: InMemoryIam;
  readonly iams: ReadonlyMap<string, InMemoryIam>;
  readonly accounts: AwsAccounts;
  readonly uncovered: Set<string>;
  readonly gate: IamGate;
  readonly slack: RecordingSlack;
  readonly db: Database.Database;
  readonly databasePath: string | null;
  readonly auditLines: string[];
  readonly logs: string[];
  readonly replies: Reply[];
  readonly owners: OwnersSource;
  readonly hook: { current: ((operation: string, userName: string | undefined) => void) | null };
}

/** Every world started by the running test, closed after it. */
const open: { readonly shared: Shared; readonly worlds: World[] }[] = [];
const crashed = new WeakSet<World>();

const closeAll = async (): Promise<void> => {
  for (const { shared, worlds } of open.splice(0)) {
    // A test that failed while IAM was held must not leave work hanging on a closed database.
    shared.gate.release();
    const alive = worlds.filter((w) => !crashed.has(w));
    await Promise.all(
      alive.map((w) => Promise.all([w.inFlight.waitForIdle(IDLE_TIMEOUT_MS), w.cycle.waitForIdle(IDLE_TIMEOUT_MS)])),
    );
    shared.db.close();
  }
};

if (typeof afterEach === 'function') afterEach(closeAll);

let worldCount = 0;
let dmEventCount = 0;
/** The replies of the request running now, whichever async path answers it. */
const requestReplies = new AsyncLocalStorage<Reply[]>();
let responseUrlCount = 0;
/** A response_url of the kind Slack puts in a command or a click in a message; never fetched here. */
const nextResponseUrl = (): string => {
  responseUrlCount += 1;
  return `https://hooks.slack.example/actions/T0DEMO00001/${responseUrlCount}/in-process`;
};

const graphOver = (shared: Shared, env: Readonly<Record<string, string>>): World => {
  const config = readBotConfig({ ...BOT_ENV, DATABASE_PATH: shared.databasePath ?? ':memory:', ...env });
  // Each start is its own process: its own holder, and timers (heartbeats, IAM deadlines) that
  // die with it when it crashes, on the one shared clock.
  worldCount += 1;
  const holder = `test-bot-${worldCount}`;
  let dead = false;
  const clock: Clock = {
    now: () => shared.clock.now(),
    sleep: (ms) => shared.clock.sleep(ms),
    after: (ms, run) =>
      shared.clock.after(ms, () => {
        if (!dead) run();
      }),
  };
  const stores = createSqliteStores(shared.db, (line) => shared.auditLines.push(line));
  const record = (reply: Reply): void => {
    shared.replies.push(reply);
    requestReplies.getStore()?.push(reply);
  };
  const logger = createStderrLogger(
    'debug',
    (line) => shared.logs.push(line),
    () => shared.clock.now(),
  );
  const { cycle, interactions } = wireBot(
    stores,
    { accounts: shared.accounts, owners: shared.owners, clock, logger, holder, slack: shared.slack },
    config,
  );
  const { services, inFlight } = interactions;
  const { slack } = shared;

  // The handlers' own request handling (organization check, answer through response_url or by DM),
  // with Bolt's respond() played by a recorder; the DMs it sends instead are recorded too.
  const handling = createRequestHandling(
    {
      ...services,
      sendDm: async (userId, message) => {
        await services.sendDm(userId, message);
        record({ userId, message, via: 'dm', responseUrl: null });
      },
    },
    logger,
    clock,
  );
  const replyTo = (userId: string, responseUrl: string | null): ReplyTo => ({
    userId,
    responseUrl,
    respond:
      responseUrl === null
        ? undefined
        : (message) => {
            slack.checkReply(message);
            record({ userId, message, via: 'response_url', responseUrl });
            return Promise.resolve();
          },
  });
  const originOf = async (userId: string, options: RequestOptions): Promise<RequestOrigin> => ({
    userId,
    teamId: options.teamId ?? (await slack.identify()).teamId,
    enterpriseId: null,
  });
  /** The messages one request was answered with (requests may overlap, so each collects its own). */
  const answersTo = async (work: () => Promise<void>): Promise<SlackMessage[]> => {
    const mine: Reply[] = [];
    await requestReplies.run(mine, work);
    return mine.map((r) => r.message);
  };

  const world: World = {
    clock: shared.clock,
    iam: shared.iam,
    iams: shared.iams,
    accounts: shared.accounts,
    gate: shared.gate,
    slack,
    db: shared.db,
    databasePath: shared.databasePath,
    config,
    stores,
    services,
    cycle,
    inFlight,
    auditLines: shared.auditLines,
    logs: shared.logs,
    replies: shared.replies,
    get onIamCall() {
      return shared.hook.current;
    },
    set onIamCall(hook) {
      shared.hook.current = hook;
    },
    scan: (trigger = 'command') => cycle.run(trigger),
    scanAccount: (accountId) => {
      const iam = shared.iams.get(accountId);
      if (iam === undefined) throw new Error(`no account ${accountId} in this world`);
      // That account alone.
      const parts = {
        accounts: fixedAccounts([{ iam, accountId }]),
        owners: shared.owners,
        clock,
        logger,
        holder,
      };
      return createScan(stores, parts, scanSettingsFromConfig(config.scan))();
    },
    uncover: (accountId) => {
      shared.uncovered.add(accountId);
    },
    command: async (userId, text, options = {}) =>
      answersTo(async () =>
        handling.command({
          origin: await originOf(userId, options),
          text,
          replyTo: replyTo(userId, options.responseUrl ?? nextResponseUrl()),
        }),
      ),
    click: async (userId, actionId, value, where = null, options = {}) => {
      if (BUTTON_SERVICES[actionId] === undefined) throw new Error(`no handler for action ${actionId}`);
      const inView = where === 'view';
      const [answer] = await answersTo(async () =>
        handling.button({
          origin: await originOf(userId, options),
          actionId,
          click: { userId, value, message: inView ? null : where },
          replyTo: replyTo(userId, inView ? null : (options.responseUrl ?? nextResponseUrl())),
        }),
      );
      return answer ?? null;
    },
    openHome: async (userId) => {
      const before = slack.homeViews.length;
      await services.publishHome(userId);
      const view = slack.homeViews.slice(before).find((h) => h.userId === userId)?.view;
      if (view === undefined) throw new Error(`no Home was published for ${userId}`);
      return view;
    },
    dm: (userId, text, options = {}) => {
      dmEventCount += 1;
      const eventId = options.eventId ?? `EvDM${String(dmEventCount).padStart(8, '0')}`;
      return services.dmReply({ eventId, userId, channel: dmChannelOf(userId), text });
    },
    idle: async () => {
      const [work, scans] = await Promise.all([
        inFlight.waitForIdle(IDLE_TIMEOUT_MS),
        cycle.waitForIdle(IDLE_TIMEOUT_MS),
      ]);
      if (!work || !scans)
        throw new Error(
          `still busy after ${IDLE_TIMEOUT_MS} ms: ${inFlight.count()} interaction(s), scan running: ${cycle.isRunning()}`,
        );
    },
    tidy: () => interactions.tidy(),
    restart: async (next = {}) => {
      const restarted = graphOver(shared, next);
      await restarted.tidy();
      return restarted;
    },
    crash: () => {
      shared.gate.drop();
      dead = true;
      crashed.add(world);
    },
    audit: (from = 0) => parseAuditLines(shared.auditLines, from),
    stored: () => readStoredStateFrom(shared.db),
    snapshot: () => {
      const { removals, findings } = readStoredStateFrom(shared.db);
      return {
        postMessages: slack.callsTo('chat.postMessage').length,
        updates: slack.callsTo('chat.update').length,
        publishes: slack.callsTo('views.publish').length,
        deletions: shared.iam.calls.filter((c) => c.operation === 'deleteLoginProfile').length,
        stored: { removals, findings },
      };
    },
    approvalFor: (userName, channel = SECURITY_CHANNEL) => {
      for (const post of slack.postsIn(channel)) {
        const buttons = approvalButtons(post.message, userName);
        if (buttons !== null) return { where: { channel: post.channel, ts: post.ts }, ...buttons };
      }
      throw new Error(`no approval message for ${userName} in ${channel}`);
    },
    textAt: (where) => {
      const message = slack.messageAt(where);
      return JSON.stringify({ text: message.text, blocks: message.blocks });
    },
  };
  const entry = open.find((o) => o.shared === shared);
  if (entry === undefined) open.push({ shared, worlds: [world] });
  else entry.worlds.push(world);
  return world;
};

/** The sample world, scanned once (unless `scan: false`). */
export const startWorld = async (options: WorldOptions = {}): Promise<World> => {
  const clock = createFakeClock(options.start ?? SAMPLE_START);
  const gate = createIamGate();
  const hook: Shared['hook'] = { current: null };
  // Every account's IAM goes through the one hook and gate.
  const beforeCall = (operation: IamOperation, userName: string | undefined): Promise<void> => {
    hook.current?.(operation, userName);
    return gate.beforeCall(operation, userName);
  };
  const iam = sampleIam(clock, { beforeCall });
  options.prepareIam?.(iam);
  const others = (options.accounts ?? []).map((account) => {
    const name = options.organizationNames?.[account.accountId];
    return {
      accountId: account.accountId,
      iam: new InMemoryIam({ account, clock: () => clock.now(), beforeCall }),
      ...(name === undefined ? {} : { name }),
    };
  });
  const covered = fixedAccounts([{ iam }, ...others]);
  const uncovered = new Set<string>();
  const accounts: AwsAccounts = {
    targets: async () => (await covered.targets()).filter((t) => t.accountId === null || !uncovered.has(t.accountId)),
    target: async (accountId) => (uncovered.has(accountId) ? null : covered.target(accountId)),
    home: () => covered.home(),
  };
  // A bot that has scanned knows its home account (GetCallerIdentity, remembered): asked here, so
  // no test counts it against a person's request.
  const home = await accounts.home();
  const iams = new Map<string, InMemoryIam>([
    [home.accountId, iam],
    ...others.map((o) => [o.accountId, o.iam] as const),
  ]);
  const people = [...SAMPLE_PEOPLE, STRANGER_PERSON, ...(options.people ?? [])];
  const slack = new RecordingSlack(
    people.map((p) => ({
      id: p.id,
      email: p.email ?? null,
      deleted: p.deleted ?? false,
      isBot: false,
      ...(p.teamId === undefined ? {} : { teamId: p.teamId }),
    })),
    [{ id: SECURITY_CHANNEL, name: 'security-alerts', isMember: true }, ...(options.channels ?? [])],
  );
  const databasePath = options.databaseFile === true ? join(tempDir(), 'mfa-guard.db') : null;
  const shared: Shared = {
    clock,
    iam,
    iams,
    accounts,
    uncovered,
    gate,
    slack,
    db: openDatabase(databasePath ?? ':memory:'),
    databasePath,
    auditLines: [],
    logs: [],
    replies: [],
    owners: options.owners ?? sampleOwnersSource(),
    hook,
  };
  const world = graphOver(shared, options.env ?? {});
  await world.tidy();
  if (options.scan !== false) await world.scan('command');
  return world;
};
