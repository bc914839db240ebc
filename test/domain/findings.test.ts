import { reconcileFindings, type ReconcileInput } from '../../src/domain/findings';
import type { FindingCloseReason, UserResult, UserStatus } from '../../src/domain/types';
import type { Finding } from '../../src/domain/types';
import { FIXTURE_NOW, userResult } from '../support/user-result';

const NOW = FIXTURE_NOW;
const EARLIER = new Date('2026-11-20T14:00:00Z');
const ACCOUNT = '111122223333';
const DAY = 86_400_000;
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY);

/** A scan's reconcile at NOW with the default window and nothing fixed lately, unless a test says otherwise. */
const reconcile = (input: Partial<ReconcileInput>) =>
  reconcileFindings({
    accountId: ACCOUNT,
    previousOpen: [],
    recentlyFixed: [],
    reopenWindowDays: 7,
    results: [],
    now: NOW,
    ...input,
  });

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
  reopensId: null,
  chainStartedAt: EARLIER,
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
    const out = reconcile({ results: [result('bob', status)] });
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
    const out = reconcile({
      previousOpen: [open('bob')],
      results: [result('bob', status)],
    });
    expect(out.opened).toEqual([]);
    expect(out.closed.map((c) => c.closeReason)).toEqual(closeReason === null ? [] : [closeReason]);
    expect(out.results[0]?.nonCompliantSince).toEqual(since);
  });

  it('an error never closes an open finding and keeps its age', () => {
    const out = reconcile({
      previousOpen: [open('bob')],
      results: [result('bob', 'error')],
    });
    expect(out.closed).toEqual([]);
    expect(out.results[0]?.nonCompliantSince).toEqual(EARLIER);
  });

  it('a user recreated under the same name closes the old finding and opens a fresh one', () => {
    const out = reconcile({
      previousOpen: [open('bob', 'AIDAOLD')],
      results: [result('bob', 'non_compliant', 'AIDANEW')],
    });
    expect(out.closed).toEqual([{ ...open('bob', 'AIDAOLD'), closedAt: NOW, closeReason: 'replaced' }]);
    expect(out.opened).toEqual([
      { accountId: ACCOUNT, userName: 'bob', userId: 'AIDANEW', openedAt: NOW, reopensId: null, chainStartedAt: NOW },
    ]);
    expect(out.results[0]?.nonCompliantSince).toEqual(NOW);
  });

  it('a user IAM no longer lists closes as deleted', () => {
    const out = reconcile({ previousOpen: [open('gone')] });
    expect(out.closed).toEqual([{ ...open('gone'), closedAt: NOW, closeReason: 'deleted' }]);
  });

  it("ignores another account's findings", () => {
    const out = reconcile({
      previousOpen: [open('bob', 'AIDABOB', '999999999999')],
      results: [result('bob', 'compliant')],
    });
    expect(out.closed).toEqual([]);
  });
});

