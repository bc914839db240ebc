/**
 * notifyRun over runs of several accounts, each scanned for real (scanAccount over its own
 * InMemoryIam) and saved in a real SQLite store: one DM per owner grouped by account, the same user
 * name in two accounts, failed accounts, and the summary decided per account.
 */
import { fixedAccounts } from '../../src/adapters/fixed-accounts';
import { InMemoryIam, type MemoryUser } from '../../src/adapters/memory/in-memory-iam';
import { InMemorySlack } from '../../src/adapters/memory/in-memory-slack';
import {
  SAMPLE_SECURITY_CHANNEL,
  SAMPLE_SLACK_CHANNELS,
  SAMPLE_SLACK_USERS,
} from '../../src/adapters/memory/sample-slack';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { silentLogger } from '../../src/adapters/stderr-logger';
import { installationOnce, scanSettingsFromConfig } from '../../src/app';
import { readScanConfig } from '../../src/config/scan-config';
import { EMPTY_OWNERS_FILE } from '../../src/domain/owners';
import type { AccountOutcome, CompletedRun, FailedAccount } from '../../src/domain/scan';
import type { SlackGateway } from '../../src/ports/slack';
import type { Stores } from '../../src/ports/stores';
import { notifyFailedRun, notifyRun, type NotifySettings } from '../../src/services/notify-scan';
import { rerenderNudge } from '../../src/services/recheck';
import { scanAccount } from '../../src/services/scan-account';
import type { SlackMessage } from '../../src/slack/blocks/block-kit';
import { blockKitProblems, blocksTextLength } from '../support/block-kit-limits';
import { createFakeClock } from '../support/fake-clock';

const HOUR = 3_600_000;
const ALICE = 'U012ABCDEF';
const BOB = 'U0BOB12345';
const PROD = '111111111111';
const STAGING = '222222222222';
const SANDBOX = '333333333333';
const DENIED = '444444444444';

const SCAN_SETTINGS = scanSettingsFromConfig(readScanConfig({ DATABASE_PATH: ':memory:' }));
const SETTINGS: NotifySettings = {
  securityChannel: SAMPLE_SECURITY_CHANNEL,
  nudgeIntervalHours: 24,
  escalateAfterDays: 7,
  summaryWhen: 'changes',
  removalEnabled: true,
};

/** A console user without MFA owned (by tag) by a Slack user. */
const offender = (userName: string, userId: string, owner: string): MemoryUser => ({
  userName,
  userId,
  createDate: new Date('2026-01-01T00:00:00Z'),
  passwordLastUsed: null,
  loginProfile: true,
  mfaDevices: [],
  tags: { 'slack-owner': owner },
});

/** Slack with a security channel that can be made to refuse the next post to it. */
class FlakySlack extends InMemorySlack {
  failChannelOnce = false;
  override postMessage(channel: string, message: SlackMessage) {
    if (channel === SAMPLE_SECURITY_CHANNEL && this.failChannelOnce) {
      this.failChannelOnce = false;
      return Promise.reject(new Error('not_in_channel'));
    }
    return super.postMessage(channel, message);
  }
}

