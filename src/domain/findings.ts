import type { Finding, FindingCloseReason, NewFinding, UserResult, UserStatus } from './types';

export interface ReconcileInput {
  readonly accountId: string;
  /** The account's open findings before this scan. */
  readonly previousOpen: readonly Finding[];
  readonly results: readonly UserResult[];
  readonly now: Date;
}

export interface ReconcileOutput {
  /** The results with `nonCompliantSince` filled in from the open findings. */
  readonly results: readonly UserResult[];
  readonly opened: readonly NewFinding[];
  /** Previously open findings, now with their closedAt and closeReason. */
  readonly closed: readonly Finding[];
}

// `error` is absent on purpose: a user we could not check is never counted as fixed.
const CLOSING: Partial<Record<UserStatus, FindingCloseReason>> = {
  compliant: 'fixed',
  no_console: 'fixed',
  exempt: 'exempted',
  grace: 'in_grace',
};

/**
 * Decides which findings a completed scan opens and closes. A finding is open while its user is
 * non_compliant; it is tied to the IAM UserId, so a user deleted and recreated under the same name
 * closes the old finding ("replaced") rather than inheriting its age.
 */
export const reconcileFindings = ({ accountId, previousOpen, results, now }: ReconcileInput): ReconcileOutput => {
  const openByName = new Map(
    previousOpen.filter((f) => f.accountId === accountId).map((f) => [f.userName, f] as const),
  );
  const opened: NewFinding[] = [];
  const closed: Finding[] = [];
  const close = (finding: Finding, reason: FindingCloseReason): void => {
    closed.push({ ...finding, closedAt: now, closeReason: reason });
  };

  const reconciled = results.map((result): UserResult => {
    let previous = openByName.get(result.userName);
    openByName.delete(result.userName);
    if (previous && previous.userId !== result.userId) {
      close(previous, 'replaced');
      previous = undefined;
    }
    if (result.status === 'non_compliant') {
      if (previous) return { ...result, nonCompliantSince: previous.openedAt };
      const finding: NewFinding = {
        accountId,
        userName: result.userName,
        userId: result.userId,
        openedAt: result.checkedAt,
      };
      opened.push(finding);
      return { ...result, nonCompliantSince: finding.openedAt };
    }
    if (!previous) return { ...result, nonCompliantSince: null };
    const reason = CLOSING[result.status];
    if (reason === undefined) return { ...result, nonCompliantSince: previous.openedAt };
    close(previous, reason);
    return { ...result, nonCompliantSince: null };
  });

  // Whatever is still open belongs to users IAM no longer lists.
  for (const finding of openByName.values()) close(finding, 'deleted');

  return { results: reconciled, opened, closed };
};
