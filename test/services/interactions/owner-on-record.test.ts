/**
 * Each finding records its user's owner as last known for certain. A check that could not read the
 * tags, or failed, never replaces it: an IAM hiccup must not tell bob "nothing needs your attention"
 * while his user's finding is open, nor lock him out of its Recheck.
 */
import { AppError } from '../../../src/errors';
import { ephemeralReplyTo, startWorld, type Where, type World } from '../../support/in-process-harness';
import { APPROVER, BOB, seen, STRANGER, userButton } from '../../support/sample-world';

const DAY_MS = 24 * 60 * 60 * 1000;

const throttled = (operation: string): AppError =>
  new AppError('iam_throttled', `AWS kept throttling iam:${operation} for user bob (Throttling) after all retries.`);

const bobFinding = (w: World) => w.stored().findings.find((f) => f.userName === 'bob' && f.closedAt === null);

const bobDm = (w: World): Where => {
  const dm = w.slack.dmsTo(BOB)[0];
  if (dm === undefined) throw new Error('the scan sent bob no DM');
  return dm;
};

describe('the owner on record of a user that could not be checked', () => {
  it('bob (owner by tag) is still told about his open finding after a scan could not check him', async () => {
    const w = await startWorld();
    w.iam.failWith('listMfaDevices', throttled('ListMFADevices'), { userName: 'bob' });
    w.clock.advance(DAY_MS);
    await w.scan();
    const bobState = (await w.stores.scans.userResults('111122223333')).find((u) => u.userName === 'bob');
    expect(bobState?.status).toBe('error');
    expect(bobFinding(w)).toBeDefined();

    const status = seen((await w.command(BOB, ''))[0]);
    expect(status).toContain('`bob`');
    expect(status).toContain('could not be checked');
    expect(status).not.toContain('Nothing needs your attention');
    // Not an approver: the AWS error text is the security team's.
    expect(status).not.toContain('Throttling');
    expect(status).toContain('the security team can see why');

    const home = seen({ blocks: (await w.openHome(BOB)).blocks });
    expect(home).toContain('`bob`');
    expect(home).not.toContain('Nothing needs your attention');

    // Looking bob up checks him live again: bob is told it failed, an approver also why.
    const bobLookup = seen((await w.command(BOB, 'bob'))[0]);
    expect(bobLookup).toContain('the security team can see why');
    expect(bobLookup).not.toContain('Throttling');
    // The card names the owner on record, not the fallback of a check that read no tags.
    expect(bobLookup).toContain(`<@${BOB}>`);
    expect(bobLookup).not.toContain('no owner set');
    expect(seen((await w.command(APPROVER, 'bob'))[0])).toContain('Throttling');
  });

  it('bob may Recheck again and again while his tags cannot be read', async () => {
    const w = await startWorld();
    const dm = bobDm(w);
    w.iam.failWith('listUserTags', throttled('ListUserTags'), { userName: 'bob' });

    for (const attempt of [1, 2, 3]) {
      w.clock.advance(60_000);
      const recheck = userButton(w.slack.messageAt(dm).blocks, 'bob', 'mfa_recheck');
      const reply = await w.click(BOB, recheck.actionId, recheck.value, dm);
      // The DM itself is the answer, re-rendered with the failed check; never a refusal.
      expect({ attempt, reply }).toEqual({ attempt, reply: null });
      const now = seen(w.slack.updatesOf(dm).at(-1));
      expect(now).toContain('Could not be checked');
      expect(now).toContain('the security team can see why');
      expect(now).not.toContain('Throttling');
    }
    expect(w.audit().filter((l) => l.outcome === 'refused')).toEqual([]);
    expect(w.audit().map((l) => `${l.actor}:${l.action}:${l.outcome}`)).toEqual([
      `${BOB}:recheck:succeeded`,
      `${BOB}:recheck:succeeded`,
      `${BOB}:recheck:succeeded`,
    ]);
    // The finding still names bob, so his /mfa-status still lists it.
    expect(seen((await w.command(BOB, ''))[0])).toContain('`bob`');
    expect(bobFinding(w)).toBeDefined();
  });

  it('a stranger still cannot Recheck bob, and a known new owner replaces bob on record', async () => {
    const w = await startWorld();
    const dm = bobDm(w);
    const recheck = userButton(w.slack.messageAt(dm).blocks, 'bob', 'mfa_recheck');
    expect(seen(await w.click(STRANGER, recheck.actionId, recheck.value, dm))).toContain('Only the');

    // The tag now names the stranger; a scan reads it (bob is an offender) and records them.
    w.iam.setTag('bob', 'slack-owner', STRANGER);
    w.clock.advance(DAY_MS);
    await w.scan();
    expect(seen(await w.click(BOB, recheck.actionId, recheck.value, dm))).toContain('Only the');
    const elsewhere = ephemeralReplyTo(STRANGER);
    expect(seen(await w.click(STRANGER, recheck.actionId, recheck.value, elsewhere))).toContain('Still no MFA');
  });

  it('no all-clear for anyone while a user that could not be checked has no owner on record', async () => {
    const w = await startWorld({ prepareIam: (iam) => iam.removeUser('flaky-user') });
    expect(seen((await w.command(STRANGER, ''))[0])).toContain('Nothing needs your attention');

    // gina, in grace with no owner tag and no finding, cannot be checked now: whose is she?
    w.iam.failWith('getLoginProfile', throttled('GetLoginProfile'), { userName: 'gina' });
    w.clock.advance(DAY_MS);
    await w.scan();
    const status = seen((await w.command(STRANGER, ''))[0]);
    expect(status).toContain('cannot confirm that none of yours needs attention');
    expect(status).not.toContain('Nothing needs your attention');
    const home = seen({ blocks: (await w.openHome(STRANGER)).blocks });
    expect(home).toContain('cannot confirm that none of yours needs attention');
  });
});
