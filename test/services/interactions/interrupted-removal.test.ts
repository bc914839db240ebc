/**
 * A removal cut off between its claim and its outcome (the shutdown timeout ran out, a crash): the
 * request must not stay "executing" for ever, or the user could never go through the flow again.
 * Its claim's heartbeat stops with its process, and housekeeping fails it once the heartbeat is two
 * minutes old. (That a clean stop lets an acked removal finish is
 * test/interactions/shutdown.e2e.test.ts; a removal that is slow but alive is removal-claims.test.ts.)
 */
import { startWorld } from '../../support/in-process-harness';
import { ALICE, APPROVER, buttonsIn, deleteCalls, userButton } from '../../support/sample-world';

const SECOND = 1000;

describe('a removal interrupted mid-way', () => {
  it('becomes failed once its heartbeat is 2 minutes old, and a retry then checks the user live and removes the password once', async () => {
    const first = await startWorld();
    const dm = first.slack.dmsTo(ALICE)[0];
    if (dm === undefined) throw new Error('the scan sent alice no DM');
    const remove = userButton(dm.message.blocks, 'alice', 'mfa_request_removal');
    await first.click(ALICE, remove.actionId, remove.value, dm);
    const { where, approve } = first.approvalFor('alice');

    // The approval's live check hangs, and the bot dies while it does: no heartbeat after the claim's.
    first.gate.hold((operation, userName) => operation === 'getUser' && userName === 'alice');
    void first.click(APPROVER, 'mfa_approve_removal', approve, where);
    await first.gate.whenHeld(1);
    first.crash();
    const claimed = first.stored().removals;
    expect(claimed.map((r) => r.state)).toEqual(['executing']);

    // Restarted soon after: the heartbeat is not stale yet, so the first process might be alive.
    first.clock.advance(120 * SECOND);
    const soon = await first.restart();
    expect(soon.stored().removals).toEqual(claimed);

    // One millisecond later it is: the start-up housekeeping marks it failed, says so, audits it.
    first.clock.advance(1);
    const auditFrom = first.auditLines.length;
    const restarted = await soon.restart();
    expect(restarted.stored().removals.map((r) => r.state)).toEqual(['failed']);
    expect(restarted.audit(auditFrom).map((l) => `${l.actor}:${l.action}:${l.outcome}`)).toEqual([
      'mfa-guard:removal_execute:failed',
    ]);
    expect(restarted.textAt(where)).toContain('stopped while removing');
    const retry = buttonsIn(restarted.slack.messageAt(where).blocks).find((b) => b.actionId === 'mfa_approve_removal');
    expect(retry?.value).toBe(approve);

    await restarted.click(APPROVER, 'mfa_approve_removal', approve, where);
    expect(restarted.textAt(where)).toContain('Removed by');
    expect(deleteCalls(restarted.iam, 'alice')).toBe(1);
    expect(await restarted.iam.getLoginProfile('alice')).toBeNull();
    expect(restarted.stored().removals.map((r) => r.state)).toEqual(['done']);
  });
});
