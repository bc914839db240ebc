import { lacksMfa } from '../domain/evaluate';
import type { Observation, Tags } from '../domain/types';
import { describeError } from '../errors';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';

/**
 * Console password and MFA of one user, asked of IAM directly: what a scan does for every offender
 * and what a Recheck or a removal does before acting. A failure is an observation, never a throw.
 */
export const observeUserLive = async (iam: IamGateway, clock: Clock, userName: string): Promise<Observation> => {
  try {
    const profile = await iam.getLoginProfile(userName);
    if (profile === null)
      return { kind: 'checked', hasLoginProfile: false, hasMfa: false, source: 'live', checkedAt: clock.now() };
    const devices = await iam.listMfaDevices(userName);
    return {
      kind: 'checked',
      hasLoginProfile: true,
      hasMfa: devices.length > 0,
      source: 'live',
      checkedAt: clock.now(),
    };
  } catch (error) {
    return { kind: 'failed', reason: describeError(error), checkedAt: clock.now() };
  }
};

/**
 * A user's tags (owner, exemption). As in a scan, an offender whose tags cannot be read becomes an
 * `error`, never compliant or exempt; anyone else just has no tag owner.
 */
export const readUserTags = async (
  iam: IamGateway,
  clock: Clock,
  userName: string,
  observation: Observation,
): Promise<{ readonly observation: Observation; readonly tags: Tags | null }> => {
  try {
    return { observation, tags: await iam.listUserTags(userName) };
  } catch (error) {
    if (!lacksMfa(observation)) return { observation, tags: null };
    return {
      observation: {
        kind: 'failed',
        reason: `console password without MFA, but its tags (owner, exemption) could not be read: ${describeError(error)}`,
        checkedAt: clock.now(),
      },
      tags: null,
    };
  }
};
