/**
 * `message.im` through the real Bolt HTTP receiver, signed as Slack signs it: only what needs the
 * transport. Slack retries an event it thinks went unanswered (same event_id, X-Slack-Retry-Num),
 * and delivers bots' messages, edits and deletions as `message.im` too; the handler must answer a
 * person's message once and ignore the rest. The logic of the answers is tested in process
 * (test/services/interactions/dm-replies.test.ts).
 *
 * Bolt acknowledges an event before its listener runs, and the listener decides (ignore, drop or
 * answer) before anything it awaits; stopping the bot waits for every answer under way, so what
 * was posted is read after `bot.stop()`, never after a sleep.
 */
import { SIGNING_SECRET } from '../support/bot-harness';
import { dmsTo, startBotWorld, waitFor } from '../support/interaction-harness';
import { ALICE, parseAuditLines, seen } from '../support/sample-world';
import { deliverMessageIm } from '../support/slack-requests';

const BOT_USER = 'UBOT0001';

const mfa = (userName: string, at: Date) => ({
  serialNumber: `arn:aws:iam::111122223333:mfa/${userName}`,
  kind: 'virtual' as const,
  enableDate: at,
});

describe('message.im through Bolt', () => {
  it('"done" retried twice by Slack (X-Slack-Retry-Num 1, 2): acknowledged each time, answered and rechecked once', async () => {
    const w = await startBotWorld();
    const target = { port: w.harness.port, signingSecret: SIGNING_SECRET };
    const [nudge] = dmsTo(w.slack, ALICE);
    if (nudge === undefined) throw new Error('the scan sent alice no DM');
    const before = dmsTo(w.slack, ALICE).length;
    w.iam.addMfaDevice('alice', mfa('alice', w.clock.now()));

    const delivery = await deliverMessageIm(target, { userId: ALICE, text: 'done' }, { retries: 2 });
    expect(delivery.replies.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitFor(() => dmsTo(w.slack, ALICE).length > before, "the answer in alice's DM");
    await w.harness.bot.stop();

    const answers = dmsTo(w.slack, ALICE).slice(before);
    expect(answers).toHaveLength(1);
    expect(seen(answers[0])).toContain('`alice` is fixed: it has MFA now');
    // Her nudge re-rendered in place, once.
    const updates = w.slack.updates.filter((u) => u.channel === nudge.channel && u.ts === nudge.ts);
    expect(updates).toHaveLength(1);
    expect(seen(updates[0])).toContain('`alice` is fixed');
    expect(parseAuditLines(w.harness.auditLines).map((a) => `${a.action}:${a.outcome}:${a.actor}`)).toEqual([
      `recheck:succeeded:${ALICE}`,
      `finding_closed:succeeded:${ALICE}`,
    ]);
    // The retries were dropped as repeats of the same event, not as messages too soon.
    const dropped = w.harness.logs.filter((l) => l.includes('a message in the DM was not answered'));
    expect(dropped).toHaveLength(2);
    for (const line of dropped) expect(line).toContain(`eventId=${delivery.eventId}`);
    for (const line of dropped) expect(line).toContain('why=duplicate');
  });

  it("bots' messages, edits and deletions are ignored at the handler; the person's next message is answered", async () => {
    const w = await startBotWorld();
    const target = { port: w.harness.port, signingSecret: SIGNING_SECRET };
    const dm = `D${ALICE}`;
    const before = w.slack.callsTo('chat.postMessage').length;
    const auditBefore = w.harness.auditLines.length;

    const ignored = [
      // Another app's bot writing in alice's DM with us: bot_id, no subtype.
      { userId: 'U0OTHERBOT', text: 'done', eventFields: { bot_id: 'B0OTHERBOT', channel: dm } },
      // A bot message the old way.
      {
        userId: 'U0OTHERBOT',
        text: 'done',
        eventFields: { subtype: 'bot_message', bot_id: 'B0OTHERBOT', channel: dm },
      },
      // The bot's own answer, echoed back by Slack.
      { userId: BOT_USER, text: 'help', eventFields: { bot_id: 'BBOT0001', channel: dm } },
      // alice edits an earlier message into "done": an edit is no new message.
      {
        userId: ALICE,
        text: 'done',
        eventFields: {
          subtype: 'message_changed',
          hidden: true,
          user: undefined,
          text: undefined,
          message: { type: 'message', user: ALICE, text: 'done', edited: { user: ALICE, ts: '1700000001.000100' } },
        },
      },
      // …and deletes one.
      { userId: ALICE, text: 'help', eventFields: { subtype: 'message_deleted', hidden: true, user: undefined } },
    ];
    for (const input of ignored) {
      const delivery = await deliverMessageIm(target, input);
      expect(delivery.replies.map((r) => r.status)).toEqual([200]);
    }
    // The person's own message afterwards is answered: nothing above used up her cooldown.
    await deliverMessageIm(target, { userId: ALICE, text: 'status' });
    await waitFor(() => w.slack.callsTo('chat.postMessage').length > before, 'the answer to "status"');
    await w.harness.bot.stop();

    const posts = w.slack.posted.slice(-1);
    expect(w.slack.callsTo('chat.postMessage')).toHaveLength(before + 1);
    expect(posts[0]?.channel).toBe(dm);
    expect(seen(posts[0])).toContain('`alice`: needs MFA');
    expect(w.harness.auditLines.slice(auditBefore)).toEqual([]);
    const reasons = w.harness.logs
      .filter((l) => l.includes('a message event was ignored'))
      .map((l) => /why="([^"]*)"/.exec(l)?.[1]);
    // Bolt itself drops the bot's own message before any listener; the handler drops the others.
    expect(reasons).toEqual([
      'a message from a bot',
      'a message with subtype bot_message',
      'a message with subtype message_changed',
      'a message with subtype message_deleted',
    ]);
  });

  it('a message from a person of another organization (user_team) is refused and audited, with no answer and no IAM call', async () => {
    const w = await startBotWorld();
    const target = { port: w.harness.port, signingSecret: SIGNING_SECRET };
    const posts = w.slack.callsTo('chat.postMessage').length;
    const iamCalls = w.iam.calls.length;
    const auditFrom = w.harness.auditLines.length;

    const delivery = await deliverMessageIm(target, {
      userId: ALICE,
      text: 'done',
      eventFields: { user_team: 'T0PARTNER01', channel: `D${ALICE}` },
    });
    expect(delivery.replies.map((r) => r.status)).toEqual([200]);
    await waitFor(() => w.harness.auditLines.length > auditFrom, 'the refusal to be audited');
    await w.harness.bot.stop();

    expect(parseAuditLines(w.harness.auditLines, auditFrom)).toEqual([
      expect.objectContaining({
        actor: ALICE,
        outcome: 'refused',
        detail: expect.stringContaining('another organization'),
      }),
    ]);
    // Never a DM to someone of another organization, and nothing checked in AWS.
    expect(w.slack.callsTo('chat.postMessage')).toHaveLength(posts);
    expect(w.iam.calls).toHaveLength(iamCalls);
  });
});
