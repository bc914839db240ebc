import { createHmac } from 'node:crypto';

import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { SAMPLE_ACCOUNT_ID } from '../../src/adapters/memory/sample-account';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createNotificationStore } from '../../src/adapters/sqlite/notification-store';
import { createScanLease } from '../../src/adapters/sqlite/scan-lease';
import { AppError } from '../../src/errors';
import { blockKitProblems } from '../support/block-kit-limits';
import {
  type BotHarness,
  newDatabasePath,
  SECURITY_CHANNEL,
  SIGNING_SECRET,
  startBot,
  startSampleSlack,
} from '../support/bot-harness';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/sample-world';

const HOUR = 3_600_000;
const START = new Date('2026-11-23T14:00:00Z');

interface SentMessage {
  readonly channel: string;
  readonly text: unknown;
  readonly blocks: unknown;
}

/** What the bot asked chat.postMessage to post since the last reset, accepted or not. */
const postCalls = (slack: FakeSlack): SentMessage[] =>
  slack
    .callsTo('chat.postMessage')
    .map((c) => ({ channel: String(c.params['channel']), text: c.params['text'], blocks: c.params['blocks'] }));
const dmRecipients = (slack: FakeSlack): string[] =>
  slack
    .callsTo('conversations.open')
    .map((c) => String(c.params['users']))
    .sort();
/** DM channels are opened per user; the fake names them after the user. */
const dmsTo = (slack: FakeSlack, userId: string): SentMessage[] =>
  postCalls(slack).filter((p) => p.channel.startsWith('D') && p.channel.includes(userId.slice(1)));
const summaries = (slack: FakeSlack): SentMessage[] => postCalls(slack).filter((p) => p.channel === SECURITY_CHANNEL);
const json = (message: SentMessage | undefined): string =>
  JSON.stringify({ text: message?.text, blocks: message?.blocks });

/** The summary's count fields, label → number ("*Non-compliant*\n5"). */
const summaryCounts = (message: SentMessage | undefined): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const match of json(message).matchAll(/\*([A-Za-z -]+)\*\\n(\d+)/g)) counts[match[1]!] = Number(match[2]);
  return counts;
};

