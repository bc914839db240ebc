import type { InMemoryIam, IamOperation } from '../../src/adapters/memory/in-memory-iam';
import { AppError } from '../../src/errors';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import {
  ALICE,
  approvalFor,
  auditSince,
  BOB,
  buttonsIn,
  click,
  readStoredState,
  sampleIamWithHook,
  seen,
  waitFor,
} from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');

describe('removal edge cases', () => {
  let slack: FakeSlack;
  let iam: InMemoryIam;
  let harness: BotHarness;
  let databasePath: string;
  /** Runs before every IAM call; tests swap it to change IAM between the bot's calls. */
  let hook: (operation: IamOperation, userName: string | undefined) => void = () => undefined;

  beforeEach(async () => {
    slack = await startSampleSlack();
    const clock = createFakeClock(START);
    hook = () => undefined;
    iam = sampleIamWithHook(clock, async (operation, userName) => hook(operation, userName));
    databasePath = newDatabasePath();
    harness = await startBot({ slack, iam, clock, databasePath });
    await harness.bot.runScanCycle('command');
  });
  afterEach(async () => {
    await harness.bot.stop();
    await slack.close();
  });

  const removeButton = (userId: string): { value: string; where: { channel: string; ts: string } } => {
    const dm = slack.posted.find((m) => m.channel === `D${userId}`);
    const button = buttonsIn(dm?.blocks).find((b) => b.actionId === 'mfa_request_removal');
    if (dm === undefined || button === undefined) throw new Error(`no Remove button in the DM to ${userId}`);
    return { value: button.value, where: { channel: dm.channel, ts: dm.ts } };
  };

  it('a password already gone when DeleteLoginProfile runs (NoSuchEntity) counts as removed', async () => {
    const remove = removeButton(ALICE);
    await click(slack, harness, { userId: ALICE, actionId: 'mfa_request_removal', ...remove });
    const { message, approve } = await approvalFor(slack, SECURITY_CHANNEL, 'alice');
    // Someone removes it by hand between the bot's live check and its delete.
    hook = (operation, userName) => {
      if (operation === 'deleteLoginProfile' && userName === 'alice') iam.setLoginProfile('alice', false);
    };
    await click(slack, harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: { channel: message.channel, ts: message.ts } });
    await waitFor(() => seen({ blocks: message.blocks }).includes('Removed by'), 'the request to end done');
    expect(readStoredState(databasePath).removals.map((r) => r.state)).toEqual(['done']);
    expect(auditSince(harness).filter((l) => l.action === 'removal_execute').map((l) => [l.outcome, l.detail])).toEqual([
      ['succeeded', 'the console password was already gone'],
    ]);
  });

  it('an owner whose user’s tags cannot be read just now is told it could not be checked, not refused', async () => {
    const remove = removeButton(BOB);
    iam.failWith('listUserTags', new AppError('iam_access_denied', 'AWS denied iam:ListUserTags for user bob (AccessDenied).'), { userName: 'bob' });
    const before = harness.auditLines.length;
    const asked = await click(slack, harness, { userId: BOB, actionId: 'mfa_request_removal', ...remove });
    const [answer] = await waitFor(() => slack.responsesTo(asked.responseUrl).length > 0 && slack.responsesTo(asked.responseUrl), 'the answer');
    expect(seen(answer?.body)).toContain('could not be checked');
    expect(seen(answer?.body)).not.toContain('Only the');
    expect(auditSince(harness, before).map((l) => `${l.action}:${l.outcome}`)).toEqual(['removal_request:failed']);
    expect(readStoredState(databasePath).removals).toEqual([]);
  });

  it('a removal closes the user’s finding open now, even one opened after the request', async () => {
    const remove = removeButton(ALICE);
    await click(slack, harness, { userId: ALICE, actionId: 'mfa_request_removal', ...remove });
    const { message, approve } = await approvalFor(slack, SECURITY_CHANNEL, 'alice');

    // alice adds MFA (a scan closes her finding), then loses it again (the next scan opens a new one).
    const user = await iam.getUser('alice');
    if (user === null) throw new Error('alice is missing');
    iam.addMfaDevice('alice', { serialNumber: 'arn:aws:iam::111122223333:mfa/alice', kind: 'virtual', enableDate: START });
    await harness.bot.runScanCycle('command');
    iam.removeUser('alice');
    iam.addUser({ userName: 'alice', userId: user.userId, createDate: user.createDate, loginProfile: true, mfaDevices: [] });
    await harness.bot.runScanCycle('command');
    const findings = (): { closedAt: unknown }[] => readStoredState(databasePath).findings.filter((f) => f.userName === 'alice');
    expect(findings().map((f) => f.closedAt === null)).toEqual([false, true]);

    await click(slack, harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: { channel: message.channel, ts: message.ts } });
    await waitFor(() => seen({ blocks: message.blocks }).includes('Removed by'), 'the removal');
    expect(findings().map((f) => f.closedAt === null)).toEqual([false, false]);
    expect(auditSince(harness).filter((l) => l.action === 'finding_closed')).toHaveLength(1);
  });
});
