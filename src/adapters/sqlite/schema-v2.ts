/**
 * Schema version 2: what the Slack bot remembers between runs. Frozen once released, like v1.
 * Same conventions: value lists spelled out in CHECKs, user-keyed data keyed by account_id first,
 * dates as ISO-8601 UTC text (Date#toISOString, which also makes MAX(at) the latest).
 *
 * - slack_messages: every DM and summary the bot sent or failed to send. A sent one is where it is
 *   in Slack (channel, ts), so it can be found again and re-rendered.
 * - slack_message_subjects: which IAM users a message covers, in the order it shows them. Nudge
 *   cadence is read from here, by IAM UserId, so a restart never re-spams and a recreated user is
 *   someone new.
 * - escalations: findings already announced as escalated, so each is announced as new only once.
 */
export const SCHEMA_V2 = `
CREATE TABLE slack_messages (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('nudge', 'summary')),
  scan_id    INTEGER REFERENCES scans (id),
  account_id TEXT,
  recipient  TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
  channel    TEXT,
  ts         TEXT,
  error      TEXT,
  at         TEXT NOT NULL,
  CHECK (status = 'failed' OR (channel IS NOT NULL AND ts IS NOT NULL AND error IS NULL)),
  CHECK (status = 'sent' OR error IS NOT NULL)
);
CREATE UNIQUE INDEX slack_messages_one_per_ts ON slack_messages (channel, ts) WHERE status = 'sent';
CREATE INDEX slack_messages_by_scan ON slack_messages (scan_id);

-- Lets a subject name its finding together with the finding's account and user, so a message (and
-- the button values it carries) can never point at another user's finding.
CREATE UNIQUE INDEX findings_by_id_account_user ON findings (id, account_id, user_id);

CREATE TABLE slack_message_subjects (
  message_id INTEGER NOT NULL REFERENCES slack_messages (id),
  position   INTEGER NOT NULL CHECK (position >= 0),
  account_id TEXT NOT NULL,
  user_name  TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  finding_id INTEGER REFERENCES findings (id),
  PRIMARY KEY (message_id, position),
  FOREIGN KEY (finding_id, account_id, user_id) REFERENCES findings (id, account_id, user_id)
);
CREATE INDEX slack_message_subjects_by_user ON slack_message_subjects (account_id, user_id, message_id);
CREATE INDEX slack_message_subjects_by_finding ON slack_message_subjects (finding_id);

CREATE TABLE escalations (
  finding_id   INTEGER PRIMARY KEY REFERENCES findings (id),
  escalated_at TEXT NOT NULL
);
`;
