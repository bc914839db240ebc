import type { SlackMessageRecord } from '../../src/domain/stored-messages';
import { AppError } from '../../src/errors';
import type { Stores } from '../../src/ports/stores';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  accountScan,
  at,
  findingOf,
  newFinding,
  nudgeRecord,
  nudgeTs,
  rejection,
  subjectOf,
  user,
} from './fixtures';
import type { StoreFactory } from './store-factory';
import { storesFor } from './store-factory';

const alice = user({ userName: 'alice', status: 'non_compliant', nonCompliantSince: at(0) });
const bob = user({ userName: 'bob', status: 'non_compliant', nonCompliantSince: at(0) });
const carol = user({ userName: 'carol', status: 'non_compliant', nonCompliantSince: at(0) });
const aliceB = user({ userName: 'alice', accountId: ACCOUNT_B, userId: 'AIDAALICEB', status: 'non_compliant' });

interface Fixture {
  readonly stores: Stores;
  readonly scanId: number;
  /** The finding ids of account A by user name. */
  readonly idOf: (userName: string) => number;
}

/** The behaviour every NotificationStore must have, checked through the port only. */
export function describeNotificationStoreContract(adapterName: string, open: StoreFactory): void {
  describe(`NotificationStore contract: ${adapterName}`, () => {
    const storesOf = storesFor(open);

    /** One scan of account A opened findings for alice, bob and carol. */
    const setup = async (): Promise<Fixture> => {
      const stores = await storesOf();
      const users = [alice, bob, carol];
      const saved = await stores.scans.saveScan(accountScan({ users, opened: users.map((u) => newFinding(u)) }));
      return { stores, scanId: saved.scanId, idOf: (userName) => findingOf(saved.opened, userName).id };
    };

    describe('previousNudges', () => {
      it('is empty before any nudge', async () => {
        const { stores } = await setup();
        expect(await stores.notifications.previousNudges(ACCOUNT_A)).toEqual([]);
      });

      it('counts a sent nudge for every user it covers', async () => {
        const { stores, idOf } = await setup();
        const { notifications } = stores;
        await notifications.recordMessage(
          nudgeRecord({
            recipient: 'U1',
            at: at(5),
            subjects: [subjectOf(alice, idOf('alice')), subjectOf(bob, idOf('bob'))],
          }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U1', at: at(5) },
          { accountId: ACCOUNT_A, userId: bob.userId, recipient: 'U1', at: at(5) },
        ]);
      });

      it('ignores failed nudges, so the owner is nudged again next time', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        await notifications.recordMessage(
          nudgeRecord({
            recipient: 'U1',
            at: at(5),
            outcome: { status: 'failed', error: 'cannot_dm_bot' },
            subjects: [subjectOf(alice)],
          }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([]);

        await notifications.recordMessage(nudgeRecord({ recipient: 'U1', at: at(10), subjects: [subjectOf(alice)] }));
        await notifications.recordMessage(
          nudgeRecord({
            recipient: 'U1',
            at: at(20),
            outcome: { status: 'failed', error: 'ratelimited' },
            subjects: [subjectOf(alice)],
          }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U1', at: at(10) },
        ]);
      });

      it('counts a summary for the security channel only, so an owner is still due', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        await notifications.recordMessage(
          nudgeRecord({
            kind: 'summary',
            recipient: 'C0SECURITY',
            outcome: { status: 'sent', channel: 'C0SECURITY', ts: '1.1' },
            subjects: [subjectOf(alice)],
          }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'C0SECURITY', at: at(0) },
        ]);
      });

      it('times a message by the start of the scan it reported on, not by when it went out', async () => {
        const { stores } = await setup();
        const { scans, notifications } = stores;
        const { scanId } = await scans.saveScan(accountScan({ startedAt: at(600) }));
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', scanId, at: at(700), subjects: [subjectOf(alice)] }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U1', at: at(600) },
        ]);
      });

      it('answers the latest of several sends, whatever order they were recorded in', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        // Across days and an hour with a different digit count, so a text comparison would show it.
        for (const minutes of [24 * 60, 9 * 60, 3 * 24 * 60 + 5, 2 * 24 * 60]) {
          await notifications.recordMessage(
            nudgeRecord({ recipient: 'U1', at: at(minutes), subjects: [subjectOf(alice)] }),
          );
        }
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U1', at: at(3 * 24 * 60 + 5) },
        ]);
      });

      it('keeps recipients apart, so a user whose owner changed is due for the new owner', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1OLD', at: at(60), subjects: [subjectOf(alice)] }),
        );
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U2NEW', at: at(30), subjects: [subjectOf(alice)] }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U1OLD', at: at(60) },
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U2NEW', at: at(30) },
        ]);
      });

      it('tracks IAM users by UserId, so a recreated user with the same name has no history', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        await notifications.recordMessage(nudgeRecord({ recipient: 'U1', at: at(5), subjects: [subjectOf(alice)] }));
        const recreated = { ...alice, userId: 'AIDARECREATED' };
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', at: at(50), subjects: [subjectOf(recreated)] }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U1', at: at(5) },
          { accountId: ACCOUNT_A, userId: 'AIDARECREATED', recipient: 'U1', at: at(50) },
        ]);
      });

      it('keeps accounts apart, by the account of each user covered', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', accountId: ACCOUNT_B, at: at(5), subjects: [subjectOf(aliceB)] }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([]);
        expect(await notifications.previousNudges(ACCOUNT_B)).toEqual([
          { accountId: ACCOUNT_B, userId: 'AIDAALICEB', recipient: 'U1', at: at(5) },
        ]);
      });

      it('counts a DM about several accounts (no account of its own) for each account it covers', async () => {
        const { stores, idOf } = await setup();
        const { notifications } = stores;
        await notifications.recordMessage(
          nudgeRecord({
            recipient: 'U1',
            accountId: null,
            at: at(5),
            subjects: [subjectOf(alice, idOf('alice')), subjectOf(aliceB)],
          }),
        );
        expect(await notifications.previousNudges(ACCOUNT_A)).toEqual([
          { accountId: ACCOUNT_A, userId: alice.userId, recipient: 'U1', at: at(5) },
        ]);
        expect(await notifications.previousNudges(ACCOUNT_B)).toEqual([
          { accountId: ACCOUNT_B, userId: 'AIDAALICEB', recipient: 'U1', at: at(5) },
        ]);
      });
    });

    describe('recordMessage and messageAt', () => {
      it('stores a sent message with its subjects in the order it shows them, found again by (channel, ts)', async () => {
        const { stores, scanId, idOf } = await setup();
        const { notifications } = stores;
        const record: SlackMessageRecord = {
          kind: 'nudge',
          scanId,
          accountId: ACCOUNT_A,
          recipient: 'U1',
          outcome: { status: 'sent', channel: 'D1', ts: '1740823200.000200' },
          at: at(3),
          // Deliberately not in name or id order.
          subjects: [subjectOf(carol, idOf('carol')), subjectOf(alice, null), subjectOf(bob, idOf('bob'))],
        };
        const id = await notifications.recordMessage(record);
        expect(await notifications.messageAt('D1', '1740823200.000200')).toEqual({ ...record, id });
        expect(await notifications.messageAt('D1', '1740823200.000300')).toBeNull();
        expect(await notifications.messageAt('D2', '1740823200.000200')).toBeNull();
      });

      it('answers a new, increasing id for each message', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        const first = await notifications.recordMessage(nudgeRecord({ recipient: 'U1', at: at(1), subjects: [] }));
        const second = await notifications.recordMessage(nudgeRecord({ recipient: 'U1', at: at(2), subjects: [] }));
        expect(second).toBeGreaterThan(first);
        expect((await notifications.messageAt('DU1', nudgeTs(at(2))))?.id).toBe(second);
      });

      it('stores a summary outside a scan with no account and no subjects', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        const record: SlackMessageRecord = {
          kind: 'summary',
          scanId: null,
          accountId: null,
          recipient: 'C0SECURITY',
          outcome: { status: 'sent', channel: 'C0SECURITY', ts: '99.1' },
          at: at(7),
          subjects: [],
        };
        const id = await notifications.recordMessage(record);
        expect(await notifications.messageAt('C0SECURITY', '99.1')).toEqual({ ...record, id });
      });

      it('allows two failed messages to the same recipient: they have no place in Slack to clash on', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        const failed = nudgeRecord({
          recipient: 'U1',
          outcome: { status: 'failed', error: 'ratelimited' },
          subjects: [subjectOf(alice)],
        });
        const first = await notifications.recordMessage(failed);
        const second = await notifications.recordMessage(failed);
        expect(second).toBeGreaterThan(first);
      });

      const failing: ReadonlyArray<[string, (f: Fixture) => SlackMessageRecord]> = [
        [
          'a subject whose finding does not exist',
          () => nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice), subjectOf(bob, 999_999)] }),
        ],
        [
          "a subject pointing at another user's finding",
          ({ idOf }) => nudgeRecord({ recipient: 'U1', subjects: [subjectOf(alice, idOf('bob'))] }),
        ],
        [
          'a subject in another account than its finding',
          ({ idOf }) =>
            nudgeRecord({
              recipient: 'U1',
              subjects: [subjectOf(alice), subjectOf({ ...alice, accountId: ACCOUNT_B }, idOf('alice'))],
            }),
        ],
        [
          'a scan that does not exist',
          () => nudgeRecord({ recipient: 'U1', scanId: 424_242, subjects: [subjectOf(alice)] }),
        ],
        [
          'a second sent message at the same (channel, ts)',
          () => nudgeRecord({ recipient: 'U0FIRST', at: at(-10), subjects: [subjectOf(carol)] }),
        ],
        [
          'an invalid date',
          () => nudgeRecord({ recipient: 'U1', at: new Date(Number.NaN), subjects: [subjectOf(alice)] }),
        ],
      ];

      it.each(failing)('writes nothing of a message with %s', async (_label, bad) => {
        const fixture = await setup();
        const { notifications } = fixture.stores;
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U0FIRST', at: at(-10), subjects: [subjectOf(alice)] }),
        );
        const record = bad(fixture);
        const { outcome } = record;
        const state = async (): Promise<unknown> => ({
          a: await notifications.previousNudges(ACCOUNT_A),
          b: await notifications.previousNudges(ACCOUNT_B),
          there: outcome.status === 'sent' ? await notifications.messageAt(outcome.channel, outcome.ts) : null,
        });
        const before = await state();

        const thrown = await rejection(notifications.recordMessage(record));
        expect(thrown).toBeInstanceOf(AppError);
        expect(thrown).toMatchObject({ code: 'database_error', message: expect.stringContaining('Slack nudge to U') });

        expect(await state()).toEqual(before);
        // The store still works after a rolled-back message.
        expect(
          await notifications.recordMessage(nudgeRecord({ recipient: 'U1', at: at(30), subjects: [subjectOf(alice)] })),
        ).toBeGreaterThan(0);
      });
    });

    describe('latestNudgeCovering', () => {
      it('answers null before any nudge, and for no finding ids', async () => {
        const { stores, idOf } = await setup();
        const { notifications } = stores;
        expect(await notifications.latestNudgeCovering('U1', [idOf('alice')])).toBeNull();
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', at: at(1), subjects: [subjectOf(alice, idOf('alice'))] }),
        );
        expect(await notifications.latestNudgeCovering('U1', [])).toBeNull();
      });

      it("answers the recipient's latest sent nudge covering any of the findings, with all its subjects", async () => {
        const { stores, idOf } = await setup();
        const { notifications } = stores;
        const both = [subjectOf(alice, idOf('alice')), subjectOf(bob, idOf('bob'))];
        await notifications.recordMessage(nudgeRecord({ recipient: 'U1', at: at(1), subjects: both }));
        const latest = nudgeRecord({ recipient: 'U1', at: at(2), subjects: [...both].reverse() });
        const latestId = await notifications.recordMessage(latest);
        // Later, but about carol only: it does not cover alice or bob.
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', at: at(3), subjects: [subjectOf(carol, idOf('carol'))] }),
        );

        expect(await notifications.latestNudgeCovering('U1', [idOf('alice')])).toEqual({ ...latest, id: latestId });
        expect(await notifications.latestNudgeCovering('U1', [idOf('bob'), idOf('carol')])).toMatchObject({
          subjects: [subjectOf(carol, idOf('carol'))],
        });
      });

      it('never answers a failed nudge, a summary, or a nudge to someone else', async () => {
        const { stores, idOf } = await setup();
        const { notifications } = stores;
        const aliceSubject = [subjectOf(alice, idOf('alice'))];
        const sentId = await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', at: at(1), subjects: aliceSubject }),
        );
        await notifications.recordMessage(
          nudgeRecord({
            recipient: 'U1',
            at: at(2),
            outcome: { status: 'failed', error: 'msg_blocks_too_long' },
            subjects: aliceSubject,
          }),
        );
        await notifications.recordMessage(
          nudgeRecord({
            kind: 'summary',
            recipient: 'U1',
            at: at(3),
            outcome: { status: 'sent', channel: 'C0SECURITY', ts: '3.3' },
            subjects: aliceSubject,
          }),
        );
        await notifications.recordMessage(nudgeRecord({ recipient: 'U2', at: at(4), subjects: aliceSubject }));
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', at: at(5), subjects: [subjectOf(bob, null)] }),
        );

        expect((await notifications.latestNudgeCovering('U1', [idOf('alice')]))?.id).toBe(sentId);
        expect(await notifications.latestNudgeCovering('U3', [idOf('alice')])).toBeNull();
        // A subject without a finding (a user no finding was open for) is covered by no finding id.
        expect(await notifications.latestNudgeCovering('U1', [idOf('bob')])).toBeNull();
      });
    });

    describe('lastSummaryFailed', () => {
      const summary = (outcome: SlackMessageRecord['outcome'], accountId = ACCOUNT_A): SlackMessageRecord =>
        nudgeRecord({ kind: 'summary', recipient: 'C0SECURITY', accountId, outcome, subjects: [] });

      it('is false with no summary, true after a failed one, false again after a sent one', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(false);
        // Nudges are not summaries, failed or sent.
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', at: at(1), outcome: { status: 'failed', error: 'x' }, subjects: [] }),
        );
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(false);
        await notifications.recordMessage(summary({ status: 'failed', error: 'not_in_channel' }));
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(true);
        expect(await notifications.lastSummaryFailed(ACCOUNT_B)).toBe(false);
        await notifications.recordMessage(nudgeRecord({ recipient: 'U1', at: at(2), subjects: [] }));
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(true);
        await notifications.recordMessage(summary({ status: 'sent', channel: 'C0SECURITY', ts: '2.2' }));
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(false);
      });

      it("counts a run's summary of several accounts (no account, a scan) for every account", async () => {
        const { stores, scanId } = await setup();
        const { notifications } = stores;
        const runSummary = (outcome: SlackMessageRecord['outcome']): SlackMessageRecord =>
          nudgeRecord({ kind: 'summary', recipient: 'C0SECURITY', accountId: null, scanId, outcome, subjects: [] });
        await notifications.recordMessage(runSummary({ status: 'failed', error: 'not_in_channel' }));
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(true);
        expect(await notifications.lastSummaryFailed(ACCOUNT_B)).toBe(true);
        await notifications.recordMessage(summary({ status: 'sent', channel: 'C0SECURITY', ts: '3.3' }, ACCOUNT_B));
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(true);
        expect(await notifications.lastSummaryFailed(ACCOUNT_B)).toBe(false);
        await notifications.recordMessage(runSummary({ status: 'sent', channel: 'C0SECURITY', ts: '4.4' }));
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(false);
      });

      it('does not count a message with neither account nor scan (a run that listed no account)', async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        await notifications.recordMessage(summary({ status: 'failed', error: 'not_in_channel' }));
        await notifications.recordMessage(
          nudgeRecord({
            kind: 'summary',
            recipient: 'C0SECURITY',
            accountId: null,
            outcome: { status: 'sent', channel: 'C0SECURITY', ts: '5.5' },
            subjects: [],
          }),
        );
        expect(await notifications.lastSummaryFailed(ACCOUNT_A)).toBe(true);
      });
    });

    describe('lastNudgeError', () => {
      it("answers the error of the recipient's latest nudge, whatever its accounts, while it failed; null once one is sent", async () => {
        const { stores } = await setup();
        const { notifications } = stores;
        const failed = (recipient: string, minute: number, error: string, accountId: string | null = ACCOUNT_A) =>
          nudgeRecord({ recipient, accountId, at: at(minute), outcome: { status: 'failed', error }, subjects: [] });
        expect(await notifications.lastNudgeError('U1')).toBeNull();
        await notifications.recordMessage(failed('U1', 1, 'msg_blocks_too_long'));
        await notifications.recordMessage(failed('U2', 2, 'cannot_dm_bot'));
        expect(await notifications.lastNudgeError('U1')).toBe('msg_blocks_too_long');
        // One DM per owner per run: the latest to the owner counts, about one account or several.
        await notifications.recordMessage(failed('U1', 3, 'invalid_blocks', null));
        // A summary to the same ID is no nudge.
        await notifications.recordMessage(
          nudgeRecord({
            kind: 'summary',
            recipient: 'U1',
            at: at(4),
            outcome: { status: 'failed', error: 'x' },
            subjects: [],
          }),
        );
        expect(await notifications.lastNudgeError('U1')).toBe('invalid_blocks');
        expect(await notifications.lastNudgeError('U2')).toBe('cannot_dm_bot');
        expect(await notifications.lastNudgeError('U3')).toBeNull();
        await notifications.recordMessage(
          nudgeRecord({ recipient: 'U1', accountId: ACCOUNT_B, at: at(5), subjects: [] }),
        );
        expect(await notifications.lastNudgeError('U1')).toBeNull();
        await notifications.recordMessage(failed('U1', 6, 'channel_not_found'));
        expect(await notifications.lastNudgeError('U1')).toBe('channel_not_found');
      });
    });
  });
}
