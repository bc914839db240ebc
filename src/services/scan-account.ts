import { aliasFromList } from '../domain/account-label';
import { countStatuses } from '../domain/counts';
import type { ParsedCredentialReport, ReportUserRow } from '../domain/credential-report';
import { evaluateUser, type EvaluationPolicy, lacksMfa } from '../domain/evaluate';
import { reconcileFindings } from '../domain/findings';
import { evaluationKnowsOwner } from '../domain/owner-record';
import type { OwnersFile } from '../domain/owners';
import type { AccountScan, ScanIssue } from '../domain/scan';
import type { AccountRef, IamUser, Observation, RootAccountResult, Strategy, Tags } from '../domain/types';
import type { Finding } from '../domain/types';
import { AppError, describeError } from '../errors';
import type { Clock } from '../ports/clock';
import type { IamGateway } from '../ports/iam';
import type { Logger } from '../ports/logging';
import { mapWithConcurrency } from './concurrency';
import { fetchCredentialReport } from './fetch-credential-report';
import { observeUserLive, readUserTags } from './observe-user';
import { retryWhenThrottled } from './retry-throttled';

export interface ScanAccountDeps {
  readonly iam: IamGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ownersFile: OwnersFile;
  readonly openFindings: (accountId: string) => Promise<readonly Finding[]>;
  /** The account's latest finding per IAM user closed as fixed since then (FindingStore.lastFixed). */
  readonly lastFixed: (accountId: string, since: Date) => Promise<readonly Finding[]>;
  /** Called between units of work; throws to abort the scan (e.g. the lease was lost). */
  readonly keepAlive: () => Promise<void>;
  /** Told which account is being scanned as soon as it is known, so a failure can name it. */
  readonly onAccount?: (accountId: string) => void;
  /**
   * The account the gateway is meant to reach (a role's or an organization member's id), when
   * known: credentials that answer for another account fail the scan rather than scan the wrong one.
   */
  readonly expectedAccountId?: string | null;
  /** The organization's name for the account (AccountTarget.name): shown when IAM has no alias. */
  readonly accountName?: string | null;
}

export interface ScanAccountSettings extends EvaluationPolicy {
  /** FINDING_REOPEN_WINDOW_DAYS: how soon after a fix a new finding continues the old one's chain; 0 = never. */
  readonly reopenWindowDays: number;
  readonly concurrency: number;
  readonly reportTimeoutMs: number;
}

type Plan =
  { readonly kind: 'report'; readonly observation: Observation } | { readonly kind: 'live'; readonly why: string };

const DAY_MS = 86_400_000;

// The report's creation time has second precision; ListUsers' may carry milliseconds.
const SAME_USER_TOLERANCE_MS = 1000;

/** What the credential report alone may settle. Anything uncertain, and every offender, is checked live. */
const planFromReport = (user: IamUser, row: ReportUserRow | undefined, generatedAt: Date): Plan => {
  if (row === undefined) return { kind: 'live', why: 'not in the credential report' };
  if (
    row.userCreationTime &&
    Math.abs(row.userCreationTime.getTime() - user.createDate.getTime()) > SAME_USER_TOLERANCE_MS
  ) {
    return { kind: 'live', why: 'recreated since the credential report' };
  }
  if (row.passwordEnabled === null || row.mfaActive === null) return { kind: 'live', why: 'unclear in the report' };
  if (row.passwordEnabled && !row.mfaActive) return { kind: 'live', why: 'candidate offender' };
  return {
    kind: 'report',
    observation: {
      kind: 'checked',
      hasLoginProfile: row.passwordEnabled,
      hasMfa: row.mfaActive,
      source: 'report',
      checkedAt: generatedAt,
    },
  };
};

const untrustedIssues = (report: ParsedCredentialReport): ScanIssue[] =>
  report.untrusted.map((row) => ({
    code: 'report_row_untrusted',
    message: `Credential report line ${row.line} was not trusted (${row.reason}); that user was checked live.`,
    ...(row.userNameHint === null ? {} : { userName: row.userNameHint }),
  }));

/**
 * One scan of the account that `iam` points at. Throws only when the scan cannot finish at all
 * (identity or the user list unavailable); a failure on one user becomes that user's `error` status.
 */