const world = () => {
  const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
  const slack = new FlakySlack(SAMPLE_SLACK_USERS, SAMPLE_SLACK_CHANNELS);
  const db = openDatabase(':memory:');
  const stores: Stores = createSqliteStores(db, () => undefined);
  const deps = {
    slack: slack satisfies SlackGateway,
    installation: installationOnce(slack),
    notifications: stores.notifications,
    findings: stores.findings,
    scans: stores.scans,
    clock,
    logger: silentLogger,
  };
  const iam = (accountId: string, alias: string | null, users: MemoryUser[]): InMemoryIam =>
    new InMemoryIam({
      account: { accountId, partition: 'aws', rootMfaActive: true, alias, users },
      clock: () => clock.now(),
    });
  /** Scans each account for real and saves it, as a run would; `failed` accounts are listed after. */
  const run = async (iams: readonly InMemoryIam[], failed: readonly FailedAccount[] = []): Promise<CompletedRun> => {
    const startedAt = clock.now();
    const accounts: AccountOutcome[] = [];
    for (const gateway of iams) {
      const scan = await scanAccount(
        {
          iam: gateway,
          clock,
          logger: silentLogger,
          ownersFile: EMPTY_OWNERS_FILE,
          openFindings: (id) => stores.findings.open(id),
          lastFixed: (id, since) => stores.findings.lastFixed(id, since),
          keepAlive: () => Promise.resolve(),
        },
        SCAN_SETTINGS,
      );
      accounts.push({ outcome: 'completed', scan, saved: await stores.scans.saveScan(scan) });
    }
    return {
      runId: 1,
      startedAt,
      finishedAt: clock.now(),
      accounts: [...accounts, ...failed.map((failure) => ({ outcome: 'failed' as const, failure }))],
    };
  };
  const dmsTo = (slackId: string) => slack.posts.filter((p) => slack.dmUser(p.channel) === slackId);
  const summaries = () => slack.posts.filter((p) => p.channel === SAMPLE_SECURITY_CHANNEL);
  return { clock, slack, db, stores, deps, iam, run, dmsTo, summaries };
};

const textOf = (message: SlackMessage): string => JSON.stringify(message.blocks);
const sectionTexts = (message: SlackMessage): string[] =>
  message.blocks.flatMap((b) => (b.type === 'section' && b.text !== undefined ? [b.text.text] : []));
const buttonValues = (message: SlackMessage): string[] =>
  message.blocks.flatMap((b) => {
    if (b.type === 'actions') return b.elements.map((e) => e.value ?? '');
    if (b.type === 'section' && b.accessory !== undefined) return [b.accessory.value ?? ''];
    return [];
  });
const findingIds = (message: SlackMessage): number[] => [
  ...new Set(buttonValues(message).map((v) => Number(v.replace('finding:', '')))),
];

const deniedAccount = (at: Date): FailedAccount => ({
  accountId: DENIED,
  alias: 'legacy',
  name: null,
  via: `arn:aws:iam::${DENIED}:role/mfa-guard-scanner`,
  code: 'aws_access_denied',
  message: `AccessDenied: not authorized to perform sts:AssumeRole on arn:aws:iam::${DENIED}:role/mfa-guard-scanner`,
  hint: 'Deploy the member-account role (deploy/) to this account, trusting the scanner with the external id.',
  scanId: null,
  startedAt: at,
  finishedAt: at,
});

