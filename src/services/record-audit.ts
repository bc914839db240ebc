import type { AuditEntry } from '../domain/audit';
import { describeError } from '../errors';
import type { Logger } from '../ports/logging';
import type { AuditSink } from './refusal-audit';

/**
 * Writes an audit entry. The action it records has already happened (or been refused), so a
 * broken audit log must not undo or hide it: it is logged as an error, loudly, instead.
 */
export const recordAudit = async (
  deps: { readonly audit: AuditSink; readonly logger: Logger },
  entry: AuditEntry,
): Promise<void> => {
  try {
    await deps.audit.record(entry);
  } catch (error) {
    deps.logger.error('could not write an audit entry', {
      action: entry.action,
      actor: entry.actor,
      outcome: entry.outcome,
      userName: entry.userName,
      error: describeError(error),
    });
  }
};
