/**
 * Speed and memory goals for a scan, kept out of the test suite on purpose (timing tests flake).
 * `npm run bench` scans synthetic accounts on the in-memory IAM with simulated IAM latency and
 * exits 1 when a goal is missed. BENCH_USERS overrides the account size.
 */
import { ambientAccount } from '../src/adapters/fixed-accounts';
import { noOwnersFile } from '../src/adapters/memory/fixed-owners-source';
import { InMemoryIam, type MemoryUser } from '../src/adapters/memory/in-memory-iam';
import { silentLogger } from '../src/adapters/stderr-logger';
import { systemClock } from '../src/adapters/system-clock';
import { createScanner } from '../src/cli/scanner';
import { readScanConfig } from '../src/config/scan-config';
import { AppError } from '../src/errors';
import type { IamGateway } from '../src/ports/iam';

const USERS = Number(process.env['BENCH_USERS'] ?? 5000);
const OFFENDER_SHARE = 0.1;
const LATENCY_MS = 20;

const syntheticUsers = (count: number, now: Date): MemoryUser[] =>
  Array.from({ length: count }, (_, i) => ({
    userName: `user-${String(i).padStart(6, '0')}`,
    userId: `AIDABENCH${String(i).padStart(12, '0')}`,
    createDate: new Date(now.getTime() - 400 * 86_400_000),
    passwordLastUsed: null,
    loginProfile: i % 3 !== 0,
    mfaDevices:
      i % 3 !== 0 && i % Math.round(1 / OFFENDER_SHARE) !== 1
        ? [{ serialNumber: `arn:aws:iam::123456789012:mfa/u${i}`, kind: 'virtual' as const, enableDate: now }]
        : [],
    tags: { 'slack-owner': 'U0BENCH0001' },
  }));

/** Every per-user IAM call takes LATENCY_MS, as real IAM roughly does. */
const withLatency = (iam: IamGateway): IamGateway => {
  const delay = <T>(call: () => Promise<T>): Promise<T> =>
    new Promise((resolve) => setTimeout(resolve, LATENCY_MS)).then(call);
  return {
    getCallerIdentity: () => iam.getCallerIdentity(),
    generateCredentialReport: () => iam.generateCredentialReport(),
    getCredentialReport: () => iam.getCredentialReport(),
    listUsers: () => iam.listUsers(),
    getAccountSummary: () => iam.getAccountSummary(),
    listAccountAliases: () => iam.listAccountAliases(),
    getUser: (n) => delay(() => iam.getUser(n)),
    getLoginProfile: (n) => delay(() => iam.getLoginProfile(n)),
    listMfaDevices: (n) => delay(() => iam.listMfaDevices(n)),
    listUserTags: (n) => delay(() => iam.listUserTags(n)),
    // A scan never removes console passwords; a call here would be a bug worth failing loudly on.
    deleteLoginProfile: (n) =>
      Promise.reject(
        new AppError(
          'iam_unexpected',
          `The scan benchmark called iam:DeleteLoginProfile for user ${n}, which a scan never does.`,
          {
            hint: 'A scan must only read IAM; find and remove the call that deletes console passwords.',
          },
        ),
      ),
  };
};

type Goal = { name: string; value: number; limit: number; unit: string };

const benchScan = async (label: string, report: boolean): Promise<Goal[]> => {
  const now = systemClock.now();
  const memory = new InMemoryIam({
    account: { accountId: '123456789012', partition: 'aws', rootMfaActive: true, users: syntheticUsers(USERS, now) },
    clock: () => systemClock.now(),
  });
  if (!report)
    memory.failWith('generateCredentialReport', new AppError('iam_access_denied', 'denied for the benchmark'));
  const scanner = createScanner({
    config: readScanConfig({ DATABASE_PATH: ':memory:' }),
    accounts: ambientAccount(withLatency(memory)),
    owners: noOwnersFile,
    clock: systemClock,
    logger: silentLogger,
    holder: 'bench',
    dryRun: false,
  });
  const started = process.hrtime.bigint();
  const result = await scanner.scan();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  scanner.close();
  if (result.outcome !== 'completed') throw new Error(`${label}: scan ${result.outcome}`);
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  // Ideal time: live calls / concurrency × latency. The goal allows 50% overhead on top.
  const liveCalls = memory.calls.filter((c) => c.userName !== undefined).length;
  const ideal = (liveCalls / 8) * (LATENCY_MS / 1000);
  console.log(
    `${label}: ${USERS} users, ${liveCalls} per-user IAM calls, ${seconds.toFixed(2)} s (ideal ${ideal.toFixed(2)} s at concurrency 8), RSS ${rssMb.toFixed(0)} MB`,
  );
  return [
    { name: `${label} wall time`, value: seconds, limit: ideal * 1.5 + 1, unit: 's' },
    { name: `${label} RSS`, value: rssMb, limit: 400, unit: 'MB' },
  ];
};

const main = async (): Promise<void> => {
  const goals = [...(await benchScan('credential-report', true)), ...(await benchScan('per-user', false))];
  let missed = 0;
  for (const goal of goals) {
    const ok = goal.value <= goal.limit;
    if (!ok) missed += 1;
    console.log(
      `${ok ? 'ok  ' : 'MISS'} ${goal.name}: ${goal.value.toFixed(2)} ${goal.unit} (goal ≤ ${goal.limit.toFixed(2)} ${goal.unit})`,
    );
  }
  process.exitCode = missed > 0 ? 1 : 0;
};

void main();
