/**
 * The removal of a console password with approval: the request, the approval message, approve and
 * deny, self-approval, expiry, a user that changed meanwhile, a failed DeleteLoginProfile and its
 * retry, and a restart between request and approval.
 */
import { AppError } from '../../../src/errors';
import { type Approval, ephemeralReplyTo, startWorld, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  APPROVER2,
  APPROVER2_PERSON,
  buttonsIn,
  deleteCalls,
  idOf,
  rawButtons,
  SAMPLE_START,
  SECURITY_CHANNEL,
  seen,
  userButton,
} from '../../support/sample-world';

const HOUR_MS = 60 * 60 * 1000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const APPROVAL_CHANNEL = 'C0APPROVALS1';

const world = (env: Record<string, string> = {}) => startWorld({ env, people: [APPROVER2_PERSON] });

/** alice asks for her own console password to be removed, from the nudge DM; what she was told. */
const requestFromAliceDm = async (w: World): Promise<string> => {
  const dm = w.slack.dmsTo(ALICE)[0];
  if (dm === undefined) throw new Error('the scan sent alice no DM');
  const remove = userButton(dm.message.blocks, 'alice', 'mfa_request_removal');
  return seen(await w.click(ALICE, remove.actionId, remove.value, dm));
};

/** An approver asks for alice's removal from the Remove button of `/mfa-status alice` (an ephemeral reply). */
const requestAsApprover = async (w: World, approver: string): Promise<string> => {
  const [status] = await w.command(approver, 'alice');
  const remove = buttonsIn(status?.blocks).find((b) => b.actionId === 'mfa_request_removal');
  if (remove === undefined) throw new Error(`/mfa-status alice showed ${approver} no Remove button: ${seen(status)}`);
  return seen(await w.click(approver, remove.actionId, remove.value, ephemeralReplyTo(approver)));
};

const clickApproval = async (
  w: World,
  userId: string,
  actionId: 'mfa_approve_removal' | 'mfa_deny_removal',
  approval: Approval,
): Promise<string> =>
  seen(
    await w.click(
      userId,
      actionId,
      actionId === 'mfa_approve_removal' ? approval.approve : approval.deny,
      approval.where,
    ),
  );

/** DMs to a person whose text includes `needle`. */
const dmsWith = (w: World, userId: string, needle: string) =>
  w.slack.dmsTo(userId).filter((p) => seen(p.message).includes(needle));

const dmWith = (w: World, userId: string, needle: string) => {
  const [dm] = dmsWith(w, userId, needle);
  if (dm === undefined) throw new Error(`no DM to ${userId} saying ${needle}`);
  return seen(dm.message);
};

const removalState = (w: World): string[] => w.stored().removals.map((r) => r.state);

const approvalMessagesIn = (w: World, channel: string) =>
  w.slack.postsIn(channel).filter((p) => p.message.text.includes('asks to remove the console password'));

const hasLoginProfile = async (w: World, userName: string): Promise<boolean> =>
  (await w.iam.getLoginProfile(userName)) !== null;

