/**
 * Which owner of an IAM user mfa-guard may trust, and when.
 *
 * An evaluation knows a user's owner for certain when the owners file names one, or when the
 * user's tags were read by a check that succeeded. Otherwise its owner is a fallback (the user name
 * if it is an email address, else the account's default owner, else nobody) that an owner tag it did
 * not read might contradict: a scan
 * reads tags only for users with a console password and no MFA, and a check that failed read none
 * it can vouch for. A fallback must never replace an owner known before, or an IAM hiccup would lock
 * the owner out of their own finding (and show them an all-clear).
 */
import { accountById, accountDefaultOwner, type AccountRef, matchesName, ownerEntry, type OwnersFile } from './owners';
import type { Owner, Tags, UserResult, UserStatus } from './types';

/** The owner recorded on a user's open finding: the owner last known for certain. */
export interface RecordedOwner {
  readonly accountId: string;
  readonly userName: string;
  /** The IAM UserId: a recreated user under the same name is someone else. */
  readonly userId: string;
  readonly owner: Owner;
}

/**
 * The owner the owners file names for the user now, or null when it names none (tags decide). The
 * account's default owner is not one: it comes below tags. With the account not known yet (no scan
 * has run), only an entry for every account can answer, and only when no account-scoped entry could
 * outrank it.
 */
export const ownersFileOwner = (file: OwnersFile, account: AccountRef | null, userName: string): Owner | null => {
  if (account === null && file.entries.some((e) => e.account !== null && e.owner !== null && matchesName(e, userName)))
    return null;
  const entry = ownerEntry(file, account, userName);
  return entry?.owner ? { ...entry.owner, source: `owners-file:${entry.pattern}` } : null;
};

/** Whether an evaluation's owner is known for certain (see the top of this file). */
export const evaluationKnowsOwner = (input: {
  readonly accountId: string;
  readonly accountAlias?: string | null;
  readonly userName: string;
  readonly tags: Tags | null;
  readonly ownersFile: OwnersFile;
  readonly status: UserStatus;
}): boolean =>
  ownersFileOwner(input.ownersFile, accountById(input.accountId, input.accountAlias ?? null), input.userName) !==
    null ||
  (input.tags !== null && input.status !== 'error');

/** The owner a finding records after an evaluation: the new one when known, else the one it had (null while none). */
export const ownerToRecord = (recorded: Owner | null, evaluated: Owner, known: boolean): Owner | null =>
  known ? evaluated : recorded;

// A check reads the tags of every user with a console password and no MFA, and one whose tags
// cannot be read becomes `error`: a stored state with one of these statuses had its tags read.
const TAGS_READ: readonly UserStatus[] = ['non_compliant', 'grace', 'exempt'];

/** What the owners file says now about a user's owner. */
export interface FileOwners {
  /** The owner an entry names (`ownersFileOwner`). */
  readonly ownersFile: Owner | null;
  /** The account's default owner (`accounts:`). */
  readonly accountDefault: Owner | null;
}

const sameOwner = (a: Owner, b: Owner | null): boolean =>
  b !== null && a.kind === b.kind && a.value === b.value && a.source === b.source;

/** An owner the owners file gave that it no longer gives: a file entry (the file names none now) or a changed default. */
const staleFromFile = (owner: Owner, accountDefault: Owner | null): boolean =>
  owner.source.startsWith('owners-file:') ||
  (owner.source.startsWith('account-default:') && !sameOwner(owner, accountDefault));

/**
 * The owner of a user as mfa-guard has it on record, without asking AWS: what the owners file names
 * now; else the owner recorded on the user's open finding; else the owner in the user's last stored
 * state, if that state had its tags read (an owner from a tag, or a status only reached after
 * reading them). Null when no record names the owner for certain: a user no scan has seen, or one
 * with MFA whose owner would come from a tag a scan never read. An owner that came from the owners
 * file counts only while the file still names it: an entry's while the entry does (`ownersFile`),
 * an account default's while it is still the account's default (`accountDefault`). A default is a
 * fallback below tags, so it counts only where a user name that is an email would: from a
 * record whose tags were read.
 */
export const ownerOnRecord = (
  input: FileOwners & {
    readonly finding: Owner | null;
    readonly lastState: Pick<UserResult, 'status' | 'owner'> | null;
  },
): Owner | null => {
  if (input.ownersFile !== null) return input.ownersFile;
  if (input.finding !== null && !staleFromFile(input.finding, input.accountDefault)) return input.finding;
  const state = input.lastState;
  if (state === null || staleFromFile(state.owner, input.accountDefault)) return null;
  if (state.owner.source.startsWith('tag:')) return state.owner;
  return TAGS_READ.includes(state.status) ? state.owner : null;
};

/** What the owners file says now about a user's owner, for `ownerOnRecord`. */
export const ownersFileRecord = (file: OwnersFile, account: AccountRef, userName: string): FileOwners => ({
  ownersFile: ownersFileOwner(file, account, userName),
  accountDefault: accountDefaultOwner(file, account),
});
