/**
 * People of another organization (Slack Connect, in a shared channel) can run /mfa-status and click
 * our buttons. Their requests are refused before anything is looked up: answered in place only
 * (never a DM), audited as refused from "another organization", and no IAM call is made. Nor can
 * their email address make them the owner of an IAM user.
 */
import { startWorld } from '../../support/in-process-harness';
import { APPROVER, BOB, SAMPLE_START, SECURITY_CHANNEL, seen } from '../../support/sample-world';

const PARTNER_TEAM = 'T0PARTNER01';
const DAY_MS = 24 * 60 * 60 * 1000;

const bobRef = (w: Awaited<ReturnType<typeof startWorld>>): string => {
  const finding = w.stored().findings.find((f) => f.userName === 'bob' && f.closedAt === null);
  if (finding === undefined) throw new Error('bob has no open finding');
  return `finding:${finding.id}`;
};

describe('requests from another organization', () => {
  it.each([
    ['/mfa-status bob', 'status_user'],
    ['/mfa-status summary', 'status_summary'],
    ['/mfa-status scan', 'scan_start'],
  ])('%s by an approver’s ID from another team: refused in place, audited, no IAM call', async (typed, action) => {
    const w = await startWorld();
    const calls = w.iam.calls.length;
    const auditFrom = w.auditLines.length;
    const posts = w.slack.posts.length;
    const answers = await w.command(APPROVER, typed.slice('/mfa-status '.length), { teamId: PARTNER_TEAM });
    expect(answers.map((a) => seen(a))).toEqual([expect.stringContaining('another organization')]);
    expect(w.replies.map((r) => r.via)).toEqual(['response_url']);
    await w.idle();
    expect(w.iam.calls).toHaveLength(calls);
    expect(w.slack.posts).toHaveLength(posts);
    expect(w.audit(auditFrom)).toEqual([
      expect.objectContaining({
        actor: APPROVER,
        action,
        outcome: 'refused',
        detail: expect.stringContaining('another organization'),
      }),
    ]);
  });

  it('a Recheck click from another team is refused in place, with no IAM call and no message update', async () => {
    const w = await startWorld();
    const ref = bobRef(w);
    const calls = w.iam.calls.length;
    const auditFrom = w.auditLines.length;
    const [dm] = w.slack.dmsTo(BOB);
    if (dm === undefined) throw new Error('bob got no DM');
    const answer = await w.click(BOB, 'mfa_recheck', ref, dm, { teamId: PARTNER_TEAM });
    expect(seen(answer)).toContain('another organization');
    await w.idle();
    expect(w.iam.calls).toHaveLength(calls);
    expect(w.slack.callsTo('chat.update')).toEqual([]);
    expect(w.audit(auditFrom)).toEqual([
      expect.objectContaining({ actor: BOB, action: 'recheck', outcome: 'refused' }),
    ]);
  });

  it('a click in App Home from another team gets no DM: there is nowhere in place to answer', async () => {
    const w = await startWorld();
    const posts = w.slack.posts.length;
    const answer = await w.click(BOB, 'mfa_request_removal', bobRef(w), 'view', { teamId: PARTNER_TEAM });
    expect(answer).toBeNull();
    await w.idle();
    expect(w.slack.posts).toHaveLength(posts);
    expect(w.audit().at(-1)).toEqual(
      expect.objectContaining({ actor: BOB, action: 'removal_request', outcome: 'refused' }),
    );
  });

  it('the same person from their own team is answered as usual', async () => {
    const w = await startWorld();
    const [answer] = await w.command(APPROVER, 'bob');
    expect(seen(answer)).toContain('`bob`');
    expect(seen(answer)).not.toContain('another organization');
  });
});

describe('owners by email are matched among the workspace’s own members only', () => {
  const GUEST = 'U0GUEST0001';

  it('an IAM user owned by an address only another organization’s member has: no DM to them, "not found in Slack"', async () => {
    const w = await startWorld({
      people: [{ id: GUEST, email: 'guest@partner.example', teamId: PARTNER_TEAM }],
      prepareIam: (iam) =>
        iam.addUser({
          userName: 'contractor',
          userId: 'AIDACONTRACTOR0000001',
          createDate: new Date(SAMPLE_START.getTime() - 40 * DAY_MS),
          passwordLastUsed: new Date(SAMPLE_START.getTime() - 2 * DAY_MS),
          loginProfile: true,
          mfaDevices: [],
          tags: { 'slack-owner': 'guest@partner.example' },
        }),
    });
    expect(w.slack.dmsTo(GUEST)).toEqual([]);
    const summary = w.slack.postsIn(SECURITY_CHANNEL).at(-1);
    expect(seen(summary?.message)).toContain(
      'guest@partner.example was not found in Slack (not a member, or deactivated)',
    );
  });
});
