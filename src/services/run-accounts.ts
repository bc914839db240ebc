/**
 * The completed accounts of a run as notifying sees them: each account's findings by user name, the
 * users grouped by account, and what a message about some of them records as its scan and account.
 */
import { type AccountUsers, findingRef, type MessageUser } from '../domain/notifications';
import type { AccountScan, CompletedRun, SavedScan } from '../domain/scan';
import type { MessageSubject } from '../domain/stored-messages';
import type { UserResult } from '../domain/types';

/** One completed account of the run, with its findings' ids by user name (names are unique within an account). */
export interface Completed {
  readonly scan: AccountScan;
  readonly saved: SavedScan;
  readonly findingIds: ReadonlyMap<string, number>;
}

/** The completed accounts of a run, by account id, in the run's order. */
export type CompletedAccounts = ReadonlyMap<string, Completed>;

export const completedAccounts = (run: CompletedRun): CompletedAccounts =>
  new Map(
    run.accounts.flatMap((a) =>
      a.outcome === 'completed'
        ? [
            [
              a.scan.account.accountId,
              {
                scan: a.scan,
                saved: a.saved,
                findingIds: new Map(a.saved.open.map((f) => [f.userName, f.id] as const)),
              },
            ] as const,
          ]
        : [],
    ),
  );

export const findingIdOf = (accounts: CompletedAccounts, user: UserResult): number | null =>
  accounts.get(user.accountId)?.findingIds.get(user.userName) ?? null;

export const subjectOf = (user: UserResult, accounts: CompletedAccounts): MessageSubject => ({
  accountId: user.accountId,
  userName: user.userName,
  userId: user.userId,
  findingId: findingIdOf(accounts, user),
});

/** The button value of a user; without an open finding there is nothing for a button to act on. */
export const messageUser = (user: UserResult, accounts: CompletedAccounts): MessageUser | null => {
  const id = findingIdOf(accounts, user);
  return id === null ? null : { user, ref: findingRef(id) };
};

/** The users grouped by their account, in the run's order; accounts without one are left out. */
export const groupByAccount = (users: readonly UserResult[], accounts: CompletedAccounts): AccountUsers[] =>
  [...accounts.values()].flatMap(({ scan }) => {
    const mine = users.flatMap((u) => (u.accountId === scan.account.accountId ? (messageUser(u, accounts) ?? []) : []));
    return mine.length === 0 ? [] : [{ account: scan.account, users: mine }];
  });

/**
 * What a message about these accounts records as its scan: the one that started first, so nudge
 * cadence counts from the start of the run (see SlackMessageRecord.scanId).
 */
export const reportScanId = (accountIds: readonly string[], accounts: CompletedAccounts): number | null => {
  const covered = accountIds.flatMap((id) => accounts.get(id) ?? []);
  const [first] = [...covered].sort((a, b) => a.scan.startedAt.getTime() - b.scan.startedAt.getTime());
  return first?.saved.scanId ?? null;
};

/** The account a message is about, or null when it is about several (its subjects carry theirs). */
export const soleAccount = (accountIds: readonly string[]): string | null => {
  const distinct = [...new Set(accountIds)];
  return distinct.length === 1 ? (distinct[0] ?? null) : null;
};