describe('the bot against a fake Slack Web API (Bolt in HTTP mode)', () => {
  let slack: FakeSlack;
  let harness: BotHarness | null = null;
  let clock: ReturnType<typeof createFakeClock>;
  let iam: InMemoryIam;
  let databasePath: string;

  beforeEach(async () => {
    slack = await startSampleSlack();
    clock = createFakeClock(START);
    iam = sampleIam(clock);
    databasePath = newDatabasePath();
  });

  afterEach(async () => {
    await harness?.bot.stop();
    harness = null;
    await slack.close();
  });

  const start = async (
    env: Record<string, string> = {},
    retryConfig?: Parameters<typeof startBot>[0]['retryConfig'],
  ): Promise<BotHarness> => {
    harness = await startBot({ slack, iam, clock, databasePath, env, ...(retryConfig ? { retryConfig } : {}) });
    return harness;
  };

  it('DMs each owner once, looks email owners up, and sends unowned and deactivated owners to the channel', async () => {
    const { bot } = await start();
    const outcome = await bot.runScanCycle('command');
    expect(outcome.kind).toBe('completed');

    // alice (owners file), bob (tag), platform@example.com (svc-* glob, by email). dana's owner is deactivated; frank has none.
    expect(dmRecipients(slack)).toEqual(['U012ABCDEF', 'U0BOB12345', 'U0PLATFORM1']);
    expect(
      slack
        .callsTo('users.lookupByEmail')
        .map((c) => c.params['email'])
        .sort(),
    ).toEqual(['dana@example.com', 'platform@example.com']);
    const platformDm = dmsTo(slack, 'U0PLATFORM1');
    expect(platformDm).toHaveLength(1);
    expect(json(platformDm[0])).toContain('svc-deploy');
    expect(json(platformDm[0])).toContain('|Open svc-deploy in the IAM console>');
    expect(json(platformDm[0])).toContain(
      '"action_id":"mfa_show_steps","text":{"type":"plain_text","text":"Show CLI steps"',
    );
    expect(json(platformDm[0])).not.toContain('alice');

    const [summary] = summaries(slack);
    expect(summaries(slack)).toHaveLength(1);
    const text = json(summary);
    expect(text).toContain('frank');
    expect(text).toContain('dana@example.com');
    // users.lookupByEmail answers users_not_found for a deactivated account, as Slack does.
    expect(text).toContain('owner dana@example.com was not found in Slack (not a member, or deactivated)');
    expect(text).toContain(SAMPLE_ACCOUNT_ID);
    // Every message Slack accepted is within Block Kit's limits (the fake rejects anything else).
    expect(slack.posted).toHaveLength(postCalls(slack).length);
    for (const message of slack.posted) expect(blockKitProblems(message.blocks, message.text)).toEqual([]);
    // The buttons carry an opaque finding reference, not a user name.
    const buttons = JSON.stringify(platformDm[0]?.blocks).match(/"value":"[^"]*"/g) ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    for (const value of buttons) expect(value).toMatch(/^"value":"finding:\d+"$/);
  });

  it('does not nudge again within the interval, nudges again a day later, and keeps that across a restart', async () => {
    const first = await start();
    await first.bot.runScanCycle('schedule');
    expect(dmRecipients(slack)).toHaveLength(3);

    clock.advance(2 * HOUR);
    slack.reset();
    await first.bot.runScanCycle('schedule');
    expect(dmRecipients(slack)).toEqual([]);

    // Restart with the same database: still nothing due.
    await first.bot.stop();
    harness = null;
    clock.advance(2 * HOUR);
    const second = await start();
    slack.reset();
    await second.bot.runScanCycle('schedule');
    expect(dmRecipients(slack)).toEqual([]);

    // The next day's scan, a little earlier in the day than the first DM went out: due again.
    clock.advance(20 * HOUR - 5 * 60_000);
    slack.reset();
    await second.bot.runScanCycle('schedule');
    expect(dmRecipients(slack)).toEqual(['U012ABCDEF', 'U0BOB12345', 'U0PLATFORM1']);
  });

  it('a user who fixed MFA drops out of the next DM', async () => {
    const { bot } = await start();
    await bot.runScanCycle('schedule');
    iam.addMfaDevice('svc-deploy', {
      serialNumber: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:mfa/svc-deploy`,
      kind: 'virtual',
      enableDate: clock.now(),
    });
    clock.advance(24 * HOUR);
    slack.reset();
    await bot.runScanCycle('schedule');
    expect(dmRecipients(slack)).toEqual(['U012ABCDEF', 'U0BOB12345']);
    // A day on, gina's and ivan's grace periods are over: two new findings (both unowned) next to the fix.
    expect(summaryCounts(summaries(slack)[0])).toMatchObject({
      'Fixed since last scan': 1,
      'New since last scan': 2,
      'Non-compliant': 6,
    });
  });

  it('one failing DM does not stop the others, and the summary says which failed and why', async () => {
    const { bot } = await start();
    slack.failNext('conversations.open', 'cannot_dm_bot');
    const outcome = await bot.runScanCycle('command');
    expect(outcome.kind === 'completed' && outcome.notify.failedDms.length).toBe(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => String(c.params['channel']).startsWith('D'))).toHaveLength(
      2,
    );
    expect(json(summaries(slack)[0])).toContain('cannot_dm_bot');
  });

  it('a failed DM is tried again at the next scan', async () => {
    const { bot } = await start();
    slack.failNext('chat.postMessage', 'channel_not_found');
    await bot.runScanCycle('command');
    clock.advance(HOUR);
    slack.reset();
    await bot.runScanCycle('command');
    expect(dmRecipients(slack)).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After and delivers the DM', async () => {
    const { bot } = await start({}, { retries: 2, minTimeout: 10, maxTimeout: 10 });
    slack.rateLimitNext('chat.postMessage', 1);
    const outcome = await bot.runScanCycle('command');
    expect(outcome.kind === 'completed' && outcome.notify.failedDms).toEqual([]);
    expect(slack.posted.filter((p) => p.channel.startsWith('D'))).toHaveLength(3);
    expect(postCalls(slack)).toHaveLength(slack.posted.length + 1);
  }, 20_000);

  it('escapes hostile text from tags and AWS errors in blocks and in the text fallback', async () => {
    iam = sampleIam(clock, { failures: false });
    iam.addUser({
      userName: 'mallory',
      userId: 'AIDAEXAMPLEMALLORY01',
      createDate: new Date(START.getTime() - 100 * 24 * HOUR),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
      tags: { 'mfa-exempt': '<!channel> <https://evil.example|click here> & co' },
    });
    // An offender whose owner tag is hostile: not a valid owner, so the user is listed as unowned.
    iam.addUser({
      userName: 'trent',
      userId: 'AIDAEXAMPLETRENT0001',
      createDate: new Date(START.getTime() - 100 * 24 * HOUR),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
      tags: { owner: '<!here> <https://evil.example|owner> & co', 'slack-owner': '<@U0BOB12345> <!here>' },
    });
    iam.failWith(
      'listMfaDevices',
      new AppError('iam_access_denied', 'Denied: <!channel> <https://evil.example|click here> & more'),
      { userName: 'flaky-user' },
    );
    const { bot } = await start();
    await bot.runScanCycle('command');
    expect(postCalls(slack).length).toBeGreaterThan(1);
    for (const message of postCalls(slack)) {
      const raw = json(message);
      expect(raw).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
    }
    const summary = json(summaries(slack)[0]);
    expect(summary).toContain('IAM user `trent`');
    expect(summary).toContain('Denied: &lt;!channel&gt; &lt;https://evil.example|click here&gt; &amp; more');
    expect(summary).toContain('&lt;!channel&gt; &lt;https://evil.example|click here&gt; &amp; co');
  });

  it('the summary carries the counts of the scan', async () => {
    const { bot } = await start();
    await bot.runScanCycle('command');
    const raw = json(summaries(slack)[0]);
    // Sample account: 14 users, 13 with a console password, 5 non_compliant (all new), 2 grace, 2 exempt, 1 error.
    expect(summaryCounts(summaries(slack)[0])).toEqual({
      'Users scanned': 14,
      'Console users': 13,
      'Non-compliant': 5,
      'New since last scan': 5,
      'Reopened since last scan': 0,
      'Fixed since last scan': 0,
      'In grace period': 2,
      Exempt: 2,
      'Could not check': 1,
    });
    expect(raw).toMatch(/root/i);
  });

  it('with SUMMARY_WHEN=changes a scan that changes nothing posts no summary, and a change in the errors does', async () => {
    const { bot } = await start({ SUMMARY_WHEN: 'changes' });
    await bot.runScanCycle('command');
    expect(summaries(slack)).toHaveLength(1);

    // The same offenders, the same unowned users (told about an hour ago), the same error: quiet.
    clock.advance(HOUR);
    slack.reset();
    await bot.runScanCycle('command');
    expect(summaries(slack)).toHaveLength(0);

    // flaky-user's error goes away: that is a change.
    clock.advance(HOUR);
    iam.removeUser('flaky-user');
    await bot.runScanCycle('command');
    expect(summaries(slack)).toHaveLength(1);
  });

  it('with SUMMARY_WHEN=changes unowned offenders are brought up again once the nudge interval has passed', async () => {
    // Without the users in grace, whose grace would end in the meantime and be news of its own.
    for (const name of ['gina', 'ivan']) iam.removeUser(name);
    const { bot } = await start({ SUMMARY_WHEN: 'changes' });
    await bot.runScanCycle('schedule');
    clock.advance(2 * HOUR);
    slack.reset();
    await bot.runScanCycle('schedule');
    expect(summaries(slack)).toEqual([]);
    clock.advance(21 * HOUR + 30 * 60_000);
    await bot.runScanCycle('schedule');
    // A day on: frank and dana@example.com (owner deactivated) are due in the channel, like DMs are.
    const [summary] = summaries(slack);
    expect(json(summary)).toContain('IAM user `frank`');
  });

  it('with SUMMARY_WHEN=changes a summary that failed to post is posted at the next scan', async () => {
    // No unowned offenders, so nothing but the failed summary can make the second scan post.
    for (const name of ['frank', 'dana@example.com']) iam.removeUser(name);
    const { bot } = await start({ SUMMARY_WHEN: 'changes' });
    slack.addChannel({ id: SECURITY_CHANNEL, name: 'security-alerts', isMember: false });
    const first = await bot.runScanCycle('schedule');
    expect(first.kind === 'completed' && first.notify.summary).toBe('failed');

    slack.addChannel({ id: SECURITY_CHANNEL, name: 'security-alerts', isMember: true });
    clock.advance(HOUR);
    const second = await bot.runScanCycle('schedule');
    expect(second.kind === 'completed' && second.notify.summary).toBe('posted');

    clock.advance(HOUR);
    const third = await bot.runScanCycle('schedule');
    expect(third.kind === 'completed' && third.notify.summary).toBe('skipped');
  });

  it('an AWS failure becomes a message in the channel and the bot keeps going', async () => {
    iam.failWith(
      'getCallerIdentity',
      new AppError('iam_access_denied', 'STS GetCallerIdentity was denied.', { hint: 'Check the credentials.' }),
      { times: 1 },
    );
    const { bot } = await start();
    const failed = await bot.runScanCycle('schedule');
    expect(failed.kind).toBe('failed');
    expect(json(summaries(slack)[0])).toContain('GetCallerIdentity was denied');
    const next = await bot.runScanCycle('schedule');
    expect(next.kind).toBe('completed');
  });

  it('remembers which users each DM covers, by channel and ts, so it can be re-rendered later', async () => {
    const { bot } = await start();
    await bot.runScanCycle('command');
    const platform = slack.posted.find((p) => p.channel.startsWith('D') && p.channel.includes('0PLATFORM1'));
    expect(platform).toBeDefined();
    const db = openDatabase(databasePath);
    try {
      const stored = await createNotificationStore(db).messageAt(platform!.channel, platform!.ts);
      expect(stored).toMatchObject({ kind: 'nudge', recipient: 'U0PLATFORM1', outcome: { status: 'sent' } });
      expect(stored?.subjects.map((s) => [s.userName, typeof s.findingId])).toEqual([['svc-deploy', 'number']]);
    } finally {
      db.close();
    }
  });

  it('does not scan while another process (the CLI) holds the scan lease', async () => {
    const { bot } = await start();
    const db = openDatabase(databasePath);
    try {
      expect(await createScanLease(db).acquire('cli:elsewhere:1', clock.now(), 10 * 60_000)).toBe(true);
      await expect(bot.runScanCycle('schedule')).resolves.toEqual({ kind: 'busy', holder: 'cli:elsewhere:1' });
      expect(postCalls(slack)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('runs one scan at a time in the process', async () => {
    const { bot } = await start();
    const [first, second] = await Promise.all([bot.runScanCycle('schedule'), bot.runScanCycle('command')]);
    expect(first.kind).toBe('completed');
    expect(second).toEqual({ kind: 'already_running' });
  });

  it('announces an escalation once, mentioning the owner, with SUMMARY_WHEN=changes', async () => {
    iam = sampleIam(clock, { failures: false });
    for (const young of ['gina', 'ivan']) iam.removeUser(young);
    const { bot } = await start({ SUMMARY_WHEN: 'changes', ESCALATE_AFTER_DAYS: '7' });
    await bot.runScanCycle('schedule');
    expect(summaries(slack)).toHaveLength(1);

    clock.advance(7 * 24 * HOUR + HOUR);
    slack.reset();
    await bot.runScanCycle('schedule');
    const [escalated] = summaries(slack);
    // Without the sample's injected failure, flaky-user is a sixth offender.
    expect(json(escalated)).toContain('Non-compliant for more than 7 days (6)');
    expect(json(escalated)).toContain('<@U012ABCDEF>');

    clock.advance(HOUR);
    slack.reset();
    await bot.runScanCycle('schedule');
    expect(summaries(slack)).toEqual([]);
  });

  describe('shutdown', () => {
    /** IAM whose first call waits until `open()`: a scan that is still running when stop() comes. */
    const gatedIam = (target: InMemoryIam): { iam: InMemoryIam; open: () => void } => {
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const proxy = new Proxy(target, {
        get(obj, prop, receiver) {
          if (prop === 'getCallerIdentity') return async () => (await gate, obj.getCallerIdentity());
          const value: unknown = Reflect.get(obj, prop, receiver);
          return typeof value === 'function' ? value.bind(obj) : value;
        },
      });
      return { iam: proxy, open };
    };

    it('lets a running scan finish before closing the database', async () => {
      const gated = gatedIam(iam);
      iam = gated.iam;
      const { bot } = await start();
      const cycle = bot.runScanCycle('schedule');
      const stopped = bot.stop();
      harness = null;
      setTimeout(gated.open, 100);
      await stopped;
      expect((await cycle).kind).toBe('completed');
      expect(dmRecipients(slack)).toHaveLength(3);
    });

    it('gives up after SHUTDOWN_TIMEOUT_SECONDS and frees the scan lease for the next start', async () => {
      const gated = gatedIam(iam);
      iam = gated.iam;
      const { bot } = await start({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
      const cycle = bot.runScanCycle('schedule');
      const started = Date.now();
      await bot.stop();
      harness = null;
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const db = openDatabase(databasePath);
      try {
        expect(await createScanLease(db).acquire('bot:next-start', clock.now(), 60_000)).toBe(true);
      } finally {
        db.close();
      }
      gated.open();
      expect((await cycle).kind).toBe('failed');
    });
  });

  it('SCAN_ON_START=true runs one scan at boot', async () => {
    const { bot } = await start({ SCAN_ON_START: 'true' });
    expect((await bot.health()).scanning).toBe(true);
    for (let i = 0; i < 100 && (await bot.health()).scanning; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await bot.health()).lastScan).toMatchObject({ outcome: 'completed' });
    expect(dmRecipients(slack)).toHaveLength(3);
  });

  it('answers GET /healthz with the last scan and the next scheduled run', async () => {
    const { bot, port } = await start();
    const before = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, unknown>;
    expect(before).toMatchObject({ status: 'ok', scanning: false, lastScan: null });
    expect(typeof before['nextScheduledRun']).toBe('string');
    await bot.runScanCycle('command');
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const after = JSON.parse(text) as { lastScan: Record<string, unknown> };
    expect(Object.keys(after.lastScan).sort()).toEqual([
      'accountsFailed',
      'accountsScanned',
      'finishedAt',
      'outcome',
      'startedAt',
    ]);
    expect(after.lastScan).toMatchObject({ outcome: 'completed', accountsScanned: 1, accountsFailed: 0 });
    // The route is unsigned: it must not tell anyone which AWS account the bot watches.
    expect(text).not.toContain(SAMPLE_ACCOUNT_ID);
  });

  it('rejects a forged request on /slack/events and accepts a correctly signed one', async () => {
    const { port } = await start();
    const body =
      'token=x&command=%2Fmfa-status&text=help&user_id=U012ABCDEF&response_url=http%3A%2F%2F127.0.0.1%3A9%2F';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sign = (secret: string): string =>
      `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const post = (signature: string) =>
      fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature,
        },
        body,
      });
    expect((await post(sign('not-the-secret'))).status).toBe(401);
    expect((await post(sign(SIGNING_SECRET))).status).not.toBe(401);
  });

  it('refuses to start when the bot is not in the security channel, and says how to fix it', async () => {
    slack.addChannel({ id: SECURITY_CHANNEL, name: 'security-alerts', isMember: false });
    await expect(startBot({ slack, iam, clock, databasePath })).rejects.toMatchObject({
      code: 'slack_not_in_channel',
      hint: expect.stringContaining('/invite @mfa-guard'),
    });
  });
});
