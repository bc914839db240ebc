/** What a run's completed accounts add up to: for a run's JSON, terminal summary and notices. */
import { emptyCounts } from './counts';
import type { AccountScan, CompletedRun, FailedAccount } from './scan';
import type { StatusCounts, UserResult } from './types';
import { USER_STATUSES } from './types';

export const completedScans = (run: CompletedRun): AccountScan[] =>
  run.accounts.flatMap((a) => (a.outcome === 'completed' ? [a.scan] : []));

export const failedAccounts = (run: CompletedRun): FailedAccount[] =>
  run.accounts.flatMap((a) => (a.outcome === 'failed' ? [a.failure] : []));

/** Every completed account's users; each carries its accountId. */
export const runUsers = (run: CompletedRun): UserResult[] => completedScans(run).flatMap((s) => [...s.users]);

export const runCounts = (run: CompletedRun): StatusCounts => {
  const counts = emptyCounts();
  for (const scan of completedScans(run)) for (const status of USER_STATUSES) counts[status] += scan.counts[status];
  return counts;
};
