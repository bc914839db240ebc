/**
 * App Home: opening it publishes the viewer's IAM users; an approver also sees the account's
 * counts and the pending removal requests, linked to their approval messages and never with
 * Approve / Deny buttons; at most 100 blocks however many there are. (That the Messages tab
 * publishes nothing is the handler's doing: test/interactions/smoke.e2e.test.ts.)
 */
import type { HomeView } from '../../../src/slack/blocks/block-kit';
import { ephemeralReplyTo, startWorld, type World } from '../../support/in-process-harness';
import { ALICE, APPROVER, buttonsIn, SAMPLE_START, seen } from '../../support/sample-world';

const DAY_MS = 24 * 60 * 60 * 1000;
const COUNTS =
  '5 need MFA · 2 in grace period · 2 exempt · 1 could not be checked · 3 with MFA · 1 without console password';

/** Someone asks to remove a user's console password, by clicking Remove on its finding. */
const requestRemoval = async (w: World, userId: string, userName: string): Promise<void> => {
  const finding = w.stored().findings.find((f) => f.userName === userName && f.closedAt === null);
  if (finding === undefined) throw new Error(`${userName} has no open finding`);
  const answer = await w.click(userId, 'mfa_request_removal', `finding:${finding.id}`, ephemeralReplyTo(userId));
  expect(seen(answer)).toContain('Asked the approvers');
};

const homeText = (view: HomeView): string => seen({ blocks: view.blocks });

describe('App Home', () => {
  it("alice's Home shows her IAM users and the last scan, and nothing of the approver's", async () => {
    const w = await startWorld();
    const home = await w.openHome(ALICE);
    expect(home.type).toBe('home');
    const text = homeText(home);
    expect(text).toContain('`alice`');
    expect(text).not.toContain('`bob`');
    expect(text).not.toContain(COUNTS);
    expect(text).not.toContain('Pending removal requests');
    expect(text).toMatch(/scan/i);
    expect(w.slack.refused).toEqual([]);
  });

  it('before any scan, Home still publishes (nothing to show yet)', async () => {
    const w = await startWorld({ scan: false });
    const home = await w.openHome(ALICE);
    expect(home.blocks.length).toBeGreaterThan(0);
    expect(w.slack.refused).toEqual([]);
  });

  it("the approver's Home: counts and the pending request, linked to its approval message, with no Approve or Deny", async () => {
    const w = await startWorld();
    await requestRemoval(w, ALICE, 'alice');
    const approval = w.approvalFor('alice');

    const home = await w.openHome(APPROVER);
    const text = homeText(home);
    expect(text).toContain(COUNTS);
    expect(text).toContain('Pending removal requests (1)');
    expect(text).toContain('alice');
    expect(text).toContain(`<${w.slack.permalinkOf(approval.where)}|`);
    const actions = buttonsIn(home.blocks).map((b) => b.actionId);
    expect(actions).not.toContain('mfa_approve_removal');
    expect(actions).not.toContain('mfa_deny_removal');
    // alice, not an approver, sees no pending requests on her Home.
    expect(homeText(await w.openHome(ALICE))).not.toContain('Pending removal requests');
    expect(w.slack.refused).toEqual([]);
  });

  it('an approver with 120 users of their own and 120 pending requests gets a Home of at most 100 blocks', async () => {
    const w = await startWorld({
      // 120 requests in one minute: more live checks than the default total allows.
      env: { LIVE_CHECKS_PER_MINUTE: '6000' },
      prepareIam: (iam) => {
        for (let i = 0; i < 120; i += 1) {
          iam.addUser({
            userName: `ops-${String(i).padStart(3, '0')}-shared-console-login`,
            userId: `AIDAHOME${String(i).padStart(13, '0')}`,
            createDate: new Date(SAMPLE_START.getTime() - 100 * DAY_MS),
            passwordLastUsed: new Date(SAMPLE_START.getTime() - 2 * DAY_MS),
            loginProfile: true,
            mfaDevices: [],
            tags: { 'slack-owner': APPROVER },
          });
        }
      },
    });
    for (let i = 0; i < 120; i += 1)
      await requestRemoval(w, APPROVER, `ops-${String(i).padStart(3, '0')}-shared-console-login`);
    expect(w.stored().removals.filter((r) => r.state === 'pending')).toHaveLength(120);

    const home = await w.openHome(APPROVER);
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    const text = homeText(home);
    expect(text).toContain('Pending removal requests (120)');
    expect(text).toMatch(/…and \d+ more pending requests/);
    expect(text).toMatch(/Your IAM users \(12\d\)/);
    expect(buttonsIn(home.blocks).map((b) => b.actionId)).not.toContain('mfa_approve_removal');
    // Every views.publish was accepted: none was refused for its blocks.
    expect(w.slack.refused).toEqual([]);
  });
});
