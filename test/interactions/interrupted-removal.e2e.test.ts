import type { FakeSlack } from '../support/fake-slack-api';
import { createFakeClock } from '../support/fake-clock';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import {
  ALICE,
  approvalFor,
  auditSince,
  buttonsIn,
  click,
  createIamGate,
  deleteCalls,
  readStoredState,
  sampleIamWithHook,
  waitFor,
} from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');
const MINUTE = 60_000;

/**
 * A removal cut off between its claim and its outcome (the shutdown timeout ran out, a crash): the
 * request must not stay "executing" for ever, or the user could never go through the flow again.
 */
describe('a removal interrupted mid-way', () => {
  let slack: FakeSlack;
  const running: BotHarness[] = [];

  beforeEach(async () => {
    slack = await startSampleSlack();
  });
  afterEach(async () => {
    for (const harness of running.splice(0)) await harness.bot.stop();
    await slack.close();
  });

  it('becomes failed after 15 minutes, and a retry then checks the user live and removes the password once', async () => {
    const clock = createFakeClock(START);
    const gate = createIamGate();
    const iam = sampleIamWithHook(clock, gate.beforeCall);
    const databasePath = newDatabasePath();
    const first = await startBot({ slack, iam, clock, databasePath, env: { SHUTDOWN_TIMEOUT_SECONDS: '1' } });
    await first.bot.runScanCycle('command');

    const dm = slack.posted.find((m) => m.channel === `D${ALICE}`);
    const remove = buttonsIn(dm?.blocks).find((b) => b.actionId === 'mfa_request_removal');
    if (dm === undefined || remove === undefined) throw new Error('no removal button in alice’s DM');
    await click(slack, first, { userId: ALICE, actionId: 'mfa_request_removal', value: remove.value, where: { channel: dm.channel, ts: dm.ts } });
    const { message, approve } = await approvalFor(slack, SECURITY_CHANNEL, 'alice');

    // The approval's live check hangs; the bot stops and gives up on it after its 1 s timeout.
    gate.hold((operation, userName) => operation === 'getUser' && userName === 'alice');
    await click(slack, first, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: { channel: message.channel, ts: message.ts } });
    await waitFor(() => gate.waiting === 1, 'the approved removal to be executing');
    await first.bot.stop();
    expect(readStoredState(databasePath).removals.map((r) => r.state)).toEqual(['executing']);
    gate.release();

    // Restarted soon after: still within the window where the first process might be finishing.
    clock.advance(5 * MINUTE);
    const soon = await startBot({ slack, iam, clock: createFakeClock(clock.now()), databasePath });
    running.push(soon);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readStoredState(databasePath).removals.map((r) => r.state)).toEqual(['executing']);
    await soon.bot.stop();
    running.pop();

    // Past 15 minutes: the start-up housekeeping marks it failed, says so on the message, audits it.
    const later = createFakeClock(new Date(clock.now().getTime() + 11 * MINUTE));
    const restarted = await startBot({ slack, iam, clock: later, databasePath });
    running.push(restarted);
    await waitFor(() => readStoredState(databasePath).removals[0]?.state === 'failed', 'the interrupted removal to become failed');
    expect(auditSince(restarted).map((l) => `${l.actor}:${l.action}:${l.outcome}`)).toEqual(['mfa-guard:removal_execute:failed']);
    await waitFor(() => JSON.stringify(message.blocks).includes('stopped while removing'), 'the approval message to say what happened');
    const retry = buttonsIn(message.blocks).find((b) => b.actionId === 'mfa_approve_removal');
    expect(retry?.value).toBe(approve);

    await click(slack, restarted, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: { channel: message.channel, ts: message.ts } });
    await waitFor(() => JSON.stringify(message.blocks).includes('Removed by'), 'the retry to remove the password');
    expect(deleteCalls(iam, 'alice')).toBe(1);
    expect(await iam.getLoginProfile('alice')).toBeNull();
    expect(readStoredState(databasePath).removals.map((r) => r.state)).toEqual(['done']);
  });
});