describe('removal request', () => {
  it('posts the request to SECURITY_CHANNEL with who asked, which user, status, last console use and the two buttons; the requester is told it is pending', async () => {
    const w = await world();
    const answer = await requestFromAliceDm(w);

    const approval = w.approvalFor('alice');
    const { approve, deny } = approval;
    const text = w.textAt(approval.where);
    expect(text).toContain(`<@${ALICE}> asks to remove the console password of IAM user \`alice\``);
    expect(text).toContain('*Status*\\nconsole password without MFA');
    // alice last signed in to the console 30 hours before the scan.
    expect(text).toContain('*Last console sign-in*\\n2026-11-22 08:00 UTC');
    expect(text).toContain('Waiting for an approver');

    expect(approve).toMatch(/^removal:\d+$/);
    expect(deny).toBe(approve);
    const buttons = rawButtons(w.slack.messageAt(approval.where).blocks);
    expect(buttons).toHaveLength(2);
    const [approveButton, denyButton] = buttons;
    expect(approveButton).toMatchObject({
      action_id: 'mfa_approve_removal',
      style: 'danger',
      text: { text: 'Approve removal' },
      value: approve,
    });
    // The Approve button asks for confirmation, with words on both of the dialog's buttons.
    const dialogButton = (key: 'confirm' | 'deny'): unknown => {
      const confirm = approveButton?.['confirm'];
      const button = isRecord(confirm) ? confirm[key] : undefined;
      return isRecord(button) ? button['text'] : undefined;
    };
    expect([typeof dialogButton('confirm'), typeof dialogButton('deny')]).toEqual(['string', 'string']);
    expect(denyButton).toMatchObject({ action_id: 'mfa_deny_removal', text: { text: 'Deny' }, value: approve });

    expect(answer).toContain('Asked the approvers to remove the console password of IAM user `alice`');
    expect(answer).toContain(`request #${idOf(approve)}`);
    expect(removalState(w)).toEqual(['pending']);
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(w.audit().map((l) => [l.action, l.outcome, l.actor])).toEqual([['removal_request', 'succeeded', ALICE]]);
  });

  it('a second request for the same user points to the pending one and posts nothing new', async () => {
    const w = await world();
    await requestFromAliceDm(w);
    const { approve } = w.approvalFor('alice');
    const postsBefore = w.slack.callsTo('chat.postMessage').length;

    const second = await requestFromAliceDm(w);
    expect(second).toContain('There is already a request to remove the console password of IAM user `alice`');
    expect(second).toContain(`request #${idOf(approve)}`);
    expect(second).toContain('No new request was made');
    await w.idle();
    expect(approvalMessagesIn(w, SECURITY_CHANNEL)).toHaveLength(1);
    expect(w.slack.callsTo('chat.postMessage').length).toBe(postsBefore);
    expect(removalState(w)).toEqual(['pending']);
  });

  it('goes to APPROVAL_CHANNEL when it is set to another channel the bot is in, and is approved from there', async () => {
    const w = await startWorld({
      env: { APPROVAL_CHANNEL },
      channels: [{ id: APPROVAL_CHANNEL, name: 'mfa-approvals', isMember: true }],
    });
    await requestFromAliceDm(w);
    const approval = w.approvalFor('alice', APPROVAL_CHANNEL);
    expect(approvalMessagesIn(w, SECURITY_CHANNEL)).toHaveLength(0);

    await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(w.textAt(approval.where)).toContain(`Removed by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(w.slack.updatesOf(approval.where).length).toBeGreaterThan(0);
  });
});

describe('approve and deny', () => {
  it('approve deletes the login profile once, updates the approval message and tells the requester (the owner) about open sessions', async () => {
    const w = await world();
    await requestFromAliceDm(w);
    const approval = w.approvalFor('alice');

    await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(w.textAt(approval.where)).toContain(`Removed by <@${APPROVER}> at 2026-11-23 14:00 UTC`);
    expect(dmWith(w, ALICE, 'Console password removed')).toContain('Console sessions already open are not ended');

    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(await hasLoginProfile(w, 'alice')).toBe(false);
    expect(JSON.stringify(w.slack.updatesOf(approval.where).at(-1)?.blocks)).toContain(`Removed by <@${APPROVER}>`);
    expect(buttonsIn(w.slack.messageAt(approval.where).blocks)).toEqual([]);
    expect(removalState(w)).toEqual(['done']);
    // alice is both requester and owner: one DM, not two.
    await w.idle();
    expect(dmsWith(w, ALICE, 'Console password removed')).toHaveLength(1);
    expect(w.audit().map((l) => `${l.action}:${l.outcome}`)).toEqual([
      'removal_request:succeeded',
      'removal_approve:succeeded',
      'removal_execute:succeeded',
      'finding_closed:succeeded',
    ]);
  });

  it('deny says "Denied by", tells the requester and deletes nothing; a later approve is refused', async () => {
    const w = await world();
    await requestFromAliceDm(w);
    const approval = w.approvalFor('alice');

    await clickApproval(w, APPROVER, 'mfa_deny_removal', approval);
    expect(w.textAt(approval.where)).toContain(`Denied by <@${APPROVER}>`);
    expect(dmWith(w, ALICE, 'Denied by')).toContain('stays');
    expect(buttonsIn(w.slack.messageAt(approval.where).blocks)).toEqual([]);
    expect(removalState(w)).toEqual(['denied']);

    expect(await clickApproval(w, APPROVER, 'mfa_approve_removal', approval)).toContain(`Denied by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['denied']);
  });
});