describe('notifyRun over several accounts', () => {
  it('an owner with users in three accounts gets one DM, grouped by account, within Slack’s limits', async () => {
    const w = world();
    try {
      const prod = w.iam(PROD, 'acme-prod', [
        offender('deploy', 'AIDAPRODDEPLOY0001', ALICE),
        offender('etl', 'AIDAPRODETL0000001', ALICE),
      ]);
      const staging = w.iam(STAGING, 'acme-staging', [offender('deploy', 'AIDASTAGINGDEPLOY1', ALICE)]);
      const sandbox = w.iam(SANDBOX, null, [offender('tester', 'AIDASANDBOXTESTER1', ALICE)]);
      const result = await notifyRun(w.deps, SETTINGS, await w.run([prod, staging, sandbox]));

      expect(result).toMatchObject({ dmsSent: 1, failedDms: [] });
      const [dm, ...others] = w.dmsTo(ALICE);
      expect(others).toEqual([]);
      const message = dm!.message;
      expect(blockKitProblems(message.blocks, message.text)).toEqual([]);
      expect(blocksTextLength(message.blocks)).toBeLessThan(4_000);
      expect(message.text).toContain('You own 4 IAM users in 3 AWS accounts');
      // One heading per account, in the run's order, before that account's users.
      const headings = sectionTexts(message).filter((t) => t.startsWith('*AWS account '));
      expect(headings).toEqual([
        '*AWS account `acme-prod` (`111111111111`)* · 2 IAM users',
        '*AWS account `acme-staging` (`222222222222`)* · 1 IAM user',
        '*AWS account `333333333333`* · 1 IAM user',
      ]);
      // Each button points at its own account's finding.
      const findings = await Promise.all(findingIds(message).map((id) => w.stores.findings.get(id)));
      expect(findings.map((f) => `${f?.accountId}/${f?.userName}`)).toEqual([
        `${PROD}/deploy`,
        `${PROD}/etl`,
        `${STAGING}/deploy`,
        `${SANDBOX}/tester`,
      ]);
      // Stored as one DM about several accounts, each subject with its own account.
      const stored = await w.stores.notifications.messageAt(dm!.channel, dm!.ts);
      expect(stored?.accountId).toBeNull();
      expect(stored?.subjects.map((s) => `${s.accountId}/${s.userName}`)).toEqual([
        `${PROD}/deploy`,
        `${PROD}/etl`,
        `${STAGING}/deploy`,
        `${SANDBOX}/tester`,
      ]);

      // Within the interval nobody is nudged again, in any account; after it, again one DM.
      w.clock.advance(2 * HOUR);
      await notifyRun(w.deps, SETTINGS, await w.run([prod, staging, sandbox]));
      expect(w.dmsTo(ALICE)).toHaveLength(1);
      w.clock.advance(22 * HOUR);
      await notifyRun(w.deps, SETTINGS, await w.run([prod, staging, sandbox]));
      expect(w.dmsTo(ALICE)).toHaveLength(2);
    } finally {
      w.db.close();
    }
  });

  it('the same user name in two accounts with two owners: each owner hears only of theirs, qualified by account', async () => {
    const w = world();
    try {
      // The same name, even the same UserId (fakes reuse them): told apart by account.
      const prod = w.iam(PROD, 'acme-prod', [offender('deploy', 'AIDASHAREDDEPLOY01', ALICE)]);
      const staging = w.iam(STAGING, 'acme-staging', [offender('deploy', 'AIDASHAREDDEPLOY01', BOB)]);
      const result = await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]));
      expect(result.dmsSent).toBe(2);

      const [toAlice] = w.dmsTo(ALICE);
      const [toBob] = w.dmsTo(BOB);
      expect(textOf(toAlice!.message)).toContain('`acme-prod` (`111111111111`)');
      expect(textOf(toAlice!.message)).not.toContain(STAGING);
      expect(textOf(toBob!.message)).toContain('`acme-staging` (`222222222222`)');
      expect(textOf(toBob!.message)).not.toContain(PROD);
      const accountOfButtons = async (message: SlackMessage) =>
        (await Promise.all(findingIds(message).map((id) => w.stores.findings.get(id)))).map((f) => f?.accountId);
      expect(await accountOfButtons(toAlice!.message)).toEqual([PROD]);
      expect(await accountOfButtons(toBob!.message)).toEqual([STAGING]);
      // A DM about one account keeps that account, as before.
      expect((await w.stores.notifications.messageAt(toAlice!.channel, toAlice!.ts))?.accountId).toBe(PROD);

      // Each owner's cadence is their own user's: nobody is due 2 hours later.
      w.clock.advance(2 * HOUR);
      expect((await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]))).dmsSent).toBe(0);
    } finally {
      w.db.close();
    }
  });

  it('a failed account contributes no DM and comes first in the summary, with what to do', async () => {
    const w = world();
    try {
      const prod = w.iam(PROD, 'acme-prod', [offender('deploy', 'AIDAPRODDEPLOY0001', ALICE)]);
      const first = await notifyRun(w.deps, SETTINGS, await w.run([prod], [deniedAccount(w.clock.now())]));
      expect(first).toMatchObject({ dmsSent: 1, summary: 'posted' });
      expect(w.slack.posts.filter((p) => p.channel !== SAMPLE_SECURITY_CHANNEL)).toHaveLength(1);
      expect(textOf(w.dmsTo(ALICE)[0]!.message)).not.toContain(DENIED);

      // Nothing changed in prod, but the account still fails: the channel hears of it again.
      w.clock.advance(HOUR);
      const second = await notifyRun(w.deps, SETTINGS, await w.run([prod], [deniedAccount(w.clock.now())]));
      expect(second).toMatchObject({ dmsSent: 0, summary: 'posted' });
      const summary = w.summaries().at(-1)!.message;
      expect(blockKitProblems(summary.blocks, summary.text)).toEqual([]);
      const [failed, ...rest] = sectionTexts(summary);
      expect(failed).toContain('*1 AWS account could not be scanned*');
      expect(failed).toContain('`legacy` (`444444444444`) via `arn:aws:iam::444444444444:role/mfa-guard-scanner`');
      expect(failed).toContain('*What to do:* Deploy the member-account role');
      expect(rest.join('\n')).toContain('*Accounts with findings (1 of 1 scanned)*');
      expect(rest.join('\n')).toContain('• `acme-prod` (`111111111111`): 1 user, 1 non-compliant (0 new, 0 fixed)');
      expect(summary.text).toMatch(/^1 account could not be scanned; MFA scan of 2 AWS accounts/);
    } finally {
      w.db.close();
    }
  });

  it('SUMMARY_WHEN=changes compares each account only with its own previous scan', async () => {
    const w = world();
    try {
      const prodUsers = [offender('deploy', 'AIDAPRODDEPLOY0001', ALICE)];
      const prod = w.iam(PROD, 'acme-prod', prodUsers);
      const staging = w.iam(STAGING, 'acme-staging', []);
      expect((await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]))).summary).toBe('posted');

      w.clock.advance(HOUR);
      expect((await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]))).summary).toBe('skipped');

      // A new offender in staging only: its own previous scan had none.
      staging.addUser(offender('ci', 'AIDASTAGINGCI00001', BOB));
      w.clock.advance(HOUR);
      expect((await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]))).summary).toBe('posted');
      const summary = w.summaries().at(-1)!.message;
      expect(sectionTexts(summary).join('\n')).toContain(
        '• `acme-staging` (`222222222222`): 1 user, 1 non-compliant (1 new, 0 fixed)',
      );

      // A run of staging alone changes nothing for prod: prod compares with prod's last scan.
      w.clock.advance(HOUR);
      expect((await notifyRun(w.deps, SETTINGS, await w.run([staging]))).summary).toBe('skipped');
      w.clock.advance(HOUR);
      expect((await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]))).summary).toBe('skipped');
    } finally {
      w.db.close();
    }
  });

  it('a run summary that failed to post is posted at the next run, for every account it covered', async () => {
    const w = world();
    try {
      const prod = w.iam(PROD, 'acme-prod', [offender('deploy', 'AIDAPRODDEPLOY0001', ALICE)]);
      const staging = w.iam(STAGING, 'acme-staging', []);
      w.slack.failChannelOnce = true;
      expect((await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]))).summary).toBe('failed');
      w.clock.advance(HOUR);
      expect((await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]))).summary).toBe('posted');
      w.clock.advance(HOUR);
      expect((await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]))).summary).toBe('skipped');
    } finally {
      w.db.close();
    }
  });

  it('escalations, unowned offenders and errors name each user’s account', async () => {
    const w = world();
    try {
      const nobody = (userName: string, userId: string): MemoryUser => ({
        ...offender(userName, userId, ''),
        tags: {},
      });
      const prod = w.iam(PROD, 'acme-prod', [nobody('breakglass', 'AIDAPRODBREAKGLASS')]);
      const staging = w.iam(STAGING, 'acme-staging', [nobody('breakglass', 'AIDASTAGINGBREAKGL')]);
      await notifyRun(w.deps, SETTINGS, await w.run([prod, staging]));
      const summary = w.summaries().at(-1)!.message;
      const text = sectionTexts(summary).join('\n');
      expect(text).toContain('*2 IAM users without MFA with nobody in Slack to nudge*');
      expect(text).toContain('*IAM user `breakglass`* in `acme-prod` (`111111111111`)');
      expect(text).toContain('*IAM user `breakglass`* in `acme-staging` (`222222222222`)');
      // The summary covers both accounts: recorded with no account of its own, each subject with its own.
      const stored = await w.stores.notifications.messageAt(SAMPLE_SECURITY_CHANNEL, w.summaries().at(-1)!.ts);
      expect(stored?.accountId).toBeNull();
      expect(stored?.subjects.map((s) => s.accountId)).toEqual([PROD, STAGING]);
    } finally {
      w.db.close();
    }
  });
});

