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
 *
 * - The top level is a mapping with exactly one key, `users`, itself a mapping.
 * - Keys are IAM user names or globs (`*` any run, `?` one character), 1–64 characters of
 *   A–Z a–z 0–9 + = , . @ _ - * ?. Matching is case-sensitive.
 * - A value is an owner (Slack user ID, `<@U…>` mention, or email address), or a mapping with
 *   `owner` and/or `exempt` (a non-empty reason, at most 1000 characters).
 * - Exactly ONE entry applies to a user: the entry whose key is the exact user name, else the
 *   first matching glob in file order. Its `owner` and `exempt` are used; other matching globs
 *   are ignored. (An exact entry with only an owner therefore cancels a glob's exemption: the
 *   safe direction, the user is checked.) An entry without `owner` lets the owner come from tags.
 * - Owner precedence: owners file, then the owner tags in configured order, then the user name
 *   itself if it is an email address, else unowned.
 */
import { AppError } from '../errors';
import { isGlob, matchesGlob } from './glob';
import { type OwnerValue, parseOwnerValue } from './owner-value';
import type { Owner, Tags } from './types';

export interface OwnersEntry {
  readonly pattern: string;
  readonly owner: OwnerValue | null;
  readonly exempt: string | null;
}

export interface OwnersFile {
  /** Where the entries came from (a file path), for messages and `owners-file:` sources. */
  readonly source: string;
  readonly entries: readonly OwnersEntry[];
}

export const EMPTY_OWNERS_FILE: OwnersFile = { source: '', entries: [] };

export const MAX_EXEMPT_REASON_LENGTH = 1000;

const PATTERN = /^[A-Za-z0-9+=,.@_*?-]{1,64}$/;
const OWNER_EXAMPLE = 'U012ABCDEF or alice@example.com';
const ENTRY_KEYS = ['owner', 'exempt'];

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

export function parseOwnersDocument(doc: unknown, source: string): OwnersFile {
  const problems: string[] = [];
  const entries: OwnersEntry[] = [];
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

  if (!isPlainMapping(doc)) {
    at('top level', `must be a mapping with the key "users", found ${describe(doc)}`, 'users: { alice: U012ABCDEF }');
  } else {
    for (const key of Object.keys(doc)) {
      if (key !== 'users')
        at(key, 'unknown top-level key; the only one allowed is "users"', 'users: { alice: U012ABCDEF }');
    }
    const users = doc['users'];
    if (!hasOwn(doc, 'users')) {
      at('users', 'is missing', 'users: { alice: U012ABCDEF }');
    } else if (!isPlainMapping(users)) {
      at(
        'users',
        `must be a mapping of IAM user names to owners, found ${describe(users)}`,
        'users: { alice: U012ABCDEF }',
      );
    } else {
      for (const [pattern, value] of Object.entries(users)) {
        const where = `users.${pattern}`;
        const before = problems.length;
        if (!PATTERN.test(pattern)) {
          at(
            where,
            'key must be an IAM user name or glob: 1-64 characters of A-Z a-z 0-9 + = , . @ _ - * ?',
            '"alice" or "svc-*"',
          );
        }
        let owner: OwnerValue | null = null;
        let exempt: string | null = null;
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
          if (hasExempt) {
            const raw = value['exempt'];
            const example = 'exempt: "Break-glass account; hardware token in the safe"';
            if (typeof raw !== 'string') {
              at(`${where}.exempt`, `must be a string giving the reason, found ${describe(raw)}`, example);
            } else if (raw.trim() === '') {
              at(`${where}.exempt`, 'reason is empty; say why the user is exempt', example);
            } else if (raw.trim().length > MAX_EXEMPT_REASON_LENGTH) {
              at(
                `${where}.exempt`,
                `reason is ${raw.trim().length} characters; the limit is ${MAX_EXEMPT_REASON_LENGTH}`,
                example,
              );
            } else {
              exempt = raw.trim();
            }
          }
        } else {
          at(where, `must be an owner or a mapping with "owner"/"exempt", found ${describe(value)}`, OWNER_EXAMPLE);
        }
        if (problems.length === before) entries.push({ pattern, owner, exempt });
      }
    }
  }

  if (problems.length > 0) {
    throw new AppError(
      'owners_file_invalid',
      `The owners file ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      { hint: `Fix ${source} and restart mfa-guard.` },
    );
  }
  return { source, entries };
}

export function findOwnersEntry(file: OwnersFile, userName: string): OwnersEntry | null {
  const exact = file.entries.find((e) => !isGlob(e.pattern) && e.pattern === userName);
  if (exact !== undefined) return exact;
  return file.entries.find((e) => isGlob(e.pattern) && matchesGlob(e.pattern, userName)) ?? null;
}

const tagValue = (tags: Tags, key: string): string | undefined => (hasOwn(tags, key) ? tags[key] : undefined);

export function resolveOwner(input: {
  userName: string;
  tags: Tags | null;
  ownersFile: OwnersFile;
  ownerTagKeys: readonly string[];
}): Owner {
  const entry = findOwnersEntry(input.ownersFile, input.userName);
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
  return { kind: 'unowned', value: null, source: 'none' };
}

export function findExemption(input: {
  userName: string;
  tags: Tags | null;
  ownersFile: OwnersFile;
  exemptTagKey: string;
}): { reason: string; source: string } | null {
  const entry = findOwnersEntry(input.ownersFile, input.userName);
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
