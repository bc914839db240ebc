/**
 * What people write to the bot in its DM: "done" (and the other recheck words) rechecks their IAM
 * users live, as the Recheck button would, answers one line per user and re-renders the latest DM
 * about them; "status" answers as `/mfa-status`; anything else gets the help. One answer per
 * event, and per person at most one per 5 seconds. What only Bolt does (signed events, Slack's
 * retries, bots and subtypes dropped at the handler) is in test/interactions/dm-replies.e2e.test.ts.
 */
import type { InMemoryIam } from '../../../src/adapters/memory/in-memory-iam';
import { AppError } from '../../../src/errors';
import type { DmReplyOutcome } from '../../../src/services/dm-reply';
import type { SlackMessage } from '../../../src/slack/blocks/block-kit';
import { dmChannelOf, startWorld, type Where, type World } from '../../support/in-process-harness';
import {
  ALICE,
  APPROVER,
  BOB,
  buttonsForUser,
  SAMPLE_START,
  SECURITY_CHANNEL,
  seen,
  STRANGER,
} from '../../support/sample-world';

const SECOND_MS = 1000;
const HOUR_MS = 60 * 60 * SECOND_MS;
const DAY_MS = 24 * HOUR_MS;
const ROLE_ARN = 'arn:aws:sts::111122223333:assumed-role/mfa-guard-bot/i-0abc';

const firstDm = (w: World, userId: string): Where => {
  const dm = w.slack.dmsTo(userId)[0];
  if (dm === undefined) throw new Error(`the scan sent ${userId} no DM`);
  return dm;
};

const mfa = (userName: string, at: Date) => ({
  serialNumber: `arn:aws:iam::111122223333:mfa/${userName}`,
  kind: 'virtual' as const,
  enableDate: at,
});

/** The answer an outcome carries; fails the test when the message was dropped. */
const answerOf = (outcome: DmReplyOutcome): SlackMessage => {
  if (outcome.kind !== 'answered') throw new Error(`the message was dropped: ${outcome.why}`);
  return outcome.message;
};

/** What the bot posted in a person's DM after `from` posts there. */
const postedIn = (w: World, userId: string, from = 0): SlackMessage[] =>
  w.slack
    .postsIn(dmChannelOf(userId))
    .slice(from)
    .map((p) => p.message);

const findingOf = (w: World, userName: string) =>
  w.stored().findings.filter((f) => f.userName === userName && f.closedAt === null)[0] ??
  w
    .stored()
    .findings.filter((f) => f.userName === userName)
    .at(-1);

/** bob owns `n` more IAM users without MFA (bob-1 … bob-n), through the slack-owner tag. */
const bobOwnsMore =
  (n: number) =>
  (iam: InMemoryIam): void => {
    for (let i = 1; i <= n; i += 1) {
      iam.addUser({
        userName: `bob-${String(i).padStart(2, '0')}`,
        userId: `AIDAEXAMPLEBOBMORE${String(i).padStart(3, '0')}`,
        createDate: new Date(SAMPLE_START.getTime() - (50 + i) * DAY_MS),
        passwordLastUsed: new Date(SAMPLE_START.getTime() - 2 * DAY_MS),
        loginProfile: true,
        mfaDevices: [],
        tags: { 'slack-owner': BOB },
      });
    }
  };

const iamCallsDuring = async (w: World, act: () => Promise<unknown>): Promise<string[]> => {
  const before = w.iam.calls.length;
  await act();
  await w.idle();
  return w.iam.calls.slice(before).map((c) => `${c.operation}:${c.userName ?? ''}`);
};

