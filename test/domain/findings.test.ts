import { reconcileFindings } from '../../src/domain/findings';
import type { UserResult, UserStatus } from '../../src/domain/types';
import type { Finding } from '../../src/domain/types';
import { FIXTURE_NOW, userResult } from '../support/user-result';

const NOW = FIXTURE_NOW;
const EARLIER = new Date('2026-11-20T14:00:00Z');
const ACCOUNT = '111122223333';

const result = (userName: string, status: UserStatus, userId = `AIDA${userName.toUpperCase()}`): UserResult =>
  userResult(userName, status, { userId, reason: status === 'error' ? 'AccessDenied' : null });

// The same finding (account, name, UserId) always gets the same id, as a store would give it.
const ids = new Map<string, number>();
const idOf = (key: string): number => ids.get(key) ?? ids.set(key, ids.size + 1).size;
const open = (userName: string, userId = `AIDA${userName.toUpperCase()}`, accountId = ACCOUNT): Finding => ({
  id: idOf(`${accountId}:${userName}:${userId}`),
  closedAt: null,
  closeReason: null,
  accountId,
  userName,
  userId,
  openedAt: EARLIER,
});

describe('reconcileFindings', () => {
  it.each<[string, UserStatus, 'opened' | 'kept' | 'closed' | 'none', string | null]>([
    ['a new offender opens a finding', 'non_compliant', 'opened', null],
    ['compliant, never a finding', 'compliant', 'none', null],
    ['no console, never a finding', 'no_console', 'none', null],
    ['grace is not a finding yet', 'grace', 'none', null],
    ['exempt is not a finding', 'exempt', 'none', null],
    ['error without a previous finding opens nothing', 'error', 'none', null],
  ])('%s', (_name, status, expected) => {
    const out = reconcileFindings({ accountId: ACCOUNT, previousOpen: [], results: [result('bob', status)], now: NOW });
    expect(out.opened.length).toBe(expected === 'opened' ? 1 : 0);
    expect(out.closed).toEqual([]);
    expect(out.results[0]?.nonCompliantSince).toEqual(expected === 'opened' ? NOW : null);
  });

  it.each<[UserStatus, string | null, Date | null]>([
    ['non_compliant', null, EARLIER],
    ['error', null, EARLIER],
    ['compliant', 'fixed', null],
    ['no_console', 'fixed', null],
    ['exempt', 'exempted', null],
    ['grace', 'in_grace', null],
  ])('an open finding whose user is now %s closes with %s', (status, closeReason, since) => {
    const out = reconcileFindings({
      accountId: ACCOUNT,
      previousOpen: [open('bob')],
      results: [result('bob', status)],
      now: NOW,
    });
    expect(out.opened).toEqual([]);
    expect(out.closed.map((c) => c.closeReason)).toEqual(closeReason === null ? [] : [closeReason]);
    expect(out.results[0]?.nonCompliantSince).toEqual(since);
  });

  it('an error never closes an open finding and keeps its age', () => {
    const out = reconcileFindings({
      accountId: ACCOUNT,
      previousOpen: [open('bob')],
      results: [result('bob', 'error')],
      now: NOW,
    });
    expect(out.closed).toEqual([]);
    expect(out.results[0]?.nonCompliantSince).toEqual(EARLIER);
  });

  it('a user recreated under the same name closes the old finding and opens a fresh one', () => {
    const out = reconcileFindings({
      accountId: ACCOUNT,
      previousOpen: [open('bob', 'AIDAOLD')],
      results: [result('bob', 'non_compliant', 'AIDANEW')],
      now: NOW,
    });
    expect(out.closed).toEqual([{ ...open('bob', 'AIDAOLD'), closedAt: NOW, closeReason: 'replaced' }]);
    expect(out.opened).toEqual([{ accountId: ACCOUNT, userName: 'bob', userId: 'AIDANEW', openedAt: NOW }]);
    expect(out.results[0]?.nonCompliantSince).toEqual(NOW);
  });

  it('a user IAM no longer lists closes as deleted', () => {
    const out = reconcileFindings({ accountId: ACCOUNT, previousOpen: [open('gone')], results: [], now: NOW });
    expect(out.closed).toEqual([{ ...open('gone'), closedAt: NOW, closeReason: 'deleted' }]);
  });

  it("ignores another account's findings", () => {
    const out = reconcileFindings({
      accountId: ACCOUNT,
      previousOpen: [open('bob', 'AIDABOB', '999999999999')],
      results: [result('bob', 'compliant')],
      now: NOW,
    });
    expect(out.closed).toEqual([]);
  });
});
