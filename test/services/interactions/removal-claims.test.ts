/**
 * A removal's claim and its IAM calls over time: the heartbeat that keeps a slow removal alive for
 * other processes' housekeeping (and stops when it settles), the deadline on every IAM call, the
 * claim check right before DeleteLoginProfile, a deletion recorded even when its claim was taken
 * away, and the user checked again after the delete. Another process on the same database is a
 * second start over it (`restart()` without a crash), or its housekeeping through the store. The
 * same story across two real processes is test/bot/removal-claims.e2e.test.ts.
 */
import { AppError } from '../../../src/errors';
import { CLAIM_STALE_AFTER_MS } from '../../../src/services/running-removals';
import { type Approval, startWorld, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  APPROVER2,
  APPROVER2_PERSON,
  deleteCalls,
  seen,
  userButton,
} from '../../support/sample-world';

const SECOND = 1000;

const world = (env: Record<string, string> = {}) => startWorld({ env, people: [APPROVER2_PERSON] });

/** alice asks for her own console password to be removed, from the nudge DM; the approval message. */
const pendingRequest = async (w: World): Promise<Approval> => {
  const dm = w.slack.dmsTo(ALICE)[0];
  if (dm === undefined) throw new Error('the scan sent alice no DM');
  const remove = userButton(dm.message.blocks, 'alice', 'mfa_request_removal');
  await w.click(ALICE, remove.actionId, remove.value, dm);
  return w.approvalFor('alice');
};

const approve = (w: World, approval: Approval, userId = APPROVER) =>
  w.click(userId, 'mfa_approve_removal', approval.approve, approval.where);

/** The one removal request as the store has it. */
const theRequest = async (w: World) => {
  const [row] = w.stored().removals;
  if (row === undefined) throw new Error('no removal request');
  const request = await w.stores.removals.get(row.id);
  if (request === null) throw new Error(`removal request ${row.id} vanished`);
  return request;
};

const executeAudit = (w: World) =>
  w
    .audit()
    .filter((l) => l.action === 'removal_execute')
    .map((l) => ({ actor: l.actor, outcome: l.outcome, detail: l.detail }));

const hasLoginProfile = async (w: World): Promise<boolean> => (await w.iam.getLoginProfile('alice')) !== null;

/** What another process's housekeeping does to a claim whose heartbeat it finds stale. */
const takeClaimAway = async (w: World): Promise<void> => {
  const now = w.clock.now();
  const failed = await w.stores.removals.failInterrupted(
    new Date(now.getTime() + CLAIM_STALE_AFTER_MS),
    'another process found the heartbeat stale',
    now,
    [],
  );
  expect(failed.map((r) => r.state)).toEqual(['failed']);
};

/** A removal_execute detail: the removal's own, then the owners file its decision used. */
const usingOwnersFile = (detail: string | null): unknown =>
  expect.stringMatching(
    new RegExp(`^${(detail ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; owners file sha256:[0-9a-f]{12}$`),
  );

describe('the claim of a running removal', () => {
  it('names this process and is kept alive every 30 s, so another process never fails a slow removal; the heartbeat stops when it settles', async () => {
    const w = await world();
    const approval = await pendingRequest(w);
    const aliceCalls = (operation: string, userName: string | undefined) =>
      userName === 'alice' && operation !== 'listUserTags';
    w.gate.hold(aliceCalls);
    const click = approve(w, approval);

    // Every call takes 25 s of the clock (under its 30 s deadline): GetUser, GetLoginProfile,
    // ListMFADevices, DeleteLoginProfile, then the ListMFADevices that checks the user again.
    const claimedAt = w.clock.now().getTime();
    for (let call = 0; call < 4; call += 1) {
      await w.gate.whenHeld(1);
      w.clock.advance(25 * SECOND);
      w.gate.release();
      w.gate.hold(aliceCalls);
    }
    await w.gate.whenHeld(1);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    const running = await theRequest(w);
    expect(running).toMatchObject({ state: 'executing', claimHolder: expect.stringMatching(/^test-bot-\d+$/) });
    // Renewed every 30 s of the clock (and by the claim check before the delete, at 75 s).
    expect(running.heartbeatAt?.getTime()).toBe(claimedAt + 90 * SECOND);

    // Another process starts when the claim is over two minutes old, but its heartbeat is not.
    w.clock.advance(25 * SECOND);
    expect((await theRequest(w)).heartbeatAt?.getTime()).toBe(claimedAt + 120 * SECOND);
    const other = await w.restart();
    expect((await theRequest(other)).state).toBe('executing');

    w.gate.release();
    expect(await click).toBeNull();
    await w.idle();
    expect((await theRequest(w)).state).toBe('done');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    // No heartbeat and no deadline left behind: the clock can move on and nothing is written.
    expect(w.clock.pendingTimers).toBe(0);
    const settled = await theRequest(w);
    w.clock.advance(10 * 60 * SECOND);
    expect(await theRequest(w)).toEqual(settled);
  });

  it('stops its heartbeat when the removal fails too', async () => {
    const w = await world();
    const approval = await pendingRequest(w);
    w.iam.failWith('deleteLoginProfile', new AppError('iam_access_denied', 'AWS denied iam:DeleteLoginProfile.'), {
      userName: 'alice',
    });
    await approve(w, approval);
    await w.idle();
    const failed = await theRequest(w);
    expect(failed.state).toBe('failed');
    expect(w.clock.pendingTimers).toBe(0);
    w.clock.advance(10 * 60 * SECOND);
    expect(await theRequest(w)).toEqual(failed);
  });
});

