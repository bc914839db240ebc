import type Database from 'better-sqlite3';

import type { AccountScan, FailedScan, SavedScan } from '../../domain/scan';
import type { Finding, NewFinding } from '../../domain/types';
import { AppError } from '../../errors';
import type { ScanStore } from '../../ports/stores';
import { guarded } from './database-error';
import { prepareCheckChain } from './finding-chain';
import { prepareRecordOwner } from './finding-owner';
import { FINDING_COLUMNS, findingFromRow } from './finding-row';
import { isRow, toIso, toIsoOrNull } from './row-reader';
import { runFromRow } from './run-row';
import { accountNamesFromRow, countsJson, rootMfaFromRow, scanErrorsFromRow, scanSummaryFromRow } from './scan-row';
import { prepareScannedAccounts } from './scanned-accounts';
import { USER_STATE_COLUMNS, userResultFromRow, userStateParams } from './user-state-row';

const INSERT_SCAN = `
INSERT INTO scans (account_id, account_alias, account_name, started_at, finished_at, duration_ms, outcome, strategy,
                   strategy_reason, report_generated_at, counts_json, issues_json, root_mfa_active, error, run_id)
VALUES (@account_id, @account_alias, @account_name, @started_at, @finished_at, @duration_ms, @outcome, @strategy,
        @strategy_reason, @report_generated_at, @counts_json, @issues_json, @root_mfa_active, @error, @run_id)`;

const INSERT_RUN = `
INSERT INTO scan_runs (started_at, finished_at, outcome, holder) VALUES (@started_at, NULL, 'running', @holder)`;

const FINISH_RUN = `
UPDATE scan_runs SET finished_at = @finished_at, outcome = @outcome, accounts_total = @accounts_total,
                     accounts_failed = @accounts_failed, error = @error
WHERE id = @id AND outcome = 'running'`;

const SELECT_LAST_RUN = `SELECT * FROM scan_runs WHERE outcome <> 'running' ORDER BY id DESC LIMIT 1`;

const INSERT_USER_STATE = `
INSERT INTO user_states (${USER_STATE_COLUMNS.join(', ')}, last_scan_id)
VALUES (${USER_STATE_COLUMNS.map((column) => `@${column}`).join(', ')}, @last_scan_id)`;

// By id, and the account and user must match too: a finding belongs to one IAM user, not to
// whoever has the name now, and a finding of another account is never this scan's to close.
const CLOSE_FINDING = `
UPDATE findings SET closed_at = @closed_at, close_reason = @close_reason, closed_scan_id = @scan_id
WHERE id = @id AND account_id = @account_id AND user_name = @user_name AND user_id = @user_id AND closed_at IS NULL`;

// A person's Recheck or an approved removal may close a finding while a scan runs; the scan then
// has nothing left to close, and that is not a conflict. Prepared only when needed: tests build
// earlier schema versions with this store, and closed_by is new in v3.
const CLOSED_BY_PERSON = `
SELECT 1 FROM findings
WHERE id = @id AND account_id = @account_id AND user_name = @user_name AND user_id = @user_id AND closed_by IS NOT NULL
LIMIT 1`;

const OPEN_FINDING = `
INSERT INTO findings (account_id, user_name, user_id, opened_at, opened_scan_id, reopens_id, chain_started_at)
VALUES (@account_id, @user_name, @user_id, @opened_at, @scan_id, @reopens_id, @chain_started_at)`;

const SELECT_OPEN_FINDINGS = `
SELECT ${FINDING_COLUMNS} FROM findings WHERE account_id = ? AND closed_at IS NULL ORDER BY user_name, id`;

const SELECT_PREVIOUS_ERRORS = `
SELECT counts_json, issues_json FROM scans
WHERE account_id = ? AND outcome = 'completed' AND id < ?
ORDER BY id DESC LIMIT 1`;

const SELECT_PREVIOUS_ROOT = `
SELECT root_mfa_active FROM scans
WHERE account_id = ? AND outcome = 'completed' AND id < ?
ORDER BY id DESC LIMIT 1`;

const SELECT_LAST_NAMES = `
SELECT account_alias, account_name FROM scans
WHERE account_id = ? AND outcome = 'completed'
ORDER BY id DESC LIMIT 1`;

const lastId = (result: Database.RunResult): number => Number(result.lastInsertRowid);

const bug = (message: string): AppError =>
  new AppError('database_error', message, { hint: 'This is a bug in mfa-guard; please report it.' });