describe('"done" in the DM', () => {
  it('alice enabled MFA: her finding closes, her DM is re-rendered as fixed, the answer says so, and both are audited', async () => {
    const w = await startWorld();
    const dm = firstDm(w, ALICE);
    const posts = postedIn(w, ALICE).length;
    const auditFrom = w.auditLines.length;
    w.clock.advance(HOUR_MS);
    w.iam.addMfaDevice('alice', mfa('alice', w.clock.now()));

    const outcome = await w.dm(ALICE, 'done');
    expect(outcome).toMatchObject({ kind: 'answered', intent: 'recheck' });
    const answer = seen(answerOf(outcome));
    expect(answer).toContain('`alice` is fixed: it has MFA now or no console password. Its finding is closed.');
    expect(answer).toContain('The message about them above is updated too.');

    // The answer is posted in her DM, after the nudge was re-rendered in place.
    expect(postedIn(w, ALICE, posts).map(seen)).toEqual([answer]);
    const [update] = w.slack.updatesOf(dm);
    expect(seen(update)).toContain('`alice` is fixed');
    expect(seen(update)).toContain('All fixed');
    expect(buttonsForUser(w.slack.messageAt(dm).blocks, 'alice')).toEqual([]);
    const methods = w.slack.calls.slice(-2).map((c) => `${c.method}:${c.channel}`);
    expect(methods).toEqual([`chat.update:${dm.channel}`, `chat.postMessage:${dmChannelOf(ALICE)}`]);

    expect(findingOf(w, 'alice')).toMatchObject({ closeReason: 'fixed' });
    expect(w.audit(auditFrom)).toEqual([
      expect.objectContaining({
        action: 'recheck',
        actor: ALICE,
        userName: 'alice',
        outcome: 'succeeded',
        detail: 'status now compliant (a reply in the DM)',
      }),
      expect.objectContaining({
        action: 'finding_closed',
        actor: ALICE,
        userName: 'alice',
        outcome: 'succeeded',
        detail: 'closed by a Recheck (a reply in the DM): fixed',
      }),
    ]);
  });

  it.each(['Done!', '  FIXED IT. ', 'i fixed it', 'recheck', 'Check again?', 'mfa-enabled', 'Enabled MFA ✅'])(
    '%j is a recheck too',
    async (text) => {
      const w = await startWorld();
      expect(await w.dm(ALICE, text)).toMatchObject({ kind: 'answered', intent: 'recheck' });
      expect(w.audit().filter((l) => l.action === 'recheck')).toHaveLength(1);
    },
  );

  it('still without MFA: the answer says so, the finding stays open, the DM shows "Checked at" with its buttons', async () => {
    const w = await startWorld();
    const dm = firstDm(w, ALICE);
    const before = buttonsForUser(w.slack.messageAt(dm).blocks, 'alice');
    w.clock.advance(2 * HOUR_MS);

    const answer = seen(answerOf(await w.dm(ALICE, 'fixed')));
    expect(answer).toContain('`alice`: still needs MFA');
    expect(findingOf(w, 'alice')).toMatchObject({ closedAt: null });
    const [update] = w.slack.updatesOf(dm);
    expect(seen(update)).toContain('Checked at 2026-11-23 16:00 UTC: still no MFA');
    expect(buttonsForUser(update?.blocks, 'alice')).toEqual(before);
    expect(w.audit().map((l) => `${l.action}:${l.outcome}`)).toEqual(['recheck:succeeded']);
  });

  it("rechecks only the sender's own users, and re-renders their DM once for all of them", async () => {
    const w = await startWorld({ prepareIam: bobOwnsMore(2) });
    const dm = firstDm(w, BOB);
    w.iam.addMfaDevice('bob-01', mfa('bob-01', w.clock.now()));

    const calls = await iamCallsDuring(w, () => w.dm(BOB, 'done'));
    const checkedUsers = [...new Set(calls.map((c) => c.split(':')[1]).filter((u) => u !== ''))];
    expect(checkedUsers.sort()).toEqual(['bob', 'bob-01', 'bob-02']);
    const answer = seen(postedIn(w, BOB).at(-1));
    expect(answer).toContain('`bob-01` is fixed');
    expect(answer).toContain('`bob`: still needs MFA');
    expect(answer).toContain('`bob-02`: still needs MFA');
    expect(answer).not.toContain('alice');

    expect(w.slack.updatesOf(dm)).toHaveLength(1);
    const update = w.slack.updatesOf(dm)[0];
    expect(seen(update)).toContain('`bob-01` is fixed');
    expect(buttonsForUser(update?.blocks, 'bob').map((b) => b.actionId)).toContain('mfa_recheck');
    expect(buttonsForUser(update?.blocks, 'bob-02').map((b) => b.actionId)).toContain('mfa_recheck');
    expect(
      w
        .audit()
        .filter((l) => l.action === 'finding_closed')
        .map((l) => l.userName),
    ).toEqual(['bob-01']);
  });

  it('at most 10 users a message, oldest finding first; the rest are pointed to /mfa-status', async () => {
    // Each check counts against the per-person live-check limit, so it is raised for this one.
    const w = await startWorld({ prepareIam: bobOwnsMore(11), env: { LIVE_CHECKS_PER_USER_PER_MINUTE: '30' } });
    // A newer finding, first by name: it waits its turn behind the eleven older ones.
    w.clock.advance(DAY_MS);
    w.iam.addUser({
      userName: 'aaa-bob',
      userId: 'AIDAEXAMPLEBOBNEWEST1',
      createDate: new Date(SAMPLE_START.getTime() - 40 * DAY_MS),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
      tags: { 'slack-owner': BOB },
    });
    await w.scan();

    const calls = await iamCallsDuring(w, () => w.dm(BOB, 'recheck'));
    expect(calls.filter((c) => c.startsWith('getUser:'))).toHaveLength(10);
    expect(w.audit().filter((l) => l.action === 'recheck')).toHaveLength(10);
    const answer = seen(postedIn(w, BOB).at(-1));
    expect(answer).toContain('(10 users)');
    expect(answer).toContain('…and 3 more IAM users of yours not rechecked: at most 10 per message.');
    expect(answer).toContain('Run `/mfa-status` to see them all');
    // Among findings of the same age, by name: bob, bob-01 … bob-09.
    expect(answer).toContain('`bob`: still needs MFA');
    expect(answer).toContain('`bob-09`: still needs MFA');
    expect(answer).not.toContain('`bob-10`');
    expect(answer).not.toContain('`aaa-bob`');
    expect(w.slack.refused).toEqual([]);
  });

  it('the live-check limit applies: once over it, the other users are not tried and say when to try again', async () => {
    const w = await startWorld({ prepareIam: bobOwnsMore(3), env: { LIVE_CHECKS_PER_USER_PER_MINUTE: '2' } });
    const calls = await iamCallsDuring(w, () => w.dm(BOB, 'done'));
    expect(calls.filter((c) => c.startsWith('getUser:'))).toHaveLength(2);
    const answer = JSON.stringify(postedIn(w, BOB).at(-1)?.blocks);
    expect(answer.match(/still needs MFA/g)).toHaveLength(2);
    expect(answer.match(/not checked\. Too many live IAM checks/g)).toHaveLength(2);
    expect(answer).toContain('try again at 2026-11-23 14:01:00 UTC');
    // One refusal audited, like a refused click: the user after it was not tried at all.
    expect(w.audit().map((l) => `${l.action}:${l.outcome}`)).toEqual([
      'recheck:succeeded',
      'recheck:succeeded',
      'recheck:refused',
    ]);
  });

  it('someone with no user on record gets told so, with no IAM call and nothing audited', async () => {
    const w = await startWorld();
    const auditFrom = w.auditLines.length;
    let outcome: DmReplyOutcome | null = null;
    expect(await iamCallsDuring(w, async () => (outcome = await w.dm(STRANGER, 'done')))).toEqual([]);
    expect(seen(answerOf(outcome ?? { kind: 'dropped', why: 'too_soon' }))).toContain(
      'mfa-guard has no IAM user that needs MFA on record as yours, so there is nothing to recheck.',
    );
    expect(postedIn(w, STRANGER)).toHaveLength(1);
    expect(w.audit(auditFrom)).toEqual([]);
  });

  it('before any scan there is nothing on record to recheck', async () => {
    const w = await startWorld({ scan: false });
    expect(seen(answerOf(await w.dm(ALICE, 'done')))).toContain('No scan has finished yet');
    await w.idle();
    expect(w.iam.calls.filter((c) => c.operation === 'getUser')).toEqual([]);
  });

  describe('AWS error text for approvers only', () => {
    const deniedMfa = (w: World): void =>
      w.iam.failWith('listMfaDevices', new AppError('iam_access_denied', `User: ${ROLE_ARN} is not authorized`), {
        userName: 'bob',
      });
    const deniedGetUser = (w: World): void =>
      w.iam.failWith('getUser', new AppError('iam_access_denied', `User: ${ROLE_ARN} is not authorized`), {
        userName: 'bob',
      });

    it.each([
      ['ListMFADevices denied', deniedMfa],
      ['GetUser denied', deniedGetUser],
    ])('%s: the owner reads "could not be checked", never the AWS text', async (_label, deny) => {
      const w = await startWorld();
      deny(w);
      const answer = seen(answerOf(await w.dm(BOB, 'done')));
      expect(answer).toContain('`bob`: could not be checked (the security team can see why)');
      expect(answer).not.toContain(ROLE_ARN);
      expect(JSON.stringify(w.slack.updatesOf(firstDm(w, BOB)))).not.toContain(ROLE_ARN);
      // The security team can see why: an approver's /mfa-status, or the log when GetUser failed.
      expect(seen((await w.command(APPROVER, 'bob'))[0])).toContain(ROLE_ARN);
    });

    it.each([
      ['ListMFADevices denied', deniedMfa],
      ['GetUser denied', deniedGetUser],
    ])('%s: an approver who owns the user reads the AWS text', async (_label, deny) => {
      const w = await startWorld({ env: { APPROVERS: `${APPROVER},${BOB}` } });
      deny(w);
      expect(seen(answerOf(await w.dm(BOB, 'done')))).toContain(ROLE_ARN);
    });
  });
});

