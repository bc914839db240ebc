/**
 * Schema version 4: what the security review needed. Frozen once released, like v1–v3; same
 * conventions (value lists in CHECKs, dates as ISO-8601 UTC text).
 *
 * - findings gains the owner of its user as last known for certain (owner_kind, owner_value,
 *   owner_source; all NULL while unknown): an evaluation that could not read tags, or that failed,
 *   never replaces it, so an owner is not locked out of their own finding by an IAM hiccup.
 * - findings gains its chain: reopens_id, the finding of the same user (same UserId) that closed as
 *   `fixed` shortly before this one opened, and chain_started_at, when the first finding of that
 *   chain opened (its own opened_at when it starts a chain). Escalation counts from the chain's
 *   start, so fixing a user for a moment does not reset it.
 * - removal_requests gains the process that holds an executing claim (claim_holder) and when that
 *   process last said it is still working on it (heartbeat_at): housekeeping fails only claims
 *   whose heartbeat is stale, never a removal another process is still running.
 * - audit_log accepts `finding_reopened`. It is append-only (triggers refuse UPDATE and DELETE),
 *   so the table is rebuilt with foreign keys off, like v3's findings; the triggers come back.
 */
export const SCHEMA_V4 = `
ALTER TABLE findings ADD COLUMN owner_kind TEXT CHECK (owner_kind IN ('slack', 'email', 'unowned'));
ALTER TABLE findings ADD COLUMN owner_value TEXT;
ALTER TABLE findings ADD COLUMN owner_source TEXT;
ALTER TABLE findings ADD COLUMN reopens_id INTEGER REFERENCES findings (id);
ALTER TABLE findings ADD COLUMN chain_started_at TEXT;
UPDATE findings SET chain_started_at = opened_at;
CREATE INDEX findings_by_user_id ON findings (account_id, user_id, closed_at);

ALTER TABLE removal_requests ADD COLUMN claim_holder TEXT;
ALTER TABLE removal_requests ADD COLUMN heartbeat_at TEXT;

CREATE TABLE audit_log_new (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('status_user', 'status_summary', 'scan_start', 'recheck', 'finding_closed',
                                             'finding_reopened', 'removal_request', 'removal_approve', 'removal_deny',
                                             'removal_execute', 'removal_expire')),
  account_id TEXT,
  user_name  TEXT,
  outcome    TEXT NOT NULL CHECK (outcome IN ('succeeded', 'refused', 'failed', 'not_needed')),
  detail     TEXT,
  request_id INTEGER
);
INSERT INTO audit_log_new (id, at, actor, action, account_id, user_name, outcome, detail, request_id)
SELECT id, at, actor, action, account_id, user_name, outcome, detail, request_id FROM audit_log;
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_by_at ON audit_log (at, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;
`;
