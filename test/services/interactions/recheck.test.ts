/**
 * The Recheck button: a live check of the user, the finding closed (and audited) when it is
 * fixed, and the DM re-rendered from what the bot stored about it (every user it covers).
 */
import type { InMemoryIam } from '../../../src/adapters/memory/in-memory-iam';
import { startWorld, type Where, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  BOB,
  buttonsForUser,
  buttonsIn,
  idOf,
  SAMPLE_START,
  SECURITY_CHANNEL,
  seen,
  userButton,
} from '../../support/sample-world';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const firstDm = (w: World, userId: string): Where => {
  const dm = w.slack.dmsTo(userId)[0];
  if (dm === undefined) throw new Error(`the scan sent ${userId} no DM`);
  return dm;
};

/** Clicks Recheck for `userName` on a message (as it is now); the reply (null when the message was re-rendered). */
const recheckOn = async (w: World, clicker: string, where: Where, userName: string) => {
  const recheck = userButton(w.slack.messageAt(where).blocks, userName, 'mfa_recheck');
  const reply = await w.click(clicker, recheck.actionId, recheck.value, where);
  return { reply, findingId: idOf(recheck.value) };
};

const findingOf = (w: World, id: number) => w.stored().findings.find((f) => f.id === id);

const mfa = (userName: string, at: Date) => ({
  serialNumber: `arn:aws:iam::111122223333:mfa/${userName}`,
  kind: 'virtual' as const,
  enableDate: at,
});

describe('Recheck in an owner DM', () => {
  it('alice enabled MFA: her DM is re-rendered as fixed with no buttons, the finding is closed and the fix audited', async () => {
    const w = await startWorld();
    const dm = firstDm(w, ALICE);
    w.clock.advance(HOUR_MS);
    w.iam.addMfaDevice('alice', mfa('alice', w.clock.now()));

    const { reply, findingId } = await recheckOn(w, ALICE, dm, 'alice');
    expect(reply).toBeNull();
    const [update] = w.slack.updatesOf(dm);
    expect(seen(update)).toContain('`alice` is fixed');
    expect(seen(update)).toContain('All fixed');
    expect(buttonsIn(update?.blocks)).toEqual([]);
    expect(buttonsIn(w.slack.messageAt(dm).blocks)).toEqual([]);

    expect(findingOf(w, findingId)).toMatchObject({
      userName: 'alice',
      closeReason: 'fixed',
    });
    expect(findingOf(w, findingId)?.closedAt).toContain('2026-11-23T15:00');
    const closed = w.audit().filter((l) => l.action === 'finding_closed');
    expect(closed).toEqual([
      expect.objectContaining({ actor: ALICE, userName: 'alice', outcome: 'succeeded', accountId: '111122223333' }),
    ]);

    // /mfa-status alice agrees: a live check with no buttons.
    const [status] = await w.command(ALICE, 'alice');
    expect(seen(status)).toContain('`alice`');
    expect(buttonsIn(status?.blocks)).toEqual([]);
  });

  it('still non-compliant: the DM shows "checked at" and keeps its buttons; the finding stays open', async () => {
    const w = await startWorld();
    const dm = firstDm(w, ALICE);
    const before = buttonsForUser(w.slack.messageAt(dm).blocks, 'alice');
    w.clock.advance(2 * HOUR_MS);

    const { findingId } = await recheckOn(w, ALICE, dm, 'alice');
    const [update] = w.slack.updatesOf(dm);
    expect(seen(update)).toContain('Checked at 2026-11-23 16:00 UTC: still no MFA');
    expect(buttonsForUser(update?.blocks, 'alice')).toEqual(before);
    expect(findingOf(w, findingId)).toMatchObject({ closedAt: null, closeReason: null });
    expect(w.audit().filter((l) => l.action === 'finding_closed')).toEqual([]);
  });

  it('an owner with several users: after fixing one, the re-rendered DM still shows the others with their buttons', async () => {
    const w = await startWorld({
      prepareIam: (iam: InMemoryIam) => {
        for (const [userName, n] of [
          ['bob-admin', 1],
          ['bob-ci', 2],
        ] as const) {
          iam.addUser({
            userName,
            userId: `AIDAEXAMPLEBOBEXTRA0${n}`,
            createDate: new Date(SAMPLE_START.getTime() - 50 * DAY_MS),
            passwordLastUsed: new Date(SAMPLE_START.getTime() - 2 * DAY_MS),
            loginProfile: true,
            mfaDevices: [],
            tags: { 'slack-owner': BOB },
          });
        }
      },
    });
    const dm = firstDm(w, BOB);
    expect(w.slack.dmsTo(BOB)).toHaveLength(1);
    const blocks = w.slack.messageAt(dm).blocks;
    const bobBefore = buttonsForUser(blocks, 'bob');
    const ciBefore = buttonsForUser(blocks, 'bob-ci');
    expect(bobBefore.map((b) => b.actionId)).toContain('mfa_recheck');
    expect(ciBefore.map((b) => b.actionId)).toContain('mfa_recheck');

    w.iam.addMfaDevice('bob-admin', mfa('bob-admin', w.clock.now()));
    const { findingId } = await recheckOn(w, BOB, dm, 'bob-admin');
    const [update] = w.slack.updatesOf(dm);
    expect(seen(update)).toContain('`bob-admin` is fixed');
    expect(buttonsForUser(update?.blocks, 'bob-admin')).toEqual([]);
    expect(buttonsIn(update?.blocks).filter((b) => b.value === `finding:${findingId}`)).toEqual([]);
    expect(buttonsForUser(update?.blocks, 'bob')).toEqual(bobBefore);
    expect(buttonsForUser(update?.blocks, 'bob-ci')).toEqual(ciBefore);
    expect(findingOf(w, findingId)).toMatchObject({ userName: 'bob-admin', closeReason: 'fixed' });

    // Then bob-ci loses its console password: two done, bob still open with its buttons.
    w.iam.setLoginProfile('bob-ci', false);
    await recheckOn(w, BOB, dm, 'bob-ci');
    const second = w.slack.updatesOf(dm)[1];
    expect(seen(second)).toContain('`bob-admin` is fixed');
    expect(seen(second)).toContain('`bob-ci` is fixed');
    expect(buttonsForUser(second?.blocks, 'bob')).toEqual(bobBefore);
    expect(buttonsIn(second?.blocks)).toEqual(bobBefore);
  });

  it('a user deleted since the DM is shown as deleted, its finding closed', async () => {
    const w = await startWorld();
    const dm = firstDm(w, ALICE);
    w.iam.removeUser('alice');

    const { findingId } = await recheckOn(w, ALICE, dm, 'alice');
    const [update] = w.slack.updatesOf(dm);
    expect(seen(update)).toContain('`alice` was deleted');
    expect(buttonsIn(update?.blocks)).toEqual([]);
    expect(findingOf(w, findingId)?.closeReason).toBe('deleted');
    expect(typeof findingOf(w, findingId)?.closedAt).toBe('string');
    expect(
      w
        .audit()
        .filter((l) => l.action === 'finding_closed')
        .map((l) => l.userName),
    ).toEqual(['alice']);
  });
});

