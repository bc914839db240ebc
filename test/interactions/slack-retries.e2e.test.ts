/**
 * Slack re-sends a request it got no timely answer to, with X-Slack-Retry-Num and the same
 * response_url. A retry of an Approve that arrives while the first delivery is still removing the
 * password must not remove it twice: it is acked and told someone is on it, and a later retry
 * finds it done.
 */
import { approvalFor, click, dmsTo, readStoredState, startBotWorld, waitFor } from '../support/interaction-harness';
import { ALICE, APPROVER, deleteCalls, seen, userButton } from '../support/sample-world';

describe("Slack's retries", () => {
  it('a retry of the same click (X-Slack-Retry-Num: 1) while the first is running deletes once; retry 2 finds it done', async () => {
    const w = await startBotWorld();
    const { slack } = w;
    const [dm] = dmsTo(slack, ALICE);
    if (dm === undefined) throw new Error('the scan sent alice no DM');
    const remove = userButton(dm.blocks, 'alice', 'mfa_request_removal');
    await click(w, { userId: ALICE, actionId: remove.actionId, value: remove.value, where: dm });
    const { message, approve } = await approvalFor(slack, 'alice');
    // The live check of alice, the first IAM call after the claim, waits until released.
    w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'alice');

    const responseUrl = slack.responseUrl();
    const input = { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, responseUrl, where: message };
    const original = await click(w, input);
    expect(original.reply.status).toBe(200);
    await w.gate.whenHeld(1);

    const retry = await click(w, input, { retryNum: 1 });
    expect(retry.reply.status).toBe(200);
    const retried = await waitFor(() => slack.responsesTo(responseUrl)[0], 'the retry to be answered');
    expect(seen(retried.body)).toContain('is removing it right now');
    expect(w.gate.waiting).toBe(1);

    w.gate.release();
    await waitFor(() => seen(message).includes(`Removed by <@${APPROVER}>`), 'Removed by');
    // A later retry (Slack tries up to three times) finds it done.
    await click(w, input, { retryNum: 2 });
    const second = await waitFor(() => slack.responsesTo(responseUrl)[1], 'the second retry to be answered');
    expect(seen(second.body)).toContain(`Already removed by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(readStoredState(w.databasePath).removals.map((r) => r.state)).toEqual(['done']);
  });
});
