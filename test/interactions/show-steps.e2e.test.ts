/**
 * "Show CLI steps" through the real Bolt receiver: a signed click with a trigger_id handed out by
 * the fake Slack, which takes it in views.open once and within 3 seconds of its own clock. The
 * modal opens before anything else (IAM held the whole time: no IAM call is made at all), then
 * is filled in with views.update. The order of calls is asserted, never a duration.
 */
import { SAMPLE_ACCOUNT_ID } from '../../src/adapters/memory/sample-account';
import { buildRemediation } from '../../src/domain/remediation';
import type { FakeModal, FakeSlack } from '../support/fake-slack-api';
import { click, command, dmsTo, startBotWorld, waitFor } from '../support/interaction-harness';
import { ALICE, APPROVER, seen, STRANGER, STRANGER_PERSON, userButton } from '../support/sample-world';

/** The modal once views.update filled it in (its second version). */
const filledModal = (slack: FakeSlack, triggerId: string): Promise<FakeModal> =>
  waitFor(() => slack.modals.find((m) => m.triggerId === triggerId && m.versions.length >= 2), 'the filled-in modal');

const methodsSince = (slack: FakeSlack, from: number): string[] => slack.calls.slice(from).map((c) => c.method);

describe('Show CLI steps', () => {
  it("opens the modal before any IAM call (IAM held throughout), then fills in the user's CLI walkthrough", async () => {
    const w = await startBotWorld();
    const { slack } = w;
    const [dm] = dmsTo(slack, ALICE);
    if (dm === undefined) throw new Error('alice has no DM');
    const steps = userButton(dm.blocks, 'alice', 'mfa_show_steps');
    const callsBefore = slack.calls.length;
    const iamCallsBefore = w.iam.calls.length;
    // Any IAM call from here on would wait until released, and the modal would never be filled in.
    w.gate.hold(() => true);

    const clicked = await click(w, { userId: ALICE, actionId: steps.actionId, value: steps.value, where: dm });

    expect(clicked.reply.status).toBe(200);
    const modal = await filledModal(slack, clicked.triggerId);
    expect(methodsSince(slack, callsBefore)).toEqual(['views.open', 'views.update']);
    expect(slack.callsTo('views.open').at(-1)?.params['trigger_id']).toBe(clicked.triggerId);
    expect(w.gate.waiting).toBe(0);
    expect(w.iam.calls.length).toBe(iamCallsBefore);

    expect(seen(modal.versions[0])).toContain('Loading the AWS CLI steps');
    const r = buildRemediation({ accountId: SAMPLE_ACCOUNT_ID, partition: 'aws', userName: 'alice' });
    for (const command of [r.enableMfa.createQrCode, r.enableMfa.enable, r.removeConsoleAccess.command]) {
      expect(seen(modal.view)).toContain(JSON.stringify(command).slice(1, -1));
    }
    // The modal is the answer: nothing is posted to the click's response_url, and the DM is left alone.
    expect(slack.responsesTo(clicked.responseUrl)).toEqual([]);
    expect(slack.callsTo('chat.update')).toEqual([]);
  });

  it('an approver gets the steps; someone who neither owns the user nor approves gets a short refusal', async () => {
    const w = await startBotWorld({ people: [STRANGER_PERSON] });
    const { slack } = w;
    const [dm] = dmsTo(slack, ALICE);
    if (dm === undefined) throw new Error('alice has no DM');
    const steps = userButton(dm.blocks, 'alice', 'mfa_show_steps');

    const byApprover = await click(w, { userId: APPROVER, actionId: steps.actionId, value: steps.value, where: dm });
    const byStranger = await click(w, { userId: STRANGER, actionId: steps.actionId, value: steps.value, where: dm });

    expect(seen((await filledModal(slack, byApprover.triggerId)).view)).toContain('aws iam enable-mfa-device');
    const refused = seen((await filledModal(slack, byStranger.triggerId)).view);
    expect(refused).toContain('Only the owner of IAM user `alice` or an approver can see its steps.');
    expect(refused).not.toContain('aws iam');
  });

  it('works from the reply to /mfa-status alice, a message only alice sees', async () => {
    const w = await startBotWorld();
    const { slack } = w;
    const asked = await command(w, ALICE, 'alice');
    const blocks = asked.responses[0]?.body['blocks'];
    const steps = userButton(blocks, 'alice', 'mfa_show_steps');
    const clicked = await click(w, {
      userId: ALICE,
      actionId: steps.actionId,
      value: steps.value,
      where: { channel: `D${ALICE}`, ts: '1700000999.000100', ephemeral: true },
    });
    expect(seen((await filledModal(slack, clicked.triggerId)).view)).toContain('aws iam delete-login-profile');
  });

  it('a click whose trigger_id is older than 3 seconds gets no modal, and is told to click again', async () => {
    const w = await startBotWorld();
    const { slack } = w;
    const [dm] = dmsTo(slack, ALICE);
    if (dm === undefined) throw new Error('alice has no DM');
    const steps = userButton(dm.blocks, 'alice', 'mfa_show_steps');
    const triggerId = slack.triggerId();
    slack.advance(3001);

    const clicked = await click(w, {
      userId: ALICE,
      actionId: steps.actionId,
      value: steps.value,
      where: dm,
      triggerId,
    });

    const answer = await waitFor(() => slack.responsesTo(clicked.responseUrl)[0], 'the answer to the late click');
    expect(seen(answer.body)).toContain('expired_trigger_id');
    expect(seen(answer.body)).toContain('Click the button again.');
    expect(slack.modals).toEqual([]);
    expect(slack.callsTo('views.update')).toEqual([]);
  });
});
