/**
 * The Recheck button, end to end: a live check of the user, the finding closed (and audited) when
 * it is fixed, and the DM re-rendered from what the bot stored about it (every user it covers).
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createFakeClock } from '../support/fake-clock';
import type { FakeMessageUpdate, FakePostedMessage, FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import {
  ALICE,
  auditSince,
  BOB,
  buttonsForUser,
  buttonsIn,
  click,
  command,
  dmsTo,
  idOf,
  readStoredState,
  seen,
  userButton,
  waitFor,
} from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

interface World {
  slack: FakeSlack;
  clock: ReturnType<typeof createFakeClock>;
  iam: InMemoryIam;
  harness: BotHarness;
  databasePath: string;
}

let world: World | null = null;

const startWorld = async (prepare: (iam: InMemoryIam) => void = () => undefined): Promise<World> => {
  const slack = await startSampleSlack();
  const clock = createFakeClock(START);
  const iam = sampleIam(clock);
  prepare(iam);
  const databasePath = newDatabasePath();
  const harness = await startBot({ slack, iam, clock, databasePath });
  await harness.bot.runScanCycle('command');
  world = { slack, clock, iam, harness, databasePath };
  return world;
};

afterEach(async () => {
  if (world === null) return;
  await world.harness.bot.stop();
  await world.slack.close();
  world = null;
});

const firstDm = (w: World, userId: string): FakePostedMessage => {
  const dm = dmsTo(w.slack, userId)[0];
  if (dm === undefined) throw new Error(`the scan sent ${userId} no DM`);
  return dm;
};

/** Clicks Recheck for `userName` on a message; resolves with the click's response_url. */
const recheckOn = async (w: World, clicker: string, message: FakePostedMessage, userName: string): Promise<{ responseUrl: string; findingId: number }> => {
  const recheck = userButton(message.blocks, userName, 'mfa_recheck');
  const { reply, responseUrl } = await click(w.slack, w.harness, { userId: clicker, actionId: recheck.actionId, value: recheck.value, where: { channel: message.channel, ts: message.ts } });
  expect(reply.status).toBe(200);
  return { responseUrl, findingId: idOf(recheck.value) };
};

const updatesOf = (w: World, message: FakePostedMessage): FakeMessageUpdate[] =>
  w.slack.updates.filter((u) => u.channel === message.channel && u.ts === message.ts);

/** The next chat.update of `message` after `before` of them. */
const nextUpdate = (w: World, message: FakePostedMessage, before: number): Promise<FakeMessageUpdate> =>
  waitFor(() => updatesOf(w, message)[before], `chat.update #${before + 1} of ${message.channel}/${message.ts}`);

const shown = (u: { text: string | undefined; blocks: unknown }): string => seen({ text: u.text, blocks: u.blocks });

const findingOf = (w: World, id: number) => readStoredState(w.databasePath).findings.find((f) => f.id === id);

const mfa = (userName: string, at: Date) => ({ serialNumber: `arn:aws:iam::111122223333:mfa/${userName}`, kind: 'virtual' as const, enableDate: at });

