/**
 * `npm run bench`: cost and speed of a scan at organization scale, Slack's side and the bot's
 * responsiveness, measured side by side in one run (see README "Performance"). Kept out of the
 * test suite on purpose: timing tests flake. Prints a markdown table, writes bench/results.json and
 * exits 1 when a measured figure misses its target (an estimated one never fails it).
 *
 *   npm run bench -- --quick                 about a minute (what CI may run)
 *   npm run bench -- --latency-ms 20 --rate 20 --burst 40
 *
 * The scans run `node dist/cli.js scan` (run `npm run build` first) in a child process against the
 * simulated IAM/STS/Organizations served by this process.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';

import { measureResponsiveness, type ResponsivenessMeasure } from './responsiveness';
import { type AwsSimulation, type ScanMeasure, scanOneAccount, scanOrganization } from './scan-scenarios';
import { measureSlack, type SlackMeasure } from './slack-scenario';
import {
  type Figure,
  missedTargets,
  percentile,
  reportStrategyCallBudget,
  targetState,
  throttleFloorSeconds,
} from './stats';

interface Flags {
  readonly quick: boolean;
  readonly sim: AwsSimulation;
  readonly iamMs: number;
}

const flagValue = (args: readonly string[], name: string, fallback: number): number => {
  const index = args.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} takes a number, e.g. ${name} ${fallback}`);
  return value;
};

export const parseFlags = (args: readonly string[]): Flags => ({
  quick: args.includes('--quick'),
  sim: {
    latencyMs: flagValue(args, '--latency-ms', 20),
    throttle: { ratePerSecond: flagValue(args, '--rate', 20), burst: flagValue(args, '--burst', 40) },
  },
  iamMs: flagValue(args, '--slow-iam-ms', 2000),
});

const num = (value: number, digits = 0): number => Number(value.toFixed(digits));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** IAM calls IAM answered (throttled ones refused nothing and cost nothing of the quota). */
const answered = (m: ScanMeasure): number => m.iamCalls - m.throttled;
const ops = (m: ScanMeasure): string =>
  Object.entries(m.callsByAction)
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');

const oneAccountFigures = (flags: Flags, users: number, strategy: string, m: ScanMeasure): Figure[] => {
  const scenario = `1 account, ${users.toLocaleString('en')} users, ${strategy}`;
  const floor = throttleFloorSeconds(answered(m), flags.sim.throttle.ratePerSecond);
  const limit = 1.3 * floor + 2;
  const figures: Figure[] = [
    {
      scenario,
      what: `IAM calls answered (${m.throttled} more throttled); every request by action: ${ops(m)}`,
      value: answered(m),
      unit: 'calls',
    },
    { scenario, what: 'throttle floor (calls ÷ rate)', value: num(floor, 2), unit: 's' },
    {
      scenario,
      what: 'wall time',
      value: num(m.seconds, 2),
      unit: 's',
      target: `≤ ${limit.toFixed(2)} (1.3 × floor + 2)`,
      met: m.seconds <= limit,
    },
    {
      scenario,
      what: 'peak RSS (child)',
      value: num(m.peakRssMb, 1),
      unit: 'MB',
      ...(users === 5000 ? { target: '< 200', met: m.peakRssMb < 200 } : {}),
    },
  ];
  if (strategy === 'credential-report') {
    const polls = Math.max(0, (m.callsByAction['GenerateCredentialReport'] ?? 1) - 1);
    const budget = reportStrategyCallBudget(users, polls, m.liveUsers);
    figures.push({
      scenario,
      what: `IAM calls vs budget (${m.liveUsers} users checked live, ${polls} report polls)`,
      value: answered(m),
      unit: 'calls',
      target: `≤ ${budget}`,
      met: answered(m) <= budget,
    });
  }
  return figures;
};

