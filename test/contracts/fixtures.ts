/** Test data shared by the store contract suites and the adapters' own tests. */
import type { AccountScan } from '../../src/domain/scan';
import type { MessageSubject, SlackMessageRecord } from '../../src/domain/stored-messages';
import type { Finding, FindingCloseReason, NewFinding, StatusCounts, UserResult } from '../../src/domain/types';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';

export const T0 = new Date('2025-03-01T10:00:00.000Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

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

export const accountScan = (
  overrides: Partial<AccountScan> & { accountId?: string; alias?: string | null; name?: string | null } = {},
): AccountScan => {
  const { accountId = ACCOUNT_A, alias = null, name = null, ...rest } = overrides;
  const users = rest.users ?? [];
  return {
    account: { accountId, partition: 'aws', alias, name },
    startedAt: at(0),
    finishedAt: at(1),
    strategy: { name: 'credential-report', reason: 'report is fresh' },
    reportGeneratedAt: at(-5),
    root: { accountId, mfaActive: true, source: 'report' },
    users,
    counts: countsOf(users),
    opened: [],
    closed: [],
    escalationSince: new Map(),
    issues: [],
    knownOwnerIds: [],
    ...rest,
  };
};

/** The finding a scan opens for `u`: one that starts a chain, unless `chain` says which it continues. */
export const newFinding = (
  u: UserResult,
  openedAt: Date = u.checkedAt,
  chain: Pick<NewFinding, 'reopensId' | 'chainStartedAt'> = { reopensId: null, chainStartedAt: openedAt },
): NewFinding => ({
  accountId: u.accountId,
  userName: u.userName,
  userId: u.userId,
  openedAt,
  ...chain,
});

/** `finding` as a scan closes it. */
export const closing = (finding: Finding, closedAt: Date, closeReason: FindingCloseReason): Finding => ({
  ...finding,
  closedAt,
  closeReason,
});

/** The finding of `userName` among `findings` (a SavedScan's `opened` or `open`). */
export const findingOf = (findings: readonly Finding[], userName: string, accountId: string = ACCOUNT_A): Finding => {
  const found = findings.find((f) => f.userName === userName && f.accountId === accountId);
  if (found === undefined) throw new Error(`no finding for ${userName} in ${accountId} among ${findings.length}`);
  return found;
};

/** The subject of a Slack message about `u`, pointing at its finding when it has one. */
export const subjectOf = (u: UserResult, findingId: number | null = null): MessageSubject => ({
  accountId: u.accountId,
  userName: u.userName,
  userId: u.userId,
  findingId,
});

/** The ts nudgeRecord gives a message sent at `when`. */
export const nudgeTs = (when: Date): string => `${Math.floor(when.getTime() / 1000)}.000100`;

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
    outcome: { status: 'sent', channel: `D${overrides.recipient}`, ts: nudgeTs(when) },
    at: when,
    ...overrides,
  };
};

/** What `promise` rejected with (fails the test when it resolves). */
export const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
};
