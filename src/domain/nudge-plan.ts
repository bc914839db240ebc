/**
 * Who gets a DM after a scan, and about which users. One DM per owner per scan: an owner with at
 * least one user due for a nudge hears about all of their current offenders at once.
 */
import type { UnownedReason } from './notifications';
import type { UserResult } from './types';

const HOUR_MS = 3_600_000;

/** Where an offender's owner is in Slack, as the notify service resolved it. */
export type SlackOwner =
  { readonly kind: 'slack'; readonly slackId: string } | { readonly kind: 'unowned'; readonly why: UnownedReason };

export interface PreviousNudge {
  readonly userId: string;
  readonly recipient: string;
  readonly at: Date;
}

export interface NudgePlanInput {
  readonly users: readonly UserResult[];
  /** The resolved owner of every offender, by IAM user name. A missing entry reads as unowned. */
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
  /** The names of the users that made this DM due. */
  readonly dueUserNames: readonly string[];
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
  readonly dueUnownedNames: readonly string[];
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

const key = (userId: string, recipient: string): string => `${userId}\u0000${recipient}`;

export const planNudges = (input: NudgePlanInput): NudgePlan => {
  const windowStart =
    input.scanStartedAt.getTime() - input.intervalHours * HOUR_MS + nudgeTolerance(input.intervalHours);
  const lastNudged = new Map<string, number>();
  for (const nudge of input.previousNudges) {
    const k = key(nudge.userId, nudge.recipient);
    lastNudged.set(k, Math.max(lastNudged.get(k) ?? Number.NEGATIVE_INFINITY, nudge.at.getTime()));
  }

  const byOwner = new Map<string, UserResult[]>();
  const unowned: UnownedUser[] = [];
  for (const user of [...input.users].filter(isOffender).sort(byUrgency)) {
    const owner: SlackOwner = input.owners.get(user.userName) ?? { kind: 'unowned', why: { kind: 'no_owner' } };
    if (owner.kind === 'unowned') {
      unowned.push({ user, why: owner.why });
      continue;
    }
    byOwner.set(owner.slackId, [...(byOwner.get(owner.slackId) ?? []), user]);
  }

  const isDue = (user: UserResult, recipient: string): boolean =>
    (lastNudged.get(key(user.userId, recipient)) ?? Number.NEGATIVE_INFINITY) <= windowStart;
  const nudges: PlannedNudge[] = [];
  for (const [ownerSlackId, users] of byOwner) {
    const dueUserNames = users.filter((u) => isDue(u, ownerSlackId)).map((u) => u.userName);
    if (dueUserNames.length > 0) nudges.push({ ownerSlackId, users, dueUserNames });
  }
  const dueUnownedNames = unowned
    .filter(({ user }) => isDue(user, input.unownedRecipient))
    .map(({ user }) => user.userName);
  return { nudges, unowned, dueUnownedNames };
};
