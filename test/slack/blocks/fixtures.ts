import type {
  AccountRunLine,
  MessageUser,
  NudgeMessageInput,
  ScanSummaryInput,
  UnownedOffender,
} from '../../../src/domain/notifications';
import type { AccountRef, UserResult } from '../../../src/domain/types';
import { FIXTURE_NOW, userResult } from '../../support/user-result';

export const NOW = FIXTURE_NOW;
export const DAY = 86_400_000;
export const ACCOUNT: AccountRef = { accountId: '111122223333', partition: 'aws', alias: null };

/** What a hostile tag, reason or error text could carry: a broadcast, a disguised link, a raw `&`. */
export const HOSTILE = '<!channel> <https://evil|click> & co';

export const offender = (userName: string, days = 3, extra: Partial<UserResult> = {}): UserResult =>
  userResult(userName, 'non_compliant', { nonCompliantSince: new Date(NOW.getTime() - days * DAY), ...extra });

export const messageUsers = (names: readonly string[]): MessageUser[] =>
  names.map((name, i) => ({ user: offender(name), ref: `finding:${i + 1}` }));

/** `count` valid IAM names of exactly `length` characters (IAM allows [A-Za-z0-9+=,.@_-], up to 64). */
export const longNames = (count: number, length = 64): string[] =>
  Array.from({ length: count }, (_, i) =>
    `${String(i).padStart(4, '0')}_svc.deploy+ci=x,y@example.com-`.padEnd(length, 'z').slice(0, length),
  );

export const unownedOf = (users: readonly MessageUser[]): UnownedOffender[] =>
  users.map((u, i) => ({
    ...u,
    why: i % 2 === 0 ? { kind: 'no_owner' } : { kind: 'not_in_slack', owner: `owner${i}@example.com` },
  }));

/** A DM about one account (ACCOUNT unless `account` says otherwise). */
export const nudgeInput = (
  users: readonly MessageUser[],
  extra: Partial<Omit<NudgeMessageInput, 'groups'>> & { readonly account?: AccountRef } = {},
): NudgeMessageInput => {
  const { account = ACCOUNT, ...rest } = extra;
  return { ownerSlackId: 'U0OWNER1', groups: [{ account, users }], now: NOW, removalEnabled: true, ...rest };
};

/** One completed account's line: ACCOUNT's numbers unless overridden. */
export const accountLine = (extra: Partial<AccountRunLine> = {}): AccountRunLine => ({
  account: ACCOUNT,
  startedAt: NOW,
  finishedAt: new Date(NOW.getTime() + 2500),
  strategy: { name: 'credential-report', reason: 'the credential report was fresh' },
  counts: { non_compliant: 3, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 },
  newSinceLastScan: 1,
  fixedSinceLastScan: 2,
  rootWithoutMfa: false,
  ...extra,
});

/** A run of one account (the summary as it always read) unless `accounts` or `failedAccounts` say otherwise. */
export const summaryInput = (extra: Partial<ScanSummaryInput> = {}): ScanSummaryInput => ({
  startedAt: NOW,
  finishedAt: new Date(NOW.getTime() + 2500),
  failedAccounts: [],
  accounts: [accountLine()],
  reopened: [],
  unowned: [],
  escalated: [],
  escalateAfterDays: 7,
  exemptUsers: [],
  errorUsers: [],
  issues: [],
  failedDms: [],
  removalEnabled: true,
  now: NOW,
  ...extra,
});
