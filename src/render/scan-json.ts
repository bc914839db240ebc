import { shownAlias } from '../domain/account-label';
import { completedScans, runCounts } from '../domain/completed-run';
import type { AccountOutcome, AccountScan, CompletedRun } from '../domain/scan';
import type { StatusCounts, UserResult } from '../domain/types';
import { sortBySeverity } from './scan-report';

/**
 * The `scan --json` document. Its shape is a public interface (documented in the README): add
 * fields if you must, never rename or remove one.
 */
export interface ScanJson {
  readonly generatedAt: string;
  /** The strategy every completed account shares; `mixed` (an addition) when they differ. */
  readonly strategy: { readonly name: string; readonly reason: string };
  /** Every account of the run, in listing order, failed ones included. */
  readonly accounts: readonly AccountJson[];
  readonly rootAccounts: readonly { readonly accountId: string; readonly mfaActive: boolean | null }[];
  /** Summed over the completed accounts. */
  readonly summary: StatusCounts & {
    readonly total: number;
    readonly new: number;
    readonly reopened: number;
    readonly fixed: number;
  };
  /** Across the completed accounts; each names its account. */
  readonly users: readonly UserJson[];
  readonly issues: readonly {
    readonly accountId: string;
    readonly code: string;
    readonly message: string;
    readonly userName: string | null;
  }[];
}

export interface AccountJson {
  /** Null only for an account whose credentials could not even say which account they reach. */
  readonly accountId: string | null;
  /** Null for a failed account. */
  readonly partition: string | null;
  /** The IAM alias, else the organization's name for the account; null when neither is known. */
  readonly alias: string | null;
  /** The organization's name for the account (an addition); null when it was not listed from one. */
  readonly name: string | null;
  readonly reportGeneratedAt: string | null;
  readonly outcome: 'completed' | 'failed';
  readonly error: { readonly code: string; readonly message: string; readonly hint: string | null } | null;
  readonly strategy: { readonly name: string; readonly reason: string } | null;
}

export interface UserJson {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly arn: string;
  readonly status: string;
  readonly source: string;
  readonly checkedAt: string;
  readonly createdAt: string;
  readonly passwordLastUsed: string | null;
  readonly nonCompliantSince: string | null;
  /** When the user's finding chain started (escalation counts from it); null without an open finding. */
  readonly escalationSince: string | null;
  readonly owner: { readonly kind: string; readonly value: string | null; readonly source: string };
  readonly reason: string | null;
  readonly graceUntil: string | null;
}

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** `escalationSince`: the scan's (AccountScan.escalationSince), by user name; a user not in it gets null. */
export const userToJson = (user: UserResult, escalationSince: ReadonlyMap<string, Date>): UserJson => ({
  accountId: user.accountId,
  userName: user.userName,
  userId: user.userId,
  arn: user.arn,
  status: user.status,
  source: user.source,
  checkedAt: user.checkedAt.toISOString(),
  createdAt: user.createdAt.toISOString(),
  passwordLastUsed: iso(user.passwordLastUsed),
  nonCompliantSince: iso(user.nonCompliantSince),
  escalationSince: iso(escalationSince.get(user.userName) ?? null),
  owner: { kind: user.owner.kind, value: user.owner.value, source: user.owner.source },
  reason: user.reason,
  graceUntil: iso(user.graceUntil),
});

const accountToJson = (account: AccountOutcome): AccountJson => {
  if (account.outcome === 'failed') {
    const { failure } = account;
    return {
      accountId: failure.accountId,
      partition: null,
      alias: shownAlias(failure),
      name: failure.name,
      reportGeneratedAt: null,
      outcome: 'failed',
      error: { code: failure.code, message: failure.message, hint: failure.hint },
      strategy: null,
    };
  }
  const { scan } = account;
  return {
    accountId: scan.account.accountId,
    partition: scan.account.partition,
    alias: shownAlias(scan.account),
    name: scan.account.name ?? null,
    reportGeneratedAt: iso(scan.reportGeneratedAt),
    outcome: 'completed',
    error: null,
    strategy: { name: scan.strategy.name, reason: scan.strategy.reason },
  };
};

/** The strategy every completed account shares, else `mixed` with what each used. */
export const sharedStrategy = (scans: readonly AccountScan[]): { name: string; reason: string } => {
  const names = new Set(scans.map((s) => s.strategy.name));
  const reasons = [...new Set(scans.map((s) => s.strategy.reason))];
  const [name] = names;
  if (names.size === 1 && name !== undefined) return { name, reason: reasons.join('; ') };
  return {
    name: 'mixed',
    reason: `the accounts were scanned differently: ${scans.map((s) => `${s.account.accountId} ${s.strategy.name}`).join(', ')}`,
  };
};

const sum = (scans: readonly AccountScan[], count: (scan: AccountScan) => number): number =>
  scans.reduce((total, scan) => total + count(scan), 0);

export const runToJson = (run: CompletedRun, generatedAt: Date): ScanJson => {
  const scans = completedScans(run);
  const users = scans.flatMap((scan) => sortBySeverity(scan.users).map((u) => userToJson(u, scan.escalationSince)));
  return {
    generatedAt: generatedAt.toISOString(),
    strategy: sharedStrategy(scans),
    accounts: run.accounts.map(accountToJson),
    rootAccounts: scans.map((scan) => ({ accountId: scan.account.accountId, mfaActive: scan.root?.mfaActive ?? null })),
    summary: {
      ...runCounts(run),
      total: sum(scans, (s) => s.users.length),
      // A reopened finding continues one fixed only briefly: not a new offender.
      new: sum(scans, (s) => s.opened.filter((f) => f.reopensId === null).length),
      reopened: sum(scans, (s) => s.opened.filter((f) => f.reopensId !== null).length),
      fixed: sum(scans, (s) => s.closed.filter((c) => c.closeReason === 'fixed').length),
    },
    users,
    issues: scans.flatMap((scan) =>
      scan.issues.map((i) => ({
        accountId: scan.account.accountId,
        code: i.code,
        message: i.message,
        userName: i.userName ?? null,
      })),
    ),
  };
};
