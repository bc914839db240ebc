/**
 * The authorization matrix: owner (alice), approver and a stranger × every command and button,
 * through the interaction services. A refusal is one reply, one audit entry, and nothing else: no
 * message posted or updated, no Home published, no password deleted, no removal request or
 * finding changed.
 */
import type { SlackMessage } from '../../../src/slack/blocks/block-kit';
import { type Approval, ephemeralReplyTo, startWorld, type Where, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  BOB,
  buttonsIn,
  DANA,
  PLATFORM,
  SECURITY_CHANNEL,
  seen,
  STRANGER,
} from '../../support/sample-world';

/** `bob` owns another IAM user (bob): an owner, but not of alice. */
type Who = 'owner' | 'approver' | 'stranger' | 'bob';
type Act = 'status' | 'status alice' | 'status summary' | 'status scan' | 'recheck' | 'remove' | 'approve' | 'deny';

const ID: Readonly<Record<Who, string>> = { owner: ALICE, approver: APPROVER, stranger: STRANGER, bob: BOB };

/** What a refusal of each act says, and the audit action it is recorded under. */
const REFUSAL: Readonly<Record<Exclude<Act, 'status'>, { readonly words: string; readonly action: string }>> = {
  'status alice': { words: 'You can only look up IAM users you own', action: 'status_user' },
  'status summary': { words: 'Only approvers can see the account summary', action: 'status_summary' },
  'status scan': { words: 'Only approvers can start a scan', action: 'scan_start' },
  recheck: { words: "Only the IAM user's owner and the approvers can recheck it", action: 'recheck' },
  remove: { words: "Only the IAM user's owner and the approvers can ask to remove", action: 'removal_request' },
  approve: { words: 'Only approvers can approve removing a console password', action: 'removal_approve' },
  deny: { words: 'Only approvers can deny a removal request', action: 'removal_deny' },
};

const MATRIX: ReadonlyArray<readonly [Who, Act, 'allowed' | 'refused']> = [
  ['owner', 'status', 'allowed'],
  ['approver', 'status', 'allowed'],
  ['stranger', 'status', 'allowed'],
  ['owner', 'status alice', 'allowed'],
  ['approver', 'status alice', 'allowed'],
  ['stranger', 'status alice', 'refused'],
  ['owner', 'status summary', 'refused'],
  ['approver', 'status summary', 'allowed'],
  ['stranger', 'status summary', 'refused'],
  ['owner', 'status scan', 'refused'],
  ['approver', 'status scan', 'allowed'],
  ['stranger', 'status scan', 'refused'],
  ['owner', 'recheck', 'allowed'],
  ['approver', 'recheck', 'allowed'],
  ['stranger', 'recheck', 'refused'],
  ['owner', 'remove', 'allowed'],
  ['approver', 'remove', 'allowed'],
  ['stranger', 'remove', 'refused'],
  ['owner', 'approve', 'refused'],
  ['approver', 'approve', 'allowed'],
  ['stranger', 'approve', 'refused'],
  ['owner', 'deny', 'refused'],
  ['approver', 'deny', 'allowed'],
  ['stranger', 'deny', 'refused'],
  ['bob', 'status alice', 'refused'],
  ['bob', 'recheck', 'refused'],
  ['bob', 'remove', 'refused'],
  ['bob', 'approve', 'refused'],
];

