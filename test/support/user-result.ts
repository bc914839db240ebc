import type { UserResult, UserStatus } from '../../src/domain/types';

export const FIXTURE_NOW = new Date('2026-11-28T14:00:00Z');

/** A UserResult in account 111122223333 checked live at FIXTURE_NOW; override what a test is about. */
export const userResult = (userName: string, status: UserStatus, extra: Partial<UserResult> = {}): UserResult => ({
  accountId: '111122223333',
  userName,
  userId: `AIDA${userName.toUpperCase()}`,
  arn: `arn:aws:iam::111122223333:user/${userName}`,
  status,
  source: 'live',
  checkedAt: FIXTURE_NOW,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  passwordLastUsed: null,
  nonCompliantSince: null,
  owner: { kind: 'unowned', value: null, source: 'none' },
  reason: null,
  graceUntil: null,
  ...extra,
});
