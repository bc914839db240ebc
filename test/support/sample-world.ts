/**
 * What both interaction harnesses share: the sample people and channel, the sample IAM (with a
 * hook that can hold calls), and the readers tests use on what the bot did — the text a person
 * sees, the buttons in some blocks, the audit lines, the stored removal requests and findings.
 * The in-process harness (in-process-harness.ts) and the Bolt HTTP one (interaction-harness.ts)
 * differ only in how requests reach the services and where answers are read from.
 */
import type Database from 'better-sqlite3';

import { type IamOperation, InMemoryIam, type MemoryAccount } from '../../src/adapters/memory/in-memory-iam';
import { applySampleFailures, createSampleIam, sampleAccount } from '../../src/adapters/memory/sample-account';
import type { Clock } from '../../src/ports/clock';

/** The time every interaction test starts at (a Monday, 14:00 UTC: the default scan time). */
export const SAMPLE_START = new Date('2026-11-23T14:00:00Z');

/** Owns IAM user alice (owners file, by Slack ID). */
export const ALICE = 'U012ABCDEF';
/** Owns IAM user bob (tag slack-owner). */
export const BOB = 'U0BOB12345';
/** platform@example.com, owner of svc-* (owners file glob, by email). */
export const PLATFORM = 'U0PLATFORM1';
/** dana@example.com, owner of IAM user dana@example.com (by its name); her Slack account is deactivated. */
export const DANA = 'U0DANA00001';
/** The sample approver: the security team's Slack user. */
export const APPROVER = 'U0SECURITY1';
/** A second approver, for the tests that set APPROVERS to two people. */
export const APPROVER2 = 'U0APPROVER2';
/** In the workspace, owns nothing, approves nothing. */
export const STRANGER = 'U0STRANGER1';

export const SECURITY_CHANNEL = 'C0SECURITY01';

export interface SamplePerson {
  readonly id: string;
  readonly email?: string;
  readonly deleted?: boolean;
  /** Their own team when not the bot's: someone of another organization, seen through Slack Connect. */
  readonly teamId?: string;
}

/**
 * The Slack side of the sample account: alice and bob by Slack ID, the svc-* glob's
 * platform@example.com by email, dana@example.com deactivated, frank with no owner at all.
 */
export const SAMPLE_PEOPLE: readonly SamplePerson[] = [
  { id: ALICE, email: 'alice@example.com' },
  { id: BOB, email: 'bob@example.com' },
  { id: PLATFORM, email: 'platform@example.com' },
  { id: DANA, email: 'dana@example.com', deleted: true },
  { id: APPROVER, email: 'security@example.com' },
];

export const STRANGER_PERSON: SamplePerson = { id: STRANGER, email: 'stranger@example.com' };
export const APPROVER2_PERSON: SamplePerson = { id: APPROVER2, email: 'approver2@example.com' };

/** A second and a third AWS account, for the worlds that cover several. */
export const DEV_ACCOUNT_ID = '555566667777';
export const TEST_ACCOUNT_ID = '777788889999';

