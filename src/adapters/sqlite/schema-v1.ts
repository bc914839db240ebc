/**
 * Schema version 1. Frozen once released: later changes are new migrations, never edits here.
 * The value lists in the CHECK constraints are spelled out rather than generated from the domain
 * types on purpose, so that a new status in the code cannot silently change what v1 means.
 *
 * Nothing here assumes a single AWS account: every user-keyed table is keyed by account_id first.
 * Dates are ISO-8601 UTC text (Date#toISOString).
 */
export const SCHEMA_V1 = `
CREATE TABLE scans (
  id                  INTEGER PRIMARY KEY,
  account_id          TEXT,
  started_at          TEXT NOT NULL,
  finished_at         TEXT NOT NULL,
  duration_ms         INTEGER NOT NULL,
  outcome             TEXT NOT NULL CHECK (outcome IN ('completed', 'failed')),
  strategy            TEXT CHECK (strategy IN ('credential-report', 'per-user')),
  strategy_reason     TEXT,
  report_generated_at TEXT,
  counts_json         TEXT,
  issues_json         TEXT,
  root_mfa_active     INTEGER CHECK (root_mfa_active IN (0, 1)),
  error               TEXT,
  CHECK ((strategy IS NULL) = (strategy_reason IS NULL)),
  CHECK (outcome = 'failed' OR (account_id IS NOT NULL AND counts_json IS NOT NULL AND issues_json IS NOT NULL AND error IS NULL)),
  CHECK (outcome = 'completed' OR error IS NOT NULL)
);
CREATE INDEX scans_by_account ON scans (account_id, id);

CREATE TABLE user_states (
  account_id          TEXT NOT NULL,
  user_name           TEXT NOT NULL,
  user_id             TEXT NOT NULL,
  arn                 TEXT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('no_console', 'compliant', 'non_compliant', 'grace', 'exempt', 'error')),
  source              TEXT NOT NULL CHECK (source IN ('report', 'live')),
  checked_at          TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  password_last_used  TEXT,
  non_compliant_since TEXT,
  owner_kind          TEXT NOT NULL CHECK (owner_kind IN ('slack', 'email', 'unowned')),
  owner_value         TEXT,
  owner_source        TEXT NOT NULL,
  reason              TEXT,
  grace_until         TEXT,
  last_scan_id        INTEGER NOT NULL REFERENCES scans (id),
  PRIMARY KEY (account_id, user_name)
);
CREATE INDEX user_states_by_last_scan ON user_states (last_scan_id);

CREATE TABLE findings (
  id             INTEGER PRIMARY KEY,
  account_id     TEXT NOT NULL,
  user_name      TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  opened_at      TEXT NOT NULL,
  closed_at      TEXT,
  close_reason   TEXT CHECK (close_reason IN ('fixed', 'exempted', 'in_grace', 'deleted', 'replaced')),
  opened_scan_id INTEGER NOT NULL REFERENCES scans (id),
  closed_scan_id INTEGER REFERENCES scans (id),
  CHECK ((closed_at IS NULL) = (close_reason IS NULL)),
  CHECK ((closed_at IS NULL) = (closed_scan_id IS NULL))
);
CREATE UNIQUE INDEX findings_one_open_per_user ON findings (account_id, user_name) WHERE closed_at IS NULL;
CREATE INDEX findings_by_user ON findings (account_id, user_name, opened_at);
CREATE INDEX findings_by_opened_scan ON findings (opened_scan_id);
CREATE INDEX findings_by_closed_scan ON findings (closed_scan_id);

CREATE TABLE leases (
  name        TEXT PRIMARY KEY,
  holder      TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);
`;
