/**
 * Rows as earlier releases wrote them, in plain SQL, for the migration tests' old files. Today's
 * stores read and write today's schema (findings' chain columns are new in v4), so they cannot
 * build a v1 or v2 file; these write only the columns every schema version has.
 */
import type Database from 'better-sqlite3';

import { countsJson } from '../../../src/adapters/sqlite/scan-row';
import { USER_STATE_COLUMNS, userStateParams } from '../../../src/adapters/sqlite/user-state-row';
import type { AccountScan } from '../../../src/domain/scan';
import type { Finding, FindingCloseReason, NewFinding } from '../../../src/domain/types';

/** A completed scan and its users' states (user_states has not changed since v1); its id. */
export const legacyScan = (db: Database.Database, scan: AccountScan): number => {
  const scanId = Number(
    db
      .prepare(
        `INSERT INTO scans (account_id, started_at, finished_at, duration_ms, outcome, strategy, strategy_reason,
                            report_generated_at, counts_json, issues_json, root_mfa_active)
         VALUES (?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        scan.account.accountId,
        scan.startedAt.toISOString(),
        scan.finishedAt.toISOString(),
        scan.finishedAt.getTime() - scan.startedAt.getTime(),
        scan.strategy.name,
        scan.strategy.reason,
        scan.reportGeneratedAt?.toISOString() ?? null,
        countsJson(scan.counts),
        JSON.stringify(scan.issues),
        scan.root === null ? null : scan.root.mfaActive ? 1 : 0,
      ).lastInsertRowid,
  );
  db.prepare('DELETE FROM user_states WHERE account_id = ?').run(scan.account.accountId);
  const insertState = db.prepare(
    `INSERT INTO user_states (${USER_STATE_COLUMNS.join(', ')}, last_scan_id)
     VALUES (${USER_STATE_COLUMNS.map((c) => `@${c}`).join(', ')}, @last_scan_id)`,
  );
  for (const user of scan.users) insertState.run(userStateParams(user, scanId));
  return scanId;
};

/** A finding opened by scan `scanId`, as every later version reads it (its own chain). */
export const legacyOpenFinding = (db: Database.Database, finding: NewFinding, scanId: number): Finding => {
  const { lastInsertRowid } = db
    .prepare('INSERT INTO findings (account_id, user_name, user_id, opened_at, opened_scan_id) VALUES (?, ?, ?, ?, ?)')
    .run(finding.accountId, finding.userName, finding.userId, finding.openedAt.toISOString(), scanId);
  return {
    id: Number(lastInsertRowid),
    accountId: finding.accountId,
    userName: finding.userName,
    userId: finding.userId,
    openedAt: finding.openedAt,
    closedAt: null,
    closeReason: null,
    reopensId: null,
    chainStartedAt: finding.openedAt,
  };
};

/** `finding` closed by scan `scanId`. */
export const legacyCloseFinding = (
  db: Database.Database,
  finding: Finding,
  closedAt: Date,
  reason: FindingCloseReason,
  scanId: number,
): Finding => {
  db.prepare('UPDATE findings SET closed_at = ?, close_reason = ?, closed_scan_id = ? WHERE id = ?').run(
    closedAt.toISOString(),
    reason,
    scanId,
    finding.id,
  );
  return { ...finding, closedAt, closeReason: reason };
};

/** The finding marked as escalated (schema v2's escalations). */
export const legacyEscalate = (db: Database.Database, findingId: number, at: Date): void => {
  db.prepare('INSERT INTO escalations (finding_id, escalated_at) VALUES (?, ?)').run(findingId, at.toISOString());
};
