import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { StatusCounts, UserResult } from '../../../src/domain/types';
import type { AccountScan, MessageSubject, SlackMessageRecord } from '../../../src/ports';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';

export const T0 = new Date('2025-03-01T10:00:00.000Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

/** Temp folders and open connections of one test, cleaned up by `cleanup()` in afterEach. */
export const scratch = (): {
  dir(): string;
  track(db: Database.Database): Database.Database;
  cleanup(): void;
} => {
  const dirs: string[] = [];
  const dbs: Database.Database[] = [];
  return {
    dir: () => {
      const dir = mkdtempSync(join(tmpdir(), 'mfa-guard-sqlite-'));
      dirs.push(dir);
      return dir;
    },
    track: (db) => {
      dbs.push(db);
      return db;
    },
    cleanup: () => {
      for (const db of dbs.splice(0)) if (db.open) db.close();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
};

export const user = (overrides: Partial<UserResult> & Pick<UserResult, 'userName'>): UserResult => ({
  accountId: ACCOUNT_A,
  userId: `AIDA${overrides.userName.toUpperCase()}`,
  arn: `arn:aws:iam::${overrides.accountId ?? ACCOUNT_A}:user/${overrides.userName}`,
  status: 'compliant',
  source: 'report',
  checkedAt: at(0),
  createdAt: new Date('2020-01-02T03:04:05.678Z'),
  passwordLastUsed: null,
  nonCompliantSince: null,
  owner: { kind: 'unowned', value: null, source: 'none' },
  reason: null,
  graceUntil: null,
  ...overrides,
});

export const countsOf = (users: readonly UserResult[]): StatusCounts => {
  const counts = { no_console: 0, compliant: 0, non_compliant: 0, grace: 0, exempt: 0, error: 0 };
  for (const u of users) counts[u.status] += 1;
  return counts;
};

export const accountScan = (overrides: Partial<AccountScan> & { accountId?: string } = {}): AccountScan => {
  const { accountId = ACCOUNT_A, ...rest } = overrides;
  const users = rest.users ?? [];
  return {
    account: { accountId, partition: 'aws' },
    startedAt: at(0),
    finishedAt: at(1),
    strategy: { name: 'credential-report', reason: 'report is fresh' },
    reportGeneratedAt: at(-5),
    root: { accountId, mfaActive: true, source: 'report' },
    users,
    counts: countsOf(users),
    opened: [],
    closed: [],
    issues: [],
    ...rest,
  };
};

/** What `fn` threw (fails the test when it returns normally). */
export const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
};

/** The subject of a Slack message about `u`, pointing at its finding when it has one. */
export const subjectOf = (u: UserResult, findingId: number | null = null): MessageSubject => ({
  accountId: u.accountId,
  userName: u.userName,
  userId: u.userId,
  findingId,
});

/**
 * A nudge DM to `recipient` that reached Slack, unless `outcome` says otherwise. Its ts follows
 * from `at`, so two sends at different times never clash on (channel, ts).
 */
export const nudgeRecord = (
  overrides: Partial<SlackMessageRecord> & Pick<SlackMessageRecord, 'recipient' | 'subjects'>,
): SlackMessageRecord => {
  const when = overrides.at ?? at(0);
  return {
    kind: 'nudge',
    scanId: null,
    accountId: ACCOUNT_A,
    outcome: { status: 'sent', channel: `D${overrides.recipient}`, ts: `${Math.floor(when.getTime() / 1000)}.000100` },
    at: when,
    ...overrides,
  };
};
