/**
 * Slack's own rules, through the real Bolt HTTP receiver with signed requests, as Slack sends them:
 * the organization check on a slash command, a click and an event (people of another organization,
 * in a channel shared over Slack Connect); a response_url used at most 5 times and never after 25
 * minutes (the fake refuses past 5 and 30, as Slack does); a click in an ephemeral reply answered
 * with a new reply, never chat.update; the command text with `should_escape: true`.
 */
import { auditSince, click, command, dmsTo, openHome, startBotWorld, waitFor } from '../support/interaction-harness';
import { ALICE, APPROVER, BOB, buttonsIn, SAMPLE_START, seen, userButton } from '../support/sample-world';

const PARTNER_TEAM = 'T0PARTNER01';
const MINUTE_MS = 60_000;
const EPHEMERAL = { response_type: 'ephemeral', replace_original: false };

describe('requests from another organization, through Bolt', () => {
  it('a slash command: refused through its response_url, audited, no IAM call and no DM', async () => {
    const w = await startBotWorld();
    const calls = w.iam.calls.length;
    const auditFrom = w.harness.auditLines.length;
    const asked = await command(w, APPROVER, 'bob', { teamId: PARTNER_TEAM });
    expect(asked.responses.map((r) => r.body)).toEqual([expect.objectContaining(EPHEMERAL)]);
    expect(seen(asked.responses[0]?.body)).toContain('another organization');
    const [entry] = await waitFor(() => {
      const lines = auditSince(w.harness, auditFrom);
      return lines.length > 0 && lines;
    }, 'the refusal to be audited');
    expect(entry).toEqual(
      expect.objectContaining({
        actor: APPROVER,
        action: 'status_user',
        outcome: 'refused',
        detail: expect.stringContaining('another organization'),
      }),
    );
    expect(w.iam.calls).toHaveLength(calls);
    expect(dmsTo(w.slack, APPROVER)).toEqual([]);
  });

  it('a Recheck click: refused in place, with no IAM call and no message update', async () => {
    const w = await startBotWorld();
    const [dm] = dmsTo(w.slack, ALICE);
    if (dm === undefined) throw new Error('the scan sent alice no DM');
    const recheck = userButton(dm.blocks, 'alice', 'mfa_recheck');
    const calls = w.iam.calls.length;
    const auditFrom = w.harness.auditLines.length;
    const clicked = await click(w, {
      userId: ALICE,
      actionId: recheck.actionId,
      value: recheck.value,
      where: dm,
      teamId: PARTNER_TEAM,
    });
    expect(clicked.reply.status).toBe(200);
    const answer = await waitFor(() => w.slack.responsesTo(clicked.responseUrl)[0], 'the refusal');
    expect(answer.body).toMatchObject(EPHEMERAL);
    expect(seen(answer.body)).toContain('another organization');
    await waitFor(() => auditSince(w.harness, auditFrom).length > 0, 'the refusal to be audited');
    expect(auditSince(w.harness, auditFrom)).toEqual([
      expect.objectContaining({ actor: ALICE, action: 'recheck', outcome: 'refused' }),
    ]);
    expect(w.iam.calls).toHaveLength(calls);
    expect(w.slack.callsTo('chat.update')).toEqual([]);
  });

  it('app_home_opened: nothing is published, the refusal is audited', async () => {
    const w = await startBotWorld();
    const auditFrom = w.harness.auditLines.length;
    expect((await openHome(w, ALICE, { teamId: PARTNER_TEAM })).status).toBe(200);
    await waitFor(() => auditSince(w.harness, auditFrom).length > 0, 'the refusal to be audited');
    expect(auditSince(w.harness, auditFrom)).toEqual([
      expect.objectContaining({ actor: ALICE, action: 'status_user', outcome: 'refused' }),
    ]);
    // The same person from their own team gets their Home: it is the organization that was refused.
    await openHome(w, ALICE);
    await waitFor(() => w.slack.homeViews.length > 0, "alice's Home");
    expect(w.slack.homeViews.map((v) => v.userId)).toEqual([ALICE]);
  });
});