/** One IAM user of another account: a console password and, unless `mfa`, no MFA device. */
export interface OtherUser {
  readonly userName: string;
  readonly userId: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly mfa?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An account besides the sample one, its users created 60 days before `now` (past any grace period). */
export const otherAccount = (
  accountId: string,
  alias: string | null,
  users: readonly OtherUser[],
  now: Date,
): MemoryAccount => ({
  accountId,
  partition: 'aws',
  alias,
  rootMfaActive: true,
  users: users.map((u) => ({
    userName: u.userName,
    userId: u.userId,
    createDate: new Date(now.getTime() - 60 * DAY_MS),
    passwordLastUsed: new Date(now.getTime() - DAY_MS),
    loginProfile: true,
    mfaDevices: u.mfa
      ? [{ serialNumber: `arn:aws:iam::${accountId}:mfa/${u.userName}`, kind: 'virtual', enableDate: now }]
      : [],
    ...(u.tags === undefined ? {} : { tags: u.tags }),
  })),
});

export type IamHook = (operation: IamOperation, userName: string | undefined) => Promise<void>;

/**
 * The sample account behind an in-memory IAM (its `error` user failing unless `failures: false`);
 * `beforeCall` runs before every IAM call (see IamGate).
 */
export const sampleIam = (
  clock: Clock,
  options: { readonly failures?: boolean; readonly beforeCall?: IamHook } = {},
): InMemoryIam => {
  const { beforeCall } = options;
  if (beforeCall === undefined) return createSampleIam(() => clock.now(), options);
  const sample = sampleAccount(clock.now());
  const iam = new InMemoryIam({
    account: sample.account,
    clock: () => clock.now(),
    reportSnapshot: sample.reportSnapshot,
    beforeCall,
  });
  if (options.failures !== false) applySampleFailures(iam);
  return iam;
};

/** The successful and failed DeleteLoginProfile calls an InMemoryIam saw for a user. */
export const deleteCalls = (iam: InMemoryIam, userName: string): number =>
  iam.calls.filter((c) => c.operation === 'deleteLoginProfile' && c.userName === userName).length;

/**
 * Holds chosen IAM calls until released, for an InMemoryIam's `beforeCall`: a held call sees IAM as
 * it is when released, so clicks can be made to overlap for real.
 */
export interface IamGate {
  readonly beforeCall: IamHook;
  /** From now on, calls for which `match` is true wait until `release()`. */
  hold(match: (operation: IamOperation, userName: string | undefined) => boolean): void;
  /** How many calls are waiting right now. */
  readonly waiting: number;
  /** Resolves once at least `count` calls are waiting; rejects after `timeoutMs` (real time). */
  whenHeld(count: number, timeoutMs?: number): Promise<void>;
  /** Lets every waiting call go and stops holding. */
  release(): void;
  /**
   * Stops holding and forgets the waiting calls without letting them go: they never finish, as if
   * the process that made them had died in the middle.
   */
  drop(): void;
}

export const createIamGate = (): IamGate => {
  let match: ((operation: IamOperation, userName: string | undefined) => boolean) | null = null;
  let waiters: (() => void)[] = [];
  let watchers: { readonly count: number; readonly done: () => void }[] = [];
  const notify = (): void => {
    const ready = watchers.filter((w) => waiters.length >= w.count);
    watchers = watchers.filter((w) => waiters.length < w.count);
    ready.forEach((w) => w.done());
  };
  return {
    beforeCall: (operation, userName) => {
      if (match === null || !match(operation, userName)) return Promise.resolve();
      const held = new Promise<void>((resolve) => waiters.push(resolve));
      notify();
      return held;
    },
    hold: (next) => {
      match = next;
    },
    get waiting() {
      return waiters.length;
    },
    whenHeld: (count, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        if (waiters.length >= count) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          watchers = watchers.filter((w) => w !== watcher);
          reject(new Error(`timed out waiting for ${count} held IAM call(s); ${waiters.length} held`));
        }, timeoutMs);
        const watcher = {
          count,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        watchers.push(watcher);
      }),
    release: () => {
      match = null;
      const go = waiters;
      waiters = [];
      go.forEach((resolve) => resolve());
    },
    drop: () => {
      match = null;
      waiters = [];
    },
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text a person sees in a response or message: its fallback text and every block, as JSON. */
export const seen = (body: { readonly text?: unknown; readonly blocks?: unknown } | undefined | null): string =>
  JSON.stringify({ text: body?.text, blocks: body?.blocks });

export interface Button {
  readonly actionId: string;
  readonly value: string;
}

/** Every button (action_id, value) in some blocks. */
export const buttonsIn = (blocks: unknown): Button[] => {
  const found: Button[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isRecord(node)) {
      if (node['type'] === 'button' && typeof node['action_id'] === 'string') {
        found.push({ actionId: node['action_id'], value: typeof node['value'] === 'string' ? node['value'] : '' });
      }
      Object.values(node).forEach(visit);
    }
  };
  visit(blocks);
  return found;
};

/** Buttons as the raw Block Kit objects (style, confirm), for the checks buttonsIn leaves out. */
export const rawButtons = (blocks: unknown): Record<string, unknown>[] => {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isRecord(node)) {
      if (node['type'] === 'button') found.push(node);
      Object.values(node).forEach(visit);
    }
  };
  visit(blocks);
  return found;
};