describe('"status" in the DM', () => {
  it('answers as /mfa-status with no text, posted in the DM', async () => {
    const w = await startWorld();
    const posts = postedIn(w, ALICE).length;
    const outcome = await w.dm(ALICE, 'Status');
    expect(outcome).toMatchObject({ kind: 'answered', intent: 'status' });
    const [command] = await w.command(ALICE, '');
    expect(answerOf(outcome)).toEqual(command);
    expect(seen(command)).toContain('`alice`: needs MFA');
    expect(postedIn(w, ALICE, posts)).toEqual([command]);
    await w.idle();
    expect(w.audit().filter((l) => l.actor === ALICE)).toEqual([]);
  });
});

describe('anything else gets the help', () => {
  it.each(['help', '?', 'why me?', 'done and dusted', 'scan', '/mfa-status alice', '', 'fixed it yesterday'])(
    '%j: what the bot is, what to type, where to ask; no IAM call, nothing audited',
    async (text) => {
      const w = await startWorld();
      const auditFrom = w.auditLines.length;
      let outcome: DmReplyOutcome | null = null;
      expect(await iamCallsDuring(w, async () => (outcome = await w.dm(ALICE, text)))).toEqual([]);
      expect(outcome).toMatchObject({ kind: 'answered', intent: 'help' });
      const answer = seen(postedIn(w, ALICE).at(-1));
      expect(answer).toContain('makes sure every AWS IAM user who can sign in to the AWS console is protected by MFA');
      expect(answer).toContain('It writes to you here when an IAM user it has on record as yours');
      expect(answer).toContain('• `done`');
      expect(answer).toContain('• `status`');
      expect(answer).toContain('*Recheck*');
      expect(answer).toContain('*Remove console access…*');
      expect(answer).toContain(`Ask your security team in <#${SECURITY_CHANNEL}>`);
      expect(w.audit(auditFrom)).toEqual([]);
    },
  );

  it('leaves out the removal button when removal is turned off', async () => {
    const w = await startWorld({ env: { REMOVAL_ENABLED: 'false' } });
    const answer = seen(answerOf(await w.dm(ALICE, 'help')));
    expect(answer).toContain('*Show CLI steps*');
    expect(answer).not.toContain('Remove console access');
  });
});

