/**
 * Clicks that overlap: double clicks, two approvers at once, Slack retries. IAM is held (the
 * InMemoryIam `beforeCall` hook) right after the claim, so the second click truly arrives while
 * the first is executing; the request must be claimed once and the password deleted once.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createFakeClock } from '../support/fake-clock';
import type { FakePostedMessage, FakeSlack } from '../support/fake-slack-api';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import {
  ALICE,
  approvalFor,
  auditSince,
  click,
  createIamGate,
  deleteCalls,
  dmsTo,
  readStoredState,
  sampleIamWithHook,
  seen,
  sendClick,
  userButton,
  waitFor,
  type IamGate,
} from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');
const APPROVER2 = 'U0APPROVER2';

interface World {
  slack: FakeSlack;
  iam: InMemoryIam;
  gate: IamGate;
  harness: BotHarness;
  databasePath: string;
}

let world: World | null = null;

const startWorld = async (env: Record<string, string> = {}): Promise<World> => {
  const slack = await startSampleSlack();
  slack.addUser({ id: APPROVER2, email: 'approver2@example.com' });
  const clock = createFakeClock(START);
  const gate = createIamGate();
  const iam = sampleIamWithHook(clock, gate.beforeCall);
  const databasePath = newDatabasePath();
  const harness = await startBot({ slack, iam, clock, databasePath, env });
  await harness.bot.runScanCycle('command');
  world = { slack, iam, gate, harness, databasePath };
  return world;
};

afterEach(async () => {
  if (world === null) return;
  // A test that failed while IAM was held must not leave the bot's work hanging.
  world.gate.release();
  await world.harness.bot.stop();
  await world.slack.close();
  world = null;
});

/** alice asks for removal from her DM; resolves with the approval message and its Approve value. */
const pendingRequest = async (w: World): Promise<{ message: FakePostedMessage; approve: string; deny: string }> => {
  const dm = dmsTo(w.slack, ALICE)[0];
  if (dm === undefined) throw new Error('the scan sent alice no DM');
  const remove = userButton(dm.blocks, 'alice', 'mfa_request_removal');
  await click(w.slack, w.harness, { userId: ALICE, actionId: remove.actionId, value: remove.value, where: { channel: dm.channel, ts: dm.ts } });
  return approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
};

/** From now on the live check of alice (its first IAM call after a claim) waits for release(). */
const holdAliceChecks = (w: World): void => w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'alice');

const textOf = (m: FakePostedMessage): string => seen({ text: m.text, blocks: m.blocks });

const answersAt = (w: World, urls: readonly string[]): string[] => urls.flatMap((url) => w.slack.responsesTo(url).map((r) => seen(r.body)));

const approveAudit = (w: World): string[] =>
  auditSince(w.harness)
    .filter((l) => l.action === 'removal_approve' || l.action === 'removal_deny')
    .map((l) => `${l.action}:${l.outcome}:${l.actor}`)
    .sort();

