/**
 * How a removal request's state is put into words: shared by the approval message, the outcome
 * DMs and the replies to late clicks, so "Removed by @x at T" reads the same everywhere.
 */
import type { RemovalRequest } from '../../domain/removal';
import { mentionOrText } from './mrkdwn';
import { ERROR_MAX, reasonText, userNameCode } from './status-words';
import { isoMinute } from './words';

export const requestLabel = (request: Pick<RemovalRequest, 'id'>): string => `request #${request.id}`;

/** Who decided: a mention, or "an approver" when the store has nobody (it should always have one). */
export const decidedByWords = (request: Pick<RemovalRequest, 'decidedBy'>): string =>
  request.decidedBy === null ? 'an approver' : mentionOrText(request.decidedBy);

/** " at T", or nothing when the store has no time. */
export const decidedAtWords = (request: Pick<RemovalRequest, 'decidedAt'>): string =>
  request.decidedAt === null ? '' : ` at ${isoMinute(request.decidedAt)}`;

export const requesterWords = (request: Pick<RemovalRequest, 'requestedBy'>): string =>
  mentionOrText(request.requestedBy);

/** The AWS error of a failed removal or the reason it was not needed, escaped and cut. */
export const detailWords = (request: Pick<RemovalRequest, 'detail'>, fallback: string): string =>
  // Callers end the sentence themselves; AWS and our own errors already end in a full stop.
  request.detail === null ? fallback : reasonText(request.detail.replace(/[.\s]+$/u, ''), ERROR_MAX);

/** "the console password of `alice`" */
export const passwordOf = (request: Pick<RemovalRequest, 'userName'>): string =>
  `the console password of IAM user ${userNameCode(request.userName)}`;

/**
 * The state in one sentence, as the approval message and late clicks show it. The wording for
 * done and denied ("Removed by", "Denied by") is what people search the channel for.
 */
export const removalStateWords = (request: RemovalRequest): string => {
  const who = decidedByWords(request);
  const at = decidedAtWords(request);
  switch (request.state) {
    case 'pending':
      return `Waiting for an approver; the request expires ${isoMinute(request.expiresAt)}.`;
    case 'executing':
      return `Removing… approved by ${who}${at}.`;
    case 'done':
      // A done removal has a detail only when something is worth knowing: the password was already
      // gone, the outcome was recorded late, an MFA device turned up meanwhile.
      return `Removed by ${who}${at}.${request.detail === null ? '' : ` Note: ${detailWords(request, '')}.`}`;
    case 'failed':
      return `The removal failed: ${detailWords(request, 'no error recorded')}. An approver may retry until ${isoMinute(request.expiresAt)}.`;
    case 'not_needed':
      return `Not needed: ${detailWords(request, 'the user no longer needed it')} (checked by ${who}${at}); nothing was deleted.`;
    case 'denied':
      return `Denied by ${who}${at}.`;
    case 'expired':
      return `Expired at ${isoMinute(request.expiresAt)}; nobody approved it.`;
  }
};
