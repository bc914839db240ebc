import type Database from 'better-sqlite3';
import type { LastNudge, NotificationStore, SlackMessageRecord } from '../../ports';
import { corruptValue, databaseError } from './database-error';
import { findingFromRow, messageFromRow, messageParams, subjectFromRow, subjectParams } from './notification-row';
import type { Row } from './row-reader';
import { isRow, rowReader, toIso } from './row-reader';

const INSERT_MESSAGE = `
INSERT INTO slack_messages (kind, scan_id, account_id, recipient, status, channel, ts, error, at)
VALUES (@kind, @scan_id, @account_id, @recipient, @status, @channel, @ts, @error, @at)`;

const INSERT_SUBJECT = `
INSERT INTO slack_message_subjects (message_id, position, account_id, user_name, user_id, finding_id)
VALUES (@message_id, @position, @account_id, @user_name, @user_id, @finding_id)`;

// Only a message that reached Slack counts: a failed one must be retried at the next scan. Grouped
// by recipient too, so a user whose owner changed is due for the new owner at once. Summaries count
// for the security channel, which is how unowned offenders get their own cadence. The time is the
// start of the scan the message reported on, not when it went out: DMs go out one after another
// after a scan of unknown length, and the cadence must not drift with that.
const SELECT_LAST_NUDGES = `
SELECT s.user_id AS user_id, m.recipient AS recipient, MAX(COALESCE(sc.started_at, m.at)) AS at
FROM slack_message_subjects s
JOIN slack_messages m ON m.id = s.message_id
LEFT JOIN scans sc ON sc.id = m.scan_id
WHERE s.account_id = ? AND m.status = 'sent'
GROUP BY s.user_id, m.recipient
ORDER BY s.user_id, m.recipient`;

const SELECT_PREVIOUS_ERRORS = `
SELECT counts_json, issues_json FROM scans
WHERE account_id = ? AND outcome = 'completed' AND id < ?
ORDER BY id DESC LIMIT 1`;

const SELECT_LAST_SUMMARY_STATUS = `
SELECT status FROM slack_messages
WHERE kind = 'summary' AND account_id = ?
ORDER BY id DESC LIMIT 1`;

const SELECT_PREVIOUS_ROOT = `
SELECT root_mfa_active FROM scans
WHERE account_id = ? AND outcome = 'completed' AND id < ?
ORDER BY id DESC LIMIT 1`;

const lastId = (result: Database.RunResult): number => Number(result.lastInsertRowid);

const lastNudgeFromRow = (row: Row): LastNudge => {
  const read = rowReader('slack_messages', row);
  return { userId: read.text('user_id'), recipient: read.text('recipient'), at: read.date('at') };
};

const rootMfaFromValue = (value: number | null): boolean | null => {
  if (value === null) return null;
  if (value === 0 || value === 1) return value === 1;
  throw corruptValue('scans.root_mfa_active', value);
};

const issueKey = (issue: unknown): string | null =>
  isRow(issue) && typeof issue['code'] === 'string'
    ? `${issue['code']}:${typeof issue['userName'] === 'string' ? issue['userName'] : ''}`
    : null;

const previousErrorsFrom = (countsJson: string, issuesJson: string): { errorCount: number; issueKeys: string[] } => {
  let counts: unknown;
  let issues: unknown;
  try {
    counts = JSON.parse(countsJson);
    issues = JSON.parse(issuesJson);
  } catch {
    throw corruptValue('scans.counts_json or scans.issues_json', countsJson);
  }
  const errorCount = isRow(counts) ? counts['error'] : undefined;
  if (typeof errorCount !== 'number' || !Array.isArray(issues)) throw corruptValue('scans.counts_json or scans.issues_json', countsJson);
  const keys = issues.map(issueKey);
  if (keys.some((k) => k === null)) throw corruptValue('scans.issues_json', issuesJson);
  return { errorCount, issueKeys: keys.filter((k): k is string => k !== null).sort() };
};

const describeRecord = (record: SlackMessageRecord): string =>
  `${record.outcome.status === 'sent' ? 'sent' : 'failed'} Slack ${record.kind} to ${record.recipient}`;

