import { shouldPostRunSummary, shouldPostSummary, type SummaryFacts } from '../../src/domain/summary-policy';

const quiet: SummaryFacts = {
  newFindings: 0,
  fixed: 0,
  newlyEscalated: 0,
  failedDms: 0,
  errorsChanged: false,
  rootNewlyUnprotected: false,
  unownedDue: 0,
  previousSummaryFailed: false,
};

describe('shouldPostSummary', () => {
  it('always posts with SUMMARY_WHEN=always', () => {
    expect(shouldPostSummary('always', quiet)).toBe(true);
  });
  it('stays quiet with SUMMARY_WHEN=changes when nothing changed', () => {
    expect(shouldPostSummary('changes', quiet)).toBe(false);
  });
  it.each<[string, Partial<SummaryFacts>]>([
    ['a new finding', { newFindings: 1 }],
    ['a fix', { fixed: 1 }],
    ['a new escalation', { newlyEscalated: 1 }],
    ['a failed DM', { failedDms: 1 }],
    ['a change in the errors', { errorsChanged: true }],
    ['root losing MFA', { rootNewlyUnprotected: true }],
    ['an unowned offender the channel has not heard about within the interval', { unownedDue: 1 }],
    ['a previous summary that failed to post', { previousSummaryFailed: true }],
  ])('posts with SUMMARY_WHEN=changes on %s', (_label, change) => {
    expect(shouldPostSummary('changes', { ...quiet, ...change })).toBe(true);
  });
});

describe('shouldPostRunSummary', () => {
  it.each<[string, SummaryFacts[], number, boolean]>([
    ['every account quiet', [quiet, quiet, quiet], 0, false],
    ['one account of three with a new finding', [quiet, { ...quiet, newFindings: 1 }, quiet], 0, true],
    ['one account whose last summary failed', [quiet, { ...quiet, previousSummaryFailed: true }], 0, true],
    ['a failed account, however quiet the rest', [quiet, quiet], 1, true],
    ['only failed accounts', [], 2, true],
    ['no account at all', [], 0, false],
  ])('SUMMARY_WHEN=changes, %s', (_label, accounts, failedAccounts, posts) => {
    expect(shouldPostRunSummary('changes', { accounts, failedAccounts })).toBe(posts);
  });
  it('always posts with SUMMARY_WHEN=always', () => {
    expect(shouldPostRunSummary('always', { accounts: [quiet], failedAccounts: 0 })).toBe(true);
  });
});