describe('one answer per event, and per person at most one per 5 seconds', () => {
  it('ten messages in a second get one answer; the next one after 5 seconds is answered', async () => {
    const w = await startWorld();
    const posts = postedIn(w, ALICE).length;
    const outcomes: DmReplyOutcome[] = [];
    for (let i = 0; i < 10; i += 1) {
      outcomes.push(await w.dm(ALICE, i % 2 === 0 ? 'done' : 'help'));
      w.clock.advance(100);
    }
    expect(outcomes.map((o) => (o.kind === 'answered' ? o.intent : o.why))).toEqual([
      'recheck',
      ...Array<string>(9).fill('too_soon'),
    ]);
    await w.idle();
    expect(postedIn(w, ALICE, posts)).toHaveLength(1);
    expect(w.audit().filter((l) => l.action === 'recheck')).toHaveLength(1);

    // 4.9 s after the first answer: still dropped. At 5 s: answered.
    w.clock.advance(3900);
    expect(await w.dm(ALICE, 'help')).toEqual({ kind: 'dropped', why: 'too_soon' });
    w.clock.advance(100);
    expect(await w.dm(ALICE, 'help')).toMatchObject({ kind: 'answered', intent: 'help' });
    expect(postedIn(w, ALICE, posts)).toHaveLength(2);
  });

  it('the cooldown is per person: bob is answered while alice waits', async () => {
    const w = await startWorld();
    expect(await w.dm(ALICE, 'help')).toMatchObject({ kind: 'answered' });
    expect(await w.dm(ALICE, 'help')).toMatchObject({ kind: 'dropped' });
    expect(await w.dm(BOB, 'help')).toMatchObject({ kind: 'answered' });
  });

  it('an event delivered again (a Slack retry) is dropped, even once the cooldown is over', async () => {
    const w = await startWorld();
    expect(await w.dm(ALICE, 'status', { eventId: 'Ev0RETRIED1' })).toMatchObject({ kind: 'answered' });
    w.clock.advance(60 * SECOND_MS);
    expect(await w.dm(ALICE, 'status', { eventId: 'Ev0RETRIED1' })).toEqual({ kind: 'dropped', why: 'duplicate' });
    expect(await w.dm(ALICE, 'status', { eventId: 'Ev0NEW00001' })).toMatchObject({ kind: 'answered' });
  });
});

