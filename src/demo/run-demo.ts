import { sampleOwnersSource } from '../adapters/memory/fixed-owners-source';
import { createSampleAccounts } from '../adapters/memory/sample-accounts';
import { createSampleSlack, SAMPLE_SECURITY_CHANNEL } from '../adapters/memory/sample-slack';
import { openDatabase } from '../adapters/sqlite/database';
import { createSqliteStores } from '../adapters/sqlite/sqlite-stores';
import { createStderrLogger } from '../adapters/stderr-logger';
import { createScanCycleOver, scanSettingsFromConfig } from '../app';
import { readScanConfig } from '../config/scan-config';
import { describeError } from '../errors';
import type { Clock } from '../ports/clock';
import { renderRunReport } from '../render/run-report';
import { renderSlackMessageAsText } from '../render/slack-text';
import { blockKitBuilderUrl } from '../slack/blocks/block-kit-builder-url';
import { runDemoInteractions } from './demo-interactions';

export interface DemoIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');

/**
 * Runs the real scan and notification code against the three bundled sample accounts (one of which
 * refuses the AssumeRole, to show that it stops nothing else): in-memory IAM,
 * an in-memory Slack workspace that keeps every message, and an in-memory SQLite database.
 * Reads no environment on purpose: the demo must work on a fresh clone whatever .env says.
 */
export const runDemo = async (io: DemoIo, clock: Clock): Promise<number> => {
  const { accounts, prod: iam } = createSampleAccounts(() => clock.now(), { reportPendingPolls: 1 });
  const slack = createSampleSlack();
  const config = readScanConfig({ DATABASE_PATH: ':memory:' });
  const db = openDatabase(config.databasePath);
  const owners = sampleOwnersSource();
  const logger = createStderrLogger('warn', io.stderr, () => clock.now());
  const auditLines: string[] = [];
  const stores = createSqliteStores(db, (line) => auditLines.push(line));
  const cycle = createScanCycleOver(
    stores,
    { accounts, slack, owners, clock, logger, holder: 'demo' },
    {
      scan: scanSettingsFromConfig(config),
      notify: {
        securityChannel: SAMPLE_SECURITY_CHANNEL,
        nudgeIntervalHours: 24,
        escalateAfterDays: 7,
        summaryWhen: 'always',
        removalEnabled: true,
      },
    },
  );

  io.stdout(
    'mfa-guard demo: scanning three bundled sample accounts, acme-prod, acme-staging and acme-sandbox, whose role refuses the AssumeRole (in-memory IAM and Slack; no AWS or Slack account needed)\n\n',
  );
  try {
    const outcome = await cycle.run('command');
    if (outcome.kind !== 'completed') {
      io.stderr(
        `The demo scan did not complete: ${outcome.kind === 'failed' ? describeError(outcome.error) : outcome.kind}\n`,
      );
      return 3;
    }
    io.stdout(`${renderRunReport(outcome.run)}\n`);
    io.stdout(
      `\nThe bot would now send ${slack.posts.length} Slack message(s): one DM per owner, then the summary in the security channel.\n`,
    );
    io.stdout(
      'Paste a "Block Kit Builder" link into a browser signed in to Slack to see the message exactly as Slack shows it.\n',
    );
    for (const post of slack.posts) {
      const owner = slack.dmUser(post.channel);
      const where =
        post.channel === SAMPLE_SECURITY_CHANNEL
          ? `message in #security-alerts (${post.channel})`
          : `DM to ${owner ?? post.channel}`;
      io.stdout(`\n=== Slack ${where} ===\n\n${indent(renderSlackMessageAsText(post.message))}\n`);
      io.stdout(`\n  Block Kit Builder: ${blockKitBuilderUrl(post.message)}\n`);
    }
    if (outcome.notify.failedDms.length > 0)
      io.stdout(`\n${outcome.notify.failedDms.length} DM(s) failed; the summary lists them.\n`);
    return await runDemoInteractions(
      io,
      { stores, auditLines },
      { iam, accounts, slack, owners, clock, logger, holder: 'demo' },
      {
        policy: {
          gracePeriodHours: config.gracePeriodHours,
          exemptTagKey: config.exemptTagKey,
          ownerTagKeys: config.ownerTagKeys,
        },
        approvers: ['U0SECURITY1'],
        securityChannel: SAMPLE_SECURITY_CHANNEL,
        approvalChannel: SAMPLE_SECURITY_CHANNEL,
        removalEnabled: true,
        allowSelfApproval: false,
        removalRequestTtlHours: 72,
        liveChecks: { perUserPerMinute: 10, perMinute: 60 },
      },
      cycle,
    );
  } finally {
    db.close();
  }
};
