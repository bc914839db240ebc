import type { MessageUser, ScanSummaryInput, UnownedOffender } from '../../../src/domain/notifications';
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

export const summaryInput = (extra: Partial<ScanSummaryInput> = {}): ScanSummaryInput => ({
  account: ACCOUNT,
  startedAt: NOW,
  finishedAt: new Date(NOW.getTime() + 2500),
  strategy: { name: 'credential-report', reason: 'the credential report was fresh' },
  counts: { non_compliant: 3, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 },
  newSinceLastScan: 1,
  reopened: [],
  fixedSinceLastScan: 2,
  unowned: [],
  escalated: [],
  escalateAfterDays: 7,
  rootWithoutMfa: false,
  exemptUsers: [],
  errorUsers: [],
  issues: [],
  failedDms: [],
  removalEnabled: true,
  now: NOW,
  ...extra,
});
