import type { AccountNames } from '../domain/account-label';
import { countStatuses } from '../domain/counts';
import { resultForViewer } from '../domain/error-detail';
import type { AccountOverview, LastScanInfo, StatusUser } from '../domain/interaction-messages';
import { findingRef } from '../domain/notifications';
import { ownerOnRecord, ownersFileRecord } from '../domain/owner-record';
import { accountById } from '../domain/owners';
import type { Owner, UserResult, UserStatus } from '../domain/types';
import type { AwsAccounts } from '../ports/accounts';
import type { OwnersSource } from '../ports/owners';
import type { FindingStore, ScanStore } from '../ports/stores';
import { type ViewerLookup, viewerOwns } from './viewer';

const RANK: Readonly<Record<UserStatus, number>> = {
  non_compliant: 0,
  error: 1,
  grace: 2,
  exempt: 3,
  compliant: 4,
  no_console: 4,
};
const FINDING_STATUSES: readonly UserStatus[] = ['non_compliant', 'grace', 'exempt', 'error'];

/** Most urgent first: offenders (oldest finding first), then errors, grace, exempt, fixed. */
const byUrgency = (a: UserResult, b: UserResult): number =>
  RANK[a.status] - RANK[b.status] ||
  (a.nonCompliantSince?.getTime() ?? 0) - (b.nonCompliantSince?.getTime() ?? 0) ||
  a.userName.localeCompare(b.userName);

/** What the status views read: stored data about every scanned account, and the home account. */
export interface StatusViewDeps {
  readonly scans: Pick<ScanStore, 'lastScan' | 'userResults' | 'accountNames' | 'scannedAccounts'>;
  readonly findings: Pick<FindingStore, 'open' | 'userNamesWithFindings' | 'recordedOwners'>;
  /** The home account: what the views are about before any scan completed. */
  readonly accounts: Pick<AwsAccounts, 'home'>;
  /** The owners file as it is now (or its last good copy): it names owners on record too. */
  readonly owners: OwnersSource;
}

/**
 * The accounts the stored state is about: every account with a completed scan, else the home
 * account (none when it cannot be named: there is nothing stored to show anyway).
 */
export const knownAccountIds = async (deps: Pick<StatusViewDeps, 'scans' | 'accounts'>): Promise<string[]> => {
  const scanned = await deps.scans.scannedAccounts();
  if (scanned.length > 0) return scanned.map((a) => a.accountId);
  try {
    return [(await deps.accounts.home()).accountId];
  } catch {
    return [];
  }
};

export const lastScanInfo = async (deps: Pick<StatusViewDeps, 'scans'>): Promise<LastScanInfo | null> => {
  const last = await deps.scans.lastScan();
  return last === null ? null : { finishedAt: last.finishedAt, outcome: last.outcome, error: last.error };
};

const openFindingIds = async (
  deps: Pick<StatusViewDeps, 'findings'>,
  accountId: string,
): Promise<Map<string, number>> =>
  new Map((await deps.findings.open(accountId)).map((f) => [f.userName, f.id] as const));

const statusUser = (result: UserResult, openIds: ReadonlyMap<string, number>): StatusUser => {
  const id = openIds.get(result.userName);
  return { result, ref: id === undefined ? null : findingRef(id) };
};

/** Across accounts: by urgency, then by account. */
const mostUrgentFirst = (a: StatusUser, b: StatusUser): number =>
  byUrgency(a.result, b.result) || a.result.accountId.localeCompare(b.result.accountId);

/** A list over several accounts names each user's account; over one it reads as it always has. */
const qualified = async (
  deps: Pick<StatusViewDeps, 'scans'>,
  users: readonly StatusUser[],
  accountIds: readonly string[],
): Promise<StatusUser[]> => {
  if (accountIds.length <= 1) return [...users];
  const names = new Map<string, AccountNames>();
  for (const accountId of accountIds) names.set(accountId, await deps.scans.accountNames(accountId));
  return users.map((u) => ({
    ...u,
    account: { accountId: u.result.accountId, alias: null, ...names.get(u.result.accountId) },
  }));
};

