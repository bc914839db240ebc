import type { EvaluationPolicy } from '../domain/evaluate';
import type { OwnersFile } from '../domain/owners';
import type { RemovalOutcome, RemovalRequest } from '../domain/removal';
import type { AccountRef, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { IamGateway } from '../ports/iam';
import { checkUserLive } from './check-user';
import { type LiveCheckDeps, liveDeps } from './finding-click';
import { withDeadlines } from './iam-deadline';
import type { HeldClaim } from './running-removals';

/** How a removal ended, before it is stored. */
export interface Ended {
  readonly kind: 'ended';
  readonly state: RemovalOutcome['state'];
  readonly detail: string | null;
  /** The user as it now is, as far as the removal knows it. */
  readonly result: UserResult | null;
  /** The password is gone and the user has an MFA device it did not have when checked before the delete. */
  readonly mfaAppeared: boolean;
}

/** The claim was taken away before DeleteLoginProfile: nothing was deleted, and nothing may be stored. */
export interface ClaimLost {
  readonly kind: 'claim_lost';
}

export type Execution = Ended | ClaimLost;

const ended = (
  state: Ended['state'],
  detail: string | null,
  result: UserResult | null,
  mfaAppeared = false,
): Ended => ({ kind: 'ended', state, detail, result, mfaAppeared });

/** What a done removal's detail says when the check after the delete found an MFA device. */
export const MFA_APPEARED_DETAIL = 'an MFA device was added to the user while its console password was being removed';

/** Whether the user still has a console password after a delete that answered an error. */
const passwordAfter = async (iam: IamGateway, userName: string): Promise<'gone' | 'present' | { error: string }> => {
  try {
    return (await iam.getLoginProfile(userName)) === null ? 'gone' : 'present';
  } catch (error) {
    return { error: describeError(error) };
  }
};

/** How many MFA devices the user has right after the delete; null when IAM cannot say (or the user is gone). */
const devicesAfter = async (iam: IamGateway, userName: string): Promise<number | null> => {
  try {
    return (await iam.listMfaDevices(userName)).length;
  } catch {
    return null;
  }
};

const joined = (...parts: readonly (string | null)[]): string | null => {
  const present = parts.filter((p): p is string => p !== null);
  return present.length === 0 ? null : present.join('; ');
};

/**
 * DeleteLoginProfile, then the user checked again: whatever happened in IAM is what is recorded. A
 * delete that answered an error (a deadline, a dropped connection) may still have gone through, so
 * the password is looked up before calling it failed; an MFA device that turned up while the
 * password was being removed is reported.
 */
const deleteAndCheck = async (
  iam: IamGateway,
  request: RemovalRequest,
  result: UserResult,
  now: () => Date,
): Promise<Ended> => {
  const noConsole = (): UserResult => ({
    ...result,
    status: 'no_console',
    nonCompliantSince: null,
    reason: null,
    graceUntil: null,
    checkedAt: now(),
  });
  let note: string | null;
  try {
    const answer = await iam.deleteLoginProfile(request.userName);
    note = answer === 'not_found' ? 'the console password was already gone' : null;
  } catch (error) {
    const after = await passwordAfter(iam, request.userName);
    if (after === 'present') return ended('failed', describeError(error), result);
    if (after !== 'gone') {
      return ended(
        'failed',
        `${describeError(error)} Whether the password was removed could not be checked: ${after.error}`,
        result,
      );
    }
    note = `DeleteLoginProfile answered an error, but the user has no console password now (${describeError(error)})`;
  }
  const devices = await devicesAfter(iam, request.userName);
  const mfaAppeared = devices !== null && devices > 0;
  return ended('done', joined(note, mfaAppeared ? MFA_APPEARED_DETAIL : null), noConsole(), mfaAppeared);
};

/**
 * After the claim: the user is checked live exactly as a scan would, and the console password is
 * deleted only if it is still the same user (UserId), still non_compliant, and the claim is still
 * this process's right before the delete. Every IAM call has a deadline (IAM_CALL_DEADLINE_MS).
 * Never throws.
 */
export const executeRemoval = async (
  /** `iam`: the gateway of the request's own account. */
  deps: LiveCheckDeps & { readonly iam: IamGateway },
  policy: EvaluationPolicy,
  account: AccountRef,
  request: RemovalRequest,
  claim: HeldClaim,
  /** The owners file as read right before this check, so an exemption added since the approval counts. */
  ownersFile: OwnersFile,
): Promise<Execution> => {
  const iam = withDeadlines(deps.iam, deps.clock);
  let live;
  try {
    live = await checkUserLive(liveDeps(deps, iam, ownersFile), policy, account, request.userName);
  } catch (error) {
    return ended('failed', `could not check the user before removing: ${describeError(error)}`, null);
  }
  if (live.kind === 'not_found') return ended('not_needed', 'the IAM user no longer exists', null);
  const { result } = live;
  if (result.userId !== request.userId) {
    return ended('not_needed', 'the IAM user was deleted and recreated under the same name since the request', result);
  }
  switch (result.status) {
    case 'non_compliant':
      break;
    case 'error':
      return ended('failed', `could not check the user before removing: ${result.reason ?? 'unknown error'}`, result);
    case 'compliant':
      return ended('not_needed', 'the user has MFA now', result);
    case 'no_console':
      return ended('not_needed', 'the user has no console password any more', result);
    case 'exempt':
      return ended('not_needed', `the user is exempt now (${result.reason ?? 'no reason given'})`, result);
    case 'grace':
      return ended('not_needed', 'the user is in its grace period', result);
  }
  try {
    if (!(await claim.stillHeld())) return { kind: 'claim_lost' };
  } catch (error) {
    return ended(
      'failed',
      `could not confirm that this process still holds the request, so nothing was deleted: ${describeError(error)}`,
      result,
    );
  }
  return deleteAndCheck(iam, request, result, () => deps.clock.now());
};
