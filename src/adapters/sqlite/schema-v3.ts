/**
 * Schema version 3: what people do from Slack. Frozen once released, like v1 and v2. Same
 * conventions: value lists spelled out in CHECKs, user-keyed data keyed by account_id first, dates
 * as ISO-8601 UTC text (Date#toISOString, so text comparison is time order).
 *
 * - findings gains closed_by: a Recheck or an approved removal closes a finding outside any scan,
 *   and then the Slack user who did it is recorded instead of a scan. SQLite cannot change a CHECK,
 *   so the table is rebuilt (create, copy, drop, rename, re-index); the migration runs with foreign
 *   keys off and checks them all before it commits (see Migration.rebuildsTables). Every v1/v2
 *   column, CHECK and index is kept, including v2's findings_by_id_account_user, which the
 *   composite foreign key of slack_message_subjects needs.
 * - removal_requests: a request to remove a console password, and its state. At most one request
 *   per IAM user (by UserId) is pending or executing at a time, enforced by a partial unique index
 *   so that two requests racing each other cannot both be created. updated_at is when the state
 *   last changed.
 * - audit_log: every state change and refused attempt. Append-only: triggers refuse UPDATE and
 *   DELETE, so a bug (or a hand-typed query) cannot rewrite history.
 */
export const SCHEMA_V3 = `
CREATE TABLE findings_new (
  id             INTEGER PRIMARY KEY,
  account_id     TEXT NOT NULL,
  user_name      TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  opened_at      TEXT NOT NULL,
  closed_at      TEXT,
  close_reason   TEXT CHECK (close_reason IN ('fixed', 'exempted', 'in_grace', 'deleted', 'replaced')),
  opened_scan_id INTEGER NOT NULL REFERENCES scans (id),
  closed_scan_id INTEGER REFERENCES scans (id),
  closed_by      TEXT,
  CHECK ((closed_at IS NULL) = (close_reason IS NULL)),
  CHECK (closed_at IS NOT NULL OR (closed_scan_id IS NULL AND closed_by IS NULL)),
  CHECK (closed_at IS NULL OR ((closed_scan_id IS NULL) <> (closed_by IS NULL)))
);
INSERT INTO findings_new (id, account_id, user_name, user_id, opened_at, closed_at, close_reason, opened_scan_id, closed_scan_id, closed_by)
SELECT id, account_id, user_name, user_id, opened_at, closed_at, close_reason, opened_scan_id, closed_scan_id, NULL FROM findings;
DROP TABLE findings;
ALTER TABLE findings_new RENAME TO findings;
CREATE UNIQUE INDEX findings_one_open_per_user ON findings (account_id, user_name) WHERE closed_at IS NULL;
CREATE INDEX findings_by_user ON findings (account_id, user_name, opened_at);
CREATE INDEX findings_by_opened_scan ON findings (opened_scan_id);
CREATE INDEX findings_by_closed_scan ON findings (closed_scan_id);
CREATE UNIQUE INDEX findings_by_id_account_user ON findings (id, account_id, user_id);

-- AUTOINCREMENT: a discarded request is deleted, and its id must never be handed to another one,
-- because audit entries (and perhaps a Slack message) may already name it.
CREATE TABLE removal_requests (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id       TEXT NOT NULL,
  user_name        TEXT NOT NULL,
  user_id          TEXT NOT NULL,
  finding_id       INTEGER REFERENCES findings (id),
  requested_by     TEXT NOT NULL,
  requested_at     TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('pending', 'executing', 'done', 'failed', 'not_needed', 'denied', 'expired')),
  decided_by       TEXT,
  decided_at       TEXT,
  detail           TEXT,
  approval_channel TEXT,
  approval_ts      TEXT,
  updated_at       TEXT NOT NULL,
  -- The finding must be this user's, like a message subject's.
  FOREIGN KEY (finding_id, account_id, user_id) REFERENCES findings (id, account_id, user_id),
  CHECK (expires_at > requested_at),
  CHECK ((approval_channel IS NULL) = (approval_ts IS NULL)),
  CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
  -- Nobody has decided a pending request, and nobody decides that one expires.
  CHECK ((decided_by IS NULL) = (state IN ('pending', 'expired'))),
  CHECK (state NOT IN ('pending', 'executing') OR detail IS NULL)
);
CREATE UNIQUE INDEX removal_requests_one_open_per_user ON removal_requests (account_id, user_id) WHERE state IN ('pending', 'executing');
CREATE INDEX removal_requests_by_state ON removal_requests (state, expires_at);
CREATE INDEX removal_requests_by_finding ON removal_requests (finding_id);

-- request_id has no foreign key on purpose: a discarded request is deleted, and its audit entries stay.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('status_user', 'status_summary', 'scan_start', 'recheck', 'finding_closed',
                                             'removal_request', 'removal_approve', 'removal_deny', 'removal_execute', 'removal_expire')),
  account_id TEXT,
  user_name  TEXT,
  outcome    TEXT NOT NULL CHECK (outcome IN ('succeeded', 'refused', 'failed', 'not_needed')),
  detail     TEXT,
  request_id INTEGER
);
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
