/**
 * Slack gives an app 3 seconds to acknowledge a request. With IAM taking 2.5 s per call (a live
 * check makes several), every command, click and App Home open is still acknowledged in time,
 * and its answer arrives later, once the slow work is done.
 */
import { InMemoryIam, type IamOperation } from '../../src/adapters/memory/in-memory-iam';
import { applySampleFailures, sampleAccount } from '../../src/adapters/memory/sample-account';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { APPROVER, BOT_TOKEN, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import { ALICE, approvalFor, buttonsIn, clickIn, command, openHome, readStoredState, seen, waitFor } from '../support/interaction-harness';
import type { SlackReply } from '../support/slack-requests';

const START = new Date('2026-11-23T14:00:00Z');
// Longer than Slack's 3 s on its own: a handler that awaited even one IAM call before ack() would fail.
const SLOW_CALL_MS = 3500;
const SLACK_ACK_DEADLINE_MS = 3000;
const ANSWER_TIMEOUT_MS = 45_000;

describe('slow IAM: every request is acknowledged within 3 seconds', () => {
  let slack: FakeSlack;
  let harness: BotHarness;
  let iam: InMemoryIam;
  let databasePath: string;
  /** IAM is fast while the test sets up (scan, removal request), slow once this flips. */
  let slow = false;
  const slowCalls: IamOperation[] = [];

  beforeEach(async () => {
    slow = false;
    slowCalls.length = 0;
    slack = await startSampleSlack();
    const clock = createFakeClock(START);
    const sample = sampleAccount(clock.now());
    iam = new InMemoryIam({
      account: sample.account,
      clock: () => clock.now(),
      reportSnapshot: sample.reportSnapshot,
      beforeCall: async (operation) => {
        if (!slow) return;
        slowCalls.push(operation);
        await new Promise((resolve) => setTimeout(resolve, SLOW_CALL_MS));
      },
    });
    applySampleFailures(iam);
    databasePath = newDatabasePath();
    harness = await startBot({ slack, iam, clock, databasePath });
    await harness.bot.runScanCycle('command');
  });
  afterEach(async () => {
    await harness.bot.stop();
    await slack.close();
  });

  it('acks /mfa-status alice, Recheck, Remove, Approve and app_home_opened in time; answers come later', async () => {
    // Set up while IAM is fast: alice's DM, her pending removal request, bob's DM.
    const aliceDm = await waitFor(() => slack.posted.find((m) => m.channel === `D${ALICE}`), "alice's DM");
    const bobDm = await waitFor(() => slack.posted.find((m) => m.channel === 'DU0BOB12345'), "bob's DM");
    const aliceRef = buttonsIn(aliceDm.blocks).find((b) => b.actionId === 'mfa_request_removal')?.value;
    const bobRef = buttonsIn(bobDm.blocks).find((b) => b.actionId === 'mfa_request_removal')?.value;
    if (aliceRef === undefined || bobRef === undefined) throw new Error('the DMs have no Remove button');
    await clickIn(slack, harness, { userId: ALICE, actionId: 'mfa_request_removal', value: aliceRef, container: { kind: 'message', channel: aliceDm.channel, ts: aliceDm.ts } });
    const approval = await approvalFor(slack, SECURITY_CHANNEL, 'alice');
    expect(slack.homeViews).toHaveLength(0);

    slow = true;
    const sentAt = performance.now();
    const since = (): number => performance.now() - sentAt;
    // All at once: acks that waited for the work would each take 10 s or more.
    const [status, recheck, remove, approve, home] = await Promise.all([
      command(slack, harness, ALICE, 'alice', { expect: 0 }),
      clickIn(slack, harness, { userId: ALICE, actionId: 'mfa_recheck', value: aliceRef, container: { kind: 'message', channel: aliceDm.channel, ts: aliceDm.ts } }),
      // bob's removal, asked by the approver (alice's own is already pending).
      clickIn(slack, harness, { userId: APPROVER, actionId: 'mfa_request_removal', value: bobRef, container: { kind: 'ephemeral', channel: `D${APPROVER}`, ts: '1700000999.000100' } }),
      clickIn(slack, harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approval.approve, container: { kind: 'message', channel: approval.message.channel, ts: approval.message.ts } }),
      openHome(harness, APPROVER),
    ]);
    const acks: Record<string, SlackReply> = { status: status.reply, recheck: recheck.reply, remove: remove.reply, approve: approve.reply, home };
    for (const [what, reply] of Object.entries(acks)) {
      expect({ what, status: reply.status }).toEqual({ what, status: 200 });
      expect({ what, fast: reply.elapsedMs < SLACK_ACK_DEADLINE_MS }).toEqual({ what, fast: true });
    }
    // The IAM-bound answers were not there at ack time.
    expect(slack.responsesTo(status.responseUrl)).toEqual([]);
    expect(slack.responsesTo(remove.responseUrl)).toEqual([]);
    expect(seen({ blocks: approval.message.blocks })).not.toContain('Removed by');

    const statusAnswer = await waitFor(() => slack.responsesTo(status.responseUrl)[0], '/mfa-status alice', ANSWER_TIMEOUT_MS);
    expect(seen(statusAnswer.body)).toContain('alice');
    expect(buttonsIn(statusAnswer.body['blocks']).map((b) => b.actionId)).toContain('mfa_recheck');
    const statusAt = since();

    const rechecked = await waitFor(() => slack.updates.find((u) => u.channel === aliceDm.channel && u.ts === aliceDm.ts), 'the rechecked DM', ANSWER_TIMEOUT_MS);
    expect(seen({ text: rechecked.text, blocks: rechecked.blocks })).toContain('Checked at');

    const removeAnswer = await waitFor(() => slack.responsesTo(remove.responseUrl)[0], 'the answer to the removal request', ANSWER_TIMEOUT_MS);
    expect(seen(removeAnswer.body)).toContain('Asked the approvers');
    await approvalFor(slack, SECURITY_CHANNEL, 'bob');

    await waitFor(() => seen({ blocks: approval.message.blocks }).includes('Removed by'), 'the approval to be carried out', ANSWER_TIMEOUT_MS);
    expect(readStoredState(databasePath).removals.find((r) => r.userName === 'alice')?.state).toBe('done');

    await waitFor(() => slack.homeViews.find((v) => v.userId === APPROVER), 'the Home to be published', ANSWER_TIMEOUT_MS);

    // The work really was slow: a live check is several 2.5 s calls, well past Slack's deadline.
    expect(statusAt).toBeGreaterThan(SLACK_ACK_DEADLINE_MS);
    expect(slowCalls.length).toBeGreaterThanOrEqual(8);
    expect(slack.rejectedResponses).toEqual([]);
    // The bot token is never echoed into what people see.
    expect(JSON.stringify(slack.responses)).not.toContain(BOT_TOKEN);
  }, 60_000);
});
