/**
 * Slack gives an app 3 seconds to acknowledge a request, and IAM can take longer than that (a live
 * check makes several calls). Every command, click and App Home open is acknowledged first and
 * answered later: with every IAM call held until the test releases it, all five acks arrive
 * before the release, and the answers after it. The order is asserted, not a duration.
 */
import { settlesWithin } from '../../src/services/settles-within';
import { BOT_TOKEN } from '../support/bot-harness';
import {
  approvalFor,
  click,
  command,
  dmsTo,
  openHome,
  readStoredState,
  startBotWorld,
  waitFor,
} from '../support/interaction-harness';
import { ALICE, APPROVER, BOB, buttonsIn, seen } from '../support/sample-world';

/** Generous: only a handler that waits for IAM before acking gets near it, and then the order assertion fails anyway. */
const ACK_WAIT_MS = 10_000;

describe('IAM held: every request is acknowledged before IAM answers', () => {
  it('acks /mfa-status alice, Recheck, Remove, Approve and app_home_opened before a held IAM call is released; answers come after', async () => {
    const w = await startBotWorld();
    const { slack } = w;
    // Set up while IAM answers: alice's DM and her pending removal request, bob's DM.
    const [aliceDm] = dmsTo(slack, ALICE);
    const [bobDm] = dmsTo(slack, BOB);
    const aliceRef = buttonsIn(aliceDm?.blocks).find((b) => b.actionId === 'mfa_request_removal')?.value;
    const bobRef = buttonsIn(bobDm?.blocks).find((b) => b.actionId === 'mfa_request_removal')?.value;
    if (aliceDm === undefined || bobDm === undefined || aliceRef === undefined || bobRef === undefined)
      throw new Error('the DMs have no Remove button');
    await click(w, { userId: ALICE, actionId: 'mfa_request_removal', value: aliceRef, where: aliceDm });
    const approval = await approvalFor(slack, 'alice');
    expect(slack.homeViews).toHaveLength(0);

    const events: string[] = [];
    const acked = <T>(what: string, sent: Promise<T>): Promise<T> =>
      sent.then((value) => {
        events.push(`acked ${what}`);
        return value;
      });
    w.gate.hold(() => true);
    const sent = Promise.all([
      acked('/mfa-status alice', command(w, ALICE, 'alice', { expect: 0 })),
      // bob rechecks his own user (alice's is being removed at the same time).
      acked('Recheck', click(w, { userId: BOB, actionId: 'mfa_recheck', value: bobRef, where: bobDm })),
      // bob's removal, asked by the approver from an ephemeral reply (alice's own is already pending).
      acked(
        'Remove',
        click(w, {
          userId: APPROVER,
          actionId: 'mfa_request_removal',
          value: bobRef,
          where: { channel: `D${APPROVER}`, ts: '1700000999.000100', ephemeral: true },
        }),
      ),
      acked(
        'Approve',
        click(w, {
          userId: APPROVER,
          actionId: 'mfa_approve_removal',
          value: approval.approve,
          where: approval.message,
        }),
      ),
      acked('app_home_opened', openHome(w, APPROVER)),
    ]);
    const ackedInTime = await settlesWithin(sent, ACK_WAIT_MS);
    // The work behind the acks really is waiting on IAM: the live checks of status, Recheck, Remove and Approve.
    await w.gate.whenHeld(4, ACK_WAIT_MS);
    // What IAM-bound work had answered by the time of the acks: nothing.
    const answeredBeforeRelease = ackedInTime
      ? await sent.then(([s, , r]) => ({
          status: slack.responsesTo(s.responseUrl).length,
          remove: slack.responsesTo(r.responseUrl).length,
          removed: seen(approval.message).includes('Removed by'),
        }))
      : null;
    events.push('iam released');
    w.gate.release();
    const [status, recheck, remove, approve, home] = await sent;

    expect(events.slice(0, 5).sort()).toEqual([
      'acked /mfa-status alice',
      'acked Approve',
      'acked Recheck',
      'acked Remove',
      'acked app_home_opened',
    ]);
    expect(events[5]).toBe('iam released');
    expect(answeredBeforeRelease).toEqual({ status: 0, remove: 0, removed: false });
    for (const [what, reply] of Object.entries({
      status: status.reply,
      recheck: recheck.reply,
      remove: remove.reply,
      approve: approve.reply,
      home,
    })) {
      expect({ what, status: reply.status }).toEqual({ what, status: 200 });
    }

    const statusAnswer = await waitFor(() => slack.responsesTo(status.responseUrl)[0], '/mfa-status alice');
    expect(seen(statusAnswer.body)).toContain('alice');
    expect(buttonsIn(statusAnswer.body['blocks']).map((b) => b.actionId)).toContain('mfa_recheck');

    const rechecked = await waitFor(
      () => slack.updates.find((u) => u.channel === bobDm.channel && u.ts === bobDm.ts),
      'the rechecked DM',
    );
    expect(seen(rechecked)).toContain('Checked at');

    const removeAnswer = await waitFor(
      () => slack.responsesTo(remove.responseUrl)[0],
      'the answer to the removal request',
    );
    expect(seen(removeAnswer.body)).toContain('Asked the approvers');
    await approvalFor(slack, 'bob');

    await waitFor(() => seen(approval.message).includes('Removed by'), 'the approval to be carried out');
    expect(readStoredState(w.databasePath).removals.find((r) => r.userName === 'alice')?.state).toBe('done');

    await waitFor(() => slack.homeViews.find((v) => v.userId === APPROVER), 'the Home to be published');

    expect(slack.rejectedResponses).toEqual([]);
    // The bot token is never echoed into what people see.
    expect(JSON.stringify(slack.responses)).not.toContain(BOT_TOKEN);
  }, 30_000);
});
