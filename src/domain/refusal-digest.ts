/**
 * Refusals stay audited without letting anyone grow the audit log at will. A person's first refusal
 * of an action is written at once and opens a one-minute window; their further refusals of that
 * action within the window are held and written as one `refused ×N` entry when it closes (or at
 * shutdown). So a script refused in a loop adds at most two entries (and two stdout lines) per
 * minute, and the log stays append-only: nothing written is ever changed. Pure: the caller keeps
 * the state and passes `now`.
 */
import type { AuditAction, AuditEntry } from './audit';

export const DIGEST_WINDOW_MS = 60_000;

/** At most this many distinct IAM user names and reasons are named in one digest entry. */
const NAMES_MAX = 10;
const REASONS_MAX = 3;
const REASON_CHARS_MAX = 200;

/** One value when every held refusal had the same, else `mixed`. */
type Same<T> = { readonly kind: 'one'; readonly value: T } | { readonly kind: 'mixed' };

const merge = <T>(same: Same<T> | null, value: T): Same<T> =>
  same === null || (same.kind === 'one' && same.value === value) ? { kind: 'one', value } : { kind: 'mixed' };

interface RefusalWindow {
  readonly actor: string;
  readonly action: AuditAction;
  /** When the refusal written at once happened; the window closes a minute later. */
  readonly openedAt: Date;
  /** Refusals held since, and what they were about. */
  readonly held: number;
  readonly lastAt: Date | null;
  readonly accountId: Same<string | null> | null;
  readonly userName: Same<string | null> | null;
  readonly requestId: Same<number | null> | null;
  readonly names: readonly string[];
  readonly unnamed: number;
  readonly reasons: readonly string[];
}

export type RefusalDigest = ReadonlyMap<string, RefusalWindow>;

export const EMPTY_REFUSAL_DIGEST: RefusalDigest = new Map();

export interface DigestStep {
  readonly digest: RefusalDigest;
  /** The entries to append now, oldest first. */
  readonly write: readonly AuditEntry[];
}

const keyOf = (entry: Pick<AuditEntry, 'actor' | 'action'>): string => `${entry.actor}\u0000${entry.action}`;

const closesAt = (window: RefusalWindow): number => window.openedAt.getTime() + DIGEST_WINDOW_MS;

const oneOrNull = <T>(same: Same<T | null> | null): T | null => (same?.kind === 'one' ? same.value : null);

/** The `refused ×N` entry for a window's held refusals; null when it held none. */
const digestEntry = (window: RefusalWindow): AuditEntry | null => {
  if (window.held === 0 || window.lastAt === null) return null;
  const names =
    oneOrNull(window.userName) !== null || window.names.length === 0
      ? ''
      : `; IAM users: ${window.names.join(', ')}${window.unnamed > 0 ? ` and ${window.unnamed} more` : ''}`;
  return {
    at: window.lastAt,
    actor: window.actor,
    action: window.action,
    accountId: oneOrNull(window.accountId),
    userName: oneOrNull(window.userName),
    outcome: 'refused',
    detail:
      `refused ×${window.held} more within a minute of the refusal at ${window.openedAt.toISOString()}: ` +
      `${window.reasons.join('; ') || 'no reason recorded'}${names}`,
    requestId: oneOrNull(window.requestId),
  };
};

const hold = (window: RefusalWindow, entry: AuditEntry): RefusalWindow => {
  const name = entry.userName;
  const named = name === null || window.names.includes(name) || window.names.length < NAMES_MAX;
  const reason = (entry.detail ?? 'no reason recorded').slice(0, REASON_CHARS_MAX);
  return {
    ...window,
    held: window.held + 1,
    lastAt: entry.at,
    accountId: merge(window.accountId, entry.accountId),
    userName: merge(window.userName, entry.userName),
    requestId: merge(window.requestId, entry.requestId),
    names: name !== null && named && !window.names.includes(name) ? [...window.names, name] : window.names,
    unnamed: named ? window.unnamed : window.unnamed + 1,
    reasons:
      window.reasons.includes(reason) || window.reasons.length >= REASONS_MAX
        ? window.reasons
        : [...window.reasons, reason],
  };
};

/** Writes the digests of the windows closed by `now` and forgets them. */
export const closeDueWindows = (digest: RefusalDigest, now: Date): DigestStep => {
  const kept = new Map<string, RefusalWindow>();
  const write: AuditEntry[] = [];
  for (const [key, window] of digest) {
    if (closesAt(window) > now.getTime()) {
      kept.set(key, window);
      continue;
    }
    const entry = digestEntry(window);
    if (entry !== null) write.push(entry);
  }
  return { digest: kept, write };
};

/** Every held refusal as its digest now, whatever the time (shutdown). */
export const closeAllWindows = (digest: RefusalDigest): DigestStep => ({
  digest: EMPTY_REFUSAL_DIGEST,
  write: [...digest.values()].map(digestEntry).filter((e): e is AuditEntry => e !== null),
});

/**
 * A refusal: written at once when it opens a window (and after the digest of a window of the same
 * person and action that closed meanwhile), else held in the open window.
 */
export const admitRefusal = (digest: RefusalDigest, entry: AuditEntry): DigestStep => {
  const key = keyOf(entry);
  const open = digest.get(key);
  if (open !== undefined && entry.at.getTime() < closesAt(open)) {
    return { digest: new Map(digest).set(key, hold(open, entry)), write: [] };
  }
  const closed = open === undefined ? null : digestEntry(open);
  const window: RefusalWindow = {
    actor: entry.actor,
    action: entry.action,
    openedAt: entry.at,
    held: 0,
    lastAt: null,
    accountId: null,
    userName: null,
    requestId: null,
    names: [],
    unnamed: 0,
    reasons: [],
  };
  return { digest: new Map(digest).set(key, window), write: closed === null ? [entry] : [closed, entry] };
};