const orgFigures = (runs: readonly { way: number; accounts: number; scale: number; m: ScanMeasure }[]): Figure[] => {
  const figures: Figure[] = [];
  const seconds = (run: { scale: number; m: ScanMeasure }): number => run.m.seconds * run.scale;
  for (const run of runs) {
    const scenario = `organization, 200 accounts × 500 users, ACCOUNT_CONCURRENCY ${run.way}`;
    const estimated = run.scale !== 1;
    const sts = (run.m.callsByAction['AssumeRole'] ?? 0) + (run.m.callsByAction['GetCallerIdentity'] ?? 0);
    figures.push({
      scenario: estimated ? `${scenario} (measured on ${run.accounts}, × ${run.scale})` : scenario,
      what: `wall time (the scan process used ${run.m.cpuSeconds.toFixed(1)} s of CPU)`,
      value: num(seconds(run), 2),
      unit: 's',
      ...(estimated ? { estimated } : {}),
    });
    figures.push({
      scenario: estimated ? `${scenario} (measured on ${run.accounts})` : scenario,
      what: `STS calls (AssumeRole + GetCallerIdentity), Organizations calls; ${run.m.accountsCompleted} accounts completed, ${run.m.throttled} IAM calls throttled`,
      value: sts,
      unit: `STS, ${run.m.callsByAction['ListAccounts'] ?? 0} ListAccounts`,
    });
    if (!estimated)
      figures.push({
        scenario,
        what: 'peak RSS (child)',
        value: num(run.m.peakRssMb, 1),
        unit: 'MB',
        ...(run.accounts === 200 ? { target: '< 300', met: run.m.peakRssMb < 300 } : {}),
      });
  }
  const one = runs.find((r) => r.way === 1);
  for (const run of runs) {
    if (one === undefined || run.way === 1) continue;
    const speedUp = seconds(one) / seconds(run);
    figures.push({
      scenario: 'organization, 200 accounts × 500 users',
      what: `speed-up of ACCOUNT_CONCURRENCY ${run.way} over 1`,
      value: num(speedUp, 1),
      unit: '×',
      ...(run.way === 16 ? { target: '≥ 10', met: speedUp >= 10 } : {}),
      ...(one.scale !== 1 || run.scale !== 1 ? { estimated: true } : {}),
    });
  }
  return figures;
};

const slackFigures = (m: SlackMeasure): Figure[] => {
  const scenario = `Slack, ${m.owners} owners (${m.users.toLocaleString('en')} users, ${m.ownersWithFindings} with findings)`;
  const methods = (calls: Readonly<Record<string, number>>): string =>
    Object.entries(calls)
      .map(([method, n]) => `${method} ${n}`)
      .join(', ');
  return [
    {
      scenario,
      what: `first scan: ${methods(m.firstScan.byMethod)}`,
      value: m.firstScan.total,
      unit: 'calls',
      target: `≤ ${m.firstScanBudget}`,
      met: m.firstScan.total <= m.firstScanBudget,
    },
    {
      scenario,
      what: "first scan: least time Slack's tiers allow",
      value: num(m.firstScan.floorSeconds, 1),
      unit: 's',
    },
    { scenario, what: `next day: ${methods(m.nextDay.byMethod)}`, value: m.nextDay.total, unit: 'calls' },
    { scenario, what: "next day: least time Slack's tiers allow", value: num(m.nextDay.floorSeconds, 1), unit: 's' },
  ];
};

const responsivenessFigures = (m: ResponsivenessMeasure): Figure[] => {
  const scenario = `responsiveness, ${m.timings.length + m.unanswered} requests from ${m.people} people (${m.approvers} approvers), IAM ${m.iamMs} ms a call, scan waiting out a 429: ${m.scanWaiting}`;
  const acks = m.timings.map((t) => t.ackMs);
  const beyond = m.timings.map((t) => t.beyondIamMs);
  const p = (values: number[], q: number): number => num(percentile(values, q), 1);
  return [
    { scenario, what: 'ack p50', value: p(acks, 50), unit: 'ms' },
    { scenario, what: 'ack p95', value: p(acks, 95), unit: 'ms' },
    { scenario, what: 'ack p99', value: p(acks, 99), unit: 'ms', target: '< 200', met: p(acks, 99) < 200 },
    { scenario, what: 'answer beyond IAM time p50', value: p(beyond, 50), unit: 'ms' },
    { scenario, what: 'answer beyond IAM time p95', value: p(beyond, 95), unit: 'ms' },
    {
      scenario,
      what: 'answer beyond IAM time p99',
      value: p(beyond, 99),
      unit: 'ms',
      target: '< 300',
      met: p(beyond, 99) < 300,
    },
    {
      scenario,
      what: 'requests not answered (or not acked 200)',
      value: m.unanswered,
      unit: '',
      target: '0',
      met: m.unanswered === 0,
    },
  ];
};

