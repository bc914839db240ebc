import { ownerOnRecord, ownersFileOwner, ownersFileRecord } from '../domain/owner-record';
import { accountById, accountDefaultOwner, type OwnersFile } from '../domain/owners';
import type { Owner } from '../domain/types';
import type { FindingStore, ScanStore } from '../ports/stores';
import type { LiveCheck } from './check-user';
import { type ViewerLookup, viewerOwns } from './viewer';

/**
 * What deciding from stored records who owns a user needs: no AWS call. The owners file is not
 * among them: a use case reads it once (the file as it is now, or its last good copy) and passes
 * that copy to every decision and live check it makes.
 */
export interface OwnerOnRecordDeps {
  /**
   * `accountNames`: the alias the last scan stored, so alias-scoped owners-file keys match (never
   * the name). `usersNamed`, never every user of the account: a request reads the one user it is about.
   */
  readonly scans: Pick<ScanStore, 'usersNamed' | 'accountNames'>;
  readonly findings: Pick<FindingStore, 'recordedOwners'>;
}

/** A user's owner as mfa-guard has it on record, and which IAM user the record is about. */
export interface StoredOwner {
  readonly owner: Owner;
  /** The account and IAM user (UserId) the record is about; null when the owners file names the owner by name. */
  readonly accountId: string | null;
  readonly userId: string | null;
}

/** The owner on record of one IAM user (by account, name and UserId), or null when no record names it. */
export const storedOwnerOf = async (
  deps: OwnerOnRecordDeps,
  ownersFile: OwnersFile,
  user: { readonly accountId: string; readonly userName: string; readonly userId: string },
): Promise<Owner | null> => {
  const state = (await deps.scans.usersNamed(user.userName)).find(
    (r) => r.accountId === user.accountId && r.userName === user.userName && r.userId === user.userId,
  );
  const recorded = (await deps.findings.recordedOwners(user.accountId)).find((r) => r.userId === user.userId);
  return ownerOnRecord({
    ...ownersFileRecord(
      ownersFile,
      accountById(user.accountId, (await deps.scans.accountNames(user.accountId)).alias),
      user.userName,
    ),
    finding: recorded?.owner ?? null,
    lastState: state ?? null,
  });
};

/**
 * The owner on record of the user someone typed a name for, in account `accountId` (the one picked,
 * or the one stored data places the name in; null when there is none). IAM user names are unique
 * whatever their case, so the stored state is found the same way; the owners file is then matched
 * against the user's real name.
 */
export const storedOwnerByName = async (
  deps: OwnerOnRecordDeps,
  ownersFile: OwnersFile,
  accountId: string | null,
  typed: string,
): Promise<StoredOwner | null> => {
  const state =
    accountId === null
      ? undefined
      : (await deps.scans.usersNamed(typed)).find(
          (r) => r.accountId === accountId && r.userName.toLowerCase() === typed.toLowerCase(),
        );
  const account = accountId === null ? null : accountById(accountId, (await deps.scans.accountNames(accountId)).alias);
  // The live check re-decides with the account it checks in (liveCheckConfirms), scoped entries included.
  const fromFile = ownersFileOwner(ownersFile, account, state?.userName ?? typed);
  if (fromFile !== null) return { owner: fromFile, accountId: null, userId: null };
  if (account === null || state === undefined) return null;
  const recorded = (await deps.findings.recordedOwners(account.accountId)).find((r) => r.userId === state.userId);
  const owner = ownerOnRecord({
    ownersFile: null,
    accountDefault: accountDefaultOwner(ownersFile, account),
    finding: recorded?.owner ?? null,
    lastState: state,
  });
  return owner === null ? null : { owner, accountId: account.accountId, userId: state.userId };
};

/**
 * After the live check of a user someone was let look at from the record: whether what it found is
 * still theirs. An owner the check knows for certain decides; otherwise the record does, but only
 * for the same account and IAM user (a user recreated under the name is someone else's until known).
 */
export const liveCheckConfirms = async (
  lookup: ViewerLookup,
  stored: StoredOwner,
  accountId: string,
  live: Extract<LiveCheck, { kind: 'checked' }>,
): Promise<boolean> => {
  if (stored.accountId !== null && stored.accountId !== accountId) return false;
  if (live.ownerKnown) return viewerOwns(lookup, live.result.owner);
  return stored.userId === null || stored.userId === live.result.userId;
};