/** A scan whose parts name another account would corrupt that account's state, so it is refused. */
const assertOneAccount = (scan: AccountScan): void => {
  const accountId = scan.account.accountId;
  const strays = [
    ...scan.users.map((u) => ({ what: 'user', name: u.userName, accountId: u.accountId })),
    ...scan.opened.map((f) => ({ what: 'opened finding of', name: f.userName, accountId: f.accountId })),
    ...scan.closed.map((f) => ({ what: 'closed finding of', name: f.userName, accountId: f.accountId })),
    ...(scan.root ? [{ what: 'root result of', name: 'root', accountId: scan.root.accountId }] : []),
  ].filter((part) => part.accountId !== accountId);
  const stray = strays[0];
  if (stray === undefined) return;
  throw bug(
    `The scan of account ${accountId} contains the ${stray.what} "${stray.name}" of account ${stray.accountId}; nothing of this scan was saved.`,
  );
};

const findingNotOpen = (finding: Finding): AppError =>
  new AppError(
    'database_error',
    `Cannot close finding ${finding.id} of user "${finding.userName}" (${finding.userId}) in account ${finding.accountId}: no such finding is open; nothing of this scan was saved.`,
    {
      hint: 'Make sure only one mfa-guard scan writes to this database at a time, then scan again. If it keeps happening, please report it as a bug.',
    },
  );

const closeOf = (finding: Finding): { closedAt: Date; closeReason: NonNullable<Finding['closeReason']> } => {
  if (finding.closedAt === null || finding.closeReason === null) {
    throw bug(
      `The scan closes finding ${finding.id} of user "${finding.userName}" in account ${finding.accountId} without saying when and why; nothing of this scan was saved.`,
    );
  }
  return { closedAt: finding.closedAt, closeReason: finding.closeReason };
};