export function createNotificationStore(db: Database.Database): NotificationStore {
  const insertMessage = db.prepare(INSERT_MESSAGE);
  const insertSubject = db.prepare(INSERT_SUBJECT);
  const selectLastNudges = db.prepare(SELECT_LAST_NUDGES);
  const selectSentMessage = db.prepare("SELECT * FROM slack_messages WHERE channel = ? AND ts = ? AND status = 'sent'");
  const selectSubjects = db.prepare(
    'SELECT account_id, user_name, user_id, finding_id FROM slack_message_subjects WHERE message_id = ? ORDER BY position',
  );
  const selectOpenFindingIds = db.prepare(
    'SELECT user_name, id FROM findings WHERE account_id = ? AND closed_at IS NULL ORDER BY user_name',
  );
  const selectFinding = db.prepare(
    'SELECT id, account_id, user_name, user_id, opened_at, closed_at, close_reason FROM findings WHERE id = ?',
  );
  const selectEscalated = db.prepare(
    'SELECT e.finding_id AS finding_id FROM escalations e JOIN findings f ON f.id = e.finding_id WHERE f.account_id = ?',
  );
  // The first time a finding was escalated is the one that counts, so marking again changes nothing.
  const insertEscalation = db.prepare(
    'INSERT INTO escalations (finding_id, escalated_at) VALUES (?, ?) ON CONFLICT (finding_id) DO NOTHING',
  );
  const selectPreviousRoot = db.prepare(SELECT_PREVIOUS_ROOT);
  const selectPreviousErrors = db.prepare(SELECT_PREVIOUS_ERRORS);
  const selectLastSummaryStatus = db.prepare(SELECT_LAST_SUMMARY_STATUS);

  const writeMessage = db.transaction((record: SlackMessageRecord): number => {
    const id = lastId(insertMessage.run(messageParams(record)));
    record.subjects.forEach((subject, position) => insertSubject.run(subjectParams(id, subject, position)));
    return id;
  });

  const writeEscalations = db.transaction((findingIds: readonly number[], escalatedAt: string): void => {
    for (const findingId of findingIds) insertEscalation.run(findingId, escalatedAt);
  });

  return {
    lastNudges: (accountId) => {
      try {
        return selectLastNudges.all(accountId).filter(isRow).map(lastNudgeFromRow);
      } catch (error) {
        throw databaseError(`read when the owners of account ${accountId} were last nudged`, error);
      }
    },

    recordMessage: (record) => {
      try {
        return writeMessage.immediate(record);
      } catch (error) {
        throw databaseError(`record the ${describeRecord(record)}`, error);
      }
    },

    messageAt: (channel, ts) => {
      try {
        const row: unknown = selectSentMessage.get(channel, ts);
        if (!isRow(row)) return null;
        const id = rowReader('slack_messages', row).integer('id');
        return messageFromRow(row, selectSubjects.all(id).filter(isRow).map(subjectFromRow));
      } catch (error) {
        throw databaseError(`read the Slack message ${ts} in channel ${channel}`, error);
      }
    },

    openFindingIds: (accountId) => {
      try {
        const rows = selectOpenFindingIds.all(accountId).filter(isRow);
        return new Map(
          rows.map((row) => {
            const read = rowReader('findings', row);
            return [read.text('user_name'), read.integer('id')] as const;
          }),
        );
      } catch (error) {
        throw databaseError(`read the open findings of account ${accountId}`, error);
      }
    },

    finding: (id) => {
      try {
        const row: unknown = selectFinding.get(id);
        return isRow(row) ? findingFromRow(row) : null;
      } catch (error) {
        throw databaseError(`read finding ${id}`, error);
      }
    },

    escalatedFindingIds: (accountId) => {
      try {
        const rows = selectEscalated.all(accountId).filter(isRow);
        return new Set(rows.map((row) => rowReader('escalations', row).integer('finding_id')));
      } catch (error) {
        throw databaseError(`read the escalated findings of account ${accountId}`, error);
      }
    },

    markEscalated: (findingIds, at) => {
      try {
        writeEscalations.immediate(findingIds, toIso(at));
      } catch (error) {
        throw databaseError(`record findings ${findingIds.join(', ')} as escalated`, error);
      }
    },

    previousErrors: (accountId, scanId) => {
      try {
        const row: unknown = selectPreviousErrors.get(accountId, scanId);
        if (!isRow(row)) return null;
        const read = rowReader('scans', row);
        return previousErrorsFrom(read.text('counts_json'), read.text('issues_json'));
      } catch (error) {
        throw databaseError(`read the errors of the scan of account ${accountId} before scan ${scanId}`, error);
      }
    },

    lastSummaryFailed: (accountId) => {
      try {
        const row: unknown = selectLastSummaryStatus.get(accountId);
        return isRow(row) && rowReader('slack_messages', row).text('status') === 'failed';
      } catch (error) {
        throw databaseError(`read whether the last summary of account ${accountId} was posted`, error);
      }
    },

    previousRootMfa: (accountId, scanId) => {
      try {
        const row: unknown = selectPreviousRoot.get(accountId, scanId);
        if (!isRow(row)) return null;
        return rootMfaFromValue(rowReader('scans', row).integerOrNull('root_mfa_active'));
      } catch (error) {
        throw databaseError(`read the root MFA state of account ${accountId} before scan ${scanId}`, error);
      }
    },
  };
}
