/**
 * A user that lost its MFA after the last scan has no finding yet, and no record names its owner
 * (its owner tag was never read). Approvers may look it up: `/mfa-status <user>` offers Recheck and
 * Remove, whose value names the user and its account (`user:<accountId>:<UserId>:<name>`), which the bot checks live before
 * acting. Its owner by tag may look it up once a scan has recorded them as the owner.
 */
import { startWorld, type World } from '../../support/in-process-harness';
import {
  APPROVER,
  APPROVER2,
  APPROVER2_PERSON,
  BOB,
  buttonsIn,
  SAMPLE_START,
  SECURITY_CHANNEL,
  seen,
  STRANGER,
} from '../../support/sample-world';

const DAY = 86_400_000;
const HANK_ID = 'AIDAEXAMPLEHANK000001';

describe('a non-compliant user no scan has seen yet', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld({ env: { APPROVERS: `${APPROVER},${APPROVER2}` }, people: [APPROVER2_PERSON] });
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

  it('shows an approver Recheck and Remove with a value naming the user', async () => {
    expect(await hankButtons(APPROVER)).toEqual([
      { actionId: 'mfa_recheck', value: `user:111122223333:${HANK_ID}:hank` },
      { actionId: 'mfa_request_removal', value: `user:111122223333:${HANK_ID}:hank` },
      { actionId: 'mfa_show_steps', value: `user:111122223333:${HANK_ID}:hank` },
    ]);
  });

  it('tells its owner by tag it is not theirs to see, without an IAM call, until a scan records them', async () => {
    const calls = w.iam.calls.length;
    const [refused] = await w.command(BOB, 'hank');
    expect(seen(refused)).toContain('You can only look up IAM users you own');
    expect(w.iam.calls).toHaveLength(calls);

    await w.scan();
    const [mine] = await w.command(BOB, 'hank');
    expect(seen(mine)).toContain('`hank`');
    expect(buttonsIn(mine?.blocks).map((b) => b.actionId)).toEqual([
      'mfa_recheck',
      'mfa_request_removal',
      'mfa_show_steps',
    ]);
  });

  it('lets an approver ask for removal, and another approver remove it once', async () => {
    const remove = (await hankButtons(APPROVER)).find((b) => b.actionId === 'mfa_request_removal');
    if (remove === undefined) throw new Error('no Remove button');
    expect(await w.click(APPROVER, remove.actionId, remove.value)).not.toBeNull();
    const { where, approve } = w.approvalFor('hank');
    await w.click(APPROVER2, 'mfa_approve_removal', approve, where);
    expect(w.textAt(where)).toContain('Removed by');
    expect(await w.iam.getLoginProfile('hank')).toBeNull();
    expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toHaveLength(1);
  });

  it('Recheck answers with the live status', async () => {
    const recheck = (await hankButtons(APPROVER)).find((b) => b.actionId === 'mfa_recheck');
    if (recheck === undefined) throw new Error('no Recheck button');
    w.iam.addMfaDevice('hank', {
      serialNumber: 'arn:aws:iam::111122223333:mfa/hank',
      kind: 'virtual',
      enableDate: SAMPLE_START,
    });
    const answer = await w.click(APPROVER, recheck.actionId, recheck.value);
    expect(seen(answer)).toMatch(/MFA/);
    expect(w.slack.refused).toEqual([]);
  });

  it.each([
    ['its owner by tag, whom no record names yet', BOB, `user:${HANK_ID}:hank`],
    ['its owner by tag, with the value naming the account', BOB, `user:111122223333:${HANK_ID}:hank`],
    ['a stranger with the real value', STRANGER, `user:111122223333:${HANK_ID}:hank`],
    ['a stranger with the value made before accounts were named', STRANGER, `user:${HANK_ID}:hank`],
    ['a stranger with a value naming another UserId', STRANGER, 'user:AIDAEXAMPLE9999999999:hank'],
  ])('refuses %s without an IAM call, audits it, and deletes nothing', async (_label, who, value) => {
    const before = w.auditLines.length;
    const calls = w.iam.calls.length;
    const answer = await w.click(who, 'mfa_request_removal', value);
    expect(seen(answer)).toContain('Only the');
    await w.idle();
    expect(w.iam.calls).toHaveLength(calls);
    expect(w.audit(before).map((l) => `${l.action}:${l.outcome}`)).toEqual(['removal_request:refused']);
    expect(
      w.slack.postsIn(SECURITY_CHANNEL).filter((p) => JSON.stringify(p.message.blocks).includes('mfa_approve_removal')),
    ).toEqual([]);
    expect(w.iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([]);
  });
});
