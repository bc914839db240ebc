import type { Finding, FindingCloseReason, NewFinding, UserResult, UserStatus } from './types';

const DAY_MS = 86_400_000;

export interface ReconcileInput {
  readonly accountId: string;
  /** The account's open findings before this scan. */
  readonly previousOpen: readonly Finding[];
  /**
   * The account's findings closed as `fixed` lately (FindingStore.lastFixed). A new finding of the
   * same IAM user (UserId) continues the chain of the latest of them when that one closed at most
   * `reopenWindowDays` before the new one opens; any other finding given here is ignored.
   */
  readonly recentlyFixed: readonly Finding[];
  /** FINDING_REOPEN_WINDOW_DAYS; 0 = every new finding starts a chain of its own. */
  readonly reopenWindowDays: number;
  readonly results: readonly UserResult[];
  readonly now: Date;
}

export interface ReconcileOutput {
  /** The results with `nonCompliantSince` filled in from the open findings. */
  readonly results: readonly UserResult[];
  /** New findings; those with a `reopensId` continue a chain (reopened), the others start one. */
  readonly opened: readonly NewFinding[];
  /** Previously open findings, now with their closedAt and closeReason. */
  readonly closed: readonly Finding[];
  /**
   * By user name, for every user with an open finding after the scan: when its chain started, which
   * escalation counts from. Never later than the user's `nonCompliantSince`.
   */
  readonly escalationSince: ReadonlyMap<string, Date>;
}

type Chain = Pick<NewFinding, 'reopensId' | 'chainStartedAt'>;

// `error` is absent on purpose: a user we could not check is never counted as fixed.
const CLOSING: Partial<Record<UserStatus, FindingCloseReason>> = {
  compliant: 'fixed',
  no_console: 'fixed',
  exempt: 'exempted',
  grace: 'in_grace',
};

const closedLater = (a: Finding, b: Finding): boolean => {
  const at = (f: Finding): number => f.closedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return at(a) > at(b) || (at(a) === at(b) && a.id > b.id);
};

/**
 * What a new finding of each IAM user would continue: its last finding closed as `fixed`. Only
 * `fixed` counts: a user deleted (`deleted`) or recreated (`replaced`) is gone, and a recreated
 * user has another UserId anyway.
 */
const lastFixedByUserId = (accountId: string, recentlyFixed: readonly Finding[]): Map<string, Finding> => {
  const last = new Map<string, Finding>();
  for (const finding of recentlyFixed) {
    if (finding.accountId !== accountId || finding.closeReason !== 'fixed' || finding.closedAt === null) continue;
    const seen = last.get(finding.userId);
    if (seen === undefined || closedLater(finding, seen)) last.set(finding.userId, finding);
  }
  return last;
};

/**
 * Decides which findings a completed scan opens and closes. A finding is open while its user is
 * non_compliant; it is tied to the IAM UserId, so a user deleted and recreated under the same name
 * closes the old finding ("replaced") rather than inheriting its age. A finding that opens soon
 * after the same user's last one closed as fixed continues that one's chain: MFA switched on for a
 * moment (a Recheck, then the device deleted) must not reset the escalation clock.
 */
export const reconcileFindings = (input: ReconcileInput): ReconcileOutput => {
  const { accountId, previousOpen, results, now } = input;
  const openByName = new Map(
    previousOpen.filter((f) => f.accountId === accountId).map((f) => [f.userName, f] as const),
  );
  // A window of 0 chains nothing: lastFixed is simply left empty.
  const lastFixed =
    input.reopenWindowDays > 0 ? lastFixedByUserId(accountId, input.recentlyFixed) : new Map<string, Finding>();
  const windowMs = input.reopenWindowDays * DAY_MS;
  const chainOf = (userId: string, openedAt: Date): Chain => {
    const previous = lastFixed.get(userId);
    const fixedAt = previous?.closedAt ?? null;
    if (previous === undefined || fixedAt === null || openedAt.getTime() - fixedAt.getTime() > windowMs) {
      return { reopensId: null, chainStartedAt: openedAt };
    }
    return { reopensId: previous.id, chainStartedAt: previous.chainStartedAt };
  };

  const opened: NewFinding[] = [];
  const closed: Finding[] = [];
  const escalationSince = new Map<string, Date>();
  const close = (finding: Finding, reason: FindingCloseReason): void => {
    closed.push({ ...finding, closedAt: now, closeReason: reason });
  };
  /** The result with the open finding (kept or new) that it belongs to. */
  const stillOpen = (result: UserResult, finding: Pick<Finding, 'openedAt' | 'chainStartedAt'>): UserResult => {
    const since = finding.openedAt;
    escalationSince.set(
      result.userName,
      finding.chainStartedAt.getTime() < since.getTime() ? finding.chainStartedAt : since,
    );
    return { ...result, nonCompliantSince: since };
  };

  const reconciled = results.map((result): UserResult => {
    let previous = openByName.get(result.userName);
    openByName.delete(result.userName);
    if (previous && previous.userId !== result.userId) {
      close(previous, 'replaced');
      previous = undefined;
    }
    if (result.status === 'non_compliant') {
      if (previous) return stillOpen(result, previous);
      const finding: NewFinding = {
        accountId,
        userName: result.userName,
        userId: result.userId,
        openedAt: result.checkedAt,
        ...chainOf(result.userId, result.checkedAt),
      };
      opened.push(finding);
      return stillOpen(result, finding);
    }
    if (!previous) return { ...result, nonCompliantSince: null };
    const reason = CLOSING[result.status];
    if (reason === undefined) return stillOpen(result, previous);
    close(previous, reason);
    return { ...result, nonCompliantSince: null };
  });

  // Whatever is still open belongs to users IAM no longer lists.
  for (const finding of openByName.values()) close(finding, 'deleted');

  return { results: reconciled, opened, closed, escalationSince };
};
