/**
 * Drives the running bot as people do: signed slash commands, button clicks and App Home opens
 * sent to Bolt's HTTP receiver, answers read back from the fake Slack (response_url POSTs, DMs,
 * message updates, published views). Work happens after the ack, so reads wait for it.
 */
import type { FakePostedMessage, FakeResponse, FakeSlack } from './fake-slack-api';
import { openDatabaseReadOnly } from '../../src/adapters/sqlite/database';
import { SIGNING_SECRET, type BotHarness } from './bot-harness';
import { sendAppHomeOpened, sendBlockAction, sendSlashCommand, type SendOptions, type SlackReply } from './slack-requests';
import { InMemoryIam, type IamOperation } from '../../src/adapters/memory/in-memory-iam';
import { applySampleFailures, sampleAccount } from '../../src/adapters/memory/sample-account';
import type { Clock } from '../../src/ports';

export const ALICE = 'U012ABCDEF';
export const BOB = 'U0BOB12345';
export const STRANGER = 'U0STRANGER1';

export const waitFor = async <T>(read: () => T | null | undefined | false, what: string, timeoutMs = 8000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

export interface Answered {
  readonly reply: SlackReply;
  readonly responseUrl: string;
  /** The response_url POSTs so far (at least `expect` of them). */
  readonly responses: FakeResponse[];
}

/** The text a person sees in a response or message: its fallback text and every block, as JSON. */
export const seen = (body: Readonly<Record<string, unknown>> | undefined): string => JSON.stringify({ text: body?.['text'], blocks: body?.['blocks'] });

export const command = async (
  slack: FakeSlack,
  harness: BotHarness,
  userId: string,
  text: string,
  options: SendOptions & { readonly expect?: number } = {},
): Promise<Answered> => {
  const responseUrl = slack.responseUrl();
  const reply = await sendSlashCommand({ port: harness.port, signingSecret: SIGNING_SECRET }, { userId, text, responseUrl }, options);
  const wanted = options.expect ?? (reply.status === 200 ? 1 : 0);
  const responses = wanted === 0 ? [] : await waitFor(() => slack.responsesTo(responseUrl).length >= wanted && slack.responsesTo(responseUrl), `${wanted} answer(s) to /mfa-status ${text}`);
  return { reply, responseUrl, responses };
};

export interface Where {
  readonly channel: string;
  readonly ts: string;
}

/** A button click; waits until `done` holds (an answer, an update) when given. */
export const click = async (
  slack: FakeSlack,
  harness: BotHarness,
  input: { readonly userId: string; readonly actionId: string; readonly value: string; readonly where: Where | null },
  options: SendOptions = {},
): Promise<{ reply: SlackReply; responseUrl: string }> => {
  const responseUrl = slack.responseUrl();
  const reply = await sendBlockAction(
    { port: harness.port, signingSecret: SIGNING_SECRET },
    {
      userId: input.userId,
      actionId: input.actionId,
      value: input.value,
      responseUrl,
      ...(input.where === null ? { containerType: 'view' as const } : { channelId: input.where.channel, messageTs: input.where.ts }),
    },
    options,
  );
  return { reply, responseUrl };
};

export const openHome = (harness: BotHarness, userId: string, options: SendOptions = {}): Promise<SlackReply> =>
  sendAppHomeOpened({ port: harness.port, signingSecret: SIGNING_SECRET }, { userId }, options);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every button (action_id, value) in some blocks. */
export const buttonsIn = (blocks: unknown): { actionId: string; value: string }[] => {
  const found: { actionId: string; value: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isRecord(node)) {
      const record = node;
      if (record['type'] === 'button' && typeof record['action_id'] === 'string') {
        found.push({ actionId: record['action_id'], value: typeof record['value'] === 'string' ? record['value'] : '' });
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(blocks);
  return found;
};

// ---------------------------------------------------------------------------------------------
// Added for the authorization, signing, slow-IAM, removal-disabled, status and App Home e2e tests.

/** Where a clicked button sits, as Slack's `container` says it: a message, an ephemeral reply, or a view. */
export type ClickContainer =
  | { readonly kind: 'message' | 'ephemeral'; readonly channel: string; readonly ts: string }
  | { readonly kind: 'view' };

/** A click in any container (an ephemeral /mfa-status reply, App Home), not only a message. */
export const clickIn = async (
  slack: FakeSlack,
  harness: BotHarness,
  input: { readonly userId: string; readonly actionId: string; readonly value: string; readonly container: ClickContainer },
  options: SendOptions = {},
): Promise<{ reply: SlackReply; responseUrl: string }> => {
  const responseUrl = slack.responseUrl();
  const { container } = input;
  const reply = await sendBlockAction(
    { port: harness.port, signingSecret: SIGNING_SECRET },
    {
      userId: input.userId,
      actionId: input.actionId,
      value: input.value,
      responseUrl,
      ...(container.kind === 'view'
        ? { containerType: 'view' as const }
        : { containerType: container.kind, channelId: container.channel, messageTs: container.ts }),
    },
    options,
  );
  return { reply, responseUrl };
};

/** An audit entry as the bot wrote it to "stdout" (auditJson's fields). */
export interface AuditLine {
  readonly type: string;
  readonly actor: string;
  readonly action: string;
  readonly accountId: string | null;
  readonly userName: string | null;
  readonly outcome: string;
  readonly detail: string | null;
  readonly requestId: number | null;
}

const isAuditLine = (value: unknown): value is AuditLine =>
  isRecord(value) && value['type'] === 'audit' && typeof value['actor'] === 'string' && typeof value['action'] === 'string' && typeof value['outcome'] === 'string';

/** The audit lines written since index `from` (harness.auditLines.length taken earlier), parsed. */
export const auditSince = (harness: BotHarness, from = 0): AuditLine[] =>
  harness.auditLines.slice(from).map((line) => {
    const parsed: unknown = JSON.parse(line);
    if (!isAuditLine(parsed)) throw new Error(`not an audit line: ${line}`);
    return parsed;
  });

export interface StoredRemoval {
  readonly id: number;
  readonly userName: string;
  readonly state: string;
  readonly requestedBy: string;
  readonly decidedBy: string | null;
}

export interface StoredFinding {
  readonly id: number;
  readonly userName: string;
  readonly closedAt: string | null;
  readonly closeReason: string | null;
}

export interface StoredState {
  readonly removals: StoredRemoval[];
  readonly findings: StoredFinding[];
  readonly auditRows: number;
}

const text = (row: Record<string, unknown>, key: string): string | null => {
  const value = row[key];
  return typeof value === 'string' ? value : null;
};
const num = (row: Record<string, unknown>, key: string): number => {
  const value = row[key];
  return typeof value === 'number' ? value : Number.NaN;
};

/**
 * What the bot's database holds now (removal requests, findings, audit row count), read from a
 * read-only copy, so a test can say "nothing changed" about state the fake Slack cannot see.
 */
export const readStoredState = (databasePath: string): StoredState => {
  const db = openDatabaseReadOnly(databasePath);
  try {
    const rows = (sql: string): Record<string, unknown>[] => db.prepare(sql).all().filter(isRecord);
    const removals = rows('SELECT id, user_name, state, requested_by, decided_by FROM removal_requests ORDER BY id').map((r) => ({
      id: num(r, 'id'),
      userName: text(r, 'user_name') ?? '',
      state: text(r, 'state') ?? '',
      requestedBy: text(r, 'requested_by') ?? '',
      decidedBy: text(r, 'decided_by'),
    }));
    const findings = rows('SELECT id, user_name, closed_at, close_reason FROM findings ORDER BY id').map((r) => ({
      id: num(r, 'id'),
      userName: text(r, 'user_name') ?? '',
      closedAt: text(r, 'closed_at'),
      closeReason: text(r, 'close_reason'),
    }));
    const [count] = rows('SELECT COUNT(*) AS n FROM audit_log');
    return { removals, findings, auditRows: count === undefined ? 0 : num(count, 'n') };
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

export const snapshotWorld = (slack: FakeSlack, iam: { readonly calls: ReadonlyArray<{ readonly operation: string }> }, databasePath: string): WorldSnapshot => {
  const { removals, findings } = readStoredState(databasePath);
  return {
    postMessages: slack.callsTo('chat.postMessage').length,
    updates: slack.callsTo('chat.update').length,
    publishes: slack.callsTo('views.publish').length,
    deletions: iam.calls.filter((c) => c.operation === 'deleteLoginProfile').length,
    stored: { removals, findings },
  };
};

/** The first message matching `match` in a channel (or DM), waited for. */
export const messageIn = (slack: FakeSlack, channel: string, what: string, match: (m: FakePostedMessage) => boolean = () => true): Promise<FakePostedMessage> =>
  waitFor(() => slack.posted.find((m) => m.channel === channel && match(m)), what);

/** The pending-removal approval message for an IAM user, with its Approve and Deny button values. */
export const approvalFor = async (
  slack: FakeSlack,
  channel: string,
  userName: string,
): Promise<{ message: FakePostedMessage; approve: string; deny: string }> => {
  const message = await messageIn(slack, channel, `the approval message for ${userName}`, (m) => {
    const buttons = buttonsIn(m.blocks).map((b) => b.actionId);
    return buttons.includes('mfa_approve_removal') && seen({ text: m.text, blocks: m.blocks }).includes(userName);
  });
  const buttons = buttonsIn(message.blocks);
  const approve = buttons.find((b) => b.actionId === 'mfa_approve_removal')?.value;
  const deny = buttons.find((b) => b.actionId === 'mfa_deny_removal')?.value;
  if (approve === undefined || deny === undefined) throw new Error(`the approval message for ${userName} has no Approve and Deny buttons`);
  return { message, approve, deny };
};

// ---------------------------------------------------------------------------------------------
// Removal, races and recheck helpers (added for the removal-flow / races / recheck / audit tests).

/** A click as Slack sends it, with the response_url given (a Slack retry re-sends the same one) and any container. */
export const sendClick = (
  harness: BotHarness,
  input: {
    readonly userId: string;
    readonly actionId: string;
    readonly value: string;
    readonly responseUrl: string;
    readonly where: Where | null;
    readonly containerType?: 'message' | 'ephemeral' | 'view';
  },
  options: SendOptions = {},
): Promise<SlackReply> =>
  sendBlockAction(
    { port: harness.port, signingSecret: SIGNING_SECRET },
    {
      userId: input.userId,
      actionId: input.actionId,
      value: input.value,
      responseUrl: input.responseUrl,
      ...(input.where === null
        ? { containerType: 'view' as const }
        : { channelId: input.where.channel, messageTs: input.where.ts, containerType: input.containerType ?? ('message' as const) }),
    },
    options,
  );

const IAM_USER_CARD = /^\*IAM user `([^`]+)`\*/;

const textOf = (block: Record<string, unknown>): string => {
  const text = block['text'];
  return isRecord(text) && typeof text['text'] === 'string' ? text['text'] : '';
};

/**
 * The buttons of one IAM user's card in a nudge, summary or re-rendered DM: a card starts with a
 * section "*IAM user `name`*…" and its buttons follow (actions block or the section's accessory).
 */
export const buttonsForUser = (blocks: unknown, userName: string): { actionId: string; value: string }[] => {
  if (!Array.isArray(blocks)) return [];
  let current: string | null = null;
  const found: { actionId: string; value: string }[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    if (block['type'] === 'divider' || block['type'] === 'header') current = null;
    if (block['type'] === 'section') {
      const match = IAM_USER_CARD.exec(textOf(block));
      if (match !== null) current = match[1] ?? null;
    }
    if (current === userName) found.push(...buttonsIn(block));
  }
  return found;
};

/** The one button with this action_id among `blocks`' buttons for `userName` (throws when absent). */
export const userButton = (blocks: unknown, userName: string, actionId: string): { actionId: string; value: string } => {
  const button = buttonsForUser(blocks, userName).find((b) => b.actionId === actionId);
  if (button === undefined) throw new Error(`no ${actionId} button for ${userName} in ${JSON.stringify(blocks).slice(0, 300)}…`);
  return button;
};

/** Every message the bot posted in a person's DM (the fake names it D<user id>), oldest first. */
export const dmsTo = (slack: FakeSlack, userId: string): FakePostedMessage[] => slack.posted.filter((m) => m.channel === `D${userId}`);

/**
 * Holds chosen IAM calls until released, for an InMemoryIam's `beforeCall`: a held call sees IAM as
 * it is when released, so clicks can be made to overlap for real.
 */
export interface IamGate {
  readonly beforeCall: (operation: IamOperation, userName: string | undefined) => Promise<void>;
  /** From now on, calls for which `match` is true wait until `release()`. */
  hold(match: (operation: IamOperation, userName: string | undefined) => boolean): void;
  /** How many calls are waiting right now. */
  readonly waiting: number;
  /** Lets every waiting call go and stops holding. */
  release(): void;
}

export const createIamGate = (): IamGate => {
  let match: ((operation: IamOperation, userName: string | undefined) => boolean) | null = null;
  let waiters: (() => void)[] = [];
  return {
    beforeCall: (operation, userName) => {
      if (match === null || !match(operation, userName)) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    hold: (next) => {
      match = next;
    },
    get waiting() {
      return waiters.length;
    },
    release: () => {
      match = null;
      const go = waiters;
      waiters = [];
      go.forEach((resolve) => resolve());
    },
  };
};

/** The sample account (sample failures applied) behind an InMemoryIam with a `beforeCall` hook. */
export const sampleIamWithHook = (
  clock: Clock,
  beforeCall: (operation: IamOperation, userName: string | undefined) => Promise<void>,
): InMemoryIam => {
  const sample = sampleAccount(clock.now());
  const iam = new InMemoryIam({ account: sample.account, clock: () => clock.now(), reportSnapshot: sample.reportSnapshot, beforeCall });
  applySampleFailures(iam);
  return iam;
};

/** The id in a `finding:<id>` or `removal:<id>` button value. */
export const idOf = (value: string): number => {
  const match = /^(?:finding|removal):(\d+)$/.exec(value);
  if (match === null) throw new Error(`not a finding or removal button value: ${value}`);
  return Number(match[1]);
};

/** The successful DeleteLoginProfile calls an InMemoryIam saw for a user (failed ones are recorded too; count those apart). */
export const deleteCalls = (iam: InMemoryIam, userName: string): number =>
  iam.calls.filter((c) => c.operation === 'deleteLoginProfile' && c.userName === userName).length;
