import { EMPTY_RATE_STATE, type LiveCheckLimits, type RateState, takeLiveCheck } from '../domain/rate-limit';
import type { Clock } from '../ports/clock';

export type LiveCheckTake = { readonly kind: 'allowed' } | { readonly kind: 'limited'; readonly retryAt: Date };

/**
 * The live IAM checks this process lets people start from Slack (`/mfa-status <user>`, Recheck,
 * asking for a removal): LIVE_CHECKS_PER_USER_PER_MINUTE per Slack user, LIVE_CHECKS_PER_MINUTE in
 * all; approvers are held only to the total. The check an approved removal makes before deleting
 * the password does not come through here: it is never refused.
 */
export interface LiveCheckLimiter {
  /** Counts one live check by `slackId` when the limits allow it now; otherwise counts nothing. */
  take(slackId: string, approver: boolean): LiveCheckTake;
}

export const createLiveCheckLimiter = (limits: LiveCheckLimits, clock: Pick<Clock, 'now'>): LiveCheckLimiter => {
  let state: RateState = EMPTY_RATE_STATE;
  return {
    take: (slackId, approver) => {
      const decision = takeLiveCheck(state, { slackId, approver }, limits, clock.now());
      state = decision.state;
      return decision.kind === 'allowed' ? { kind: 'allowed' } : { kind: 'limited', retryAt: decision.retryAt };
    },
  };
};
