/**
 * Where an answer goes, through the handlers' own request handling: a click in App Home carries no
 * response_url, so its answer is a DM; a response_url is used at most 5 times and never after 25
 * minutes (Slack's limits are 5 and 30), and past that the answer is a DM as well.
 */
import { type Reply, startWorld, type World } from '../../support/in-process-harness';
import { APPROVER, BOB, seen, STRANGER } from '../../support/sample-world';

const MINUTE_MS = 60_000;

/** The value of bob's Recheck / Remove buttons: his open finding. */
const bobRef = (w: World): string => {
  const finding = w.stored().findings.find((f) => f.userName === 'bob' && f.closedAt === null);
  if (finding === undefined) throw new Error('bob has no open finding');
  return `finding:${finding.id}`;
};

const routes = (replies: readonly Reply[]): string[] => replies.map((r) => r.via);

describe('a click in App Home (no response_url) is answered by DM', () => {
  it.each([
    ['bob, its owner', BOB],
    ['an approver', APPROVER],
  ])('Recheck by %s: the check is made and its result DMed to the clicker', async (_who, userId) => {
    const w = await startWorld();
    const dmsBefore = w.slack.dmsTo(userId).length;
    const answer = await w.click(userId, 'mfa_recheck', bobRef(w), 'view');
    expect(seen(answer)).toContain('Still no MFA');
    expect(routes(w.replies)).toEqual(['dm']);
    const dms = w.slack.dmsTo(userId).slice(dmsBefore);
    expect(dms.map((d) => seen(d.message))).toEqual([seen(answer)]);
    // A view is no message: nothing is updated.
    expect(w.slack.callsTo('chat.update')).toEqual([]);
    expect(w.audit().filter((a) => a.action === 'recheck')).toEqual([
      expect.objectContaining({ actor: userId, outcome: 'succeeded' }),
    ]);
  });

  it('Remove console access… from App Home: "asked the approvers", by DM', async () => {
    const w = await startWorld();
    const answer = await w.click(BOB, 'mfa_request_removal', bobRef(w), 'view');
    expect(seen(answer)).toContain('Asked the approvers');
    expect(routes(w.replies)).toEqual(['dm']);
  });

  it("a stranger's click in App Home is refused by DM, with no IAM call", async () => {
    const w = await startWorld();
    const calls = w.iam.calls.length;
    const answer = await w.click(STRANGER, 'mfa_recheck', bobRef(w), 'view');
    expect(seen(answer)).toContain("Only the IAM user's owner and the approvers can recheck it");
    expect(routes(w.replies)).toEqual(['dm']);
    await w.idle();
    expect(w.iam.calls).toHaveLength(calls);
  });
});

describe('response_url: at most 5 uses, and none after 25 minutes', () => {
  it('the same response_url (Slack re-sending a click) answers 5 times; the 6th answer is a DM', async () => {
    const w = await startWorld();
    const ref = bobRef(w);
    const responseUrl = 'https://hooks.slack.example/actions/T0DEMO00001/one-click/retried';
    for (let i = 0; i < 6; i += 1) await w.click(APPROVER, 'mfa_recheck', ref, null, { responseUrl });
    expect(routes(w.replies)).toEqual([
      'response_url',
      'response_url',
      'response_url',
      'response_url',
      'response_url',
      'dm',
    ]);
    expect(w.replies.filter((r) => r.responseUrl === responseUrl)).toHaveLength(5);
    expect(seen(w.slack.dmsTo(APPROVER).at(-1)?.message)).toContain('Still no MFA');
  });

  it('six answers at once still take only five uses', async () => {
    const w = await startWorld();
    const ref = bobRef(w);
    const responseUrl = 'https://hooks.slack.example/actions/T0DEMO00001/one-click/at-once';
    w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'bob');
    const clicks = Array.from({ length: 6 }, () => w.click(APPROVER, 'mfa_recheck', ref, null, { responseUrl }));
    await w.gate.whenHeld(6);
    w.gate.release();
    await Promise.all(clicks);
    expect(routes(w.replies).sort()).toEqual([
      'dm',
      'response_url',
      'response_url',
      'response_url',
      'response_url',
      'response_url',
    ]);
  });

  it.each([
    [24, 'response_url'],
    [26, 'dm'],
  ])('an answer %i minutes after the request goes by %s', async (minutes, via) => {
    const w = await startWorld();
    const ref = bobRef(w);
    w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'bob');
    const click = w.click(APPROVER, 'mfa_recheck', ref, null);
    await w.gate.whenHeld(1);
    w.clock.advance(minutes * MINUTE_MS);
    w.gate.release();
    expect(seen(await click)).toContain('Still no MFA');
    expect(routes(w.replies)).toEqual([via]);
  });

  it('a command answered after 25 minutes is a DM too', async () => {
    const w = await startWorld();
    w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'bob');
    const asked = w.command(APPROVER, 'bob');
    await w.gate.whenHeld(1);
    w.clock.advance(26 * MINUTE_MS);
    w.gate.release();
    const [answer] = await asked;
    expect(seen(answer)).toContain('`bob`');
    expect(routes(w.replies)).toEqual(['dm']);
  });
});
