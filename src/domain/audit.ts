/**
 * The audit log's vocabulary: every state-changing action and every refused attempt, with who
 * (a Slack user ID, or `mfa-guard` for what the bot does on its own), what, where and the outcome.
 */
export type AuditAction =
  /** /mfa-status <user>: only refusals are audited; looking is not a change. */
  | 'status_user'
  | 'status_summary'
  /** /mfa-status scan */
  | 'scan_start'
  | 'recheck'
  /** A finding closed outside a scan (by a Recheck or an approved removal). */
  | 'finding_closed'
  /** A scan opened a finding that continues a chain: its user was fixed only a short while. */
  | 'finding_reopened'
  | 'removal_request'
  | 'removal_approve'
  | 'removal_deny'
  /** The removal itself, after an approval: done, failed or not needed. */
  | 'removal_execute'
  | 'removal_expire';

export const AUDIT_ACTIONS = [
  'status_user',
  'status_summary',
  'scan_start',
  'recheck',
  'finding_closed',
  'finding_reopened',
  'removal_request',
  'removal_approve',
  'removal_deny',
  'removal_execute',
  'removal_expire',
] as const satisfies readonly AuditAction[];

export type AuditOutcome = 'succeeded' | 'refused' | 'failed' | 'not_needed';

export const AUDIT_OUTCOMES = [
  'succeeded',
  'refused',
  'failed',
  'not_needed',
] as const satisfies readonly AuditOutcome[];

/** The actor for what mfa-guard does on its own (expiring requests). */
export const SYSTEM_ACTOR = 'mfa-guard';

export interface AuditEntry {
  readonly at: Date;
  /** Slack user ID, or SYSTEM_ACTOR. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly accountId: string | null;
  readonly userName: string | null;
  readonly outcome: AuditOutcome;
  /** Why it was refused, the AWS error, or what changed; never a secret. */
  readonly detail: string | null;
  readonly requestId: number | null;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
}

/** The JSON line written for log pipelines; field names are a public contract, change with care. */
export const auditJson = (entry: StoredAuditEntry): Record<string, string | number | null> => ({
  type: 'audit',
  id: entry.id,
  at: entry.at.toISOString(),
  actor: entry.actor,
  action: entry.action,
  accountId: entry.accountId,
  userName: entry.userName,
  outcome: entry.outcome,
  detail: entry.detail,
  requestId: entry.requestId,
});
