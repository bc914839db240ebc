/**
 * REMOVAL_ENABLED=false (a notify-only bot): no "Remove console access…" button anywhere, and a
 * crafted request / approve / deny click is refused to the clicker only, audited, and changes
 * nothing, even for a request made before removal was turned off.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createFakeClock } from '../support/fake-clock';
import type { FakePostedMessage, FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import type { Clock } from '../../src/ports';
import {
  ALICE,
  approvalFor,
  auditSince,
  buttonsIn,
  clickIn,
  command,
  readStoredState,
  seen,
  snapshotWorld,
  waitFor,
  type ClickContainer,
} from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');
const REMOVAL_BUTTONS = ['mfa_request_removal', 'mfa_approve_removal', 'mfa_deny_removal'];
const TURNED_OFF = 'Removing console passwords from Slack is turned off here';

describe('REMOVAL_ENABLED=false', () => {
  let slack: FakeSlack;
  let iam: InMemoryIam;
  let clock: Clock;
  let databasePath: string;
  const running: BotHarness[] = [];

  const start = async (env: Record<string, string>): Promise<BotHarness> => {
    const harness = await startBot({ slack, iam, clock, databasePath, env });
    running.push(harness);
    return harness;
  };

  beforeEach(async () => {
    slack = await startSampleSlack();
    clock = createFakeClock(START);
    iam = sampleIam(clock);
    databasePath = newDatabasePath();
  });
  afterEach(async () => {
    for (const harness of running.splice(0)) await harness.bot.stop();
    await slack.close();
  });

  const dmOf = (userId: string): Promise<FakePostedMessage> => waitFor(() => slack.posted.find((m) => m.channel === `D${userId}`), `the DM to ${userId}`);

  it('with APPROVERS unset: the DMs, the summary and /mfa-status alice show Recheck but no removal button', async () => {
    const harness = await start({ REMOVAL_ENABLED: 'false', APPROVERS: '' });
    await harness.bot.runScanCycle('command');

    const dm = await dmOf(ALICE);
    expect(buttonsIn(dm.blocks).map((b) => b.actionId)).toContain('mfa_recheck');
    expect(seen({ blocks: dm.blocks })).not.toContain('Remove console access');
    for (const message of slack.posted) {
      expect(buttonsIn(message.blocks).filter((b) => REMOVAL_BUTTONS.includes(b.actionId))).toEqual([]);
    }
    expect(slack.posted.some((m) => m.channel === SECURITY_CHANNEL)).toBe(true);

    const { responses } = await command(slack, harness, ALICE, 'alice');
    const body = responses[0]?.body;
    expect(buttonsIn(body?.['blocks']).map((b) => b.actionId)).toEqual(['mfa_recheck']);
    expect(seen(body)).not.toContain('Remove console access');
    expect(slack.rejectedResponses).toEqual([]);
  });

  it("the approver's /mfa-status alice has no removal button either", async () => {
    const harness = await start({ REMOVAL_ENABLED: 'false' });
    await harness.bot.runScanCycle('command');
    const { responses } = await command(slack, harness, APPROVER, 'alice');
    const actions = buttonsIn(responses[0]?.body['blocks']).map((b) => b.actionId);
    expect(actions).toContain('mfa_recheck');
    expect(actions.filter((a) => REMOVAL_BUTTONS.includes(a))).toEqual([]);
  });

  describe('crafted removal clicks are refused', () => {
    let harness: BotHarness;
    let dm: FakePostedMessage;
    let aliceRef: string;
    /** A request made while removal was still on: the bot is then restarted with it off. */
    let approval: Awaited<ReturnType<typeof approvalFor>>;

    beforeEach(async () => {
      const before = await start({});
      await before.bot.runScanCycle('command');
      dm = await dmOf(ALICE);
      const remove = buttonsIn(dm.blocks).find((b) => b.actionId === 'mfa_request_removal');
      if (remove === undefined) throw new Error("alice's DM has no Remove button while removal is on");
      aliceRef = remove.value;
      await clickIn(slack, before, { userId: ALICE, actionId: 'mfa_request_removal', value: aliceRef, container: { kind: 'message', channel: dm.channel, ts: dm.ts } });
      approval = await approvalFor(slack, SECURITY_CHANNEL, 'alice');
      await before.bot.stop();
      running.splice(running.indexOf(before), 1);
      harness = await start({ REMOVAL_ENABLED: 'false' });
    });

    const CLICKS: ReadonlyArray<readonly [string, string, string]> = [
      ['mfa_request_removal', 'the owner', ALICE],
      ['mfa_request_removal', 'an approver', APPROVER],
      ['mfa_approve_removal', 'an approver', APPROVER],
      ['mfa_deny_removal', 'an approver', APPROVER],
    ];

    it.each(CLICKS)('%s by %s', async (actionId, _who, userId) => {
      const isRequest = actionId === 'mfa_request_removal';
      const value = isRequest ? aliceRef : actionId === 'mfa_approve_removal' ? approval.approve : approval.deny;
      const container: ClickContainer = isRequest ? { kind: 'message', channel: dm.channel, ts: dm.ts } : { kind: 'message', channel: approval.message.channel, ts: approval.message.ts };
      const world = snapshotWorld(slack, iam, databasePath);
      const auditFrom = harness.auditLines.length;

      const { reply, responseUrl } = await clickIn(slack, harness, { userId, actionId, value, container });
      expect(reply.status).toBe(200);
      const [response] = await waitFor(() => slack.responsesTo(responseUrl).length > 0 && slack.responsesTo(responseUrl), 'the refusal');
      expect(response?.body['response_type']).toBe('ephemeral');
      expect(seen(response?.body)).toContain(TURNED_OFF);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(slack.responsesTo(responseUrl)).toHaveLength(1);

      const action = isRequest ? 'removal_request' : actionId === 'mfa_approve_removal' ? 'removal_approve' : 'removal_deny';
      expect(auditSince(harness, auditFrom)).toEqual([expect.objectContaining({ actor: userId, action, outcome: 'refused' })]);
      expect(snapshotWorld(slack, iam, databasePath)).toEqual(world);
      expect(readStoredState(databasePath).removals).toEqual([expect.objectContaining({ userName: 'alice', state: 'pending' })]);
      expect(iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([]);
      expect(await iam.getLoginProfile('alice')).not.toBeNull();
      expect(slack.rejectedResponses).toEqual([]);
    });
  });
});
