/**
 * The owners file: who hears about an IAM user, and which users are exempt.
 *
 * Format (YAML, or the same structure as JSON):
 *
 *   users:
 *     alice: U012ABCDEF                 # exact IAM user name -> Slack user ID (U… or W…)
 *     "svc-*": platform@example.com     # glob -> email (looked up in Slack later)
 *     breakglass:
 *       owner: U0SECURITY1
 *       exempt: "Break-glass account; hardware token in the safe"
 *     legacy-ci:
 *       exempt: "Decommissioned 2027-01"  # exempt with no owner: owner falls through to tags etc.
 *     111122223333/alice: U0ALICEPROD     # only in account 111122223333
 *     prod/svc-*:                         # only in the account whose alias is "prod"
 *       exempt: false                     # lifts the exemption a less specific entry grants
 *   accounts:
 *     "111122223333": U0PLATFORM1         # the account's default owner (or { owner: … })
 *
 * - The top level is a mapping with the key `users` (required) and `accounts` (optional).
 * - A `users` key is an IAM user name or glob (`*` any run, `?` one character), 1–64 characters
 *   of A–Z a–z 0–9 + = , . @ _ - * ?, optionally scoped to one account: a 12-digit account id or
 *   an account alias, then `/`. Matching is case-sensitive. An alias-scoped key matches only
 *   when the account's alias is known (it is not read from AWS yet: such keys match nothing).
 * - A value is an owner (Slack user ID, `<@U…>` mention, or email address), or a mapping with
 *   `owner` and/or `exempt` (a non-empty reason, at most 1000 characters, or `false`).
 * - The entries that match a user are ranked: scoped exact, scoped glob, unscoped exact,
 *   unscoped glob, each in file order. The owner comes from the first of them that names an
 *   owner, the exemption from the first that says anything about exemption, each on its own: an
 *   owner-only entry never drops an exemption a less specific entry grants, and `exempt: false`
 *   lifts one (tag exemptions included: the file is the security team's, tags are not).
 * - Owner precedence: owners file, then the owner tags in configured order, then the user name
 *   itself if it is an email address, then the account's default owner (`accounts:`, an id key
 *   before an alias key), else unowned. The default comes after tags because it is the owner of
 *   last resort for an account, not a decision about this user.
 */
import { AppError } from '../errors';
import { isGlob, matchesGlob } from './glob';
import { type OwnerValue, parseOwnerValue } from './owner-value';
import type { Owner, Tags } from './types';

export interface OwnersEntry {
  /** The key as written (`alice`, `111122223333/svc-*`): what `owners-file:` sources name. */
  readonly pattern: string;
  /** The account id or alias the key is scoped to; null when it applies in every account. */
  readonly account: string | null;
  /** The user name or glob after the account. */
  readonly name: string;
  readonly owner: OwnerValue | null;
  /** A reason exempts; `false` lifts an exemption a less specific entry grants; null says nothing. */
  readonly exempt: string | false | null;
}

/** One `accounts:` entry: the default owner of an account named by id or alias. */
export interface AccountDefault {
  readonly account: string;
  readonly owner: OwnerValue;
}

export interface OwnersFile {
  /** Where the entries came from (a file path), for messages and `owners-file:` sources. */
  readonly source: string;
  readonly entries: readonly OwnersEntry[];
  readonly accounts: readonly AccountDefault[];
}

/** The account a user is in, as far as it is known: its alias may not be. */
export interface AccountRef {
  readonly accountId: string;
  readonly alias: string | null;
}

export const EMPTY_OWNERS_FILE: OwnersFile = { source: '', entries: [], accounts: [] };

export const MAX_EXEMPT_REASON_LENGTH = 1000;

/**
 * The account as far as it is known: with its alias (read by the scan, or stored with the last one)
 * alias-scoped keys match too; without it (null) only id-scoped and unscoped keys can. Never the
 * organization's name for the account: two accounts may share one, and a key must not reach both.
 */
export const accountById = (accountId: string, alias: string | null = null): AccountRef => ({ accountId, alias });

const NAME = /^[A-Za-z0-9+=,.@_*?-]{1,64}$/;
const ACCOUNT_ID = /^[0-9]{12}$/;
// IAM's own rule for an alias (CreateAccountAlias): lower case, so a key in another case could never match.
const ACCOUNT_ALIAS = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;
const OWNER_EXAMPLE = 'U012ABCDEF or alice@example.com';
const USERS_EXAMPLE = 'users: { alice: U012ABCDEF }';
const ACCOUNTS_EXAMPLE = 'accounts: { "111122223333": U012ABCDEF }';
const KEY_EXAMPLE = '"alice", "svc-*" or "111122223333/alice"';
const ACCOUNT_PART =
  'a 12-digit account id or an account alias (3-63 characters of a-z 0-9 -, starting and ending with a letter or digit)';
const ENTRY_KEYS = ['owner', 'exempt'];
const TOP_LEVEL_KEYS = ['users', 'accounts'];

