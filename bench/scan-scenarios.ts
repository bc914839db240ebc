import { type FakeAccount, type FakeAwsCall, startFakeAws } from '../test/support/fake-aws-http';
import type { TokenBucketSettings } from '../test/support/token-bucket';
import { runChildScan } from './child-scan';
import { population } from './population';

/** What the simulated AWS does to every call: the bench's flags. */
export interface AwsSimulation {
  readonly latencyMs: number;
  readonly throttle: TokenBucketSettings;
}

export interface ScanMeasure {
  readonly seconds: number;
  readonly peakRssMb: number;
  /** The scan process's user + system CPU time. */
  readonly cpuSeconds: number;
  /** Every request that reached the fake, throttled ones included, by action. */
  readonly callsByAction: Readonly<Record<string, number>>;
  /** IAM requests answered with Throttling. */
  readonly throttled: number;
  /** Requests that reached IAM (not STS, not Organizations), throttled ones included. */
  readonly iamCalls: number;
  /** Distinct users asked iam:GetLoginProfile (answered): the users checked live. */
  readonly liveUsers: number;
  readonly strategy: string;
  readonly exitCode: number;
  readonly accountsCompleted: number;
  readonly users: number;
  readonly nonCompliant: number;
}

const NOT_IAM = new Set(['GetCallerIdentity', 'AssumeRole', 'ListAccounts']);

const byAction = (calls: readonly FakeAwsCall[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.action] = (counts[call.action] ?? 0) + 1;
  return counts;
};

const measure = (
  run: Awaited<ReturnType<typeof runChildScan>>,
  calls: readonly FakeAwsCall[],
  label: string,
): ScanMeasure => {
  if (run.json === null) throw new Error(`${label}: the scan printed no JSON (exit ${run.exitCode}): ${run.stderr}`);
  return {
    seconds: run.seconds,
    peakRssMb: run.peakRssMb,
    cpuSeconds: run.cpuSeconds,
    callsByAction: byAction(calls),
    throttled: calls.filter((call) => call.throttled === true).length,
    iamCalls: calls.filter((call) => !NOT_IAM.has(call.action)).length,
    liveUsers: new Set(
      calls.filter((call) => call.action === 'GetLoginProfile' && call.throttled !== true).map((call) => call.userName),
    ).size,
    strategy: run.json.strategy.name,
    exitCode: run.exitCode,
    accountsCompleted: run.json.accounts.filter((a) => a.outcome === undefined || a.outcome === 'completed').length,
    users: run.json.summary['total'] ?? 0,
    nonCompliant: run.json.summary['non_compliant'] ?? 0,
  };
};

/**
 * One account of `users` users, scanned with the ambient credentials. The per-user strategy is
 * forced the way production meets it: the account denies iam:GenerateCredentialReport, so the
 * scan falls back to checking every user live.
 */
export const scanOneAccount = async (
  sim: AwsSimulation,
  users: number,
  strategy: 'credential-report' | 'per-user',
): Promise<ScanMeasure> => {
  const aws = await startFakeAws(population({ users, now: new Date(), accountIndex: 0 }), {
    latencyMs: sim.latencyMs,
    throttle: sim.throttle,
    reportShowsMfa: true,
    ...(strategy === 'per-user' ? { deny: ['GenerateCredentialReport'] } : {}),
  });
  try {
    const run = await runChildScan({ AWS_ENDPOINT_URL_IAM: aws.url, AWS_ENDPOINT_URL_STS: aws.url });
    return measure(run, aws.calls, `${users} users, ${strategy}`);
  } finally {
    await aws.close();
  }
};

export const ORG_ROLE = 'mfa-guard-bench-scanner';

/** `accounts` member accounts of `users` users each, listed by Organizations, ACCOUNT_CONCURRENCY `concurrency`. */
export const scanOrganization = async (
  sim: AwsSimulation,
  accounts: number,
  users: number,
  concurrency: number,
): Promise<ScanMeasure> => {
  const now = new Date();
  const members: FakeAccount[] = Array.from({ length: accounts }, (_, i) => ({
    accountId: String(300_000_000_000 + i),
    name: `member-${i}`,
    users: population({ users, now, accountIndex: i }),
  }));
  const aws = await startFakeAws([], {
    accounts: members,
    latencyMs: sim.latencyMs,
    throttle: sim.throttle,
    reportShowsMfa: true,
    // Organizations' own maximum page size.
    organizationPageSize: 20,
  });
  try {
    const run = await runChildScan({
      AWS_ENDPOINT_URL_IAM: aws.url,
      AWS_ENDPOINT_URL_STS: aws.url,
      AWS_ENDPOINT_URL_ORGANIZATIONS: aws.url,
      AWS_ORGANIZATION_ROLE_NAME: ORG_ROLE,
      // The management account holds no users here; the members are what is measured.
      AWS_ACCOUNTS_EXCLUDE: '210987654321',
      ACCOUNT_CONCURRENCY: String(concurrency),
    });
    return measure(run, aws.calls, `organization of ${accounts}, ${concurrency}-way`);
  } finally {
    await aws.close();
  }
};
