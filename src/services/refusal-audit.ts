import { type AuditEntry, SYSTEM_ACTOR } from '../domain/audit';
import {
  admitRefusal,
  closeAllWindows,
  closeDueWindows,
  type DigestStep,
  EMPTY_REFUSAL_DIGEST,
  type RefusalDigest,
} from '../domain/refusal-digest';
import { describeError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import type { AuditLog } from '../ports/stores';

/** Where the services write audit entries: the audit log, or the refusal digest in front of it. */
export interface AuditSink {
  record(entry: AuditEntry): Promise<unknown>;
}

/**
 * The audit log as the answers to people write it: a person's refusals are digested (see
 * src/domain/refusal-digest.ts), everything else is written as it comes. Held refusals are written
 * when their minute has closed, on the next entry or `flushDue` (every interaction and housekeeping
 * run calls it), and all of them at shutdown (`flushAll`).
 */
export interface RefusalAudit extends AuditSink {
  /** Writes the digests of the windows closed by now. Never throws: a failure is logged. */
  flushDue(): Promise<void>;
  /** Writes every held refusal now, whatever the time (shutdown). Never throws: a failure is logged. */
  flushAll(): Promise<void>;
}

export const createRefusalAudit = (
  log: Pick<AuditLog, 'record'>,
  clock: Pick<Clock, 'now'>,
  logger: Logger,
): RefusalAudit => {
  let digest: RefusalDigest = EMPTY_REFUSAL_DIGEST;
  // State changes happen synchronously, before any await, so concurrent requests never lose a count.
  const step = (next: DigestStep): readonly AuditEntry[] => {
    digest = next.digest;
    return next.write;
  };
  const writeLogged = async (entries: readonly AuditEntry[]): Promise<void> => {
    for (const entry of entries) {
      try {
        await log.record(entry);
      } catch (error) {
        logger.error('could not write an audit entry', {
          action: entry.action,
          actor: entry.actor,
          outcome: entry.outcome,
          detail: entry.detail,
          error: describeError(error),
        });
      }
    }
  };
  const flushDue = (): Promise<void> => writeLogged(step(closeDueWindows(digest, clock.now())));
  return {
    record: async (entry) => {
      const due = step(closeDueWindows(digest, clock.now()));
      const isRefusal = entry.outcome === 'refused' && entry.actor !== SYSTEM_ACTOR;
      const now = isRefusal ? step(admitRefusal(digest, entry)) : [entry];
      // Digests first (they are older); the entry itself, unless held, fails loudly to its caller.
      await writeLogged([...due, ...now.filter((e) => e !== entry)]);
      if (now.includes(entry)) await log.record(entry);
    },
    flushDue,
    flushAll: () => writeLogged(step(closeAllWindows(digest))),
  };
};
