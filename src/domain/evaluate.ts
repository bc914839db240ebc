import { accountById, findExemption, type OwnersFile, resolveOwner } from './owners';
import type { IamUser, Observation, Tags, UserResult } from './types';

export interface EvaluationPolicy {
  readonly gracePeriodHours: number;
  readonly exemptTagKey: string;
  readonly ownerTagKeys: readonly string[];
}

export interface EvaluateUserInput {
  readonly accountId: string;
  /** The account's alias when known, so alias-scoped owners-file keys match. */
  readonly accountAlias?: string | null;
  readonly user: IamUser;
  readonly observation: Observation;
  /** null when the tags were not read (only offenders and grace candidates need them). */
  readonly tags: Tags | null;
  readonly ownersFile: OwnersFile;
  readonly policy: EvaluationPolicy;
  readonly now: Date;
}

const HOUR_MS = 3_600_000;

/** True when the observation shows a console password without any MFA device. */
export const lacksMfa = (observation: Observation): boolean =>
  observation.kind === 'checked' && observation.hasLoginProfile && !observation.hasMfa;

/**
 * Gives one user exactly one status. `nonCompliantSince` is left null here: it comes from the
 * findings history (see reconcileFindings).
 */
export const evaluateUser = ({
  accountId,
  accountAlias = null,
  user,
  observation,
  tags,
  ownersFile,
  policy,
  now,
}: EvaluateUserInput): UserResult => {
  const account = accountById(accountId, accountAlias);
  const base = {
    accountId,
    userName: user.userName,
    userId: user.userId,
    arn: user.arn,
    createdAt: user.createDate,
    passwordLastUsed: user.passwordLastUsed,
    checkedAt: observation.checkedAt,
    source: observation.kind === 'checked' ? observation.source : ('live' as const),
    nonCompliantSince: null,
    owner: resolveOwner({ account, userName: user.userName, tags, ownersFile, ownerTagKeys: policy.ownerTagKeys }),
    reason: null,
    graceUntil: null,
  };

  if (observation.kind === 'failed') return { ...base, status: 'error', reason: observation.reason };
  if (!observation.hasLoginProfile) return { ...base, status: 'no_console' };
  if (observation.hasMfa) return { ...base, status: 'compliant' };

  // An explicit exemption outranks the grace period: it is a standing decision, grace is only time.
  const exemption = findExemption({
    account,
    userName: user.userName,
    tags,
    ownersFile,
    exemptTagKey: policy.exemptTagKey,
  });
  if (exemption) return { ...base, status: 'exempt', reason: exemption.reason };

  const graceUntil = new Date(user.createDate.getTime() + policy.gracePeriodHours * HOUR_MS);
  if (now.getTime() < graceUntil.getTime()) return { ...base, status: 'grace', graceUntil };

  return { ...base, status: 'non_compliant' };
};
