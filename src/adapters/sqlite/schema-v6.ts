/**
 * Schema version 6: runs. Frozen once released, like v1–v5.
 *
 * - scan_runs: one row per run (one scan of every covered account, under one lease). It is
 *   `running` from the start until it finishes; a row left `running` is a run whose process
 *   stopped mid-way. A run is `completed` when at least one account completed, failed accounts
 *   included (accounts_failed counts them); `failed` when none did, with the error.
 * - scans.run_id: the run an account's scan row belongs to; NULL for scans stored before v6.
 * - scans.account_name: the organization's name for the account (organizations:ListAccounts),
 *   shown when it has no alias; NULL when it was not listed from an organization, and for scans
 *   stored before v6. Never matched against owners-file keys: names may repeat, aliases do not.
 * - user_states_by_name: a request about one user (`/mfa-status <name>`, a Recheck) reads that
 *   user's rows across accounts by name, whatever its case, without reading every user's state.
 */
export const SCHEMA_V6 = `
CREATE TABLE scan_runs (
  id              INTEGER PRIMARY KEY,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  outcome         TEXT NOT NULL CHECK (outcome IN ('running', 'completed', 'failed')),
  holder          TEXT NOT NULL,
  accounts_total  INTEGER CHECK (accounts_total >= 0),
  accounts_failed INTEGER CHECK (accounts_failed >= 0 AND accounts_failed <= accounts_total),
  error           TEXT,
  CHECK ((outcome = 'running') = (finished_at IS NULL)),
  CHECK (outcome = 'running' OR (accounts_total IS NOT NULL AND accounts_failed IS NOT NULL)),
  CHECK ((outcome = 'failed') = (error IS NOT NULL))
);
ALTER TABLE scans ADD COLUMN run_id INTEGER REFERENCES scan_runs (id);
ALTER TABLE scans ADD COLUMN account_name TEXT;
CREATE INDEX scans_by_run ON scans (run_id);
CREATE INDEX user_states_by_name ON user_states (user_name COLLATE NOCASE);
`;