describe('self-approval', () => {
  it('is refused by default: the approver who asked cannot approve, and nothing is deleted', async () => {
    const w = await world();
    expect(await requestAsApprover(w, APPROVER)).toContain('Asked the approvers');
    const approval = w.approvalFor('alice');
    expect(w.textAt(approval.where)).toContain(`<@${APPROVER}> asks to remove`);

    expect(await clickApproval(w, APPROVER, 'mfa_approve_removal', approval)).toContain(
      `You asked for removal request #${idOf(approval.approve)} yourself`,
    );
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(removalState(w)).toEqual(['pending']);
    expect(buttonsIn(w.slack.messageAt(approval.where).blocks).map((b) => b.actionId)).toEqual([
      'mfa_approve_removal',
      'mfa_deny_removal',
    ]);
    expect(
      w
        .audit()
        .filter((l) => l.action === 'removal_approve')
        .map((l) => l.outcome),
    ).toEqual(['refused']);
  });

  it('a second approver can approve it; the requester and the owner are both told', async () => {
    const w = await world({ APPROVERS: `${APPROVER},${APPROVER2}` });
    await requestAsApprover(w, APPROVER);
    const approval = w.approvalFor('alice');

    expect(await clickApproval(w, APPROVER, 'mfa_approve_removal', approval)).toContain('yourself');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);

    await clickApproval(w, APPROVER2, 'mfa_approve_removal', approval);
    expect(w.textAt(approval.where)).toContain(`Removed by <@${APPROVER2}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    const toRequester = dmWith(w, APPROVER, 'Console password removed');
    const toOwner = dmWith(w, ALICE, 'Console password removed');
    for (const dm of [toRequester, toOwner]) expect(dm).toContain('Console sessions already open are not ended');
    expect(toOwner).toContain('your IAM user `alice`');
  });

  it('ALLOW_SELF_APPROVAL=true lets the approver approve their own request', async () => {
    const w = await world({ ALLOW_SELF_APPROVAL: 'true' });
    await requestAsApprover(w, APPROVER);
    const approval = w.approvalFor('alice');
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(w.textAt(approval.where)).toContain(`Removed by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(removalState(w)).toEqual(['done']);
  });
});

describe('expiry', () => {
  it('an approve after REMOVAL_REQUEST_TTL_HOURS (72 by default) is refused as expired; the message is updated and nothing deleted', async () => {
    const w = await world();
    await requestFromAliceDm(w);
    const approval = w.approvalFor('alice');
    expect(w.textAt(approval.where)).toContain('*Expires*\\n2026-11-26 14:00 UTC');

    w.clock.advance(72 * HOUR_MS + 60_000);
    const answer = await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(answer).toMatch(/expired/i);
    expect(answer).toContain('Nothing was deleted');
    expect(w.textAt(approval.where)).toContain('Expired at 2026-11-26 14:00 UTC');
    expect(buttonsIn(w.slack.messageAt(approval.where).blocks)).toEqual([]);
    dmWith(w, ALICE, 'expired');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['expired']);
  });

  it('just before the TTL the approval still works (REMOVAL_REQUEST_TTL_HOURS=2)', async () => {
    const w = await world({ REMOVAL_REQUEST_TTL_HOURS: '2' });
    await requestFromAliceDm(w);
    const approval = w.approvalFor('alice');
    w.clock.advance(2 * HOUR_MS - 60_000);
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(w.textAt(approval.where)).toContain('Removed by');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
  });
});

