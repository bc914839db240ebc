/**
 * The escalation clock cannot be reset: an owner who adds an MFA device, clicks Recheck (which
 * closes the finding as fixed) and deletes the device again, week after week, is escalated all the
 * same, because the next scan's finding continues the chain of the one the Recheck closed.
 */
import type { Finding } from '../../../src/domain/types';
import { startWorld, type Where, type World } from '../../support/in-process-harness';
import { ALICE, idOf, SECURITY_CHANNEL, seen, userButton } from '../../support/sample-world';

const DAY_MS = 24 * 60 * 60 * 1000;
const ACCOUNT = '111122223333';
const DEVICE = `arn:aws:iam::${ACCOUNT}:mfa/alice`;

/** alice's newest DM: the one her latest nudge posted. */
const latestDm = (w: World): Where => {
  const dm = w.slack.dmsTo(ALICE).at(-1);
  if (dm === undefined) throw new Error('alice got no DM');
  return dm;
};

/** alice's open finding, as the bot stored it. */
const aliceFinding = async (w: World): Promise<Finding> => {
  const finding = (await w.stores.findings.open(ACCOUNT)).find((f) => f.userName === 'alice');
  if (finding === undefined) throw new Error('alice has no open finding');
  return finding;
};

/** The message the scan just posted to the security channel. */
const latestSummary = (w: World): string => seen(w.slack.postsIn(SECURITY_CHANNEL).at(-1)?.message);

/** What the owner does: a device for a moment, Recheck (the finding closes as fixed), the device gone again. */
const fixForAMoment = async (w: World): Promise<number> => {
  const dm = latestDm(w);
  w.iam.addMfaDevice('alice', { serialNumber: DEVICE, kind: 'virtual', enableDate: w.clock.now() });
  const recheck = userButton(w.slack.messageAt(dm).blocks, 'alice', 'mfa_recheck');
  expect(await w.click(ALICE, recheck.actionId, recheck.value, dm)).toBeNull();
  w.iam.removeMfaDevice('alice', DEVICE);
  return idOf(recheck.value);
};

describe('finding chains: the weekly Recheck does not reset the escalation clock', () => {
  it('a Recheck between scans, every week: each new finding continues the chain and alice is escalated', async () => {
    const w = await startWorld();
    const first = await aliceFinding(w);
    expect(first).toMatchObject({ reopensId: null, chainStartedAt: first.openedAt });
    expect(latestSummary(w)).not.toContain('Reopened: MFA was on only briefly');

    let previousId = first.id;
    for (let week = 1; week <= 3; week += 1) {
      w.clock.advance(6 * DAY_MS);
      expect(await fixForAMoment(w)).toBe(previousId);
      expect(await w.stores.findings.get(previousId)).toMatchObject({ closeReason: 'fixed' });
      const audited = w.auditLines.length;

      w.clock.advance(DAY_MS);
      await w.scan('schedule');
      await w.idle();

      const reopened = await aliceFinding(w);
      expect(reopened).toMatchObject({
        reopensId: previousId,
        openedAt: w.clock.now(),
        chainStartedAt: first.openedAt,
      });
      // Counted from the chain's start: escalated, and announced as new for this finding.
      expect(await w.stores.findings.escalatedIds(ACCOUNT)).toContain(reopened.id);
      const summary = latestSummary(w);
      expect(summary).toMatch(
        /`alice`: no MFA for \d+ days \(MFA was on only briefly in between\)[^•]*newly escalated/,
      );
      expect(summary).toContain('Reopened: MFA was on only briefly since the last finding (1)');
      expect(summary).toContain('Reopened since last scan*\\n1');
      expect(w.audit(audited)).toContainEqual(
        expect.objectContaining({
          actor: 'mfa-guard',
          action: 'finding_reopened',
          accountId: ACCOUNT,
          userName: 'alice',
          outcome: 'succeeded',
          detail: expect.stringMatching(
            new RegExp(
              `^finding ${reopened.id} of IAM user \\w+ continues finding ${previousId} \\(fixed shortly before\\); ` +
                `the chain started ${first.openedAt.toISOString()}`,
            ),
          ),
        }),
      );
      previousId = reopened.id;
    }
  });

  it('FINDING_REOPEN_WINDOW_DAYS=0: the next finding starts afresh and is not escalated (the old behaviour, on request)', async () => {
    const w = await startWorld({ env: { FINDING_REOPEN_WINDOW_DAYS: '0' } });
    const first = await aliceFinding(w);
    w.clock.advance(6 * DAY_MS);
    await fixForAMoment(w);
    w.clock.advance(DAY_MS);
    await w.scan('schedule');
    await w.idle();

    const next = await aliceFinding(w);
    expect(next).toMatchObject({ reopensId: null, chainStartedAt: next.openedAt });
    expect(next.id).not.toBe(first.id);
    expect(await w.stores.findings.escalatedIds(ACCOUNT)).not.toContain(next.id);
    expect(w.audit().filter((l) => l.action === 'finding_reopened')).toEqual([]);
  });

  it('a fix that lasts longer than the window: the next finding starts a chain of its own', async () => {
    const w = await startWorld();
    w.clock.advance(DAY_MS);
    await fixForAMoment(w);
    w.iam.addMfaDevice('alice', { serialNumber: DEVICE, kind: 'virtual', enableDate: w.clock.now() });
    w.clock.advance(8 * DAY_MS);
    w.iam.removeMfaDevice('alice', DEVICE);
    await w.scan('schedule');
    await w.idle();

    const next = await aliceFinding(w);
    expect(next).toMatchObject({ reopensId: null, chainStartedAt: next.openedAt });
    expect(latestSummary(w)).not.toContain('Reopened: MFA was on only briefly');
  });
});
