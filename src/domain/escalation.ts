/** Which offenders have been non_compliant long enough that the security channel should chase them. */
import type { UserResult } from './types';

const DAY_MS = 86_400_000;

export interface EscalationInput {
  readonly offenders: readonly UserResult[];
  readonly escalateAfterDays: number;
  readonly now: Date;
  /** Open finding ids by IAM user name. */
  readonly findingIds: ReadonlyMap<string, number>;
  /**
   * When each user's finding chain started, by IAM user name (AccountScan.escalationSince): a
   * finding that reopens one fixed only briefly counts from the first finding of its chain.
   */
  readonly escalationSince: ReadonlyMap<string, Date>;
  /** Findings the channel has already been told about. */
  readonly alreadyEscalated: ReadonlySet<number>;
}

export interface Escalation {
  readonly user: UserResult;
  readonly findingId: number | null;
  /** What the escalation counts from: the chain's start, else the user's `nonCompliantSince`. */
  readonly since: Date;
  /**
   * True until the channel has been told about this finding. A reopened finding is announced again
   * (it has a new id): the user lost MFA again after the channel last heard of them.
   */
  readonly newlyEscalated: boolean;
}

/** The earlier of the chain's start and `nonCompliantSince`: escalation never waits longer than either says. */
const sinceOf = (user: UserResult, escalationSince: ReadonlyMap<string, Date>): Date | null => {
  const chain = escalationSince.get(user.userName) ?? null;
  const own = user.nonCompliantSince;
  if (chain === null || own === null) return chain ?? own;
  return chain.getTime() < own.getTime() ? chain : own;
};

export const findEscalations = (input: EscalationInput): Escalation[] => {
  const threshold = input.now.getTime() - input.escalateAfterDays * DAY_MS;
  return input.offenders.flatMap((user) => {
    const since = sinceOf(user, input.escalationSince);
    if (since === null || since.getTime() > threshold) return [];
    const findingId = input.findingIds.get(user.userName) ?? null;
    return [{ user, findingId, since, newlyEscalated: findingId === null || !input.alreadyEscalated.has(findingId) }];
  });
};