describe('deadlines on the IAM calls of a removal', () => {
  it('gives up a call that does not answer within 30 s: the removal fails (retryable) instead of hanging', async () => {
    const w = await world();
    const approval = await pendingRequest(w);
    w.gate.hold((operation, userName) => operation === 'getUser' && userName === 'alice');
    const click = approve(w, approval);
    await w.gate.whenHeld(1);

    w.clock.advance(30 * SECOND);
    expect(await click).toBeNull();
    const failed = await theRequest(w);
    expect(failed.state).toBe('failed');
    expect(failed.detail).toContain(
      'mfa-guard stopped waiting for iam:GetUser for user alice: no answer within 30 seconds',
    );
    expect(w.textAt(approval.where)).toContain('Retry removal');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);

    // The answer that comes after all changes nothing.
    w.gate.release();
    await w.idle();
    expect(await theRequest(w)).toEqual(failed);
    expect(w.clock.pendingTimers).toBe(0);
  });

  it('gives up a DeleteLoginProfile that does not answer, then checks the user: a password still there means failed, and the retry finds what IAM did', async () => {
    const w = await world();
    const approval = await pendingRequest(w);
    w.gate.hold((operation, userName) => operation === 'deleteLoginProfile' && userName === 'alice');
    const click = approve(w, approval);
    await w.gate.whenHeld(1);

    w.clock.advance(30 * SECOND);
    expect(await click).toBeNull();
    expect(await theRequest(w)).toMatchObject({
      state: 'failed',
      detail: expect.stringContaining('stopped waiting for iam:DeleteLoginProfile'),
    });

    // IAM carries out the request it had received after all; the retry checks first and deletes nothing.
    w.gate.release();
    await w.idle();
    expect(await hasLoginProfile(w)).toBe(false);
    await approve(w, approval);
    expect(await theRequest(w)).toMatchObject({
      state: 'not_needed',
      detail: 'the user has no console password any more',
    });
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
  });

  it('records a delete whose answer was lost but which went through as done', async () => {
    const w = await world();
    const approval = await pendingRequest(w);
    w.onIamCall = (operation, userName) => {
      if (operation === 'deleteLoginProfile' && userName === 'alice') w.iam.setLoginProfile('alice', false);
    };
    w.iam.failWith('deleteLoginProfile', new AppError('iam_unexpected', 'socket hang up (ECONNRESET).'), {
      userName: 'alice',
      times: 1,
    });

    await approve(w, approval);
    const done = await theRequest(w);
    expect(done.state).toBe('done');
    expect(done.detail).toContain('DeleteLoginProfile answered an error, but the user has no console password now');
    expect(
      w
        .stored()
        .findings.filter((f) => f.userName === 'alice')
        .map((f) => f.closeReason),
    ).toEqual(['fixed']);
    expect(executeAudit(w)).toEqual([{ actor: APPROVER, outcome: 'succeeded', detail: usingOwnersFile(done.detail) }]);
  });
});

