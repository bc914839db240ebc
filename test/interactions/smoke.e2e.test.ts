/**
 * One test per kind of request Bolt hands the bot — slash command, button click, App Home event —
 * as signed HTTP requests, answered through response_url, chat.update and views.publish on the
 * fake Slack Web API. What the answers say is tested in process (test/services/interactions);
 * these prove the wiring: the payloads are read right, replies go where Slack expects them, as
 * ephemeral replies that leave the clicked message alone.
 */
import { approvalFor, click, command, dmsTo, openHome, startBotWorld, waitFor } from '../support/interaction-harness';
import { ALICE, APPROVER, buttonsIn, parseAuditLines, seen, userButton } from '../support/sample-world';

const EPHEMERAL = { response_type: 'ephemeral', replace_original: false };

describe('smoke: each kind of request, end to end over HTTP', () => {
  it('/mfa-status is answered through its response_url; `scan` answers there once, and by DM when it finished', async () => {
    const w = await startBotWorld();
    const mine = await command(w, ALICE, '');
    expect(mine.reply.status).toBe(200);
    expect(mine.responses).toHaveLength(1);
    expect(mine.responses[0]?.body).toMatchObject(EPHEMERAL);
    expect(seen(mine.responses[0]?.body)).toContain('alice');

    const scan = await command(w, APPROVER, 'scan');
    expect(scan.responses.map((r) => r.body)).toEqual([expect.objectContaining(EPHEMERAL)]);
    expect(seen(scan.responses[0]?.body)).toContain('Started a scan');
    // A scan may take longer than a response_url lives: its outcome is a DM (conversations.open, chat.postMessage).
    const finished = await waitFor(
      () => dmsTo(w.slack, APPROVER).find((m) => seen(m).includes('Scan finished')),
      'the DM saying the scan finished',
    );
    expect(finished.channel).toBe(`D${APPROVER}`);
    expect(w.slack.callsTo('conversations.open').map((c) => c.params['users'])).toContain(APPROVER);
    expect(w.slack.responsesTo(scan.responseUrl)).toHaveLength(1);
    expect(w.slack.rejectedResponses).toEqual([]);
  });

  it('button clicks on a message, in an ephemeral reply and in App Home are read and answered; Approve updates the approval message', async () => {
    const w = await startBotWorld();
    const { slack } = w;

    // On a message: alice's Remove in her DM.
    const [dm] = dmsTo(slack, ALICE);
    if (dm === undefined) throw new Error('the scan sent alice no DM');
    const remove = userButton(dm.blocks, 'alice', 'mfa_request_removal');
    const asked = await click(w, { userId: ALICE, actionId: remove.actionId, value: remove.value, where: dm });
    expect(asked.reply.status).toBe(200);
    const askedAnswer = await waitFor(
      () => slack.responsesTo(asked.responseUrl)[0],
      'the answer to the removal request',
    );
    expect(askedAnswer.body).toMatchObject(EPHEMERAL);
    expect(seen(askedAnswer.body)).toContain('Asked the approvers');
    const approval = await approvalFor(slack, 'alice');

    // In an ephemeral reply: the approver's Recheck under `/mfa-status bob` (Slack sends no message there).
    const status = await command(w, APPROVER, 'bob');
    const recheck = buttonsIn(status.responses[0]?.body['blocks']).find((b) => b.actionId === 'mfa_recheck');
    if (recheck === undefined) throw new Error('/mfa-status bob has no Recheck button');
    const rechecked = await click(w, {
      userId: APPROVER,
      actionId: recheck.actionId,
      value: recheck.value,
      where: { channel: `D${APPROVER}`, ts: '1700000999.000100', ephemeral: true },
    });
    const recheckAnswer = await waitFor(() => slack.responsesTo(rechecked.responseUrl)[0], 'the answer to the Recheck');
    expect(recheckAnswer.body).toMatchObject(EPHEMERAL);
    expect(seen(recheckAnswer.body)).toContain('Still no MFA');

    // In App Home (a view, no message): the same Recheck. Slack sends no response_url from a view,
    // so the clicker is told by DM.
    const fromHome = await click(w, {
      userId: APPROVER,
      actionId: recheck.actionId,
      value: recheck.value,
      where: 'view',
    });
    expect(fromHome.reply.status).toBe(200);
    expect(fromHome.responseUrl).toBeNull();
    const homeAnswer = await waitFor(
      () => dmsTo(slack, APPROVER).find((m) => seen(m).includes('Still no MFA')),
      'the DM answering the Recheck from App Home',
    );
    expect(homeAnswer.channel).toBe(`D${APPROVER}`);
    expect(parseAuditLines(w.harness.auditLines).filter((a) => a.action === 'recheck')).toHaveLength(2);

    // Approve: the approval message is updated in place, the requester is told in a DM.
    await click(w, {
      userId: APPROVER,
      actionId: 'mfa_approve_removal',
      value: approval.approve,
      where: approval.message,
    });
    await waitFor(
      () => seen(approval.message).includes(`Removed by <@${APPROVER}>`),
      'the approval message to say Removed by',
    );
    expect(
      seen(slack.updates.filter((u) => u.channel === approval.message.channel && u.ts === approval.message.ts).at(-1)),
    ).toContain('Removed by');
    expect(buttonsIn(approval.message.blocks)).toEqual([]);
    await waitFor(
      () => dmsTo(slack, ALICE).some((m) => seen(m).includes('Console password removed')),
      'alice to be told',
    );
    expect(await w.iam.getLoginProfile('alice')).toBeNull();
    await waitFor(() => w.harness.auditLines.length >= 6, 'the audit lines');
    expect(parseAuditLines(w.harness.auditLines).map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'removal_request:succeeded',
      'recheck:succeeded',
      'recheck:succeeded',
      'removal_approve:succeeded',
      'removal_execute:succeeded',
      'finding_closed:succeeded',
    ]);
    expect(slack.rejectedResponses).toEqual([]);
  });

  it('app_home_opened publishes the Home for the Home tab only', async () => {
    const w = await startBotWorld();
    // The Messages tab first: the bot ignores it. The Home tab after it is published, and only it.
    expect((await openHome(w, ALICE, { tab: 'messages' })).status).toBe(200);
    expect((await openHome(w, ALICE)).status).toBe(200);
    const view = await waitFor(() => w.slack.homeViews.find((v) => v.userId === ALICE), "alice's Home");
    expect(view.view['type']).toBe('home');
    expect(seen({ blocks: view.view['blocks'] })).toContain('`alice`');
    expect(w.slack.callsTo('views.publish')).toHaveLength(1);
  });
});
