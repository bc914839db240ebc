import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import { ALICE, buttonsIn, click, command, seen, waitFor } from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');

describe('smoke: command, recheck, request and approve a removal', () => {
  let slack: FakeSlack;
  let harness: BotHarness;
  let iam: InMemoryIam;

  beforeEach(async () => {
    slack = await startSampleSlack();
    const clock = createFakeClock(START);
    iam = sampleIam(clock);
    harness = await startBot({ slack, iam, clock, databasePath: newDatabasePath() });
    await harness.bot.runScanCycle('command');
  });
  afterEach(async () => {
    await harness.bot.stop();
    await slack.close();
  });

  it('works end to end', async () => {
    const status = await command(slack, harness, ALICE, '');
    expect(seen(status.responses[0]?.body)).toContain('alice');

    const dm = slack.posted.find((m) => m.channel === `D${ALICE}`);
    const remove = buttonsIn(dm?.blocks).find((b) => b.actionId === 'mfa_request_removal');
    expect(remove).toBeDefined();
    const asked = await click(slack, harness, { userId: ALICE, actionId: 'mfa_request_removal', value: remove!.value, where: { channel: dm!.channel, ts: dm!.ts } });
    expect(asked.reply.status).toBe(200);
    const approval = await waitFor(() => slack.posted.find((m) => m.channel === SECURITY_CHANNEL && JSON.stringify(m.blocks).includes('mfa_approve_removal')), 'the approval message');
    const approve = buttonsIn(approval.blocks).find((b) => b.actionId === 'mfa_approve_removal');
    await click(slack, harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve!.value, where: { channel: approval.channel, ts: approval.ts } });
    await waitFor(() => JSON.stringify(approval.blocks).includes('Removed by'), 'the approval message to say Removed by');
    expect(await iam.getLoginProfile('alice')).toBeNull();
    const audit = harness.auditLines.map((line): { action: string; outcome: string } => JSON.parse(line));
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'removal_request:succeeded',
      'removal_approve:succeeded',
      'removal_execute:succeeded',
      'finding_closed:succeeded',
    ]);
  });
});