describe('response_url limits, through Bolt', () => {
  it('one click re-sent by Slack six times with the same response_url: five answers there, the sixth by DM', async () => {
    const w = await startBotWorld();
    const status = await command(w, APPROVER, 'bob');
    const recheck = buttonsIn(status.responses[0]?.body['blocks']).find((b) => b.actionId === 'mfa_recheck');
    if (recheck === undefined) throw new Error('/mfa-status bob has no Recheck button');
    const responseUrl = w.slack.responseUrl();
    const input = {
      userId: APPROVER,
      actionId: recheck.actionId,
      value: recheck.value,
      responseUrl,
      where: { channel: `D${APPROVER}`, ts: '1700000999.000100', ephemeral: true },
    };
    for (let retryNum = 0; retryNum < 6; retryNum += 1) await click(w, input, retryNum === 0 ? {} : { retryNum });
    await waitFor(() => w.slack.responsesTo(responseUrl).length >= 5, 'five answers through the response_url');
    const dm = await waitFor(
      () => dmsTo(w.slack, APPROVER).find((m) => seen(m).includes('Still no MFA')),
      'the sixth answer, by DM',
    );
    expect(dm.channel).toBe(`D${APPROVER}`);
    expect(w.slack.responsesTo(responseUrl)).toHaveLength(5);
    // Never a sixth POST for Slack to refuse.
    expect(w.slack.rejectedResponses).toEqual([]);
  });

  it.each([
    [24, 'response_url'],
    [26, 'DM'],
  ] as const)('an answer ready %i minutes after /mfa-status bob goes by %s', async (minutes, route) => {
    const w = await startBotWorld();
    w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'bob');
    const asked = await command(w, APPROVER, 'bob', { expect: 0 });
    await w.gate.whenHeld(1);
    // The bot's clock and Slack's move together.
    w.clock.advance(minutes * MINUTE_MS);
    w.slack.advance(minutes * MINUTE_MS);
    w.gate.release();
    if (route === 'response_url') {
      const answer = await waitFor(() => w.slack.responsesTo(asked.responseUrl)[0], 'the answer');
      expect(seen(answer.body)).toContain('`bob`');
      expect(dmsTo(w.slack, APPROVER)).toEqual([]);
    } else {
      const dm = await waitFor(() => dmsTo(w.slack, APPROVER).find((m) => seen(m).includes('`bob`')), 'the DM');
      expect(dm.channel).toBe(`D${APPROVER}`);
      expect(w.slack.responsesTo(asked.responseUrl)).toEqual([]);
    }
    expect(w.slack.rejectedResponses).toEqual([]);
  });
});

describe('a click in an ephemeral reply', () => {
  it('is answered with a new ephemeral reply, never chat.update (even where its ts is a DM the bot stored)', async () => {
    const w = await startBotWorld();
    const [dm] = dmsTo(w.slack, ALICE);
    if (dm === undefined) throw new Error('the scan sent alice no DM');
    const recheck = userButton(dm.blocks, 'alice', 'mfa_recheck');
    // As if the reply to alice's `/mfa-status alice` sat at her DM's ts: chat.update would replace her DM.
    const clicked = await click(w, {
      userId: ALICE,
      actionId: recheck.actionId,
      value: recheck.value,
      where: { channel: dm.channel, ts: dm.ts, ephemeral: true },
    });
    const answer = await waitFor(() => w.slack.responsesTo(clicked.responseUrl)[0], 'the answer to the Recheck');
    expect(answer.body).toMatchObject(EPHEMERAL);
    expect(seen(answer.body)).toContain('Still no MFA');
    expect(w.slack.callsTo('chat.update')).toEqual([]);
  });
});

describe('/mfa-status text with should_escape: true, through Bolt', () => {
  it('<mailto:a.b@example.com|a.b@example.com> looks up the IAM user a.b@example.com', async () => {
    const w = await startBotWorld();
    w.iam.addUser({
      userName: 'a.b@example.com',
      userId: 'AIDAEMAILSHAPED000001',
      createDate: new Date(SAMPLE_START.getTime() - 40 * 24 * 60 * MINUTE_MS),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
    });
    const from = w.iam.calls.length;
    const asked = await command(w, APPROVER, '<mailto:a.b@example.com|a.b@example.com>');
    expect(seen(asked.responses[0]?.body)).toContain('`a.b@example.com`');
    expect(w.iam.calls.slice(from).find((c) => c.operation === 'getUser')?.userName).toBe('a.b@example.com');
  });

  it("<@U0BOB12345|bob>: an approver gets bob's IAM users, a stranger is refused", async () => {
    const w = await startBotWorld();
    const listed = await command(w, APPROVER, `<@${BOB}|bob>`);
    expect(seen(listed.responses[0]?.body)).toContain(`IAM users of <@${BOB}>`);
    expect(seen(listed.responses[0]?.body)).toContain('`bob`');
    const calls = w.iam.calls.length;
    const refused = await command(w, ALICE, `<@${BOB}|bob>`);
    expect(seen(refused.responses[0]?.body)).toContain('You can only see your own IAM users');
    expect(w.iam.calls).toHaveLength(calls);
  });
});
