import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import { approvalFor, auditSince, BOB, buttonsIn, click, command, seen, STRANGER, waitFor } from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');
const DAY = 86_400_000;
const HANK_ID = 'AIDAEXAMPLEHANK000001';

/**
 * A user that lost its MFA after the last scan has no finding yet. `/mfa-status <user>` still
 * offers Recheck and Remove: their value names the user (`user:<UserId>:<name>`), which the bot
 * checks live before acting, for the owner or an approver only.
 */
describe('a non-compliant user no scan has seen yet', () => {
  let slack: FakeSlack;
  let iam: InMemoryIam;
  let harness: BotHarness;

  beforeEach(async () => {
    slack = await startSampleSlack();
    slack.addUser({ id: STRANGER, email: 'stranger@example.com' });
    const clock = createFakeClock(START);
    iam = sampleIam(clock);
    harness = await startBot({ slack, iam, clock, databasePath: newDatabasePath() });
    await harness.bot.runScanCycle('command');
    iam.addUser({
      userName: 'hank',
      userId: HANK_ID,
      createDate: new Date(START.getTime() - 30 * DAY),
      passwordLastUsed: new Date(START.getTime() - DAY),
      loginProfile: true,
      mfaDevices: [],
      tags: { 'slack-owner': BOB },
    });
  });
  afterEach(async () => {
    await harness.bot.stop();
    await slack.close();
  });

  const hankButtons = async (userId: string): Promise<{ actionId: string; value: string }[]> => {
    const status = await command(slack, harness, userId, 'hank');
    return buttonsIn(status.responses[0]?.body['blocks']);
  };

  it('shows its owner Recheck and Remove with a value naming the user', async () => {
    expect(await hankButtons(BOB)).toEqual([
      { actionId: 'mfa_recheck', value: `user:${HANK_ID}:hank` },
      { actionId: 'mfa_request_removal', value: `user:${HANK_ID}:hank` },
    ]);
  });

  it('lets the owner ask for removal, and an approver remove it once', async () => {
    const remove = (await hankButtons(BOB)).find((b) => b.actionId === 'mfa_request_removal');
    if (remove === undefined) throw new Error('no Remove button');
    const asked = await click(slack, harness, { userId: BOB, actionId: remove.actionId, value: remove.value, where: null });
    await waitFor(() => slack.responsesTo(asked.responseUrl).length > 0, 'the answer to the request');
    const { message, approve } = await approvalFor(slack, SECURITY_CHANNEL, 'hank');
    await click(slack, harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: { channel: message.channel, ts: message.ts } });
    await waitFor(() => seen({ blocks: message.blocks }).includes('Removed by'), 'the removal');
    expect(await iam.getLoginProfile('hank')).toBeNull();
    expect(iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toHaveLength(1);
  });

  it('Recheck answers with the live status', async () => {
    const recheck = (await hankButtons(BOB)).find((b) => b.actionId === 'mfa_recheck');
    if (recheck === undefined) throw new Error('no Recheck button');
    iam.addMfaDevice('hank', { serialNumber: 'arn:aws:iam::111122223333:mfa/hank', kind: 'virtual', enableDate: START });
    const clicked = await click(slack, harness, { userId: BOB, actionId: recheck.actionId, value: recheck.value, where: null });
    const [answer] = await waitFor(() => slack.responsesTo(clicked.responseUrl).length > 0 && slack.responsesTo(clicked.responseUrl), 'the Recheck answer');
    expect(seen(answer?.body)).toMatch(/MFA/);
    expect(slack.rejectedResponses).toEqual([]);
  });

  it.each([
    ['a stranger with the real value', `user:${HANK_ID}:hank`],
    ['a stranger with a value naming another UserId', 'user:AIDAEXAMPLE9999999999:hank'],
  ])('refuses %s, audits it, and deletes nothing', async (_label, value) => {
    const before = harness.auditLines.length;
    const clicked = await click(slack, harness, { userId: STRANGER, actionId: 'mfa_request_removal', value, where: null });
    const [answer] = await waitFor(() => slack.responsesTo(clicked.responseUrl).length > 0 && slack.responsesTo(clicked.responseUrl), 'the refusal');
    expect(answer?.body['response_type']).toBe('ephemeral');
    expect(auditSince(harness, before).map((l) => `${l.action}:${l.outcome}`)).toEqual(['removal_request:refused']);
    expect(slack.posted.filter((m) => m.channel === SECURITY_CHANNEL && JSON.stringify(m.blocks).includes('mfa_approve_removal'))).toEqual([]);
    expect(iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([]);
  });
});
