import type { UserResult } from './types';

/**
 * A request to remove an IAM user's console password, and the states it moves through:
 * pending → executing → done | failed | not_needed, or pending → denied | expired.
 * A failed request may be claimed again (a retry) until it expires.
 */
export type RemovalState = 'pending' | 'executing' | 'done' | 'failed' | 'not_needed' | 'denied' | 'expired';

export const REMOVAL_STATES = [
  'pending',
  'executing',
  'done',
  'failed',
  'not_needed',
  'denied',
  'expired',
] as const satisfies readonly RemovalState[];

export interface NewRemovalRequest {
  readonly accountId: string;
  readonly userName: string;
  /** The IAM UserId when asked: a user deleted and recreated under the same name is someone else. */
  readonly userId: string;
  /** Slack user ID. */
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly expiresAt: Date;
}

export interface RemovalRequest extends NewRemovalRequest {
  readonly id: number;
  /** The user's finding that was open when the request was created, if any. */
  readonly findingId: number | null;
  readonly state: RemovalState;
  /** The Slack user who claimed (approved), denied it; null while pending or when it expired. */
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
  /** The AWS error of a failed removal, or why it was not needed. */
  readonly detail: string | null;
  /** The approval message in APPROVAL_CHANNEL; null until it is posted. */
  readonly approvalChannel: string | null;
  readonly approvalTs: string | null;
  /**
   * The process that claimed it last (its holder, e.g. `bot:host:pid:random`), and when that process
   * last said it is still working on it: housekeeping fails an executing claim only once this is
   * stale. Null before any claim (and for claims made before schema v4 had them).
   */
  readonly claimHolder: string | null;
  readonly heartbeatAt: Date | null;
}

const REQUEST_REF = /^removal:([1-9]\d{0,15})$/;

/** The value of Approve and Deny buttons: only the request id, resolved from the store on click. */
export const removalRef = (requestId: number): string => `removal:${requestId}`;

export const parseRemovalRef = (value: string): number | null => {
  const match = REQUEST_REF.exec(value);
  return match?.[1] === undefined ? null : Number(match[1]);
};

const HOUR_MS = 3_600_000;

export const removalExpiry = (requestedAt: Date, ttlHours: number): Date =>
  new Date(requestedAt.getTime() + ttlHours * HOUR_MS);

/** Past its expiry, a pending (or failed) request can no longer be approved. */
export const isPastExpiry = (request: Pick<RemovalRequest, 'expiresAt'>, now: Date): boolean =>
  now.getTime() >= request.expiresAt.getTime();

export type CreateRemovalResult =
  | { readonly kind: 'created'; readonly request: RemovalRequest }
  /** The user (by account and UserId) already has a pending or executing request. */
  | { readonly kind: 'already_open'; readonly request: RemovalRequest };

/** The answer to a claim or a denial: the request as it now is. */
export type DecideResult =
  | { readonly kind: 'claimed'; readonly request: RemovalRequest }
  /** Not in a state that allows it (decided, executing, expired); `request` says who decided what. */
  | { readonly kind: 'refused'; readonly request: RemovalRequest }
  | { readonly kind: 'not_found' };

export type RemovalOutcomeState = Extract<RemovalState, 'done' | 'failed' | 'not_needed'>;

/** How an executing removal ended, and what it leaves behind when the password is gone. */
export interface RemovalOutcome {
  readonly state: RemovalOutcomeState;
  /** The AWS error, or why it was not needed. */
  readonly detail: string | null;
  /**
   * Only when `done`: the user as it now is (no console password), stored over its state, and the
   * user's open finding closed as fixed by `closedBy`, in the same transaction as the outcome.
   */
  readonly fixed: { readonly result: UserResult; readonly closedBy: string } | null;
}

/** What a request may have become while the process that claimed it was cut off from it. */
export type TakenOverState = Extract<RemovalState, 'failed' | 'not_needed' | 'executing'>;

/**
 * What storing a removal's outcome did. The claim may have been taken away while IAM was being
 * called (housekeeping found its heartbeat stale and failed it, and perhaps another process retried
 * it): a deletion that went through is recorded all the same, anything else is not.
 */
export type FinishedRemoval =
  /** The claim was still this process's: the outcome is stored. */
  | { readonly kind: 'finished'; readonly request: RemovalRequest; readonly closedFindingId: number | null }
  /**
   * The claim had been taken away, but the password was removed: the request moved from `previous`
   * to done, with the user's state and finding, and its detail says so (lateRemovalDetail).
   */
  | {
      readonly kind: 'corrected';
      readonly request: RemovalRequest;
      readonly previous: TakenOverState;
      readonly closedFindingId: number | null;
    }
  /** The claim had been taken away and nothing was removed: nothing is stored; `request` as it is. */
  | { readonly kind: 'unchanged'; readonly request: RemovalRequest };

const TAKEN_OVER: Readonly<Record<TakenOverState, string>> = {
  failed: 'marked it failed',
  not_needed: 'ended it as not needed',
  executing: 'handed it to another process',
};

/** The detail of a removal recorded as done after its claim had been taken away. */
export const lateRemovalDetail = (previous: TakenOverState, detail: string | null): string =>
  `recorded late: the password was removed after mfa-guard had ${TAKEN_OVER[previous]}, because the process ` +
  `removing it had stopped reporting progress${detail === null ? '' : `; ${detail}`}`;
