/**
 * REMOVAL_ENABLED=false (a notify-only bot): no "Remove console access…" button anywhere, and a
 * crafted request / approve / deny click is refused to the clicker only, audited, and changes
 * nothing, even for a request made before removal was turned off.
 */
import { type Approval, startWorld, type Where, type World } from '../../support/in-process-harness';
import { ALICE, APPROVER, buttonsIn, SECURITY_CHANNEL, seen } from '../../support/sample-world';

const REMOVAL_BUTTONS = ['mfa_request_removal', 'mfa_approve_removal', 'mfa_deny_removal'];
const TURNED_OFF = 'Removing console passwords from Slack is turned off here';

describe('REMOVAL_ENABLED=false', () => {
  it('with APPROVERS unset: the DMs, the summary and /mfa-status alice show Recheck but no removal button', async () => {
    const w = await startWorld({ env: { REMOVAL_ENABLED: 'false', APPROVERS: '' } });

    const dm = w.slack.dmsTo(ALICE)[0];
    expect(buttonsIn(dm?.message.blocks).map((b) => b.actionId)).toContain('mfa_recheck');
    expect(seen({ blocks: dm?.message.blocks })).not.toContain('Remove console access');
    for (const post of w.slack.posts) {
      expect(buttonsIn(post.message.blocks).filter((b) => REMOVAL_BUTTONS.includes(b.actionId))).toEqual([]);
    }
    expect(w.slack.postsIn(SECURITY_CHANNEL).length).toBeGreaterThan(0);

    const [reply] = await w.command(ALICE, 'alice');
    expect(buttonsIn(reply?.blocks).map((b) => b.actionId)).toEqual(['mfa_recheck', 'mfa_show_steps']);
    expect(seen(reply)).not.toContain('Remove console access');
    expect(w.slack.refused).toEqual([]);
  });

  it("the approver's /mfa-status alice has no removal button either", async () => {
    const w = await startWorld({ env: { REMOVAL_ENABLED: 'false' } });
    const [reply] = await w.command(APPROVER, 'alice');
    const actions = buttonsIn(reply?.blocks).map((b) => b.actionId);
    expect(actions).toContain('mfa_recheck');
    expect(actions.filter((a) => REMOVAL_BUTTONS.includes(a))).toEqual([]);
  });

  describe('crafted removal clicks are refused', () => {
    let w: World;
    let dm: Where;
    let aliceRef: string;
    /** A request made while removal was still on: the bot is then restarted with it off. */
    let approval: Approval;

    beforeEach(async () => {
      const before = await startWorld();
      const post = before.slack.dmsTo(ALICE)[0];
      const remove = buttonsIn(post?.message.blocks).find((b) => b.actionId === 'mfa_request_removal');
      if (post === undefined || remove === undefined)
        throw new Error("alice's DM has no Remove button while removal is on");
      dm = post;
      aliceRef = remove.value;
      await before.click(ALICE, 'mfa_request_removal', aliceRef, dm);
      approval = before.approvalFor('alice');
      w = await before.restart({ REMOVAL_ENABLED: 'false' });
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
      const where = isRequest ? dm : approval.where;
      const before = w.snapshot();
      const auditFrom = w.auditLines.length;
      const repliesBefore = w.replies.length;

      const reply = await w.click(userId, actionId, value, where);
      expect(seen(reply)).toContain(TURNED_OFF);
      await w.idle();
      expect(w.replies).toHaveLength(repliesBefore + 1);

      const action = isRequest
        ? 'removal_request'
        : actionId === 'mfa_approve_removal'
          ? 'removal_approve'
          : 'removal_deny';
      expect(w.audit(auditFrom)).toEqual([expect.objectContaining({ actor: userId, action, outcome: 'refused' })]);
      expect(w.snapshot()).toEqual(before);
      expect(w.stored().removals).toEqual([expect.objectContaining({ userName: 'alice', state: 'pending' })]);
      expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([]);
      expect(await w.iam.getLoginProfile('alice')).not.toBeNull();
      expect(w.slack.refused).toEqual([]);
    });
  });
});
