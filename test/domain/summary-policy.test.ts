import { shouldPostSummary, type SummaryFacts } from '../../src/domain/summary-policy';

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