describe('authorization: owner, approver and stranger × every command and button', () => {
  let w: World;
  /** alice's nudge DM and the value of its buttons (her finding). */
  let dm: Where;
  let aliceRef: string;

  beforeEach(async () => {
    w = await startWorld();
    const post = w.slack.dmsTo(ALICE)[0];
    const remove = buttonsIn(post?.message.blocks).find((b) => b.actionId === 'mfa_request_removal');
    if (post === undefined || remove === undefined) throw new Error("alice's DM has no Remove button");
    dm = post;
    aliceRef = remove.value;
  });

  const aliceFinding = () => w.stored().findings.find((f) => f.userName === 'alice' && f.closedAt === null);

  /** alice asks for the removal from her DM; the approval message is what approve/deny rows click. */
  const pendingRequest = async (): Promise<Approval> => {
    await w.click(ALICE, 'mfa_request_removal', aliceRef, dm);
    return w.approvalFor('alice');
  };

  /** Where each person clicks: alice in her DM, the approver in the ephemeral /mfa-status alice reply, a stranger forges alice's DM. */
  const whereFor = (who: Who): Where => (who === 'approver' ? ephemeralReplyTo(APPROVER) : dm);

  /** Does the act; what the person was answered. */
  const perform = async (who: Who, act: Act, approval: Approval | null): Promise<SlackMessage[]> => {
    const userId = ID[who];
    if (act.startsWith('status')) return w.command(userId, act === 'status' ? '' : act.slice('status '.length));
    const reply =
      act === 'approve' || act === 'deny'
        ? await w.click(
            userId,
            act === 'approve' ? 'mfa_approve_removal' : 'mfa_deny_removal',
            act === 'approve' ? approval!.approve : approval!.deny,
            approval!.where,
          )
        : await w.click(userId, act === 'recheck' ? 'mfa_recheck' : 'mfa_request_removal', aliceRef, whereFor(who));
    return reply === null ? [] : [reply];
  };

  /** What an allowed act must have done. */
  const expectAllowed = (
    who: Who,
    act: Act,
    replies: readonly SlackMessage[],
    approval: Approval | null,
    auditFrom: number,
    summariesBefore: number,
  ): void => {
    const userId = ID[who];
    const [first] = replies;
    switch (act) {
      case 'status': {
        if (who === 'owner') expect(seen(first)).toContain('alice');
        if (who === 'approver') expect(seen(first)).toMatch(/5 need MFA/);
        // flaky-user could not be checked and no record names its owner: it may be anyone's, so no all-clear.
        if (who === 'stranger') expect(seen(first)).toContain('cannot confirm that none of yours needs attention');
        if (who === 'stranger') expect(seen(first)).not.toContain('Nothing needs your attention');
        if (who !== 'owner') expect(seen(first)).not.toContain('`alice`');
        if (who !== 'approver') expect(seen(first)).not.toContain('need MFA ·');
        return;
      }
      case 'status alice': {
        expect(seen(first)).toContain('alice');
        expect(buttonsIn(first?.blocks).map((b) => b.actionId)).toEqual(
          expect.arrayContaining(['mfa_recheck', 'mfa_request_removal']),
        );
        return;
      }
      case 'status summary': {
        for (const name of ['alice', 'bob', 'frank', 'svc-deploy', 'dana@example.com'])
          expect(seen(first)).toContain(name);
        return;
      }
      case 'status scan': {
        expect(replies).toHaveLength(1);
        expect(seen(replies[0])).toContain('Started a scan');
        // The outcome comes by DM: a scan may outlast its response_url.
        expect(seen(w.slack.dmsTo(userId).at(-1)?.message)).toContain('Scan finished');
        expect(w.slack.postsIn(SECURITY_CHANNEL).length).toBeGreaterThan(summariesBefore);
        expect(w.audit(auditFrom)).toEqual([
          expect.objectContaining({ actor: userId, action: 'scan_start', outcome: 'succeeded' }),
        ]);
        return;
      }
      case 'recheck': {
        if (who === 'owner') {
          // The DM itself is the answer: re-rendered with when it was checked.
          expect(replies).toEqual([]);
          expect(seen(w.slack.updatesOf(dm)[0])).toContain('Checked at');
        } else {
          expect(seen(first)).toContain('Still no MFA');
        }
        expect(aliceFinding()).toBeDefined();
        return;
      }
      case 'remove': {
        expect(seen(first)).toContain('Asked the approvers');
        w.approvalFor('alice');
        expect(w.stored().removals).toEqual([
          expect.objectContaining({ userName: 'alice', state: 'pending', requestedBy: userId }),
        ]);
        expect(w.audit(auditFrom)).toEqual([
          expect.objectContaining({ actor: userId, action: 'removal_request', outcome: 'succeeded' }),
        ]);
        return;
      }
      case 'approve': {
        expect(w.textAt(approval!.where)).toContain('Removed by');
        expect(w.stored().removals).toEqual([expect.objectContaining({ state: 'done', decidedBy: userId })]);
        expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([
          { operation: 'deleteLoginProfile', userName: 'alice' },
        ]);
        return;
      }
      case 'deny': {
        expect(w.textAt(approval!.where)).toContain('Denied by');
        expect(w.stored().removals).toEqual([expect.objectContaining({ state: 'denied', decidedBy: userId })]);
        expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([]);
        // The requester (alice) is told.
        expect(w.slack.dmsTo(ALICE).length).toBeGreaterThanOrEqual(2);
        return;
      }
    }
  };

  it.each(MATRIX)('%s: %s is %s', async (who, act, verdict) => {
    const approval = act === 'approve' || act === 'deny' ? await pendingRequest() : null;
    const before = w.snapshot();
    const auditFrom = w.auditLines.length;
    const summariesBefore = w.slack.postsIn(SECURITY_CHANNEL).length;
    const repliesBefore = w.replies.length;
    const replies = await perform(who, act, approval);

    if (verdict === 'allowed') {
      expectAllowed(who, act, replies, approval, auditFrom, summariesBefore);
      if (act === 'approve') expect(await w.iam.getLoginProfile('alice')).toBeNull();
    } else {
      if (act === 'status') throw new Error('no-text /mfa-status is never refused');
      const refusal = REFUSAL[act];
      expect(replies).toHaveLength(1);
      expect(seen(replies[0])).toContain(refusal.words);
      await w.idle();
      expect(w.replies).toHaveLength(repliesBefore + 1);
      expect(w.audit(auditFrom)).toEqual([
        expect.objectContaining({ actor: ID[who], action: refusal.action, outcome: 'refused' }),
      ]);
      expect(w.snapshot()).toEqual(before);
      if (approval !== null) expect(w.stored().removals).toEqual([expect.objectContaining({ state: 'pending' })]);
      expect(aliceFinding()).toBeDefined();
    }
    expect(w.slack.refused).toEqual([]);
  });

  describe('what a name lookup gives away', () => {
    const answer = async (userId: string, text: string): Promise<{ text: string | undefined; blocks: unknown }> => {
      const [reply] = await w.command(userId, text);
      return { text: reply?.text, blocks: reply?.blocks };
    };

    it('a stranger gets the same answer for an existing user and an unknown one, bar the name they typed', async () => {
      const calls = w.iam.calls.length;
      const existing = await answer(STRANGER, 'alice');
      const unknown = await answer(STRANGER, 'no-such-user');
      expect(JSON.stringify(existing)).toContain('alice');
      expect(JSON.stringify(existing).replaceAll('alice', 'NAME')).toBe(
        JSON.stringify(unknown).replaceAll('no-such-user', 'NAME'),
      );
      expect(JSON.stringify(unknown)).not.toMatch(/no IAM user named/i);
      // Neither reached AWS: the call count cannot tell them apart either.
      expect(w.iam.calls).toHaveLength(calls);
      // The first refusal is audited at once; the second in the `refused ×1` entry once its minute is over.
      expect(w.audit().map((e) => [e.actor, e.action, e.outcome, e.userName])).toEqual([
        [STRANGER, 'status_user', 'refused', 'alice'],
      ]);
      w.clock.advance(60_000);
      await answer(STRANGER, 'help');
      expect(w.audit().map((e) => [e.actor, e.action, e.outcome, e.userName])).toEqual([
        [STRANGER, 'status_user', 'refused', 'alice'],
        [STRANGER, 'status_user', 'refused', 'no-such-user'],
      ]);
      expect(w.audit()[1]?.detail).toMatch(/^refused ×1 more within a minute/);
    });

    it('an approver is told there is no such IAM user, with a did-you-mean for a typo of a subcommand', async () => {
      const unknown = JSON.stringify(await answer(APPROVER, 'no-such-user'));
      expect(unknown).toContain('No IAM user named');
      expect(unknown).toContain('no-such-user');
      expect(unknown).not.toContain('Did you mean');
      const typo = JSON.stringify(await answer(APPROVER, 'sumary'));
      expect(typo).toContain('No IAM user named');
      expect(typo).toContain('Did you mean `/mfa-status summary`?');
      expect(w.slack.refused).toEqual([]);
    });

    it('the owner by email (platform@example.com) may look at svc-deploy, but not at alice', async () => {
      const mine = await answer(PLATFORM, 'svc-deploy');
      expect(JSON.stringify(mine)).toContain('svc-deploy');
      expect(JSON.stringify(mine)).not.toContain('You can only look up');
      expect(buttonsIn(mine.blocks).map((b) => b.actionId)).toEqual(
        expect.arrayContaining(['mfa_recheck', 'mfa_request_removal']),
      );
      const notMine = await answer(PLATFORM, 'alice');
      expect(JSON.stringify(notMine)).toContain('You can only look up IAM users you own');
    });

    it('the owner by email may ask to remove svc-deploy from their DM', async () => {
      const platformDm = w.slack.dmsTo(PLATFORM)[0];
      const remove = buttonsIn(platformDm?.message.blocks).find((b) => b.actionId === 'mfa_request_removal');
      if (platformDm === undefined || remove === undefined)
        throw new Error('the DM to platform@example.com has no Remove button');
      expect(seen(await w.click(PLATFORM, 'mfa_request_removal', remove.value, platformDm))).toContain(
        'Asked the approvers',
      );
      w.approvalFor('svc-deploy');
      expect(w.stored().removals).toEqual([
        expect.objectContaining({ userName: 'svc-deploy', requestedBy: PLATFORM, state: 'pending' }),
      ]);
    });

    it('a deactivated Slack account keeps no access through its email', async () => {
      // dana@example.com owns the IAM user of that name by email; her Slack account is deactivated.
      const answered = await answer(DANA, 'dana@example.com');
      expect(JSON.stringify(answered)).toContain('You can only look up IAM users you own');
      expect(w.audit()).toEqual([expect.objectContaining({ actor: DANA, action: 'status_user', outcome: 'refused' })]);
    });
  });
});
