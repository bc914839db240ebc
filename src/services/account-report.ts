/**
 * What one completed account of a run contributes to the summary: its line, the users it lists,
 * and the facts SUMMARY_WHEN decides on, each compared only with the account's own previous
 * completed scan.
 */
import { type Escalation, findEscalations } from '../domain/escalation';
import type { AccountRunLine, FailedDm } from '../domain/notifications';
import { isOffender, type NudgePlan } from '../domain/nudge-plan';
import type { SummaryFacts, SummaryWhen } from '../domain/summary-policy';
import type { NewFinding, UserResult } from '../domain/types';
import type { Logger } from '../ports/logging';
import type { FindingStore, NotificationStore, ScanStore } from '../ports/stores';
import type { Completed } from './run-accounts';

export interface AccountReportDeps {
  readonly notifications: Pick<NotificationStore, 'lastSummaryFailed'>;
  readonly findings: Pick<FindingStore, 'escalatedIds'>;
  readonly scans: Pick<ScanStore, 'previousErrors' | 'previousRootMfa'>;
  readonly logger: Logger;
}

/** What one completed account contributes to the summary and to the decision to post it. */
export interface AccountReport {
  readonly line: AccountRunLine;
  readonly facts: SummaryFacts;
  readonly reopened: readonly NewFinding[];
  readonly escalations: readonly Escalation[];
  readonly errorUsers: readonly UserResult[];
}

export const reportAccount = async (
  deps: AccountReportDeps,
  settings: { readonly escalateAfterDays: number; readonly summaryWhen: SummaryWhen },
  completed: Completed,
  run: { plan: NudgePlan; failedDms: readonly FailedDm[]; now: Date },
): Promise<AccountReport> => {
  const { scan, saved, findingIds } = completed;
  const { accountId } = scan.account;
  const { scanId } = saved;
  const escalations = findEscalations({
    offenders: scan.users.filter(isOffender),
    escalateAfterDays: settings.escalateAfterDays,
    now: run.now,
    findingIds,
    escalationSince: scan.escalationSince,
    alreadyEscalated: await deps.findings.escalatedIds(accountId),
  });
  const reopened = scan.opened.filter((f) => f.reopensId !== null);
  const rootWithoutMfa = scan.root !== null && !scan.root.mfaActive;
  const errorUsers = scan.users.filter((u) => u.status === 'error');
  // A deleted user can no longer sign in either: for the channel that is as good as fixed.
  const fixed = scan.closed.filter((c) => c.closeReason === 'fixed' || c.closeReason === 'deleted').length;
  // Each account is compared only with its own previous completed scan.
  const previousErrors = await deps.scans.previousErrors(accountId, scanId);
  const issueKeys = scan.issues.map((i) => `${i.code}:${i.userName ?? ''}`).sort();
  const facts: SummaryFacts = {
    newFindings: scan.opened.length,
    fixed,
    newlyEscalated: escalations.filter((e) => e.newlyEscalated).length,
    failedDms: run.failedDms.filter((dm) => dm.users.some((u) => u.accountId === accountId)).length,
    errorsChanged:
      previousErrors === null
        ? errorUsers.length + scan.issues.length > 0
        : previousErrors.errorCount !== errorUsers.length ||
          previousErrors.issueKeys.join('\n') !== issueKeys.join('\n'),
    rootNewlyUnprotected: rootWithoutMfa && (await deps.scans.previousRootMfa(accountId, scanId)) !== false,
    unownedDue: run.plan.dueUnowned.filter((u) => u.accountId === accountId).length,
    previousSummaryFailed: await deps.notifications.lastSummaryFailed(accountId),
  };
  deps.logger.debug('summary facts', { accountId, when: settings.summaryWhen, ...facts });
  return {
    line: {
      account: scan.account,
      startedAt: scan.startedAt,
      finishedAt: scan.finishedAt,
      strategy: scan.strategy,
      counts: scan.counts,
      newSinceLastScan: scan.opened.length - reopened.length,
      fixedSinceLastScan: fixed,
      rootWithoutMfa,
    },
    facts,
    reopened,
    escalations,
    errorUsers,
  };
};