const isPlainMapping = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const describe = (value: unknown): string => {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(value)}`;
};

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/** What is wrong with an account id or alias, or null. All digits must be an id: 11 digits is a typo. */
const accountProblem = (account: string, what: 'account part' | 'key'): string | null => {
  if (account === '') return `${what} is empty; it must be ${ACCOUNT_PART}`;
  if (/^[0-9]+$/.test(account))
    return ACCOUNT_ID.test(account) ? null : `${what} "${account}" has ${account.length} digits; an account id has 12`;
  return ACCOUNT_ALIAS.test(account) ? null : `${what} "${account}" must be ${ACCOUNT_PART}`;
};

export function parseOwnersDocument(doc: unknown, source: string): OwnersFile {
  const problems: string[] = [];
  const entries: OwnersEntry[] = [];
  const accounts: AccountDefault[] = [];
  const at = (where: string, what: string, example: string): void => {
    problems.push(`${source}: ${where}: ${what} (e.g. ${example})`);
  };

  const parseOwner = (where: string, raw: unknown): OwnerValue | null => {
    if (typeof raw !== 'string') {
      at(where, `owner must be a string, found ${describe(raw)}`, OWNER_EXAMPLE);
      return null;
    }
    const owner = parseOwnerValue(raw);
    if (owner === null) at(where, `${JSON.stringify(raw)} is not a Slack user ID or an email address`, OWNER_EXAMPLE);
    return owner;
  };

  const parseKey = (where: string, key: string): { account: string | null; name: string } => {
    const slash = key.indexOf('/');
    const account = slash === -1 ? null : key.slice(0, slash);
    const name = slash === -1 ? key : key.slice(slash + 1);
    if (account !== null) {
      const problem = accountProblem(account, 'account part');
      if (problem !== null) at(where, problem, KEY_EXAMPLE);
    }
    if (account !== null && name === '') {
      at(where, 'the user name after the account is empty', KEY_EXAMPLE);
    } else if (!NAME.test(name)) {
      at(
        where,
        `${account === null ? 'key' : 'the part after the account'} must be an IAM user name or glob: 1-64 characters of A-Z a-z 0-9 + = , . @ _ - * ?`,
        KEY_EXAMPLE,
      );
    }
    return { account, name };
  };

  const parseExempt = (where: string, raw: unknown): string | false | null => {
    const example = 'exempt: "Break-glass account; hardware token in the safe"';
    if (raw === false) return false;
    if (typeof raw !== 'string') {
      at(where, `must be a string giving the reason, or false to lift an exemption, found ${describe(raw)}`, example);
    } else if (raw.trim() === '') {
      at(where, 'reason is empty; say why the user is exempt', example);
    } else if (raw.trim().length > MAX_EXEMPT_REASON_LENGTH) {
      at(where, `reason is ${raw.trim().length} characters; the limit is ${MAX_EXEMPT_REASON_LENGTH}`, example);
    } else {
      return raw.trim();
    }
    return null;
  };

  const parseUsers = (users: Record<string, unknown>): void => {
    for (const [pattern, value] of Object.entries(users)) {
      const where = `users.${pattern}`;
      const before = problems.length;
      const { account, name } = parseKey(where, pattern);
      let owner: OwnerValue | null = null;
      let exempt: string | false | null = null;
      if (typeof value === 'string') {
        owner = parseOwner(where, value);
      } else if (isPlainMapping(value)) {
        for (const key of Object.keys(value)) {
          if (!ENTRY_KEYS.includes(key))
            at(`${where}.${key}`, 'unknown key; allowed keys are "owner" and "exempt"', 'owner: U012ABCDEF');
        }
        const hasOwner = hasOwn(value, 'owner');
        const hasExempt = hasOwn(value, 'exempt');
        if (!hasOwner && !hasExempt) at(where, 'needs "owner", "exempt" or both', 'owner: U012ABCDEF');
        if (hasOwner) owner = parseOwner(`${where}.owner`, value['owner']);
        if (hasExempt) exempt = parseExempt(`${where}.exempt`, value['exempt']);
      } else {
        at(where, `must be an owner or a mapping with "owner"/"exempt", found ${describe(value)}`, OWNER_EXAMPLE);
      }
      if (problems.length === before) entries.push({ pattern, account, name, owner, exempt });
    }
  };

  const parseAccounts = (raw: Record<string, unknown>): void => {
    for (const [account, value] of Object.entries(raw)) {
      const where = `accounts.${account}`;
      const before = problems.length;
      const problem = accountProblem(account, 'key');
      if (problem !== null) at(where, problem, ACCOUNTS_EXAMPLE);
      let owner: OwnerValue | null = null;
      if (typeof value === 'string') {
        owner = parseOwner(where, value);
      } else if (isPlainMapping(value)) {
        for (const key of Object.keys(value)) {
          if (key !== 'owner')
            at(`${where}.${key}`, 'unknown key; the only key allowed is "owner"', 'owner: U012ABCDEF');
        }
        if (hasOwn(value, 'owner')) owner = parseOwner(`${where}.owner`, value['owner']);
        else at(where, 'needs "owner"', 'owner: U012ABCDEF');
      } else {
        at(where, `must be an owner or a mapping with "owner", found ${describe(value)}`, OWNER_EXAMPLE);
      }
      if (problems.length === before && owner !== null) accounts.push({ account, owner });
    }
  };

  if (!isPlainMapping(doc)) {
    at('top level', `must be a mapping with the key "users", found ${describe(doc)}`, USERS_EXAMPLE);
  } else {
    for (const key of Object.keys(doc)) {
      if (!TOP_LEVEL_KEYS.includes(key))
        at(key, 'unknown top-level key; the only ones allowed are "users" and "accounts"', USERS_EXAMPLE);
    }
    const users = doc['users'];
    if (!hasOwn(doc, 'users')) {
      at('users', 'is missing', USERS_EXAMPLE);
    } else if (!isPlainMapping(users)) {
      at('users', `must be a mapping of IAM user names to owners, found ${describe(users)}`, USERS_EXAMPLE);
    } else {
      parseUsers(users);
    }
    if (hasOwn(doc, 'accounts')) {
      const raw = doc['accounts'];
      if (isPlainMapping(raw)) parseAccounts(raw);
      else at('accounts', `must be a mapping of accounts to owners, found ${describe(raw)}`, ACCOUNTS_EXAMPLE);
    }
  }

  if (problems.length > 0) {
    throw new AppError(
      'owners_file_invalid',
      `The owners file ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      { hint: `Fix ${source} and restart mfa-guard.` },
    );
  }
  return { source, entries, accounts };
}

