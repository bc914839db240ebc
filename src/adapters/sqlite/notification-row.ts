import type {
  MessageOutcome,
  MessageSubject,
  SlackMessageKind,
  SlackMessageRecord,
  StoredSlackMessage,
} from '../../domain/stored-messages';
import type { Row } from './row-reader';
import { rowReader, toIso } from './row-reader';

const KINDS = ['nudge', 'summary'] as const satisfies readonly SlackMessageKind[];
const STATUSES = ['sent', 'failed'] as const satisfies readonly MessageOutcome['status'][];

export type MessageParams = Record<
  'kind' | 'scan_id' | 'account_id' | 'recipient' | 'status' | 'channel' | 'ts' | 'error' | 'at',
  string | number | null
>;

export type SubjectParams = Record<
  'message_id' | 'position' | 'account_id' | 'user_name' | 'user_id' | 'finding_id',
  string | number | null
>;

export const messageParams = (record: SlackMessageRecord): MessageParams => {
  const { outcome } = record;
  return {
    kind: record.kind,
    scan_id: record.scanId,
    account_id: record.accountId,
    recipient: record.recipient,
    status: outcome.status,
    channel: outcome.status === 'sent' ? outcome.channel : null,
    ts: outcome.status === 'sent' ? outcome.ts : null,
    error: outcome.status === 'failed' ? outcome.error : null,
    at: toIso(record.at),
  };
};

export const subjectParams = (messageId: number, subject: MessageSubject, position: number): SubjectParams => ({
  message_id: messageId,
  position,
  account_id: subject.accountId,
  user_name: subject.userName,
  user_id: subject.userId,
  finding_id: subject.findingId,
});

export const subjectFromRow = (row: Row): MessageSubject => {
  const read = rowReader('slack_message_subjects', row);
  return {
    accountId: read.text('account_id'),
    userName: read.text('user_name'),
    userId: read.text('user_id'),
    findingId: read.integerOrNull('finding_id'),
  };
};

const outcomeFromRow = (row: Row): MessageOutcome => {
  const read = rowReader('slack_messages', row);
  return read.oneOf('status', STATUSES) === 'sent'
    ? { status: 'sent', channel: read.text('channel'), ts: read.text('ts') }
    : { status: 'failed', error: read.text('error') };
};

export const messageFromRow = (row: Row, subjects: readonly MessageSubject[]): StoredSlackMessage => {
  const read = rowReader('slack_messages', row);
  return {
    id: read.integer('id'),
    kind: read.oneOf('kind', KINDS),
    scanId: read.integerOrNull('scan_id'),
    accountId: read.textOrNull('account_id'),
    recipient: read.text('recipient'),
    outcome: outcomeFromRow(row),
    at: read.date('at'),
    subjects,
  };
};