describe('Recheck on the security channel summary', () => {
  const summary = (w: World): Where => {
    const post = w.slack.postsIn(SECURITY_CHANNEL).find((p) => buttonsForUser(p.message.blocks, 'frank').length > 0);
    if (post === undefined) throw new Error('no summary with frank in the security channel');
    return post;
  };

  it('the approver rechecks unowned frank: a reply to the approver, the summary is not re-rendered', async () => {
    const w = await startWorld();
    const where = summary(w);
    const blocksBefore = JSON.stringify(w.slack.messageAt(where).blocks);

    const { reply } = await recheckOn(w, APPROVER, where, 'frank');
    expect(seen(reply)).toContain('`frank`');
    expect(seen(reply)).toContain('Still no MFA');
    await w.idle();
    expect(w.slack.updatesOf(where)).toEqual([]);
    expect(JSON.stringify(w.slack.messageAt(where).blocks)).toBe(blocksBefore);
  });

  it('frank fixed: the answer says the finding is closed, and it is', async () => {
    const w = await startWorld();
    const where = summary(w);
    w.iam.setLoginProfile('frank', false);

    const { reply, findingId } = await recheckOn(w, APPROVER, where, 'frank');
    expect(seen(reply)).toContain('Its finding is closed');
    await w.idle();
    expect(w.slack.updatesOf(where)).toEqual([]);
    expect(findingOf(w, findingId)).toMatchObject({ userName: 'frank', closeReason: 'fixed' });
  });

  it('someone who is neither owner nor approver is refused, and nothing changes', async () => {
    const w = await startWorld();
    const where = summary(w);
    w.iam.setLoginProfile('frank', false);

    const { reply, findingId } = await recheckOn(w, ALICE, where, 'frank');
    expect(seen(reply)).toContain('Only the IAM user');
    await w.idle();
    expect(findingOf(w, findingId)).toMatchObject({ closedAt: null });
    expect(w.audit().map((l) => `${l.action}:${l.outcome}:${l.actor}`)).toEqual([`recheck:refused:${ALICE}`]);
  });
});