describe('the user changed between request and approval: not_needed, nothing deleted', () => {
  /** The approver approves alice's request; the approval message's text after it. */
  const approveAlice = async (w: World): Promise<string> => {
    const approval = w.approvalFor('alice');
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    const text = w.textAt(approval.where);
    expect(text).toContain('Not needed');
    return text;
  };

  it('the user enabled MFA', async () => {
    const w = await world();
    await requestFromAliceDm(w);
    w.iam.addMfaDevice('alice', {
      serialNumber: 'arn:aws:iam::111122223333:mfa/alice',
      kind: 'virtual',
      enableDate: w.clock.now(),
    });
    const text = await approveAlice(w);
    expect(text).toContain('the user has MFA now');
    expect(text).toContain('nothing was deleted');
    dmWith(w, ALICE, 'was not removed');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['not_needed']);
    expect(
      w
        .audit()
        .filter((l) => l.action === 'removal_execute')
        .map((l) => l.outcome),
    ).toEqual(['not_needed']);
  });

  it('the user was deleted and recreated under the same name (another UserId, password, no MFA)', async () => {
    const w = await world();
    await requestFromAliceDm(w);
    w.iam.removeUser('alice');
    w.iam.addUser({
      userName: 'alice',
      userId: 'AIDAEXAMPLENEWALICE01',
      createDate: new Date(SAMPLE_START.getTime() - 30 * 24 * HOUR_MS),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
    });
    expect(await approveAlice(w)).toContain('deleted and recreated');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['not_needed']);
  });

  it('the user was exempted (tag mfa-exempt)', async () => {
    const w = await world();
    await requestFromAliceDm(w);
    w.iam.setTag('alice', 'mfa-exempt', 'Break-glass for the payments team');
    expect(await approveAlice(w)).toContain('exempt now');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['not_needed']);
  });
});

describe('DeleteLoginProfile failure and retry', () => {
  it('fails with the AWS error and a Retry button; the retry removes it (one successful deletion)', async () => {
    const w = await world();
    w.iam.failWith(
      'deleteLoginProfile',
      new AppError(
        'iam_throttled',
        "IAM refused DeleteLoginProfile for user 'alice' for now: the entity is temporarily unmodifiable (EntityTemporarilyUnmodifiable).",
        {
          hint: 'IAM is still applying an earlier change to this user; retry in a few minutes.',
        },
      ),
      { userName: 'alice', times: 1 },
    );
    await requestFromAliceDm(w);
    const approval = w.approvalFor('alice');

    await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(w.textAt(approval.where)).toContain('The removal failed');
    expect(w.textAt(approval.where)).toContain('EntityTemporarilyUnmodifiable');
    const retry = rawButtons(w.slack.messageAt(approval.where).blocks);
    expect(retry).toHaveLength(1);
    expect(retry[0]).toMatchObject({
      action_id: 'mfa_approve_removal',
      value: approval.approve,
      text: { text: 'Retry removal' },
    });
    expect(removalState(w)).toEqual(['failed']);
    expect(await hasLoginProfile(w, 'alice')).toBe(true);
    dmWith(w, ALICE, 'Console password removal failed');

    await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(w.textAt(approval.where)).toContain(`Removed by <@${APPROVER}>`);
    expect(removalState(w)).toEqual(['done']);
    expect(await hasLoginProfile(w, 'alice')).toBe(false);
    // One failed call, one that deleted.
    expect(deleteCalls(w.iam, 'alice')).toBe(2);
    expect(
      w
        .audit()
        .filter((l) => l.action === 'removal_execute')
        .map((l) => l.outcome),
    ).toEqual(['failed', 'succeeded']);
  });

  // A failed request may be retried only until it expires; after that the Retry button goes.
  it('a retry after the request expired is refused as expired, and the approval message loses its Retry button', async () => {
    const w = await world();
    w.iam.failWith(
      'deleteLoginProfile',
      new AppError('iam_service_failure', 'IAM DeleteLoginProfile failed: ServiceFailure.'),
      { userName: 'alice', times: 1 },
    );
    await requestFromAliceDm(w);
    const approval = w.approvalFor('alice');
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(w.textAt(approval.where)).toContain('The removal failed');

    w.clock.advance(72 * HOUR_MS + 60_000);
    const answer = await clickApproval(w, APPROVER, 'mfa_approve_removal', approval);
    expect(answer).toMatch(/expired/i);
    expect(answer).not.toContain('may retry');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(buttonsIn(w.slack.messageAt(approval.where).blocks)).toEqual([]);
  });
});

describe('restart between request and approval', () => {
  it('the Approve button on the message sent before the restart still works', async () => {
    const w = await world();
    await requestFromAliceDm(w);
    const approval = w.approvalFor('alice');

    const restarted = await w.restart();
    await clickApproval(restarted, APPROVER, 'mfa_approve_removal', approval);
    expect(restarted.textAt(approval.where)).toContain(`Removed by <@${APPROVER}>`);
    expect(deleteCalls(restarted.iam, 'alice')).toBe(1);
    expect(await hasLoginProfile(restarted, 'alice')).toBe(false);
    expect(removalState(restarted)).toEqual(['done']);
  });
});
