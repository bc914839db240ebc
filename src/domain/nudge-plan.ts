/**
 * Who gets a DM after a scan run, and about which users. One DM per owner per run, across every
 * completed account: an owner with at least one user due for a nudge hears about all of their
 * current offenders at once. Users are told apart by account and UserId: IAM's UserIds are unique,
 * but the account in the key does not rely on it (test data and fakes reuse them).
 */
import type { UnownedReason } from './notifications';
import type { UserResult } from './types';

const HOUR_MS = 3_600_000;

/** Where an offender's owner is in Slack, as the notify service resolved it. */
export type SlackOwner =
  { readonly kind: 'slack'; readonly slackId: string } | { readonly kind: 'unowned'; readonly why: UnownedReason };

export interface PreviousNudge {
  readonly accountId: string;
  readonly userId: string;
  readonly recipient: string;
  readonly at: Date;
}

export interface NudgePlanInput {
  readonly users: readonly UserResult[];
  /** The resolved owner of every offender, by `userKey`. A missing entry reads as unowned. */
  readonly owners: ReadonlyMap<string, SlackOwner>;
  readonly previousNudges: readonly PreviousNudge[];
  readonly scanStartedAt: Date;
  readonly intervalHours: number;
  /** Where unowned offenders are reported (the security channel): they get a cadence there too. */
  readonly unownedRecipient: string;
}

export interface PlannedNudge {
  readonly ownerSlackId: string;
  /** Every current offender of the owner, longest-standing first. */
  readonly users: readonly UserResult[];
  /** The users that made this DM due. */
  readonly due: readonly UserResult[];
}

export interface UnownedUser {
  readonly user: UserResult;
  readonly why: UnownedReason;
}

export interface NudgePlan {
  readonly nudges: readonly PlannedNudge[];
  /** Offenders nobody in Slack can be nudged about; they go to the security channel. */
  readonly unowned: readonly UnownedUser[];
  /** The unowned offenders the security channel has not been told about within the interval. */
  readonly dueUnowned: readonly UserResult[];
}

/**
 * Scans start a little later or earlier from one day to the next, and the DM goes out after the
 * scan; without slack, a daily schedule with a 24-hour interval would nudge every other day.
 * One hour, or a quarter of a short interval.
 */
export const nudgeTolerance = (intervalHours: number): number => Math.min(HOUR_MS, (intervalHours * HOUR_MS) / 4);

/**
 * A user the owner should hear about. Only non_compliant: evaluation already turns a `grace` user
 * non_compliant once its graceUntil has passed, and `exempt` and `error` users are never nudged.
 */
export const isOffender = (user: UserResult): boolean => user.status === 'non_compliant';

/** Longest-standing first, then by name, so a cut list drops the newest findings. */
export const byUrgency = (a: UserResult, b: UserResult): number => {
  const since = (u: UserResult): number => u.nonCompliantSince?.getTime() ?? Number.POSITIVE_INFINITY;
  return since(a) - since(b) || (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0);
};

/** One IAM user across accounts: the same name, even the same UserId in test data, may exist in several. */
export const userKey = (user: Pick<UserResult, 'accountId' | 'userId'>): string =>
  `${user.accountId}\u0000${user.userId}`;

const key = (user: Pick<UserResult, 'accountId' | 'userId'>, recipient: string): string =>
  `${userKey(user)}\u0000${recipient}`;

export const planNudges = (input: NudgePlanInput): NudgePlan => {
  const windowStart =
    input.scanStartedAt.getTime() - input.intervalHours * HOUR_MS + nudgeTolerance(input.intervalHours);
  const lastNudged = new Map<string, number>();
  for (const nudge of input.previousNudges) {
    const k = key(nudge, nudge.recipient);
    lastNudged.set(k, Math.max(lastNudged.get(k) ?? Number.NEGATIVE_INFINITY, nudge.at.getTime()));
  }

  const byOwner = new Map<string, UserResult[]>();
  const unowned: UnownedUser[] = [];
  for (const user of [...input.users].filter(isOffender).sort(byUrgency)) {
    const owner: SlackOwner = input.owners.get(userKey(user)) ?? { kind: 'unowned', why: { kind: 'no_owner' } };
    if (owner.kind === 'unowned') {
      unowned.push({ user, why: owner.why });
      continue;
    }
    byOwner.set(owner.slackId, [...(byOwner.get(owner.slackId) ?? []), user]);
  }

  const isDue = (user: UserResult, recipient: string): boolean =>
    (lastNudged.get(key(user, recipient)) ?? Number.NEGATIVE_INFINITY) <= windowStart;
  const nudges: PlannedNudge[] = [];
  for (const [ownerSlackId, users] of byOwner) {
    const due = users.filter((u) => isDue(u, ownerSlackId));
    if (due.length > 0) nudges.push({ ownerSlackId, users, due });
  }
  const dueUnowned = unowned.filter(({ user }) => isDue(user, input.unownedRecipient)).map(({ user }) => user);
  return { nudges, unowned, dueUnowned };
};
