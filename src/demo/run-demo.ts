import { parse as parseYaml } from 'yaml';
import { createScanner } from '../app';
import { createSampleIam, SAMPLE_OWNERS_FILE_YAML } from '../adapters/memory/sample-account';
import { createStderrLogger } from '../adapters/stderr-logger';
import { readScanConfig } from '../config/scan-config';
import { parseOwnersDocument } from '../domain/owners';
import { buildRemediation, renderRemediationText } from '../domain/remediation';
import type { Clock } from '../ports';
import { renderScanSummary, renderUserTable, sortBySeverity } from '../render/scan-report';
import { describeError } from '../errors';

export interface DemoIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Runs the real scan code against the bundled sample account (in-memory IAM, in-memory SQLite).
 * Reads no environment on purpose: the demo must work on a fresh clone whatever .env says.
 */
export const runDemo = async (io: DemoIo, clock: Clock): Promise<number> => {
  const iam = createSampleIam(() => clock.now(), { reportPendingPolls: 1 });
  const config = readScanConfig({ DATABASE_PATH: ':memory:' });
  const scanner = createScanner({
    config,
    iam,
    ownersFile: parseOwnersDocument(parseYaml(SAMPLE_OWNERS_FILE_YAML), 'sample owners file'),
    clock,
    logger: createStderrLogger('warn', io.stderr, () => clock.now()),
    holder: 'demo',
    dryRun: false,
  });

  io.stdout('mfa-guard demo: scanning the bundled sample account (in-memory IAM; no AWS or Slack account needed)\n\n');
  try {
    const result = await scanner.scan();
    if (result.outcome !== 'completed') {
      io.stderr(`The demo scan did not complete: ${result.outcome === 'failed' ? describeError(result.error) : 'another scan holds the lease'}\n`);
      return 3;
    }
    const { scan } = result;
    io.stdout(`${renderUserTable(scan.users, scan.finishedAt)}\n\n${renderScanSummary(scan)}\n`);

    const offenders = sortBySeverity(scan.users).filter((u) => u.status === 'non_compliant');
    const [first] = offenders;
    if (first) {
      io.stdout(`\n--- What the owner of ${first.userName} is told (the same text goes into the Slack DM) ---\n\n`);
      io.stdout(`${renderRemediationText(buildRemediation({ accountId: first.accountId, partition: scan.account.partition, userName: first.userName }))}\n`);
      if (offenders.length > 1) {
        io.stdout(`\n(${offenders.length - 1} more offender(s) get the same steps with their own names filled in: ${offenders.slice(1).map((u) => u.userName).join(', ')}.)\n`);
      }
    }
    return 0;
  } finally {
    scanner.close();
  }
};
