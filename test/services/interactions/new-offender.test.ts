/**
 * A user that lost its MFA after the last scan has no finding yet. `/mfa-status <user>` still
 * offers Recheck and Remove: their value names the user (`user:<UserId>:<name>`), which the bot
 * checks live before acting, for the owner or an approver only.
 */
import { startWorld, type World } from '../../support/in-process-harness';
import { APPROVER, BOB, buttonsIn, SAMPLE_START, SECURITY_CHANNEL, seen, STRANGER } from '../../support/sample-world';

const DAY = 86_400_000;
const HANK_ID = 'AIDAEXAMPLEHANK000001';

describe('a non-compliant user no scan has seen yet', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
    w.iam.addUser({
      userName: 'hank',
      userId: HANK_ID,
      createDate: new Date(SAMPLE_START.getTime() - 30 * DAY),
      passwordLastUsed: new Date(SAMPLE_START.getTime() - DAY),
      loginProfile: true,
      mfaDevices: [],
      tags: { 'slack-owner': BOB },
    });
  });

  const hankButtons = async (userId: string) => buttonsIn((await w.command(userId, 'hank'))[0]?.blocks);

  it('shows its owner Recheck and Remove with a value naming the user', async () => {
    expect(await hankButtons(BOB)).toEqual([
      { actionId: 'mfa_recheck', value: `user:${HANK_ID}:hank` },
      { actionId: 'mfa_request_removal', value: `user:${HANK_ID}:hank` },
      { actionId: 'mfa_show_steps', value: `user:${HANK_ID}:hank` },
    ]);
  });

  it('lets the owner ask for removal, and an approver remove it once', async () => {
    const remove = (await hankButtons(BOB)).find((b) => b.actionId === 'mfa_request_removal');
    if (remove === undefined) throw new Error('no Remove button');
    expect(await w.click(BOB, remove.actionId, remove.value)).not.toBeNull();
    const { where, approve } = w.approvalFor('hank');
    await w.click(APPROVER, 'mfa_approve_removal', approve, where);
    expect(w.textAt(where)).toContain('Removed by');
    expect(await w.iam.getLoginProfile('hank')).toBeNull();
    expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toHaveLength(1);
  });

  it('Recheck answers with the live status', async () => {
    const recheck = (await hankButtons(BOB)).find((b) => b.actionId === 'mfa_recheck');
    if (recheck === undefined) throw new Error('no Recheck button');
    w.iam.addMfaDevice('hank', {
      serialNumber: 'arn:aws:iam::111122223333:mfa/hank',
      kind: 'virtual',
      enableDate: SAMPLE_START,
    });
    const answer = await w.click(BOB, recheck.actionId, recheck.value);
    expect(seen(answer)).toMatch(/MFA/);
    expect(w.slack.refused).toEqual([]);
  });

  it.each([
    ['a stranger with the real value', `user:${HANK_ID}:hank`],
    ['a stranger with a value naming another UserId', 'user:AIDAEXAMPLE9999999999:hank'],
  ])('refuses %s, audits it, and deletes nothing', async (_label, value) => {
    const before = w.auditLines.length;
    const answer = await w.click(STRANGER, 'mfa_request_removal', value);
    expect(seen(answer)).toContain('Only the');
    await w.idle();
    expect(w.audit(before).map((l) => `${l.action}:${l.outcome}`)).toEqual(['removal_request:refused']);
    expect(
      w.slack.postsIn(SECURITY_CHANNEL).filter((p) => JSON.stringify(p.message.blocks).includes('mfa_approve_removal')),
    ).toEqual([]);
    expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([]);
  });
});