export interface ViewerUsers {
  readonly users: StatusUser[];
  /** Some users are owned by an email address and Slack did not tell the viewer's email. */
  readonly emailUnknown: boolean;
  /** Some users could not be checked and no record names their owner: any of them may be the viewer's. */
  readonly ownerUnknown: boolean;
}

/**
 * The viewer's IAM users that have, or had, a finding, as last scanned (or rechecked), each matched
 * by its owner on record: a user whose last check failed keeps the owner its finding recorded.
 * AWS error text is left out for anyone but an approver.
 */
const viewerUsers = async (
  deps: Pick<StatusViewDeps, 'scans' | 'findings' | 'owners'>,
  lookup: ViewerLookup,
  accountId: string,
  approver: boolean,
): Promise<ViewerUsers> => {
  const had = await deps.findings.userNamesWithFindings(accountId);
  const candidates = (await deps.scans.userResults(accountId)).filter(
    (r) => FINDING_STATUSES.includes(r.status) || had.has(r.userName),
  );
  const recorded = new Map((await deps.findings.recordedOwners(accountId)).map((r) => [r.userId, r.owner] as const));
  const { ownersFile } = await deps.owners.current();
  const account = accountById(accountId, (await deps.scans.accountNames(accountId)).alias);
  const mine: UserResult[] = [];
  const owners: Owner[] = [];
  let ownerUnknown = false;
  for (const result of candidates) {
    const known = ownerOnRecord({
      ...ownersFileRecord(ownersFile, account, result.userName),
      finding: recorded.get(result.userId) ?? null,
      lastState: result,
    });
    if (known === null && result.status === 'error') ownerUnknown = true;
    const owner = known ?? result.owner;
    owners.push(owner);
    if (await viewerOwns(lookup, owner)) mine.push(resultForViewer(result, approver));
  }
  const emailUnknown = owners.some((o) => o.kind === 'email') && (await lookup.viewer()).email === null;
  const openIds = await openFindingIds(deps, accountId);
  return { users: mine.sort(byUrgency).map((r) => statusUser(r, openIds)), emailUnknown, ownerUnknown };
};

/** The viewer's users in every one of `accountIds`, most urgent first, each named with its account when there are several. */
export const viewerUsersIn = async (
  deps: Pick<StatusViewDeps, 'scans' | 'findings' | 'owners'>,
  lookup: ViewerLookup,
  accountIds: readonly string[],
  approver: boolean,
): Promise<ViewerUsers> => {
  const users: StatusUser[] = [];
  let emailUnknown = false;
  let ownerUnknown = false;
  for (const accountId of accountIds) {
    const found = await viewerUsers(deps, lookup, accountId, approver);
    users.push(...found.users);
    emailUnknown ||= found.emailUnknown;
    ownerUnknown ||= found.ownerUnknown;
  }
  return { users: await qualified(deps, users.sort(mostUrgentFirst), accountIds), emailUnknown, ownerUnknown };
};

export const accountOverview = async (
  deps: Pick<StatusViewDeps, 'scans'>,
  accountId: string,
): Promise<AccountOverview> => ({
  accountId,
  ...(await deps.scans.accountNames(accountId)),
  counts: countStatuses(await deps.scans.userResults(accountId)),
});

/** The non_compliant users of the accounts, most urgent first, each named with its account when there are several. */
export const accountOffenders = async (
  deps: Pick<StatusViewDeps, 'scans' | 'findings'>,
  accountIds: readonly string[],
): Promise<StatusUser[]> => {
  const offenders: StatusUser[] = [];
  for (const accountId of accountIds) {
    const openIds = await openFindingIds(deps, accountId);
    offenders.push(
      ...(await deps.scans.userResults(accountId))
        .filter((r) => r.status === 'non_compliant')
        .map((r) => statusUser(r, openIds)),
    );
  }
  return qualified(deps, offenders.sort(mostUrgentFirst), accountIds);
};

/** The approver's counts of each account. */
export const accountOverviews = async (
  deps: Pick<StatusViewDeps, 'scans'>,
  accountIds: readonly string[],
): Promise<AccountOverview[]> => {
  const overviews: AccountOverview[] = [];
  for (const accountId of accountIds) overviews.push(await accountOverview(deps, accountId));
  return overviews;
};