const STATE_TEXT = { met: 'met', missed: '**MISSED**', estimated: 'estimated', none: '' } as const;

export const markdownTable = (figures: readonly Figure[]): string =>
  [
    '| Scenario | Figure | Value | Target | |',
    '|---|---|---|---|---|',
    ...figures.map(
      (f) => `| ${f.scenario} | ${f.what} | ${f.value} ${f.unit} | ${f.target ?? ''} | ${STATE_TEXT[targetState(f)]} |`,
    ),
  ].join('\n');

const main = async (): Promise<void> => {
  const flags = parseFlags(process.argv.slice(2));
  if (!existsSync(join('dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const figures: Figure[] = [];
  const results: Record<string, unknown> = {};
  const sizes = flags.quick ? [1000] : [1000, 5000];
  const strategies = flags.quick ? (['credential-report'] as const) : (['credential-report', 'per-user'] as const);
  for (const users of sizes)
    for (const strategy of strategies) {
      log(`scanning 1 account of ${users} users, ${strategy}…`);
      const m = await scanOneAccount(flags.sim, users, strategy);
      if (m.strategy !== strategy) throw new Error(`expected the ${strategy} strategy, the scan used ${m.strategy}`);
      results[`account-${users}-${strategy}`] = m;
      figures.push(...oneAccountFigures(flags, users, strategy, m));
    }
  const saved = [results['account-5000-credential-report'], results['account-5000-per-user']] as const;
  if (saved[0] !== undefined && saved[1] !== undefined) {
    const ratio = answered(saved[1] as ScanMeasure) / answered(saved[0] as ScanMeasure);
    figures.push({
      scenario: '1 account, 5,000 users',
      what: 'calls saved: per-user calls ÷ credential-report calls',
      value: num(ratio, 1),
      unit: '×',
      target: '≥ 30',
      met: ratio >= 30,
    });
  }

  const orgRuns = flags.quick
    ? [{ way: 16, accounts: 20, scale: 1 }]
    : [
        // Measured on all 200 accounts (about a minute), so the speed-up is a measured figure.
        { way: 1, accounts: 200, scale: 1 },
        { way: 4, accounts: 200, scale: 1 },
        { way: 16, accounts: 200, scale: 1 },
      ];
  const orgMeasured = [];
  for (const run of orgRuns) {
    log(`scanning an organization of ${run.accounts} accounts × 500 users, ${run.way}-way…`);
    const m = await scanOrganization(flags.sim, run.accounts, 500, run.way);
    results[`organization-${run.accounts}-${run.way}way`] = m;
    orgMeasured.push({ ...run, m });
  }
  figures.push(
    ...(flags.quick
      ? orgFigures(orgMeasured).map((f) => ({ ...f, scenario: f.scenario.replace('200 accounts', '20 accounts') }))
      : orgFigures(orgMeasured)),
  );

  for (const owners of [50, 500]) {
    log(`counting the Slack calls of a scan for ${owners} owners…`);
    const m = await measureSlack(owners);
    results[`slack-${owners}-owners`] = m;
    figures.push(...slackFigures(m));
  }

  const requests = flags.quick ? 20 : 400;
  log(`sending ${requests} requests to the bot, IAM at ${flags.iamMs} ms a call…`);
  const responsiveness = await measureResponsiveness(requests, flags.iamMs);
  results['responsiveness'] = responsiveness;
  figures.push(...responsivenessFigures(responsiveness));

  const table = markdownTable(figures);
  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    date: new Date().toISOString(),
  };
  process.stdout.write(
    `${table}\n\nMachine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.date}. Simulated IAM: ${flags.sim.latencyMs} ms a call, ${flags.sim.throttle.ratePerSecond} calls/s per account, burst ${flags.sim.throttle.burst}.\n`,
  );
  writeFileSync(
    join('bench', 'results.json'),
    `${JSON.stringify({ machine, flags, figures, missed: missedTargets(figures), scenarios: results }, null, 2)}\n`,
  );
  const missed = missedTargets(figures);
  for (const f of missed) log(`MISSED: ${f.scenario}: ${f.what} = ${f.value} ${f.unit} (target ${f.target ?? ''})`);
  process.exit(missed.length > 0 ? 1 : 0);
};

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
});