describe('removal races', () => {
  it('a double click by the same approver claims the request once: one DeleteLoginProfile', async () => {
    const w = await startWorld();
    const { message, approve } = await pendingRequest(w);
    holdAliceChecks(w);

    const where = { channel: message.channel, ts: message.ts };
    const clicks = await Promise.all([
      click(w.slack, w.harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where }),
      click(w.slack, w.harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where }),
    ]);
    expect(clicks.map((c) => c.reply.status)).toEqual([200, 200]);
    const urls = clicks.map((c) => c.responseUrl);
    // The loser is told while the winner is still held in IAM: the two truly overlapped.
    const loser = await waitFor(() => answersAt(w, urls)[0], 'the second click to be answered');
    expect(w.gate.waiting).toBe(1);
    expect(loser).toContain(`<@${APPROVER}> is removing it right now`);

    w.gate.release();
    await waitFor(() => textOf(message).includes(`Removed by <@${APPROVER}>`), 'the approval message to say Removed by');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(answersAt(w, urls)).toHaveLength(1);
    expect(readStoredState(w.databasePath).removals.map((r) => r.state)).toEqual(['done']);
    expect(approveAudit(w)).toEqual([`removal_approve:refused:${APPROVER}`, `removal_approve:succeeded:${APPROVER}`]);
  });

  it('two approvers at once: one deletion, the other is told who is handling it', async () => {
    const w = await startWorld({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const { message, approve } = await pendingRequest(w);
    holdAliceChecks(w);

    const where = { channel: message.channel, ts: message.ts };
    const [first, second] = await Promise.all([
      click(w.slack, w.harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where }),
      click(w.slack, w.harness, { userId: APPROVER2, actionId: 'mfa_approve_removal', value: approve, where }),
    ]);
    const loserAnswer = await waitFor(
      () => {
        const a = w.slack.responsesTo(first.responseUrl);
        const b = w.slack.responsesTo(second.responseUrl);
        if (a.length > 0) return { loser: APPROVER, winner: APPROVER2, text: seen(a[0]?.body) };
        if (b.length > 0) return { loser: APPROVER2, winner: APPROVER, text: seen(b[0]?.body) };
        return null;
      },
      'the losing approver to be answered',
    );
    expect(w.gate.waiting).toBe(1);
    expect(loserAnswer.text).toContain(`<@${loserAnswer.winner}> is removing it right now`);

    w.gate.release();
    await waitFor(() => textOf(message).includes(`Removed by <@${loserAnswer.winner}>`), 'Removed by the winner');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(answersAt(w, [first.responseUrl, second.responseUrl])).toHaveLength(1);
    expect(readStoredState(w.databasePath).removals).toEqual([expect.objectContaining({ state: 'done', decidedBy: loserAnswer.winner })]);

    // Clicking again once it is done: told who removed it, nothing more deleted.
    const late = await click(w.slack, w.harness, { userId: loserAnswer.loser, actionId: 'mfa_approve_removal', value: approve, where });
    const lateAnswer = await waitFor(() => w.slack.responsesTo(late.responseUrl)[0], 'the late click to be answered');
    expect(seen(lateAnswer.body)).toContain(`Already removed by <@${loserAnswer.winner}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
  });

  it('a deny while the approval is executing is refused and changes nothing', async () => {
    const w = await startWorld({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const { message, approve, deny } = await pendingRequest(w);
    holdAliceChecks(w);
    const where = { channel: message.channel, ts: message.ts };

    await click(w.slack, w.harness, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where });
    await waitFor(() => w.gate.waiting === 1, 'the approval to be executing');
    const denied = await click(w.slack, w.harness, { userId: APPROVER2, actionId: 'mfa_deny_removal', value: deny, where });
    const answer = await waitFor(() => w.slack.responsesTo(denied.responseUrl)[0], 'the deny to be answered');
    expect(seen(answer.body)).toContain(`<@${APPROVER}> is removing it right now`);

    w.gate.release();
    await waitFor(() => textOf(message).includes(`Removed by <@${APPROVER}>`), 'Removed by');
    expect(textOf(message)).not.toContain('Denied by');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(approveAudit(w)).toEqual([`removal_approve:succeeded:${APPROVER}`, `removal_deny:refused:${APPROVER2}`]);
  });

  it('a Slack retry of the same click (X-Slack-Retry-Num: 1) while the first is running deletes once', async () => {
    const w = await startWorld();
    const { message, approve } = await pendingRequest(w);
    holdAliceChecks(w);

    const responseUrl = w.slack.responseUrl();
    const input = { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, responseUrl, where: { channel: message.channel, ts: message.ts } };
    const original = await sendClick(w.harness, input);
    expect(original.status).toBe(200);
    await waitFor(() => w.gate.waiting === 1, 'the first delivery to be executing');

    const retry = await sendClick(w.harness, input, { retryNum: 1 });
    expect(retry.status).toBe(200);
    const retried = await waitFor(() => w.slack.responsesTo(responseUrl)[0], 'the retry to be answered');
    expect(seen(retried.body)).toContain('is removing it right now');
    expect(w.gate.waiting).toBe(1);

    w.gate.release();
    await waitFor(() => textOf(message).includes(`Removed by <@${APPROVER}>`), 'Removed by');
    // A later retry (Slack tries up to three times) finds it done.
    await sendClick(w.harness, input, { retryNum: 2 });
    await waitFor(() => w.slack.responsesTo(responseUrl).length >= 2 && w.slack.responsesTo(responseUrl)[1], 'the second retry to be answered');
    expect(seen(w.slack.responsesTo(responseUrl)[1]?.body)).toContain(`Already removed by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(readStoredState(w.databasePath).removals.map((r) => r.state)).toEqual(['done']);
  });

  it('five approve clicks at once with IAM not held still delete once', async () => {
    const w = await startWorld({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const { message, approve } = await pendingRequest(w);
    const where = { channel: message.channel, ts: message.ts };
    const clickers = [APPROVER, APPROVER2, APPROVER, APPROVER2, APPROVER];
    const clicks = await Promise.all(clickers.map((userId) => click(w.slack, w.harness, { userId, actionId: 'mfa_approve_removal', value: approve, where })));
    await waitFor(() => answersAt(w, clicks.map((c) => c.responseUrl)).length === 4 && textOf(message).includes('Removed by'), 'four refusals and the removal');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(auditSince(w.harness).filter((l) => l.action === 'removal_approve' && l.outcome === 'succeeded')).toHaveLength(1);
    expect(auditSince(w.harness).filter((l) => l.action === 'removal_execute')).toHaveLength(1);
  });
  it('two removal requests for the same user at once make one request and one approval message', async () => {
    const w = await startWorld();
    const dm = dmsTo(w.slack, ALICE)[0];
    if (dm === undefined) throw new Error('the scan sent alice no DM');
    const remove = userButton(dm.blocks, 'alice', 'mfa_request_removal');
    holdAliceChecks(w);
    const where = { channel: dm.channel, ts: dm.ts };
    const clicks = await Promise.all([
      click(w.slack, w.harness, { userId: ALICE, actionId: remove.actionId, value: remove.value, where }),
      click(w.slack, w.harness, { userId: APPROVER, actionId: remove.actionId, value: remove.value, where }),
    ]);
    await waitFor(() => w.gate.waiting === 2, 'both live checks to be held');
    w.gate.release();
    const answers = await waitFor(() => {
      const all = answersAt(w, clicks.map((c) => c.responseUrl));
      return all.length === 2 && all;
    }, 'both requests to be answered');
    expect(answers.filter((a) => a.includes('Asked the approvers'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('There is already a request'))).toHaveLength(1);
    expect(w.slack.posted.filter((m) => m.channel === SECURITY_CHANNEL && textOf(m).includes('asks to remove'))).toHaveLength(1);
    expect(readStoredState(w.databasePath).removals.map((r) => r.state)).toEqual(['pending']);
  });
});
