/**
 * Requests Slack did not sign (wrong secret) or signed too long ago (a replay, 6 minutes old) are
 * refused by the receiver with HTTP 401 before any listener runs: no reply, no IAM call, no audit
 * entry, no Home, and a pending removal request stays pending. The same request signed properly
 * is then accepted, so each refusal is the signature's doing and not a broken request.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import { ALICE, approvalFor, buttonsIn, clickIn, command, openHome, readStoredState, snapshotWorld, waitFor } from '../support/interaction-harness';
import type { SendOptions } from '../support/slack-requests';

const START = new Date('2026-11-23T14:00:00Z');
const SIX_MINUTES_S = 6 * 60;

type Kind = 'slash command' | 'block action (Approve)' | 'app_home_opened';
type Forgery = 'forged signature' | '6-minute-old timestamp';

const forged = (forgery: Forgery): SendOptions =>
  forgery === 'forged signature'
    ? { signingSecret: 'not-the-signing-secret-9876543210' }
    : { timestampSeconds: Math.floor(Date.now() / 1000) - SIX_MINUTES_S };

const CASES: ReadonlyArray<readonly [Kind, Forgery]> = [
  ['slash command', 'forged signature'],
  ['slash command', '6-minute-old timestamp'],
  ['block action (Approve)', 'forged signature'],
  ['block action (Approve)', '6-minute-old timestamp'],
  ['app_home_opened', 'forged signature'],
  ['app_home_opened', '6-minute-old timestamp'],
];

describe('request signing: unsigned and replayed requests change nothing', () => {
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
    await harness.bot.runScanCycle('command');
  });
  afterEach(async () => {
    await harness.bot.stop();
    await slack.close();
  });

  /** A real pending request: alice asks from her DM, the approval message is posted. */
  const pendingApproval = async () => {
    const dm = await waitFor(() => slack.posted.find((m) => m.channel === `D${ALICE}`), "alice's DM");
    const remove = buttonsIn(dm.blocks).find((b) => b.actionId === 'mfa_request_removal');
    if (remove === undefined) throw new Error("alice's DM has no Remove button");
    await clickIn(slack, harness, { userId: ALICE, actionId: 'mfa_request_removal', value: remove.value, container: { kind: 'message', channel: dm.channel, ts: dm.ts } });
    return approvalFor(slack, SECURITY_CHANNEL, 'alice');
  };

  it.each(CASES)('%s with a %s is refused with HTTP 401 and nothing changes', async (kind, forgery) => {
    const approval = kind === 'block action (Approve)' ? await pendingApproval() : null;
    const before = snapshotWorld(slack, iam, databasePath);
    const iamCalls = iam.calls.length;
    const auditLines = harness.auditLines.length;
    const auditRows = readStoredState(databasePath).auditRows;
    const responses = slack.responses.length;

    const send = async (options: SendOptions): Promise<number> => {
      switch (kind) {
        case 'slash command':
          return (await command(slack, harness, APPROVER, 'alice', { ...options, expect: 0 })).reply.status;
        case 'block action (Approve)':
          return (
            await clickIn(
              slack,
              harness,
              { userId: APPROVER, actionId: 'mfa_approve_removal', value: approval!.approve, container: { kind: 'message', channel: approval!.message.channel, ts: approval!.message.ts } },
              options,
            )
          ).reply.status;
        case 'app_home_opened':
          return (await openHome(harness, APPROVER, options)).status;
      }
    };

    expect(await send(forged(forgery))).toBe(401);
    // Nothing runs after a refused request; a moment lets anything that wrongly did show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.responses).toHaveLength(responses);
    expect(iam.calls).toHaveLength(iamCalls);
    expect(harness.auditLines).toHaveLength(auditLines);
    expect(readStoredState(databasePath).auditRows).toBe(auditRows);
    expect(snapshotWorld(slack, iam, databasePath)).toEqual(before);
    if (approval !== null) expect(readStoredState(databasePath).removals).toEqual([expect.objectContaining({ state: 'pending' })]);

    // The control: the same request, signed now with the right secret, is accepted and acted on.
    expect(await send({})).toBe(200);
    switch (kind) {
      case 'slash command':
        await waitFor(() => slack.responses.length > responses, 'the answer to the signed command');
        break;
      case 'block action (Approve)':
        await waitFor(() => readStoredState(databasePath).removals[0]?.state === 'done', 'the signed approval to remove the password');
        break;
      case 'app_home_opened':
        await waitFor(() => slack.homeViews.length > 0, 'the Home to be published');
        break;
    }
  }, 20_000);
});