describe('reconcileFindings: finding chains', () => {
  const CHAIN_START = daysAgo(20);
  /** bob's earlier finding, closed `ago` days before NOW for `reason`; its chain started CHAIN_START. */
  const earlier = (
    id: number,
    ago: number,
    extra: Partial<Finding> & { closeReason?: FindingCloseReason } = {},
  ): Finding => ({
    id,
    accountId: ACCOUNT,
    userName: 'bob',
    userId: 'AIDABOB',
    openedAt: daysAgo(ago + 2),
    closedAt: daysAgo(ago),
    closeReason: 'fixed',
    reopensId: null,
    chainStartedAt: CHAIN_START,
    ...extra,
  });
  const continues = (id: number) => ({ reopensId: id, chainStartedAt: CHAIN_START });
  const fresh = { reopensId: null, chainStartedAt: NOW };

  it.each<[string, readonly Finding[], number, { reopensId: number | null; chainStartedAt: Date }]>([
    ['fixed 3 days ago, within the window: continues its chain', [earlier(5, 3)], 7, continues(5)],
    ['fixed exactly a window ago: still continues it', [earlier(5, 7)], 7, continues(5)],
    [
      'fixed a millisecond more than a window ago: starts a chain',
      [earlier(5, 7, { closedAt: new Date(daysAgo(7).getTime() - 1) })],
      7,
      fresh,
    ],
    ['a window of 0 turns chaining off', [earlier(5, 0.01)], 0, fresh],
    ['closed as replaced: never chains', [earlier(5, 1, { closeReason: 'replaced' })], 7, fresh],
    ['closed as deleted: never chains', [earlier(5, 1, { closeReason: 'deleted' })], 7, fresh],
    ['closed as exempted: only a fix chains', [earlier(5, 1, { closeReason: 'exempted' })], 7, fresh],
    ['another UserId under the same name never chains', [earlier(5, 1, { userId: 'AIDAOLDBOB' })], 7, fresh],
    ['the same UserId in another account never chains', [earlier(5, 1, { accountId: '999999999999' })], 7, fresh],
    [
      'the same UserId under an earlier name (renamed) chains',
      [earlier(5, 1, { userName: 'robert' })],
      7,
      continues(5),
    ],
    [
      'several fixes: the latest one is continued',
      [earlier(6, 1, { chainStartedAt: daysAgo(3) }), earlier(5, 2)],
      7,
      { reopensId: 6, chainStartedAt: daysAgo(3) },
    ],
    [
      'fixed at the same moment: the later finding is continued',
      [earlier(5, 1), earlier(4, 1, { chainStartedAt: daysAgo(9) })],
      7,
      continues(5),
    ],
  ])('%s', (_name, recentlyFixed, reopenWindowDays, chain) => {
    const out = reconcile({ recentlyFixed, reopenWindowDays, results: [result('bob', 'non_compliant')] });
    expect(out.opened).toEqual([{ accountId: ACCOUNT, userName: 'bob', userId: 'AIDABOB', openedAt: NOW, ...chain }]);
    // nonCompliantSince keeps its meaning (this finding's own start); escalation counts from the chain.
    expect(out.results[0]?.nonCompliantSince).toEqual(NOW);
    expect(out.escalationSince).toEqual(new Map([['bob', chain.chainStartedAt]]));
  });

  it('an open finding keeps its chain: escalation counts from its start, nonCompliantSince from its opening', () => {
    const reopened = { ...open('bob'), reopensId: 3, chainStartedAt: CHAIN_START };
    for (const status of ['non_compliant', 'error'] as const) {
      const out = reconcile({ previousOpen: [reopened], results: [result('bob', status)] });
      expect(out.opened).toEqual([]);
      expect(out.results[0]?.nonCompliantSince).toEqual(EARLIER);
      expect(out.escalationSince).toEqual(new Map([['bob', CHAIN_START]]));
    }
  });

  it('a user with no open finding after the scan has no escalation start', () => {
    const out = reconcile({
      previousOpen: [open('bob')],
      recentlyFixed: [earlier(5, 1, { userName: 'amy', userId: 'AIDAAMY' })],
      results: [result('bob', 'compliant'), result('amy', 'no_console')],
    });
    expect(out.opened).toEqual([]);
    expect(out.escalationSince).toEqual(new Map());
  });

  it('a recreated user (new UserId) closes the old finding as replaced and starts a chain of its own', () => {
    const out = reconcile({
      previousOpen: [open('bob', 'AIDAOLDBOB')],
      recentlyFixed: [earlier(5, 1, { userId: 'AIDAOLDBOB' })],
      results: [result('bob', 'non_compliant', 'AIDANEWBOB')],
    });
    expect(out.closed.map((c) => c.closeReason)).toEqual(['replaced']);
    expect(out.opened).toEqual([expect.objectContaining({ userId: 'AIDANEWBOB', ...fresh })]);
  });
});