const IAM_USER_CARD = /^\*IAM user `([^`]+)`\*/;

const sectionText = (block: Record<string, unknown>): string => {
  const text = block['text'];
  return isRecord(text) && typeof text['text'] === 'string' ? text['text'] : '';
};

/**
 * The buttons of one IAM user's card in a nudge, summary or re-rendered DM: a card starts with a
 * section "*IAM user `name`*…" and its buttons follow (actions block or the section's accessory).
 */
export const buttonsForUser = (blocks: unknown, userName: string): Button[] => {
  if (!Array.isArray(blocks)) return [];
  let current: string | null = null;
  const found: Button[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    if (block['type'] === 'divider' || block['type'] === 'header') current = null;
    if (block['type'] === 'section') {
      const match = IAM_USER_CARD.exec(sectionText(block));
      if (match !== null) current = match[1] ?? null;
    }
    if (current === userName) found.push(...buttonsIn(block));
  }
  return found;
};

/** The one button with this action_id among `blocks`' buttons for `userName` (throws when absent). */
export const userButton = (blocks: unknown, userName: string, actionId: string): Button => {
  const button = buttonsForUser(blocks, userName).find((b) => b.actionId === actionId);
  if (button === undefined)
    throw new Error(`no ${actionId} button for ${userName} in ${JSON.stringify(blocks).slice(0, 300)}…`);
  return button;
};

/** The id in a `finding:<id>` or `removal:<id>` button value. */
export const idOf = (value: string): number => {
  const match = /^(?:finding|removal):(\d+)$/.exec(value);
  if (match === null) throw new Error(`not a finding or removal button value: ${value}`);
  return Number(match[1]);
};

/** The Approve and Deny buttons of a pending-removal approval message about `userName`, if it is one. */
export const approvalButtons = (
  message: { readonly text?: unknown; readonly blocks?: unknown },
  userName: string,
): { approve: string; deny: string } | null => {
  const buttons = buttonsIn(message.blocks);
  const approve = buttons.find((b) => b.actionId === 'mfa_approve_removal')?.value;
  const deny = buttons.find((b) => b.actionId === 'mfa_deny_removal')?.value;
  if (approve === undefined || deny === undefined || !seen(message).includes(userName)) return null;
  return { approve, deny };
};

/** An audit entry as the bot writes it to "stdout" (auditJson's fields). */
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
  isRecord(value) &&
  value['type'] === 'audit' &&
  typeof value['actor'] === 'string' &&
  typeof value['action'] === 'string' &&
  typeof value['outcome'] === 'string';

/** The audit lines from index `from` on, parsed (throws on a line that is not an audit entry). */
export const parseAuditLines = (lines: readonly string[], from = 0): AuditLine[] =>
  lines.slice(from).map((line) => {
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
 * What a bot database holds now (removal requests, findings, audit row count), read with SQL, so a
 * test can say "nothing changed" about state Slack cannot see.
 */
export const readStoredStateFrom = (db: Database.Database): StoredState => {
  const rows = (sql: string): Record<string, unknown>[] => db.prepare(sql).all().filter(isRecord);
  const removals = rows('SELECT id, user_name, state, requested_by, decided_by FROM removal_requests ORDER BY id').map(
    (r) => ({
      id: num(r, 'id'),
      userName: text(r, 'user_name') ?? '',
      state: text(r, 'state') ?? '',
      requestedBy: text(r, 'requested_by') ?? '',
      decidedBy: text(r, 'decided_by'),
    }),
  );
  const findings = rows('SELECT id, user_name, closed_at, close_reason FROM findings ORDER BY id').map((r) => ({
    id: num(r, 'id'),
    userName: text(r, 'user_name') ?? '',
    closedAt: text(r, 'closed_at'),
    closeReason: text(r, 'close_reason'),
  }));
  const [count] = rows('SELECT COUNT(*) AS n FROM audit_log');
  return { removals, findings, auditRows: count === undefined ? 0 : num(count, 'n') };
};
