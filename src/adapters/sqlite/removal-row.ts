import type { NewRemovalRequest, RemovalRequest } from '../../domain/removal';
import { REMOVAL_STATES } from '../../domain/removal';
import type { Row } from './row-reader';
import { rowReader, toIso } from './row-reader';

export type NewRemovalParams = Record<
  'account_id' | 'user_name' | 'user_id' | 'finding_id' | 'requested_by' | 'requested_at' | 'expires_at' | 'updated_at',
  string | number | null
>;

/** `findingId`: the user's finding open when the request is created, which the store looks up. */
export const newRemovalParams = (
  request: NewRemovalRequest,
  findingId: number | null,
  now: Date,
): NewRemovalParams => ({
  account_id: request.accountId,
  user_name: request.userName,
  user_id: request.userId,
  finding_id: findingId,
  requested_by: request.requestedBy,
  requested_at: toIso(request.requestedAt),
  expires_at: toIso(request.expiresAt),
  updated_at: toIso(now),
});

export const removalFromRow = (row: Row): RemovalRequest => {
  const read = rowReader('removal_requests', row);
  return {
    id: read.integer('id'),
    accountId: read.text('account_id'),
    userName: read.text('user_name'),
    userId: read.text('user_id'),
    findingId: read.integerOrNull('finding_id'),
    requestedBy: read.text('requested_by'),
    requestedAt: read.date('requested_at'),
    expiresAt: read.date('expires_at'),
    state: read.oneOf('state', REMOVAL_STATES),
    decidedBy: read.textOrNull('decided_by'),
    decidedAt: read.dateOrNull('decided_at'),
    detail: read.textOrNull('detail'),
    approvalChannel: read.textOrNull('approval_channel'),
    approvalTs: read.textOrNull('approval_ts'),
    claimHolder: read.textOrNull('claim_holder'),
    heartbeatAt: read.dateOrNull('heartbeat_at'),
  };
};
