import { completedScans, failedAccounts, runUsers } from '../domain/completed-run';
import type { CompletedRun, FailedAccount } from '../domain/scan';
import { renderScanSummary, renderUserTable } from './scan-report';
import { accountTerminalText, safeText } from './terminal-text';

const failedLabel = (failure: FailedAccount): string =>
  failure.accountId === null
    ? `the account reached through ${safeText(failure.via)}`
    : accountTerminalText({ accountId: failure.accountId, alias: failure.alias, name: failure.name });

/** Accounts a run could not scan, each with its error and what to do; their findings stay as they were. */
export const renderFailedAccounts = (failed: readonly FailedAccount[]): string =>
  [
    `${failed.length} account(s) could not be scanned; their findings stay as they were:`,
    ...failed.flatMap((f) => [
      `  FAILED ${failedLabel(f)} (via ${safeText(f.via)}): ${safeText(f.message)}`,
      ...(f.hint === null ? [] : [`    What to do: ${safeText(f.hint)}`]),
    ]),
  ].join('\n');

/** The run for a terminal: failed accounts first, then every user (by account), then each account's summary. */
export const renderRunReport = (run: CompletedRun): string => {
  const scans = completedScans(run);
  const failed = failedAccounts(run);
  const accounts = new Map(scans.map((s) => [s.account.accountId, s.account] as const));
  const parts = [
    ...(failed.length === 0 ? [] : [renderFailedAccounts(failed)]),
    renderUserTable(runUsers(run), run.finishedAt, (id) => accounts.get(id) ?? { accountId: id, alias: null }),
    ...scans.map(renderScanSummary),
  ];
  if (run.accounts.length > 1)
    parts.push(`Run: ${run.accounts.length} accounts, ${scans.length} scanned, ${failed.length} failed.`);
  return parts.join('\n\n');
};
