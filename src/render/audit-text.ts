import type { AccountNames } from '../domain/account-label';
import type { StoredAuditEntry } from '../domain/audit';
import { accountTerminalText, renderTable, safeText } from './terminal-text';

const NONE = '-';

// Seconds are enough to read; the order of the rows is the order of the log.
const isoSecond = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

// Actor, user name and detail come from Slack, IAM and AWS error text: never let them drive the terminal.
const text = (value: string | null): string => (value === null || value === '' ? NONE : safeText(value));

/**
 * The audit log as an aligned table, oldest first as given, each account by its alias (else the
 * organization's name) from its latest scan, when known. The detail is last and never cut:
 * it is the part an auditor reads, and a long one only makes its own line long.
 */
export const renderAuditText = (
  entries: readonly StoredAuditEntry[],
  names: ReadonlyMap<string, AccountNames> = new Map(),
): string => {
  if (entries.length === 0) return 'No audit entries.';
  return renderTable(
    ['TIME (UTC)', 'ACTOR', 'ACTION', 'ACCOUNT', 'IAM USER', 'OUTCOME', 'REQUEST', 'DETAIL'],
    entries.map((entry) => [
      isoSecond(entry.at),
      text(entry.actor),
      entry.action,
      entry.accountId === null || entry.accountId === ''
        ? NONE
        : accountTerminalText({ accountId: entry.accountId, alias: null, ...names.get(entry.accountId) }),
      text(entry.userName),
      entry.outcome,
      entry.requestId === null ? NONE : `#${entry.requestId}`,
      text(entry.detail),
    ]),
  );
};
