import type Database from 'better-sqlite3';

import type { PreviousNudge } from '../../domain/nudge-plan';
import type { SlackMessageRecord } from '../../domain/stored-messages';
import type { NotificationStore } from '../../ports/stores';
import { guarded } from './database-error';
import { messageFromRow, messageParams, subjectFromRow, subjectParams } from './notification-row';
import type { Row } from './row-reader';
import { isRow, rowReader } from './row-reader';

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
const SELECT_PREVIOUS_NUDGES = `
SELECT s.account_id AS account_id, s.user_id AS user_id, m.recipient AS recipient,
  MAX(COALESCE(sc.started_at, m.at)) AS at
FROM slack_message_subjects s
JOIN slack_messages m ON m.id = s.message_id
LEFT JOIN scans sc ON sc.id = m.scan_id
WHERE s.account_id = ? AND m.status = 'sent'
GROUP BY s.account_id, s.user_id, m.recipient
ORDER BY s.user_id, m.recipient`;

// A summary of a run of several accounts has no account_id and covers every account of its run; it
// reports on scans, so it has a scan_id. A message with neither (a run in which no account could
// even be listed or identified) covers no account's findings.
const SELECT_LAST_SUMMARY_STATUS = `
SELECT status FROM slack_messages
WHERE kind = 'summary' AND (account_id = ? OR (account_id IS NULL AND scan_id IS NOT NULL))
ORDER BY id DESC LIMIT 1`;

// Whatever accounts it covered: one DM per owner per run.
const SELECT_LAST_NUDGE = `
SELECT status, error FROM slack_messages
WHERE kind = 'nudge' AND recipient = ?
ORDER BY id DESC LIMIT 1`;

// By the subjects' finding index; the latest recorded (highest id) is the one sent last.
const SELECT_LATEST_NUDGE_COVERING = `
SELECT m.* FROM slack_messages m
WHERE m.id = (
  SELECT MAX(s.message_id)
  FROM slack_message_subjects s
  JOIN slack_messages n ON n.id = s.message_id
  WHERE s.finding_id IN (SELECT value FROM json_each(?))
    AND n.kind = 'nudge' AND n.status = 'sent' AND n.recipient = ?
)`;

const lastId = (result: Database.RunResult): number => Number(result.lastInsertRowid);

const previousNudgeFromRow = (row: Row): PreviousNudge => {
  const read = rowReader('slack_messages', row);
  return {
    accountId: read.text('account_id'),
    userId: read.text('user_id'),
    recipient: read.text('recipient'),
    at: read.date('at'),
  };
};

const describeRecord = (record: SlackMessageRecord): string =>
  `${record.outcome.status === 'sent' ? 'sent' : 'failed'} Slack ${record.kind} to ${record.recipient}`;

export function createNotificationStore(db: Database.Database): NotificationStore {
  const insertMessage = db.prepare(INSERT_MESSAGE);
  const insertSubject = db.prepare(INSERT_SUBJECT);
  const selectPreviousNudges = db.prepare(SELECT_PREVIOUS_NUDGES);
  const selectSentMessage = db.prepare("SELECT * FROM slack_messages WHERE channel = ? AND ts = ? AND status = 'sent'");
  const selectSubjects = db.prepare(
    'SELECT account_id, user_name, user_id, finding_id FROM slack_message_subjects WHERE message_id = ? ORDER BY position',
  );
  const selectLatestNudgeCovering = db.prepare(SELECT_LATEST_NUDGE_COVERING);
  const selectLastSummaryStatus = db.prepare(SELECT_LAST_SUMMARY_STATUS);
  const selectLastNudge = db.prepare(SELECT_LAST_NUDGE);

  const writeMessage = db.transaction((record: SlackMessageRecord): number => {
    const id = lastId(insertMessage.run(messageParams(record)));
    record.subjects.forEach((subject, position) => insertSubject.run(subjectParams(id, subject, position)));
    return id;
  });

  return {
    previousNudges: (accountId) =>
      guarded(`read when the owners of account ${accountId} were last nudged`, () =>
        selectPreviousNudges.all(accountId).filter(isRow).map(previousNudgeFromRow),
      ),

    recordMessage: (record) => guarded(`record the ${describeRecord(record)}`, () => writeMessage.immediate(record)),

    messageAt: (channel, ts) =>
      guarded(`read the Slack message ${ts} in channel ${channel}`, () => {
        const row: unknown = selectSentMessage.get(channel, ts);
        if (!isRow(row)) return null;
        const id = rowReader('slack_messages', row).integer('id');
        return messageFromRow(row, selectSubjects.all(id).filter(isRow).map(subjectFromRow));
      }),

    latestNudgeCovering: (recipient, findingIds) =>
      guarded(`read the latest DM to ${recipient} about findings ${findingIds.join(', ')}`, () => {
        if (findingIds.length === 0) return null;
        const row: unknown = selectLatestNudgeCovering.get(JSON.stringify(findingIds), recipient);
        if (!isRow(row)) return null;
        const id = rowReader('slack_messages', row).integer('id');
        return messageFromRow(row, selectSubjects.all(id).filter(isRow).map(subjectFromRow));
      }),

    lastSummaryFailed: (accountId) =>
      guarded(`read whether the last summary of account ${accountId} was posted`, () => {
        const row: unknown = selectLastSummaryStatus.get(accountId);
        return isRow(row) && rowReader('slack_messages', row).text('status') === 'failed';
      }),

    lastNudgeError: (recipient) =>
      guarded(`read whether the last DM to ${recipient} failed`, () => {
        const row: unknown = selectLastNudge.get(recipient);
        if (!isRow(row)) return null;
        const read = rowReader('slack_messages', row);
        return read.text('status') === 'failed' ? read.text('error') : null;
      }),
  };
}
