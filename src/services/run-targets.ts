import { AppError, describeError } from '../errors';
import type { AccountTarget } from '../ports/accounts';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import { mapWithConcurrency } from './concurrency';
import { retryWhenThrottled } from './retry-throttled';

/** A target a run scans: its account id as listed or as its credentials answer, or why it is unknown. */
export type PlannedTarget =
  | { readonly target: AccountTarget; readonly accountId: string; readonly unidentified: null }
  | { readonly target: AccountTarget; readonly accountId: null; readonly unidentified: unknown };

const covered = (planned: readonly PlannedTarget[]): string => {
  const ids = planned.flatMap((p) => (p.accountId === null ? [] : [p.accountId]));
  return ids.length === 0 ? 'none could be identified' : ids.join(', ');
};

const unidentifiedText = (planned: readonly PlannedTarget[]): string => {
  const unknown = planned.filter((p) => p.accountId === null);
  return unknown.length === 0
    ? ''
    : ` These could not be identified, so one of them may be it: ${unknown.map((p) => `${p.target.via} (${describeError(p.unidentified)})`).join('; ')}.`;
};

const notCovered = (missing: readonly string[], planned: readonly PlannedTarget[]): AppError =>
  new AppError(
    'account_not_covered',
    `mfa-guard does not cover account ${missing.join(', ')}, so nothing was scanned. It covers: ${covered(planned)}.${unidentifiedText(planned)}`,
    {
      hint: 'Pass --account only with accounts mfa-guard covers (AWS_ACCOUNTS, AWS_ACCOUNTS_FILE or the organization), or add the account there first.',
    },
  );

/**
 * The targets a run scans, in listing order: a target listed without an id (the ambient
 * credentials' account) is identified first, so the same account listed twice (`self` and a role
 * into it) is scanned once, under its first listing. A target that cannot be identified is kept,
 * to fail as an account of its own. `only` keeps just those accounts (CLI --account): an id it names
 * that no target covers throws account_not_covered before anything is scanned, and once every id
 * is found, a target that could not be identified is not one of them and is left out.
 */
export const planTargets = async (
  targets: readonly AccountTarget[],
  only: readonly string[] | undefined,
  options: { readonly concurrency: number; readonly clock: Clock; readonly logger: Logger },
): Promise<PlannedTarget[]> => {
  const identified = await mapWithConcurrency(targets, options.concurrency, async (target): Promise<PlannedTarget> => {
    if (target.accountId !== null) return { target, accountId: target.accountId, unidentified: null };
    try {
      const { accountId } = await retryWhenThrottled(
        'sts:GetCallerIdentity',
        () => target.iam.getCallerIdentity(),
        options.clock,
        options.logger,
      );
      return { target, accountId, unidentified: null };
    } catch (error) {
      return { target, accountId: null, unidentified: error };
    }
  });
  const seen = new Set<string>();
  const unique = identified.filter((planned) => {
    if (planned.accountId === null) return true;
    if (seen.has(planned.accountId)) {
      options.logger.info('account listed twice; scanned once', {
        accountId: planned.accountId,
        via: planned.target.via,
      });
      return false;
    }
    seen.add(planned.accountId);
    return true;
  });
  if (only === undefined) return unique;
  const missing = [...new Set(only)].filter((id) => !seen.has(id));
  if (missing.length > 0) throw notCovered(missing, unique);
  const wanted = new Set(only);
  return unique.filter((planned) => planned.accountId !== null && wanted.has(planned.accountId));
};