export function createScanStore(db: Database.Database): ScanStore {
  const insertScan = db.prepare(INSERT_SCAN);
  const deleteUserStates = db.prepare('DELETE FROM user_states WHERE account_id = ?');
  const insertUserState = db.prepare(INSERT_USER_STATE);
  const closeFinding = db.prepare(CLOSE_FINDING);
  let closedByPerson: Database.Statement | undefined;
  const openFinding = db.prepare(OPEN_FINDING);
  const checkChain = prepareCheckChain(db);
  const recordOwner = prepareRecordOwner(db);
  const selectOpenFindings = db.prepare(SELECT_OPEN_FINDINGS);
  const selectLastScan = db.prepare('SELECT * FROM scans ORDER BY id DESC LIMIT 1');
  const selectUserStates = db.prepare(
    `SELECT ${USER_STATE_COLUMNS.join(', ')} FROM user_states WHERE account_id = ? ORDER BY user_name`,
  );
  const selectPreviousErrors = db.prepare(SELECT_PREVIOUS_ERRORS);
  const selectPreviousRoot = db.prepare(SELECT_PREVIOUS_ROOT);
  const selectLastNames = db.prepare(SELECT_LAST_NAMES);
  const insertRun = db.prepare(INSERT_RUN);
  const finishRun = db.prepare(FINISH_RUN);
  const selectLastRun = db.prepare(SELECT_LAST_RUN);
  const acrossAccounts = prepareScannedAccounts(db);

  /** Closes a finding the scan found closed; false when a person closed it first. */
  const close = (finding: Finding, scanId: number): boolean => {
    const { closedAt, closeReason } = closeOf(finding);
    const key = { id: finding.id, account_id: finding.accountId, user_name: finding.userName, user_id: finding.userId };
    const { changes } = closeFinding.run({
      ...key,
      closed_at: toIso(closedAt),
      close_reason: closeReason,
      scan_id: scanId,
    });
    if (changes === 1) return true;
    closedByPerson ??= db.prepare(CLOSED_BY_PERSON);
    if (closedByPerson.get(key) === undefined) throw findingNotOpen(finding);
    return false;
  };

  const open = (finding: NewFinding, scanId: number): Finding => {
    checkChain(finding);
    const id = lastId(
      openFinding.run({
        account_id: finding.accountId,
        user_name: finding.userName,
        user_id: finding.userId,
        opened_at: toIso(finding.openedAt),
        scan_id: scanId,
        reopens_id: finding.reopensId,
        chain_started_at: toIso(finding.chainStartedAt),
      }),
    );
    return {
      id,
      accountId: finding.accountId,
      userName: finding.userName,
      userId: finding.userId,
      openedAt: finding.openedAt,
      closedAt: null,
      closeReason: null,
      reopensId: finding.reopensId,
      chainStartedAt: finding.chainStartedAt,
    };
  };

  const writeScan = db.transaction((scan: AccountScan, runId: number | null): SavedScan => {
    assertOneAccount(scan);
    const accountId = scan.account.accountId;
    const scanId = lastId(
      insertScan.run({
        account_id: accountId,
        // The IAM alias only: interactions match alias-scoped owners keys with it (scan-account.ts).
        account_alias: scan.account.alias,
        account_name: scan.account.name ?? null,
        started_at: toIso(scan.startedAt),
        finished_at: toIso(scan.finishedAt),
        duration_ms: scan.finishedAt.getTime() - scan.startedAt.getTime(),
        outcome: 'completed',
        strategy: scan.strategy.name,
        strategy_reason: scan.strategy.reason,
        report_generated_at: toIsoOrNull(scan.reportGeneratedAt),
        counts_json: countsJson(scan.counts),
        issues_json: JSON.stringify(scan.issues),
        root_mfa_active: scan.root === null ? null : scan.root.mfaActive ? 1 : 0,
        error: null,
        run_id: runId,
      }),
    );
    // A completed scan saw every user of the account, so whoever it did not see is gone.
    deleteUserStates.run(accountId);
    for (const user of scan.users) insertUserState.run(userStateParams(user, scanId));
    // Closed before opened: a recreated user closes the old finding and opens a new one under the
    // same name, and at most one finding per user may be open at a time.
    const closed = scan.closed.filter((finding) => close(finding, scanId));
    const opened = scan.opened.map((finding) => open(finding, scanId));
    // Only owners known for certain: a user the scan could not check (or whose tags it did not
    // read) keeps the owner its finding recorded, so its owner is not locked out of it.
    const known = new Set(scan.knownOwnerIds);
    for (const user of scan.users) if (known.has(user.userId)) recordOwner(user);
    const stillOpen = selectOpenFindings.all(accountId).filter(isRow).map(findingFromRow);
    return { scanId, opened, closed, open: stillOpen };
  });

  return {
    // IMMEDIATE: take the write lock before reading anything, so a concurrent writer makes this
    // wait (busy_timeout) instead of failing half-way with SQLITE_BUSY.
    saveScan: (scan, runId = null) =>
      guarded(`save the scan of account ${scan.account.accountId}`, () => writeScan.immediate(scan, runId)),

    saveFailedScan: (scan: FailedScan, runId = null) =>
      guarded(`record the failed scan of account ${scan.accountId ?? '(unknown)'}`, () =>
        lastId(
          insertScan.run({
            account_id: scan.accountId,
            account_alias: null,
            account_name: null,
            started_at: toIso(scan.startedAt),
            finished_at: toIso(scan.finishedAt),
            duration_ms: scan.finishedAt.getTime() - scan.startedAt.getTime(),
            outcome: 'failed',
            strategy: scan.strategy?.name ?? null,
            strategy_reason: scan.strategy?.reason ?? null,
            report_generated_at: null,
            counts_json: null,
            issues_json: null,
            root_mfa_active: null,
            error: scan.error,
            run_id: runId,
          }),
        ),
      ),

    startRun: (run) =>
      guarded('record the start of a scan run', () =>
        lastId(insertRun.run({ started_at: toIso(run.startedAt), holder: run.holder })),
      ),

    finishRun: (runId, end) =>
      guarded(`record the end of scan run ${runId}`, () => {
        const { changes } = finishRun.run({
          id: runId,
          finished_at: toIso(end.finishedAt),
          outcome: end.outcome,
          accounts_total: end.accountsTotal,
          accounts_failed: end.accountsFailed,
          error: end.error,
        });
        if (changes !== 1) throw bug(`Scan run ${runId} cannot end: it is not running.`);
      }),

    lastRun: () =>
      guarded('read the last scan run', () => {
        const row: unknown = selectLastRun.get();
        return isRow(row) ? runFromRow(row) : null;
      }),

    lastScan: () =>
      guarded('read the last scan', () => {
        const row: unknown = selectLastScan.get();
        return isRow(row) ? scanSummaryFromRow(row) : null;
      }),

    userResults: (accountId) =>
      guarded(`read the user states of account ${accountId}`, () =>
        selectUserStates.all(accountId).filter(isRow).map(userResultFromRow),
      ),

    previousErrors: (accountId, scanId) =>
      guarded(`read the errors of the scan of account ${accountId} before scan ${scanId}`, () => {
        const row: unknown = selectPreviousErrors.get(accountId, scanId);
        return isRow(row) ? scanErrorsFromRow(row) : null;
      }),

    accountNames: (accountId) =>
      guarded(`read the alias and name of account ${accountId}`, () => {
        const row: unknown = selectLastNames.get(accountId);
        return isRow(row) ? accountNamesFromRow(row) : { alias: null, name: null };
      }),

    previousRootMfa: (accountId, scanId) =>
      guarded(`read the root MFA state of account ${accountId} before scan ${scanId}`, () => {
        const row: unknown = selectPreviousRoot.get(accountId, scanId);
        return isRow(row) ? rootMfaFromRow(row) : null;
      }),

    scannedAccounts: () => guarded('read the scanned accounts', () => acrossAccounts.scannedAccounts()),

    usersNamed: (userName) =>
      guarded(`read the users named ${userName} in every account`, () => acrossAccounts.usersNamed(userName)),
  };
}
