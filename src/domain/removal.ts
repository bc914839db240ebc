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
  /** The finding the request came from, when it was open. */
  readonly findingId: number | null;
  /** Slack user ID. */
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly expiresAt: Date;
}

export interface RemovalRequest extends NewRemovalRequest {
  readonly id: number;
  readonly state: RemovalState;
  /** The Slack user who claimed (approved), denied it; null while pending or when it expired. */
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
  /** The AWS error of a failed removal, or why it was not needed. */
  readonly detail: string | null;
  /** The approval message in APPROVAL_CHANNEL; null until it is posted. */
  readonly approvalChannel: string | null;
  readonly approvalTs: string | null;
}

const REQUEST_REF = /^removal:([1-9]\d{0,15})$/;

/** The value of Approve and Deny buttons: only the request id, resolved from the store on click. */
export const removalRef = (requestId: number): string => `removal:${requestId}`;

export const parseRemovalRef = (value: string): number | null => {
  const match = REQUEST_REF.exec(value);
  return match?.[1] === undefined ? null : Number(match[1]);
};

const HOUR_MS = 3_600_000;

export const removalExpiry = (requestedAt: Date, ttlHours: number): Date => new Date(requestedAt.getTime() + ttlHours * HOUR_MS);

/** Past its expiry, a pending (or failed) request can no longer be approved. */
export const isPastExpiry = (request: Pick<RemovalRequest, 'expiresAt'>, now: Date): boolean =>
  now.getTime() >= request.expiresAt.getTime();