export const scanAccount = async (deps: ScanAccountDeps, settings: ScanAccountSettings): Promise<AccountScan> => {
  const { iam, clock, logger } = deps;
  const startedAt = clock.now();
  const identity = await retryWhenThrottled('sts:GetCallerIdentity', () => iam.getCallerIdentity(), clock, logger);
  const expected = deps.expectedAccountId ?? null;
  if (expected !== null && identity.accountId !== expected) throw wrongAccount(expected, identity.accountId);
  deps.onAccount?.(identity.accountId);
  const issues: ScanIssue[] = [];
  // Alias-scoped owners-file keys match the IAM alias only, never the organization's name: an
  // alias is unique across AWS, while two accounts of an organization may share a name, and a key
  // written for one (an exemption, say) must not reach the other. The name is only a label.
  const account: AccountRef = {
    accountId: identity.accountId,
    partition: identity.partition,
    alias: await readAlias(iam, clock, logger, issues),
    name: deps.accountName ?? null,
  };
  logger.info('scan started', { accountId: account.accountId, alias: account.alias, name: account.name });

  const outcome = await fetchCredentialReport(iam, clock, logger, { timeoutMs: settings.reportTimeoutMs });
  await deps.keepAlive();
  const strategy: Strategy =
    outcome.kind === 'report'
      ? {
          name: 'credential-report',
          reason: 'credential report read; offenders and users missing from it re-checked live',
        }
      : { name: 'per-user', reason: outcome.reason };
  if (outcome.kind === 'unavailable')
    logger.warn('falling back to checking every user live', { reason: outcome.reason });

  const users = await retryWhenThrottled('iam:ListUsers', () => iam.listUsers(), clock, logger);
  await deps.keepAlive();
  if (outcome.kind === 'report') issues.push(...untrustedIssues(outcome.report));
  const rows = new Map(outcome.kind === 'report' ? outcome.report.users.map((r) => [r.userName, r] as const) : []);

  const observations = await mapWithConcurrency(users, settings.concurrency, async (user) => {
    const plan: Plan =
      outcome.kind === 'report'
        ? planFromReport(user, rows.get(user.userName), outcome.generatedAt)
        : { kind: 'live', why: 'per-user scan' };
    if (plan.kind === 'report') return plan.observation;
    await deps.keepAlive();
    logger.debug('checking user live', { userName: user.userName, why: plan.why });
    return observeUserLive(iam, clock, user.userName);
  });

  // Tags decide owner and exemption, which only matter for users without MFA.
  const evaluated = await mapWithConcurrency(users, settings.concurrency, async (user, index) => {
    let observation: Observation = observations[index] ?? {
      kind: 'failed',
      reason: 'not checked',
      checkedAt: clock.now(),
    };
    let tags: Tags | null = null;
    if (lacksMfa(observation)) {
      await deps.keepAlive();
      ({ observation, tags } = await readUserTags(iam, clock, user.userName, observation));
    }
    const result = evaluateUser({
      accountId: account.accountId,
      accountAlias: account.alias,
      user,
      observation,
      tags,
      ownersFile: deps.ownersFile,
      policy: settings,
      now: startedAt,
    });
    const ownerKnown = evaluationKnowsOwner({
      ...result,
      accountAlias: account.alias,
      tags,
      ownersFile: deps.ownersFile,
    });
    return { result, ownerKnown };
  });

  const root = await checkRoot(
    iam,
    outcome.kind === 'report' ? (outcome.report.root?.mfaActive ?? null) : null,
    account.accountId,
    issues,
  );
  const finishedAt = clock.now();
  const previousOpen = await deps.openFindings(account.accountId);
  // Read after the open findings, never before: a finding a Recheck closes in between is then in
  // one list or the other, so the user's next finding still continues its chain. A new finding
  // opens at its live check, after startedAt, so a window counted back from startedAt holds it.
  const recentlyFixed =
    settings.reopenWindowDays > 0
      ? await deps.lastFixed(account.accountId, new Date(startedAt.getTime() - settings.reopenWindowDays * DAY_MS))
      : [];
  const reconciled = reconcileFindings({
    accountId: account.accountId,
    previousOpen,
    recentlyFixed,
    reopenWindowDays: settings.reopenWindowDays,
    results: evaluated.map((e) => e.result),
    now: finishedAt,
  });
  for (const result of reconciled.results) {
    if (result.status === 'error')
      logger.warn('user could not be checked', { userName: result.userName, reason: result.reason });
  }
  return {
    account,
    startedAt,
    finishedAt,
    strategy,
    reportGeneratedAt: outcome.kind === 'report' ? outcome.generatedAt : null,
    root,
    users: reconciled.results,
    counts: countStatuses(reconciled.results),
    opened: reconciled.opened,
    closed: reconciled.closed,
    escalationSince: reconciled.escalationSince,
    issues,
    knownOwnerIds: evaluated.filter((e) => e.ownerKnown).map((e) => e.result.userId),
  };
};

const wrongAccount = (expected: string, answered: string): AppError =>
  new AppError(
    'account_mismatch',
    `The credentials for account ${expected} answer for account ${answered}, so account ${expected} was not scanned.`,
    {
      hint: `Check the role ARN configured for account ${expected}: it must be a role in that account (arn:aws:iam::${expected}:role/…).`,
    },
  );

/**
 * The account alias, read once per scan. Only a label (and the key of alias-scoped owners-file
 * entries), so a failure (AccessDenied when the policy lacks iam:ListAccountAliases) never fails
 * the scan: the alias is null and the scan records one `alias_unreadable` issue.
 */
const readAlias = async (
  iam: IamGateway,
  clock: Clock,
  logger: Logger,
  issues: ScanIssue[],
): Promise<string | null> => {
  try {
    return aliasFromList(
      await retryWhenThrottled('iam:ListAccountAliases', () => iam.listAccountAliases(), clock, logger),
    );
  } catch (error) {
    logger.warn('account alias unreadable', { reason: describeError(error) });
    issues.push({
      code: 'alias_unreadable',
      message: `The account alias could not be read, so the account is shown by its id only and alias-scoped owners-file keys match nothing: ${describeError(error)}`,
    });
    return null;
  }
};

/** Root MFA from the report is trusted only when it says MFA is on; "off" is confirmed live. */
const checkRoot = async (
  iam: IamGateway,
  fromReport: boolean | null,
  accountId: string,
  issues: ScanIssue[],
): Promise<RootAccountResult | null> => {
  if (fromReport === true) return { accountId, mfaActive: true, source: 'report' };
  try {
    const summary = await iam.getAccountSummary();
    return { accountId, mfaActive: summary.accountMfaEnabled, source: 'live' };
  } catch (error) {
    issues.push({
      code: 'root_check_failed',
      message: `Root account MFA could not be checked live: ${describeError(error)}`,
    });
    return fromReport === null ? null : { accountId, mfaActive: fromReport, source: 'report' };
  }
};