describe('Recheck in an owner DM', () => {
  it('alice enabled MFA: her DM is re-rendered as fixed with no buttons, the finding is closed and the fix audited', async () => {
    const w = await startWorld();
    const dm = firstDm(w, ALICE);
    w.clock.advance(HOUR_MS);
    w.iam.addMfaDevice('alice', mfa('alice', w.clock.now()));

    const { findingId } = await recheckOn(w, ALICE, dm, 'alice');
    const update = await nextUpdate(w, dm, 0);
    expect(shown(update)).toContain('`alice` is fixed');
    expect(shown(update)).toContain('All fixed');
    expect(buttonsIn(update.blocks)).toEqual([]);
    expect(buttonsIn(dm.blocks)).toEqual([]);

    expect(findingOf(w, findingId)).toMatchObject({ userName: 'alice', closeReason: 'fixed', closedAt: expect.stringContaining('2026-11-23T15:00') });
    const closed = auditSince(w.harness).filter((l) => l.action === 'finding_closed');
    expect(closed).toEqual([expect.objectContaining({ actor: ALICE, userName: 'alice', outcome: 'succeeded', accountId: '111122223333' })]);

    // /mfa-status alice agrees: a live check with no buttons.
    const status = await command(w.slack, w.harness, ALICE, 'alice');
    expect(seen(status.responses[0]?.body)).toContain('`alice`');
    expect(buttonsIn(status.responses[0]?.body['blocks'])).toEqual([]);
  });

  it('still non-compliant: the DM shows "checked at" and keeps its buttons; the finding stays open', async () => {
    const w = await startWorld();
    const dm = firstDm(w, ALICE);
    const before = buttonsForUser(dm.blocks, 'alice');
    w.clock.advance(2 * HOUR_MS);

    const { findingId } = await recheckOn(w, ALICE, dm, 'alice');
    const update = await nextUpdate(w, dm, 0);
    expect(shown(update)).toContain('Checked at 2026-11-23 16:00 UTC: still no MFA');
    expect(buttonsForUser(update.blocks, 'alice')).toEqual(before);
    expect(findingOf(w, findingId)).toMatchObject({ closedAt: null, closeReason: null });
    expect(auditSince(w.harness).filter((l) => l.action === 'finding_closed')).toEqual([]);
  });

  it('an owner with several users: after fixing one, the re-rendered DM still shows the others with their buttons', async () => {
    const w = await startWorld((iam) => {
      for (const [userName, n] of [['bob-admin', 1], ['bob-ci', 2]] as const) {
        iam.addUser({
          userName,
          userId: `AIDAEXAMPLEBOBEXTRA0${n}`,
          createDate: new Date(START.getTime() - 50 * DAY_MS),
          passwordLastUsed: new Date(START.getTime() - 2 * DAY_MS),
          loginProfile: true,
          mfaDevices: [],
          tags: { 'slack-owner': BOB },
        });
      }
    });
    const dm = firstDm(w, BOB);
    expect(dmsTo(w.slack, BOB)).toHaveLength(1);
    const bobBefore = buttonsForUser(dm.blocks, 'bob');
    const ciBefore = buttonsForUser(dm.blocks, 'bob-ci');
    expect(bobBefore.map((b) => b.actionId)).toContain('mfa_recheck');
    expect(ciBefore.map((b) => b.actionId)).toContain('mfa_recheck');

    w.iam.addMfaDevice('bob-admin', mfa('bob-admin', w.clock.now()));
    const { findingId } = await recheckOn(w, BOB, dm, 'bob-admin');
    const update = await nextUpdate(w, dm, 0);
    expect(shown(update)).toContain('`bob-admin` is fixed');
    expect(buttonsForUser(update.blocks, 'bob-admin')).toEqual([]);
    expect(buttonsIn(update.blocks).filter((b) => b.value === `finding:${findingId}`)).toEqual([]);
    expect(buttonsForUser(update.blocks, 'bob')).toEqual(bobBefore);
    expect(buttonsForUser(update.blocks, 'bob-ci')).toEqual(ciBefore);
    expect(findingOf(w, findingId)).toMatchObject({ userName: 'bob-admin', closeReason: 'fixed' });

    // Then bob-ci loses its console password: two done, bob still open with its buttons.
    w.iam.setLoginProfile('bob-ci', false);
    await recheckOn(w, BOB, dm, 'bob-ci');
    const second = await nextUpdate(w, dm, 1);
    expect(shown(second)).toContain('`bob-admin` is fixed');
    expect(shown(second)).toContain('`bob-ci` is fixed');
    expect(buttonsForUser(second.blocks, 'bob')).toEqual(bobBefore);
    expect(buttonsIn(second.blocks)).toEqual(bobBefore);
  });

  it('a user deleted since the DM is shown as deleted, its finding closed', async () => {
    const w = await startWorld();
    const dm = firstDm(w, ALICE);
    w.iam.removeUser('alice');

    const { findingId } = await recheckOn(w, ALICE, dm, 'alice');
    const update = await nextUpdate(w, dm, 0);
    expect(shown(update)).toContain('`alice` was deleted');
    expect(buttonsIn(update.blocks)).toEqual([]);
    expect(findingOf(w, findingId)).toMatchObject({ closeReason: 'deleted', closedAt: expect.any(String) });
    expect(auditSince(w.harness).filter((l) => l.action === 'finding_closed').map((l) => l.userName)).toEqual(['alice']);
  });
});

describe('Recheck on the security channel summary', () => {
  const summary = (w: World): FakePostedMessage => {
    const message = w.slack.posted.find((m) => m.channel === SECURITY_CHANNEL && buttonsForUser(m.blocks, 'frank').length > 0);
    if (message === undefined) throw new Error('no summary with frank in the security channel');
    return message;
  };

  it('the approver rechecks unowned frank: an ephemeral answer, the summary is not re-rendered', async () => {
    const w = await startWorld();
    const message = summary(w);
    const blocksBefore = JSON.stringify(message.blocks);

    const { responseUrl } = await recheckOn(w, APPROVER, message, 'frank');
    const answer = await waitFor(() => w.slack.responsesTo(responseUrl)[0], 'the answer to the recheck of frank');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(seen(answer.body)).toContain('`frank`');
    expect(seen(answer.body)).toContain('Still no MFA');
    expect(updatesOf(w, message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toBe(blocksBefore);
  });

  it('frank fixed: the answer says the finding is closed, and it is', async () => {
    const w = await startWorld();
    const message = summary(w);
    w.iam.setLoginProfile('frank', false);

    const { responseUrl, findingId } = await recheckOn(w, APPROVER, message, 'frank');
    const answer = await waitFor(() => w.slack.responsesTo(responseUrl)[0], 'the answer to the recheck of frank');
    expect(seen(answer.body)).toContain('Its finding is closed');
    expect(updatesOf(w, message)).toEqual([]);
    expect(findingOf(w, findingId)).toMatchObject({ userName: 'frank', closeReason: 'fixed' });
  });

  it('someone who is neither owner nor approver is refused, and nothing changes', async () => {
    const w = await startWorld();
    const message = summary(w);
    w.iam.setLoginProfile('frank', false);

    const { responseUrl, findingId } = await recheckOn(w, ALICE, message, 'frank');
    const answer = await waitFor(() => w.slack.responsesTo(responseUrl)[0], 'the refusal');
    expect(seen(answer.body)).toContain('Only the IAM user');
    expect(findingOf(w, findingId)).toMatchObject({ closedAt: null });
    expect(auditSince(w.harness).map((l) => `${l.action}:${l.outcome}:${l.actor}`)).toEqual([`recheck:refused:${ALICE}`]);
  });
});