describe('a failure is answered in the DM too', () => {
  it.each([
    ['the owner', ALICE, 'mfa-guard could not answer just now; the security team can see why.'],
    ['an approver', APPROVER, 'disk I/O error'],
  ])('a database failure: %s is told, in words for them, and it is logged', async (_label, who, says) => {
    const w = await startWorld();
    w.stores.scans.scannedAccounts = () =>
      Promise.reject(new AppError('database_error', 'Could not read the scanned accounts: disk I/O error'));
    const answer = seen(answerOf(await w.dm(who, 'done')));
    expect(answer).toContain('Something went wrong');
    expect(answer).toContain(says);
    if (who !== APPROVER) expect(answer).not.toContain('disk I/O error');
    expect(seen(postedIn(w, who).at(-1))).toBe(answer);
    expect(w.logs.join('\n')).toContain('disk I/O error');
  });

  it('Slack refusing the answer is logged, and the outcome still says what was meant', async () => {
    const w = await startWorld();
    const post = w.slack.postMessage.bind(w.slack);
    w.slack.postMessage = (channel, message) =>
      channel === dmChannelOf(ALICE)
        ? Promise.reject(new AppError('slack_error', 'Slack refused chat.postMessage: ratelimited'))
        : post(channel, message);
    expect(await w.dm(ALICE, 'help')).toMatchObject({ kind: 'answered', intent: 'help' });
    expect(w.logs.join('\n')).toContain('could not answer a message in the DM');
  });
});
