/**
 * Stopping the bot while an acknowledged Approve is still removing a password: stop() closes the
 * HTTP receiver, then waits (within SHUTDOWN_TIMEOUT_SECONDS) for the removal to finish before it
 * closes the database, so the request ends done, not stuck "executing". Asserted by the order of
 * events, not by durations. A removal cut off for good is test/services/interactions/interrupted-removal.
 */
import { get } from 'node:http';

import {
  approvalFor,
  auditSince,
  click,
  command,
  dmsTo,
  readStoredState,
  restartBot,
  startBotWorld,
  waitFor,
} from '../support/interaction-harness';
import { ALICE, APPROVER, seen, STRANGER, userButton } from '../support/sample-world';

/** Whether anything still accepts connections on the port (a new connection each time, no keep-alive). */
const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
  });

describe('shutdown with a removal in flight', () => {
  it('stop() waits for the acked removal to finish; after a restart its Approve button says it is done', async () => {
    const w = await startBotWorld();
    const { slack } = w;
    const [dm] = dmsTo(slack, ALICE);
    if (dm === undefined) throw new Error('the scan sent alice no DM');
    const remove = userButton(dm.blocks, 'alice', 'mfa_request_removal');
    await click(w, { userId: ALICE, actionId: remove.actionId, value: remove.value, where: dm });
    const { message, approve } = await approvalFor(slack, 'alice');

    w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'alice');
    await click(w, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: message });
    await w.gate.whenHeld(1);

    const events: string[] = [];
    const { port } = w.harness;
    const stopping = w.harness.bot.stop().then(() => events.push('stopped'));
    // stop() closes the receiver first, then says it waits for what was already acknowledged: the
    // bot's own signal, so a stop that did not wait cannot pass by a slow receiver.
    await waitFor(
      () => w.harness.logs.some((l) => l.includes('waiting for requests from Slack to finish before stopping')),
      'the bot to say it waits for the acknowledged removal',
    );
    expect(await listening(port)).toBe(false);
    expect(events).toEqual([]);
    events.push('iam released');
    w.gate.release();
    await stopping;
    expect(events).toEqual(['iam released', 'stopped']);
    expect(readStoredState(w.databasePath).removals.map((r) => r.state)).toEqual(['done']);
    expect(seen(message)).toContain(`Removed by <@${APPROVER}>`);
    expect(await w.iam.getLoginProfile('alice')).toBeNull();

    // Started again, the Approve button on the old message answers that it is done.
    await restartBot(w);
    const again = await click(w, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: message });
    const answer = await waitFor(
      () => slack.responsesTo(again.responseUrl)[0],
      'the click after the restart to be answered',
    );
    expect(seen(answer.body)).toContain(`Already removed by <@${APPROVER}>`);
    expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toHaveLength(1);
  });
});

describe('shutdown with refusals held for their digest', () => {
  it('stop() writes the `refused ×N` entry before the database closes', async () => {
    const w = await startBotWorld();
    const from = w.harness.auditLines.length;
    for (const name of ['alice', 'bob', 'alice']) await command(w, STRANGER, name);
    expect(auditSince(w.harness, from).map((l) => l.userName)).toEqual(['alice']);

    await w.harness.bot.stop();
    const lines = auditSince(w.harness, from);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ actor: STRANGER, action: 'status_user', outcome: 'refused' });
    expect(lines[1]?.detail).toMatch(/^refused ×2 more within a minute/);
    // Stored, not only printed.
    expect(readStoredState(w.databasePath).auditRows).toBe(from + 2);
  });
});
