/**
 * /mfa-status end to end: usage for help and for text that cannot be an IAM user name (no AWS
 * call), the caller's own users, the approver's counts, a summary of many offenders cut to fit
 * Block Kit, and `scan` starting a scan (or saying one is running).
 */
import { InMemoryIam, type IamOperation } from '../../src/adapters/memory/in-memory-iam';
import { applySampleFailures, sampleAccount } from '../../src/adapters/memory/sample-account';
import type { Clock } from '../../src/ports';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import { ALICE, auditSince, BOB, command, seen, STRANGER, waitFor } from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** The sample account; `hold` lets a test keep a call waiting (a scan that is still running). */
interface Hold {
  gate: Promise<void> | null;
  readonly on: IamOperation;
  /** Set once a call reached the gate. */
  reached: boolean;
}

const buildIam = (clock: Clock, hold: Hold): InMemoryIam => {
  const sample = sampleAccount(clock.now());
  const iam = new InMemoryIam({
    account: sample.account,
    clock: () => clock.now(),
    reportSnapshot: sample.reportSnapshot,
    beforeCall: async (operation) => {
      if (operation !== hold.on || hold.gate === null) return;
      hold.reached = true;
      await hold.gate;
    },
  });
  applySampleFailures(iam);
  return iam;
};

describe('/mfa-status', () => {
  let slack: FakeSlack;
  let harness: BotHarness;
  let iam: InMemoryIam;
  let clock: Clock;
  const hold: Hold = { gate: null, on: 'generateCredentialReport', reached: false };

  beforeEach(async () => {
    hold.gate = null;
    hold.reached = false;
    slack = await startSampleSlack();
    slack.addUser({ id: STRANGER, email: 'stranger@example.com' });
    clock = createFakeClock(START);
    iam = buildIam(clock, hold);
    harness = await startBot({ slack, iam, clock, databasePath: newDatabasePath() });
  });
  afterEach(async () => {
    hold.gate = null;
    await harness.bot.stop();
    await slack.close();
  });

  const answer = async (userId: string, text: string) => {
    const { reply, responses } = await command(slack, harness, userId, text);
    expect(reply.status).toBe(200);
    return responses[0]?.body;
  };

  describe('usage, and no AWS call', () => {
    const USAGE: ReadonlyArray<readonly [string, string | null]> = [
      ['help', null],
      ['HELP', null],
      ['  help  ', null],
      ['alice bob', 'is more than one word'],
      ['<@U0BOB12345>', 'is a Slack user'],
      ['<@U123|bob>', 'is a Slack user'],
      ['<#C0SECURITY01|security-alerts>', 'is a Slack channel'],
      ['#general', 'is a Slack channel'],
      ['a'.repeat(65), 'is longer than 64 characters'],
      ['alice!', 'is not an IAM user name'],
      ['<script>&', 'is not an IAM user name'],
    ];

    it.each(USAGE)('%j answers usage (problem: %s)', async (text, problem) => {
      await harness.bot.runScanCycle('command');
      const calls = iam.calls.length;
      const body = await answer(ALICE, text);
      expect(body?.['response_type']).toBe('ephemeral');
      expect(seen(body)).toContain('How to use /mfa-status');
      if (problem === null) expect(seen(body)).not.toContain(':warning:');
      else expect(seen(body)).toContain(problem);
      // What was typed is shown escaped, never as live mrkdwn.
      expect(seen(body)).not.toContain('<script>');
      expect(iam.calls).toHaveLength(calls);
      expect(slack.rejectedResponses).toEqual([]);
    });
  });

  it('no text, for someone with no IAM users: a friendly "nothing needs your attention"', async () => {
    await harness.bot.runScanCycle('command');
    const body = await answer(STRANGER, '');
    expect(seen(body)).toContain('Nothing needs your attention');
    expect(seen(body)).not.toMatch(/need MFA ·/);
  });

  it('no text, for an owner: their users with their status, and no account counts', async () => {
    await harness.bot.runScanCycle('command');
    const body = await answer(BOB, '');
    expect(seen(body)).toContain('`bob`');
    expect(seen(body)).not.toContain('`alice`');
    expect(seen(body)).not.toMatch(/need MFA ·/);
  });

  it("no text, for an approver: the account's counts too", async () => {
    await harness.bot.runScanCycle('command');
    const body = await answer(APPROVER, '');
    // Sample account: 5 offenders, 2 in grace, 2 exempt, 1 error, 3 with MFA, 1 without a password.
    expect(seen(body)).toContain('5 need MFA · 2 in grace period · 2 exempt · 1 could not be checked · 3 with MFA · 1 without console password');
    expect(seen(body)).toContain('111122223333');
  });

  it('summary with 205 offenders is cut to fit Block Kit and says how many more there are', async () => {
    for (let i = 0; i < 200; i += 1) {
      iam.addUser({
        userName: `contractor-${String(i).padStart(3, '0')}-with-a-rather-long-name`,
        userId: `AIDAMANY${String(i).padStart(13, '0')}`,
        createDate: new Date(START.getTime() - 100 * DAY_MS),
        passwordLastUsed: new Date(START.getTime() - 2 * DAY_MS),
        loginProfile: true,
        mfaDevices: [],
      });
    }
    await harness.bot.runScanCycle('command');
    const body = await answer(APPROVER, 'summary');
    expect(slack.rejectedResponses).toEqual([]);
    const blocks = body?.['blocks'];
    expect(Array.isArray(blocks) && blocks.length <= 50).toBe(true);
    const shown = (seen(body).match(/• `/g) ?? []).length;
    const more = /…and (\d+) more/.exec(seen(body));
    expect(more).not.toBeNull();
    expect(shown).toBeGreaterThan(0);
    expect(shown + Number(more?.[1])).toBe(205);
    expect(seen(body)).toContain('IAM users without MFA (205)');
  }, 30_000);

  it('scan: starts a scan, a new summary is posted, then a follow-up says it finished', async () => {
    await harness.bot.runScanCycle('command');
    const summaries = slack.posted.filter((m) => m.channel === SECURITY_CHANNEL).length;
    const auditFrom = harness.auditLines.length;
    const { responses } = await command(slack, harness, APPROVER, 'scan', { expect: 2 });
    expect(seen(responses[0]?.body)).toContain('Started a scan');
    expect(seen(responses[1]?.body)).toContain('Scan finished: 5 need MFA');
    expect(responses.map((r) => r.body['response_type'])).toEqual(['ephemeral', 'ephemeral']);
    expect(slack.posted.filter((m) => m.channel === SECURITY_CHANNEL).length).toBe(summaries + 1);
    expect(auditSince(harness, auditFrom)).toEqual([expect.objectContaining({ actor: APPROVER, action: 'scan_start', outcome: 'succeeded' })]);
  });

  it('scan while a scan is running: says so, and starts no second one', async () => {
    let release = (): void => undefined;
    hold.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reportCalls = (): number => iam.calls.filter((c) => c.operation === 'generateCredentialReport').length;
    const scheduled = harness.bot.runScanCycle('schedule');
    // The scheduled scan is waiting on IAM.
    await waitFor(() => hold.reached, 'the scheduled scan to be waiting on IAM');

    const busy = await answer(APPROVER, 'scan');
    expect(seen(busy)).toContain('A scan is already running');
    expect(slack.responses).toHaveLength(1);

    hold.gate = null;
    release();
    await scheduled;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reportCalls()).toBe(1);
    expect(slack.posted.filter((m) => m.channel === SECURITY_CHANNEL)).toHaveLength(1);
    // Nothing more was sent to the asker: no second "started" or "finished".
    expect(slack.responses).toHaveLength(1);
  });
});

describe('/mfa-status when Slack does not show the caller’s email', () => {
  it('does not give an all-clear while email-owned users (svc-deploy) might be theirs', async () => {
    const slack = await startSampleSlack();
    slack.addUser({ id: 'U0NOEMAIL01' });
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    const harness = await startBot({ slack, iam: sampleIam(clock), clock, databasePath: newDatabasePath() });
    try {
      await harness.bot.runScanCycle('command');
      const answer = await command(slack, harness, 'U0NOEMAIL01', '');
      const text = seen(answer.responses[0]?.body);
      expect(text).toContain('Slack did not tell mfa-guard your email address');
      expect(text).not.toContain('Nothing needs your attention');
    } finally {
      await harness.bot.stop();
      await slack.close();
    }
  });
});
