import type { ObservationSource, OwnerKind, UserResult } from '../../domain/types';
import { USER_STATUSES } from '../../domain/types';
import type { Row } from './row-reader';
import { rowReader, toIso, toIsoOrNull } from './row-reader';

const OBSERVATION_SOURCES = ['report', 'live'] as const satisfies readonly ObservationSource[];
const OWNER_KINDS = ['slack', 'email', 'unowned'] as const satisfies readonly OwnerKind[];

export const USER_STATE_COLUMNS = [
  'account_id',
  'user_name',
  'user_id',
  'arn',
  'status',
  'source',
  'checked_at',
  'created_at',
  'password_last_used',
  'non_compliant_since',
  'owner_kind',
  'owner_value',
  'owner_source',
  'reason',
  'grace_until',
] as const;

export type UserStateParams = Record<(typeof USER_STATE_COLUMNS)[number] | 'last_scan_id', string | number | null>;

export const userStateParams = (user: UserResult, scanId: number): UserStateParams => ({
  account_id: user.accountId,
  user_name: user.userName,
  user_id: user.userId,
  arn: user.arn,
  status: user.status,
  source: user.source,
  checked_at: toIso(user.checkedAt),
  created_at: toIso(user.createdAt),
  password_last_used: toIsoOrNull(user.passwordLastUsed),
  non_compliant_since: toIsoOrNull(user.nonCompliantSince),
  owner_kind: user.owner.kind,
  owner_value: user.owner.value,
  owner_source: user.owner.source,
  reason: user.reason,
  grace_until: toIsoOrNull(user.graceUntil),
  last_scan_id: scanId,
});

export const userResultFromRow = (row: Row): UserResult => {
  const read = rowReader('user_states', row);
  return {
    accountId: read.text('account_id'),
    userName: read.text('user_name'),
    userId: read.text('user_id'),
    arn: read.text('arn'),
    status: read.oneOf('status', USER_STATUSES),
    source: read.oneOf('source', OBSERVATION_SOURCES),
    checkedAt: read.date('checked_at'),
    createdAt: read.date('created_at'),
    passwordLastUsed: read.dateOrNull('password_last_used'),
    nonCompliantSince: read.dateOrNull('non_compliant_since'),
    owner: {
      kind: read.oneOf('owner_kind', OWNER_KINDS),
      value: read.textOrNull('owner_value'),
      source: read.text('owner_source'),
    },
    reason: read.textOrNull('reason'),
    graceUntil: read.dateOrNull('grace_until'),
  };
};
