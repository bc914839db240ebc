import { evaluateUser, type EvaluationPolicy } from '../domain/evaluate';
import { reconcileFindings, type ReconcileInput } from '../domain/findings';
import { evaluationKnowsOwner } from '../domain/owner-record';
import type { OwnersFile } from '../domain/owners';
import type { AccountRef, Finding, FindingCloseReason, UserResult } from '../domain/types';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';
import { observeUserLive, readUserTags } from './observe-user';

export interface CheckUserDeps {
  readonly iam: IamGateway;
  readonly clock: Clock;
  readonly ownersFile: OwnersFile;
  /** The account's open findings, so a non_compliant user keeps the age of its finding. */
  readonly openFindings: (accountId: string) => Promise<readonly Finding[]>;
}

// A live check opens no finding (only a scan does), so which chain one would continue never matters here.
const NO_CHAINS: Pick<ReconcileInput, 'recentlyFixed' | 'reopenWindowDays'> = {
  recentlyFixed: [],
  reopenWindowDays: 0,
};

export type LiveCheck =
  | { readonly kind: 'not_found' }
  | {
      readonly kind: 'checked';
      readonly result: UserResult;
      /** Whether `result.owner` is known for certain (owner-record.ts): only then may it replace the owner on record. */
      readonly ownerKnown: boolean;
    };

/**
 * One user checked live and evaluated exactly as a scan evaluates it (same status rules, owner,
 * exemption and grace). Tags are always read here, because who may act on the user depends on its
 * owner; as in a scan, tags that cannot be read make an offender `error`, never compliant.
 * Throws only when GetUser itself fails.
 */
export const checkUserLive = async (
  deps: CheckUserDeps,
  policy: EvaluationPolicy,
  account: AccountRef,
  userName: string,
): Promise<LiveCheck> => {
  const user = await deps.iam.getUser(userName);
  if (user === null) return { kind: 'not_found' };
  const { observation, tags } = await readUserTags(
    deps.iam,
    deps.clock,
    user.userName,
    await observeUserLive(deps.iam, deps.clock, user.userName),
  );
  const now = deps.clock.now();
  const evaluated = evaluateUser({
    accountId: account.accountId,
    accountAlias: account.alias,
    user,
    observation,
    tags,
    ownersFile: deps.ownersFile,
    policy,
    now,
  });
  const open = (await deps.openFindings(account.accountId)).filter(
    (f) => f.userName === user.userName && f.userId === user.userId,
  );
  const [result] = reconcileFindings({
    accountId: account.accountId,
    previousOpen: open,
    ...NO_CHAINS,
    results: [evaluated],
    now,
  }).results;
  return {
    kind: 'checked',
    result: result ?? evaluated,
    ownerKnown: evaluationKnowsOwner({ ...evaluated, accountAlias: account.alias, tags, ownersFile: deps.ownersFile }),
  };
};

/**
 * What a live check means for one finding, decided as a scan would: null while it stays open
 * (still non_compliant, or not checkable), else why it closes. A missing user is `deleted`, one
 * with another UserId `replaced`.
 */
export const closureOf = (finding: Finding, live: LiveCheck, now: Date): FindingCloseReason | null => {
  const results = live.kind === 'checked' ? [live.result] : [];
  const { closed } = reconcileFindings({
    accountId: finding.accountId,
    previousOpen: [finding],
    ...NO_CHAINS,
    results,
    now,
  });
  return closed.find((c) => c.userId === finding.userId)?.closeReason ?? null;
};
