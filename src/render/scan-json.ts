import type { AccountScan } from '../domain/scan';
import type { StatusCounts, UserResult } from '../domain/types';
import { sortBySeverity } from './scan-report';

/**
 * The `scan --json` document. Its shape is a public interface (documented in the README): add
 * fields if you must, never rename or remove one.
 */
export interface ScanJson {
  readonly generatedAt: string;
  readonly strategy: { readonly name: string; readonly reason: string };
  readonly accounts: readonly {
    readonly accountId: string;
    readonly partition: string;
    /** The account alias the scan read; null when none (or it could not be read: see `issues`). */
    readonly alias: string | null;
    readonly reportGeneratedAt: string | null;
  }[];
  readonly rootAccounts: readonly { readonly accountId: string; readonly mfaActive: boolean | null }[];
  readonly summary: StatusCounts & {
    readonly total: number;
    readonly new: number;
    readonly reopened: number;
    readonly fixed: number;
  };
  readonly users: readonly UserJson[];
  readonly issues: readonly { readonly code: string; readonly message: string; readonly userName: string | null }[];
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

export const scanToJson = (scan: AccountScan, generatedAt: Date): ScanJson => ({
  generatedAt: generatedAt.toISOString(),
  strategy: { name: scan.strategy.name, reason: scan.strategy.reason },
  accounts: [
    {
      accountId: scan.account.accountId,
      partition: scan.account.partition,
      alias: scan.account.alias,
      reportGeneratedAt: iso(scan.reportGeneratedAt),
    },
  ],
  rootAccounts: [{ accountId: scan.account.accountId, mfaActive: scan.root?.mfaActive ?? null }],
  summary: {
    ...scan.counts,
    total: scan.users.length,
    // A reopened finding continues one fixed only briefly: not a new offender.
    new: scan.opened.filter((f) => f.reopensId === null).length,
    reopened: scan.opened.filter((f) => f.reopensId !== null).length,
    fixed: scan.closed.filter((c) => c.closeReason === 'fixed').length,
  },
  users: sortBySeverity(scan.users).map((user) => userToJson(user, scan.escalationSince)),
  issues: scan.issues.map((i) => ({ code: i.code, message: i.message, userName: i.userName ?? null })),
});
