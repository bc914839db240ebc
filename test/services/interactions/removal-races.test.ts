/**
 * Clicks that overlap: double clicks, two approvers at once, a deny during an approval, two
 * requests at once. IAM is held (the gate) right after the claim, so the second click truly
 * arrives while the first is executing; the request must be claimed once and the password deleted
 * once. (A Slack retry of the same click is test/interactions/slack-retries.e2e.test.ts.)
 */
import type { SlackMessage } from '../../../src/slack/blocks/block-kit';
import { type Approval, startWorld, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  APPROVER2,
  APPROVER2_PERSON,
  deleteCalls,
  SECURITY_CHANNEL,
  seen,
  userButton,
} from '../../support/sample-world';

const world = (env: Record<string, string> = {}) => startWorld({ env, people: [APPROVER2_PERSON] });

/** alice asks for removal from her DM; the approval message. */
const pendingRequest = async (w: World): Promise<Approval> => {
  const dm = w.slack.dmsTo(ALICE)[0];
  if (dm === undefined) throw new Error('the scan sent alice no DM');
  const remove = userButton(dm.message.blocks, 'alice', 'mfa_request_removal');
  await w.click(ALICE, remove.actionId, remove.value, dm);
  return w.approvalFor('alice');
};

/** From now on the live check of alice (its first IAM call after a claim) waits for release(). */
const holdAliceChecks = (w: World): void =>
  w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'alice');

const approve = (w: World, userId: string, approval: Approval) =>
  w.click(userId, 'mfa_approve_removal', approval.approve, approval.where);

/** Which of two clicks answered first, while the other is still running. */
const firstOf = async (a: Promise<SlackMessage | null>, b: Promise<SlackMessage | null>) => {
  const settled = new Set<'a' | 'b'>();
  void a.then(() => settled.add('a'));
  void b.then(() => settled.add('b'));
  const first = await Promise.race([
    a.then((reply) => ({ which: 'a' as const, reply })),
    b.then((reply) => ({ which: 'b' as const, reply })),
  ]);
  return { ...first, bothSettled: () => settled.size === 2 };
};

const approveAudit = (w: World): string[] =>
  w
    .audit()
    .filter((l) => l.action === 'removal_approve' || l.action === 'removal_deny')
    .map((l) => `${l.action}:${l.outcome}:${l.actor}`)
    .sort();

describe('removal races', () => {
  it('a double click by the same approver claims the request once: one DeleteLoginProfile', async () => {
    const w = await world();
    const approval = await pendingRequest(w);
    holdAliceChecks(w);

    const clicks = [approve(w, APPROVER, approval), approve(w, APPROVER, approval)] as const;
    // The loser is told while the winner is still held in IAM: the two truly overlapped.
    const loser = await firstOf(...clicks);
    await w.gate.whenHeld(1);
    expect(loser.bothSettled()).toBe(false);
    expect(w.gate.waiting).toBe(1);
    expect(seen(loser.reply)).toContain(`<@${APPROVER}> is removing it right now`);

    w.gate.release();
    const winner = await clicks[loser.which === 'a' ? 1 : 0];
    expect(winner).toBeNull();
    expect(w.textAt(approval.where)).toContain(`Removed by <@${APPROVER}>`);
    await w.idle();
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(w.stored().removals.map((r) => r.state)).toEqual(['done']);
    expect(approveAudit(w)).toEqual([`removal_approve:refused:${APPROVER}`, `removal_approve:succeeded:${APPROVER}`]);
  });

  it('two approvers at once: one deletion, the other is told who is handling it', async () => {
    const w = await world({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const approval = await pendingRequest(w);
    holdAliceChecks(w);

    const clicks = [approve(w, APPROVER, approval), approve(w, APPROVER2, approval)] as const;
    const first = await firstOf(...clicks);
    const [loser, winner] = first.which === 'a' ? [APPROVER, APPROVER2] : [APPROVER2, APPROVER];
    await w.gate.whenHeld(1);
    expect(first.bothSettled()).toBe(false);
    expect(w.gate.waiting).toBe(1);
    expect(seen(first.reply)).toContain(`<@${winner}> is removing it right now`);

    w.gate.release();
    expect(await clicks[first.which === 'a' ? 1 : 0]).toBeNull();
    expect(w.textAt(approval.where)).toContain(`Removed by <@${winner}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(w.stored().removals).toEqual([expect.objectContaining({ state: 'done', decidedBy: winner })]);

    // Clicking again once it is done: told who removed it, nothing more deleted.
    expect(seen(await approve(w, loser, approval))).toContain(`Already removed by <@${winner}>`);
    await w.idle();
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
  });

  it('a deny while the approval is executing is refused and changes nothing', async () => {
    const w = await world({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const approval = await pendingRequest(w);
    holdAliceChecks(w);

    const approving = approve(w, APPROVER, approval);
    await w.gate.whenHeld(1);
    const denied = await w.click(APPROVER2, 'mfa_deny_removal', approval.deny, approval.where);
    expect(seen(denied)).toContain(`<@${APPROVER}> is removing it right now`);

    w.gate.release();
    await approving;
    expect(w.textAt(approval.where)).toContain(`Removed by <@${APPROVER}>`);
    expect(w.textAt(approval.where)).not.toContain('Denied by');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(approveAudit(w)).toEqual([`removal_approve:succeeded:${APPROVER}`, `removal_deny:refused:${APPROVER2}`]);
  });

  it('five approve clicks at once with IAM not held still delete once', async () => {
    const w = await world({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const approval = await pendingRequest(w);
    const clickers = [APPROVER, APPROVER2, APPROVER, APPROVER2, APPROVER];
    const replies = await Promise.all(clickers.map((userId) => approve(w, userId, approval)));
    await w.idle();
    expect(replies.filter((r) => r !== null)).toHaveLength(4);
    expect(w.textAt(approval.where)).toContain('Removed by');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(w.audit().filter((l) => l.action === 'removal_approve' && l.outcome === 'succeeded')).toHaveLength(1);
    expect(w.audit().filter((l) => l.action === 'removal_execute')).toHaveLength(1);
  });

  it('two removal requests for the same user at once make one request and one approval message', async () => {
    const w = await world();
    const dm = w.slack.dmsTo(ALICE)[0];
    if (dm === undefined) throw new Error('the scan sent alice no DM');
    const remove = userButton(dm.message.blocks, 'alice', 'mfa_request_removal');
    holdAliceChecks(w);
    const clicks = Promise.all([
      w.click(ALICE, remove.actionId, remove.value, dm),
      w.click(APPROVER, remove.actionId, remove.value, dm),
    ]);
    await w.gate.whenHeld(2);
    w.gate.release();
    const answers = (await clicks).map((reply) => seen(reply));
    expect(answers.filter((a) => a.includes('Asked the approvers'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('There is already a request'))).toHaveLength(1);
    await w.idle();
    expect(w.slack.postsIn(SECURITY_CHANNEL).filter((p) => seen(p.message).includes('asks to remove'))).toHaveLength(1);
    expect(w.stored().removals.map((r) => r.state)).toEqual(['pending']);
  });
});