describe('the claim check right before DeleteLoginProfile', () => {
  it('deletes nothing once another process took the claim away, and leaves the request to it', async () => {
    const w = await world({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const approval = await pendingRequest(w);
    w.gate.hold((operation, userName) => operation === 'listUserTags' && userName === 'alice');
    const click = approve(w, approval);
    await w.gate.whenHeld(1);
    await takeClaimAway(w);
    const failed = await theRequest(w);
    const updates = w.slack.updatesOf(approval.where).length;

    w.gate.release();
    expect(await click).toBeNull();
    await w.idle();
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w)).toBe(true);
    expect(await theRequest(w)).toEqual(failed);
    expect(w.slack.updatesOf(approval.where)).toHaveLength(updates);
    expect(executeAudit(w)).toEqual([
      { actor: APPROVER, outcome: 'refused', detail: expect.stringContaining('nothing was changed in IAM') },
    ]);

    // The retry is the only removal that runs.
    await approve(w, approval, APPROVER2);
    expect(await theRequest(w)).toMatchObject({ state: 'done', decidedBy: APPROVER2 });
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
  });
});

describe('a deletion that went through after its claim was taken away', () => {
  it('is recorded as done: audited with a note, the finding closed, the approval message and the requester corrected, never repeated', async () => {
    const w = await world({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const approval = await pendingRequest(w);
    w.gate.hold((operation, userName) => operation === 'deleteLoginProfile' && userName === 'alice');
    const click = approve(w, approval);
    await w.gate.whenHeld(1);
    await takeClaimAway(w);

    w.gate.release();
    expect(await click).toBeNull();
    const done = await theRequest(w);
    expect(done).toMatchObject({ state: 'done', decidedBy: APPROVER });
    expect(done.detail).toMatch(/^recorded late: the password was removed after mfa-guard had marked it failed/);
    expect(executeAudit(w)).toEqual([{ actor: APPROVER, outcome: 'succeeded', detail: usingOwnersFile(done.detail) }]);
    expect(w.audit().filter((l) => l.action === 'finding_closed')).toHaveLength(1);
    expect(
      w
        .stored()
        .findings.filter((f) => f.userName === 'alice')
        .map((f) => f.closeReason),
    ).toEqual(['fixed']);
    expect(w.textAt(approval.where)).toContain(`Removed by <@${APPROVER}>`);
    expect(w.textAt(approval.where)).toContain('Note: recorded late');
    expect(w.textAt(approval.where)).not.toContain('Retry removal');
    const [correction] = w.slack.dmsTo(ALICE).filter((p) => seen(p.message).includes('Correction'));
    expect(seen(correction?.message)).toContain('Console password removed (correction)');

    // A click on the old Retry button is refused: the removal does not run again.
    const retried = seen(await approve(w, approval, APPROVER2));
    expect(retried).toContain(`Already removed by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
  });
});

describe('the user checked again after the delete', () => {
  it('tells the owner and every approver when an MFA device turned up during the removal', async () => {
    const w = await world({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const approval = await pendingRequest(w);
    w.onIamCall = (operation, userName) => {
      if (operation === 'deleteLoginProfile' && userName === 'alice') {
        w.iam.addMfaDevice('alice', {
          serialNumber: 'arn:aws:iam::1:mfa/alice',
          kind: 'virtual',
          enableDate: w.clock.now(),
        });
      }
    };

    await approve(w, approval);
    const done = await theRequest(w);
    expect(done.state).toBe('done');
    expect(done.detail).toBe('an MFA device was added to the user while its console password was being removed');
    for (const person of [ALICE, APPROVER, APPROVER2]) {
      const told = w.slack.dmsTo(person).filter((p) => seen(p.message).includes('MFA was added while'));
      expect(told).toHaveLength(1);
    }
    expect(seen(w.slack.dmsTo(ALICE).at(-1)?.message)).toContain('your IAM user');
    expect(w.textAt(approval.where)).toContain('Note: an MFA device was added');
  });

  it('tells nobody about MFA when none turned up', async () => {
    const w = await world({ APPROVERS: `${APPROVER},${APPROVER2}` });
    const approval = await pendingRequest(w);
    await approve(w, approval);
    expect((await theRequest(w)).state).toBe('done');
    for (const person of [ALICE, APPROVER, APPROVER2]) {
      expect(w.slack.dmsTo(person).filter((p) => seen(p.message).includes('MFA was added'))).toEqual([]);
    }
  });
});
