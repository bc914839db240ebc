/** Which offenders have been non_compliant long enough that the security channel should chase them. */
import type { UserResult } from './types';

const DAY_MS = 86_400_000;

export interface EscalationInput {
  readonly offenders: readonly UserResult[];
  readonly escalateAfterDays: number;
  readonly now: Date;
  /** Open finding ids by IAM user name. */
  readonly findingIds: ReadonlyMap<string, number>;
  /** Findings the channel has already been told about. */
  readonly alreadyEscalated: ReadonlySet<number>;
}

export interface Escalation {
  readonly user: UserResult;
  readonly findingId: number | null;
  readonly newlyEscalated: boolean;
}

export const findEscalations = (input: EscalationInput): Escalation[] => {
  const threshold = input.now.getTime() - input.escalateAfterDays * DAY_MS;
  return input.offenders
    .filter((u) => u.nonCompliantSince !== null && u.nonCompliantSince.getTime() <= threshold)
    .map((user) => {
      const findingId = input.findingIds.get(user.userName) ?? null;
      return { user, findingId, newlyEscalated: findingId === null || !input.alreadyEscalated.has(findingId) };
    });
};
