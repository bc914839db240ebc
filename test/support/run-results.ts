import type { AccountScan, CompletedRun, SavedScan } from '../../src/domain/scan';
import type { RunScanResult } from '../../src/services/run-scan';

/** The completed run of a result, or a test failure naming what came back instead. */
export const completedRun = (result: RunScanResult): CompletedRun => {
  if (result.outcome !== 'completed') throw new Error(`expected a completed run, got ${result.outcome}`);
  return result.run;
};

/** The one completed account of a run over a single account: its scan and what saving it stored. */
export const onlyAccount = (result: RunScanResult): { scan: AccountScan; saved: SavedScan } => {
  const [account, ...rest] = completedRun(result).accounts;
  if (account === undefined || rest.length > 0 || account.outcome !== 'completed')
    throw new Error('expected exactly one completed account');
  return account;
};

/** A run of one completed account, for renderers. */
export const runOf = (scan: AccountScan, saved: SavedScan): CompletedRun => ({
  runId: 1,
  startedAt: scan.startedAt,
  finishedAt: scan.finishedAt,
  accounts: [{ outcome: 'completed', scan, saved }],
});