const rank = (entry: OwnersEntry): number => (entry.account === null ? 2 : 0) + (isGlob(entry.name) ? 1 : 0);

/** Whether an entry's user name or glob, whatever its account, matches the user name. */
export const matchesName = (entry: OwnersEntry, userName: string): boolean =>
  isGlob(entry.name) ? matchesGlob(entry.name, userName) : entry.name === userName;

/**
 * The entries that apply to a user, most specific first (see the top of this file). With the
 * account unknown (null), only the entries for every account.
 */
export const matchingEntries = (file: OwnersFile, account: AccountRef | null, userName: string): OwnersEntry[] =>
  file.entries
    .filter((e) => e.account === null || e.account === account?.accountId || e.account === account?.alias)
    .filter((e) => matchesName(e, userName))
    // Array sort is stable, so file order holds within each rank.
    .sort((a, b) => rank(a) - rank(b));

/** The entry that decides the user's owner: the most specific one naming an owner. */
export const ownerEntry = (file: OwnersFile, account: AccountRef | null, userName: string): OwnersEntry | null =>
  matchingEntries(file, account, userName).find((e) => e.owner !== null) ?? null;

/** The entry that decides the user's exemption: the most specific one saying anything about it. */
export const exemptionEntry = (file: OwnersFile, account: AccountRef, userName: string): OwnersEntry | null =>
  matchingEntries(file, account, userName).find((e) => e.exempt !== null) ?? null;

/** The account's default owner (`accounts:`): its id key, else its alias key. */
export const accountDefaultOwner = (file: OwnersFile, account: AccountRef): Owner | null => {
  const match =
    file.accounts.find((a) => a.account === account.accountId) ??
    file.accounts.find((a) => a.account === account.alias);
  return match === undefined ? null : { ...match.owner, source: `account-default:${account.accountId}` };
};

const tagValue = (tags: Tags, key: string): string | undefined => (hasOwn(tags, key) ? tags[key] : undefined);

export function resolveOwner(input: {
  account: AccountRef;
  userName: string;
  tags: Tags | null;
  ownersFile: OwnersFile;
  ownerTagKeys: readonly string[];
}): Owner {
  const entry = ownerEntry(input.ownersFile, input.account, input.userName);
  if (entry?.owner) return { ...entry.owner, source: `owners-file:${entry.pattern}` };
  if (input.tags !== null) {
    for (const key of input.ownerTagKeys) {
      const raw = tagValue(input.tags, key);
      const owner = raw === undefined ? null : parseOwnerValue(raw);
      if (owner !== null) return { ...owner, source: `tag:${key}` };
    }
  }
  const fromName = parseOwnerValue(input.userName);
  if (fromName?.kind === 'email') return { ...fromName, source: 'user-name' };
  return accountDefaultOwner(input.ownersFile, input.account) ?? { kind: 'unowned', value: null, source: 'none' };
}

export function findExemption(input: {
  account: AccountRef;
  userName: string;
  tags: Tags | null;
  ownersFile: OwnersFile;
  exemptTagKey: string;
}): { reason: string; source: string } | null {
  const entry = exemptionEntry(input.ownersFile, input.account, input.userName);
  if (entry?.exempt === false) return null;
  if (entry?.exempt) return { reason: entry.exempt, source: `owners-file:${entry.pattern}` };
  if (input.tags !== null) {
    const raw = tagValue(input.tags, input.exemptTagKey);
    if (raw !== undefined) {
      const reason = raw.trim();
      return {
        reason: reason === '' ? `(no reason given in tag ${input.exemptTagKey})` : reason,
        source: `tag:${input.exemptTagKey}`,
      };
    }
  }
  return null;
}
