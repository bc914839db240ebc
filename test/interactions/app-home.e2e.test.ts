/**
 * App Home end to end: app_home_opened publishes the viewer's IAM users; an approver also sees the
 * account's counts and the pending removal requests, linked to their approval messages and never
 * with Approve / Deny buttons; at most 100 blocks however many there are; the Messages tab
 * publishes nothing.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createFakeClock } from '../support/fake-clock';
import type { FakeHomeView, FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, SIGNING_SECRET, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import { ALICE, approvalFor, buttonsIn, clickIn, openHome, readStoredState, seen, waitFor } from '../support/interaction-harness';
import { sendAppHomeOpened } from '../support/slack-requests';

const START = new Date('2026-11-23T14:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const COUNTS = '5 need MFA · 2 in grace period · 2 exempt · 1 could not be checked · 3 with MFA · 1 without console password';

describe('App Home', () => {
  let slack: FakeSlack;
  let harness: BotHarness;
  let iam: InMemoryIam;
  let databasePath: string;

  beforeEach(async () => {
    slack = await startSampleSlack();
    const clock = createFakeClock(START);
    iam = sampleIam(clock);
    databasePath = newDatabasePath();
    harness = await startBot({ slack, iam, clock, databasePath });
  });
  afterEach(async () => {
    await harness.bot.stop();
    await slack.close();
  });

  /** Opens the Home and waits for the view published for that user. */
  const homeOf = async (userId: string): Promise<FakeHomeView> => {
    const published = slack.homeViews.length;
    const reply = await openHome(harness, userId);
    expect(reply.status).toBe(200);
    const view = await waitFor(() => slack.homeViews.slice(published).find((v) => v.userId === userId), `the Home of ${userId}`);
    // Every views.publish was accepted: none was refused for its blocks.
    expect(slack.callsTo('views.publish')).toHaveLength(slack.homeViews.length);
    return view;
  };

  const blocksOf = (view: FakeHomeView): unknown[] => {
    const blocks = view.view['blocks'];
    if (!Array.isArray(blocks)) throw new Error('the Home view has no blocks');
    return blocks;
  };

  /** Someone asks to remove a user's console password, by clicking Remove on its finding. */
  const requestRemoval = async (userId: string, userName: string): Promise<void> => {
    const finding = readStoredState(databasePath).findings.find((f) => f.userName === userName && f.closedAt === null);
    if (finding === undefined) throw new Error(`${userName} has no open finding`);
    const { responseUrl } = await clickIn(slack, harness, {
      userId,
      actionId: 'mfa_request_removal',
      value: `finding:${finding.id}`,
      container: { kind: 'ephemeral', channel: `D${userId}`, ts: '1700000999.000100' },
    });
    const [answer] = await waitFor(() => slack.responsesTo(responseUrl).length > 0 && slack.responsesTo(responseUrl), `the request for ${userName}`);
    expect(seen(answer?.body)).toContain('Asked the approvers');
  };

  it("alice's Home shows her IAM users and the last scan, and nothing of the approver's", async () => {
    await harness.bot.runScanCycle('command');
    const home = await homeOf(ALICE);
    expect(home.view['type']).toBe('home');
    const text = seen({ blocks: home.view['blocks'] });
    expect(text).toContain('`alice`');
    expect(text).not.toContain('`bob`');
    expect(text).not.toContain(COUNTS);
    expect(text).not.toContain('Pending removal requests');
    expect(text).toMatch(/scan/i);
  });

  it('before any scan, Home still publishes (nothing to show yet)', async () => {
    const home = await homeOf(ALICE);
    expect(blocksOf(home).length).toBeGreaterThan(0);
  });

  it("the approver's Home: counts and the pending request, linked to its approval message, with no Approve or Deny", async () => {
    await harness.bot.runScanCycle('command');
    await requestRemoval(ALICE, 'alice');
    const approval = await approvalFor(slack, SECURITY_CHANNEL, 'alice');

    const home = await homeOf(APPROVER);
    const text = seen({ blocks: home.view['blocks'] });
    expect(text).toContain(COUNTS);
    expect(text).toContain('Pending removal requests (1)');
    expect(text).toContain('alice');
    const permalink = `https://fake.slack.test/archives/${SECURITY_CHANNEL}/p${approval.message.ts.replace('.', '')}`;
    expect(text).toContain(`<${permalink}|`);
    const actions = buttonsIn(home.view['blocks']).map((b) => b.actionId);
    expect(actions).not.toContain('mfa_approve_removal');
    expect(actions).not.toContain('mfa_deny_removal');
    // alice, not an approver, sees no pending requests on her Home.
    expect(seen({ blocks: (await homeOf(ALICE)).view['blocks'] })).not.toContain('Pending removal requests');
  });

  it('an approver with 120 users of their own and 120 pending requests gets a Home of at most 100 blocks', async () => {
    for (let i = 0; i < 120; i += 1) {
      iam.addUser({
        userName: `ops-${String(i).padStart(3, '0')}-shared-console-login`,
        userId: `AIDAHOME${String(i).padStart(13, '0')}`,
        createDate: new Date(START.getTime() - 100 * DAY_MS),
        passwordLastUsed: new Date(START.getTime() - 2 * DAY_MS),
        loginProfile: true,
        mfaDevices: [],
        tags: { 'slack-owner': APPROVER },
      });
    }
    await harness.bot.runScanCycle('command');
    for (let i = 0; i < 120; i += 1) await requestRemoval(APPROVER, `ops-${String(i).padStart(3, '0')}-shared-console-login`);
    expect(readStoredState(databasePath).removals.filter((r) => r.state === 'pending')).toHaveLength(120);

    const home = await homeOf(APPROVER);
    const blocks = blocksOf(home);
    expect(blocks.length).toBeLessThanOrEqual(100);
    const text = seen({ blocks });
    expect(text).toContain('Pending removal requests (120)');
    expect(text).toMatch(/…and \d+ more pending requests/);
    expect(text).toMatch(/Your IAM users \(12\d\)/);
    expect(buttonsIn(blocks).map((b) => b.actionId)).not.toContain('mfa_approve_removal');
  }, 60_000);

  it("the Messages tab publishes nothing; the Home tab then does", async () => {
    await harness.bot.runScanCycle('command');
    const reply = await sendAppHomeOpened({ port: harness.port, signingSecret: SIGNING_SECRET }, { userId: ALICE, tab: 'messages' });
    expect(reply.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.callsTo('views.publish')).toEqual([]);
    expect(slack.homeViews).toEqual([]);
    await homeOf(ALICE);
    expect(slack.homeViews).toHaveLength(1);
  });
});