describe('re-rendering a stored DM about several accounts (a Recheck, a "done" reply)', () => {
  it('keeps its account groups, labels each from its own latest scan, and shows a closed user in its account', async () => {
    const w = world();
    try {
      const prod = w.iam(PROD, 'acme-prod', [offender('deploy', 'AIDAPRODDEPLOY0001', ALICE)]);
      const staging = w.iam(STAGING, 'acme-staging', [offender('deploy', 'AIDASTAGINGDEPLOY1', ALICE)]);
      const run = await w.run([prod, staging]);
      await notifyRun(w.deps, SETTINGS, run);
      const [dm] = w.dmsTo(ALICE);
      const stored = await w.stores.notifications.messageAt(dm!.channel, dm!.ts);
      const stagingFinding = stored!.subjects.find((s) => s.accountId === STAGING)!.findingId!;
      await w.stores.findings.saveLiveCheck({
        result: null,
        close: { findingId: stagingFinding, reason: 'fixed', closedBy: ALICE, at: w.clock.now() },
      });

      const accounts = fixedAccounts([{ iam: prod }, { iam: staging }]);
      expect(await rerenderNudge({ ...w.deps, accounts }, SETTINGS, stored!, new Map())).toBe(true);
      const updated = w.slack.posts.find((p) => p.channel === dm!.channel && p.ts === dm!.ts)!.message;
      expect(blockKitProblems(updated.blocks, updated.text)).toEqual([]);
      const text = sectionTexts(updated).join('\n');
      expect(text).toContain('You own an IAM user in AWS account `acme-prod` (`111111111111`) that can still sign in');
      expect(text).toContain('✅ `deploy` in `acme-staging` (`222222222222`) is fixed');
      expect(findingIds(updated)).toEqual([stored!.subjects.find((s) => s.accountId === PROD)!.findingId]);
    } finally {
      w.db.close();
    }
  });
});

describe('notifyFailedRun', () => {
  it('lists each failed account with its error and hint when no account completed', async () => {
    const w = world();
    try {
      const at = w.clock.now();
      const outcome = await notifyFailedRun(w.deps, SETTINGS, {
        runId: 3,
        startedAt: at,
        finishedAt: at,
        message: 'No account could be scanned.',
        hint: 'See each account below.',
        accounts: [deniedAccount(at), { ...deniedAccount(at), accountId: STAGING, alias: null, hint: null }],
      });
      expect(outcome).toBe('posted');
      const [message] = w.summaries().map((p) => p.message);
      expect(blockKitProblems(message!.blocks, message!.text)).toEqual([]);
      const text = sectionTexts(message!).join('\n');
      expect(text).toContain('*The scan of 2 AWS accounts failed*');
      expect(text).toContain('No account could be scanned.');
      expect(text).toContain('*2 accounts could not be scanned*');
      expect(text).toContain('• `legacy` (`444444444444`) via');
      expect(text).toContain('• `222222222222` via');
    } finally {
      w.db.close();
    }
  });
});
