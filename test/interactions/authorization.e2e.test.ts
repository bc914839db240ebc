/**
 * The authorization matrix, end to end: owner (alice), approver and a stranger × every command and
 * button, as signed requests to the real Bolt receiver. A refusal is an ephemeral reply, one audit
 * entry, and nothing else: no message posted or updated, no Home published, no password deleted,
 * no removal request or finding changed.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { createFakeClock } from '../support/fake-clock';
import type { FakePostedMessage, FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import {
  ALICE,
  approvalFor,
  BOB,
  auditSince,
  buttonsIn,
  clickIn,
  command,
  readStoredState,
  seen,
  snapshotWorld,
  STRANGER,
  waitFor,
  type ClickContainer,
} from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');

/** `bob` owns another IAM user (bob): an owner, but not of alice. */
type Who = 'owner' | 'approver' | 'stranger' | 'bob';
type Act = 'status' | 'status alice' | 'status summary' | 'status scan' | 'recheck' | 'remove' | 'approve' | 'deny';

const ID: Readonly<Record<Who, string>> = { owner: ALICE, approver: APPROVER, stranger: STRANGER, bob: BOB };

/** What a refusal of each act says, and the audit action it is recorded under. */
const REFUSAL: Readonly<Record<Exclude<Act, 'status'>, { readonly words: string; readonly action: string }>> = {
  'status alice': { words: 'You can only look up IAM users you own', action: 'status_user' },
  'status summary': { words: 'Only approvers can see the account summary', action: 'status_summary' },
  'status scan': { words: 'Only approvers can start a scan', action: 'scan_start' },
  recheck: { words: "Only the IAM user's owner and the approvers can recheck it", action: 'recheck' },
  remove: { words: "Only the IAM user's owner and the approvers can ask to remove", action: 'removal_request' },
  approve: { words: 'Only approvers can approve removing a console password', action: 'removal_approve' },
  deny: { words: 'Only approvers can deny a removal request', action: 'removal_deny' },
};

const MATRIX: ReadonlyArray<readonly [Who, Act, 'allowed' | 'refused']> = [
  ['owner', 'status', 'allowed'],
  ['approver', 'status', 'allowed'],
  ['stranger', 'status', 'allowed'],
  ['owner', 'status alice', 'allowed'],
  ['approver', 'status alice', 'allowed'],
  ['stranger', 'status alice', 'refused'],
  ['owner', 'status summary', 'refused'],
  ['approver', 'status summary', 'allowed'],
  ['stranger', 'status summary', 'refused'],
  ['owner', 'status scan', 'refused'],
  ['approver', 'status scan', 'allowed'],
  ['stranger', 'status scan', 'refused'],
  ['owner', 'recheck', 'allowed'],
  ['approver', 'recheck', 'allowed'],
  ['stranger', 'recheck', 'refused'],
  ['owner', 'remove', 'allowed'],
  ['approver', 'remove', 'allowed'],
  ['stranger', 'remove', 'refused'],
  ['owner', 'approve', 'refused'],
  ['approver', 'approve', 'allowed'],
  ['stranger', 'approve', 'refused'],
  ['owner', 'deny', 'refused'],
  ['approver', 'deny', 'allowed'],
  ['stranger', 'deny', 'refused'],
  ['bob', 'status alice', 'refused'],
  ['bob', 'recheck', 'refused'],
  ['bob', 'remove', 'refused'],
  ['bob', 'approve', 'refused'],
];

describe('authorization: owner, approver and stranger × every command and button', () => {
  let slack: FakeSlack;
  let harness: BotHarness;
  let iam: InMemoryIam;
  let databasePath: string;
  /** alice's nudge DM and the value of its buttons (her finding). */
  let dm: FakePostedMessage;
  let aliceRef: string;

  beforeEach(async () => {
    slack = await startSampleSlack();
    slack.addUser({ id: STRANGER, email: 'stranger@example.com' });
    const clock = createFakeClock(START);
    iam = sampleIam(clock);
    databasePath = newDatabasePath();
    harness = await startBot({ slack, iam, clock, databasePath });
    await harness.bot.runScanCycle('command');
    dm = await waitFor(() => slack.posted.find((m) => m.channel === `D${ALICE}`), "alice's DM");
    const remove = buttonsIn(dm.blocks).find((b) => b.actionId === 'mfa_request_removal');
    if (remove === undefined) throw new Error("alice's DM has no Remove button");
    aliceRef = remove.value;
  });
  afterEach(async () => {
    await harness.bot.stop();
    await slack.close();
  });

  const aliceFinding = () => readStoredState(databasePath).findings.find((f) => f.userName === 'alice' && f.closedAt === null);

  /** alice asks for the removal from her DM; the approval message is what approve/deny rows click. */
  const pendingRequest = async () => {
    await clickIn(slack, harness, { userId: ALICE, actionId: 'mfa_request_removal', value: aliceRef, container: { kind: 'message', channel: dm.channel, ts: dm.ts } });
    return approvalFor(slack, SECURITY_CHANNEL, 'alice');
  };

  /** Where each person clicks: alice in her DM, the approver in the ephemeral /mfa-status alice reply, a stranger forges alice's DM. */
  const whereFor = (who: Who): ClickContainer =>
    who === 'approver' ? { kind: 'ephemeral', channel: `D${APPROVER}`, ts: '1700000999.000100' } : { kind: 'message', channel: dm.channel, ts: dm.ts };

  /** Sends the act; returns the response_url it carried. */
  const perform = async (who: Who, act: Act, approval: Awaited<ReturnType<typeof pendingRequest>> | null): Promise<string> => {
    const userId = ID[who];
    if (act.startsWith('status')) {
      const text = act === 'status' ? '' : act.slice('status '.length);
      const sent = await command(slack, harness, userId, text, { expect: 0 });
      expect(sent.reply.status).toBe(200);
      return sent.responseUrl;
    }
    const clicked =
      act === 'approve' || act === 'deny'
        ? await clickIn(slack, harness, {
            userId,
            actionId: act === 'approve' ? 'mfa_approve_removal' : 'mfa_deny_removal',
            value: act === 'approve' ? approval!.approve : approval!.deny,
            container: { kind: 'message', channel: approval!.message.channel, ts: approval!.message.ts },
          })
        : await clickIn(slack, harness, { userId, actionId: act === 'recheck' ? 'mfa_recheck' : 'mfa_request_removal', value: aliceRef, container: whereFor(who) });
    expect(clicked.reply.status).toBe(200);
    return clicked.responseUrl;
  };

  const firstResponse = async (url: string, what: string) => (await waitFor(() => slack.responsesTo(url)[0], what)).body;

  /** What an allowed act must have done. */
  const expectAllowed = async (who: Who, act: Act, url: string, approval: Awaited<ReturnType<typeof pendingRequest>> | null, auditFrom: number): Promise<void> => {
    const userId = ID[who];
    switch (act) {
      case 'status': {
        const body = await firstResponse(url, '/mfa-status');
        expect(body['response_type']).toBe('ephemeral');
        if (who === 'owner') expect(seen(body)).toContain('alice');
        if (who === 'approver') expect(seen(body)).toMatch(/5 need MFA/);
        if (who === 'stranger') expect(seen(body)).toContain('Nothing needs your attention');
        if (who !== 'owner') expect(seen(body)).not.toContain('`alice`');
        if (who !== 'approver') expect(seen(body)).not.toContain('need MFA ·');
        return;
      }
      case 'status alice': {
        const body = await firstResponse(url, '/mfa-status alice');
        expect(body['response_type']).toBe('ephemeral');
        expect(seen(body)).toContain('alice');
        expect(buttonsIn(body['blocks']).map((b) => b.actionId)).toEqual(expect.arrayContaining(['mfa_recheck', 'mfa_request_removal']));
        return;
      }
      case 'status summary': {
        const body = await firstResponse(url, '/mfa-status summary');
        for (const name of ['alice', 'bob', 'frank', 'svc-deploy', 'dana@example.com']) expect(seen(body)).toContain(name);
        return;
      }
      case 'status scan': {
        const summaries = slack.posted.filter((m) => m.channel === SECURITY_CHANNEL).length;
        const [started, finished] = await waitFor(() => slack.responsesTo(url).length >= 2 && slack.responsesTo(url), 'the scan to start and finish');
        expect(seen(started?.body)).toContain('Started a scan');
        expect(seen(finished?.body)).toContain('Scan finished');
        expect(slack.posted.filter((m) => m.channel === SECURITY_CHANNEL).length).toBeGreaterThan(summaries);
        expect(auditSince(harness, auditFrom)).toEqual([expect.objectContaining({ actor: userId, action: 'scan_start', outcome: 'succeeded' })]);
        return;
      }
      case 'recheck': {
        if (who === 'owner') {
          // The DM itself is the answer: re-rendered with when it was checked.
          const update = await waitFor(() => slack.updates.find((u) => u.channel === dm.channel && u.ts === dm.ts), "alice's DM to be re-rendered");
          expect(seen({ text: update.text, blocks: update.blocks })).toContain('Checked at');
        } else {
          expect(seen(await firstResponse(url, 'the Recheck result'))).toContain('Still no MFA');
        }
        expect(aliceFinding()).toBeDefined();
        return;
      }
      case 'remove': {
        const body = await firstResponse(url, 'the answer to the removal request');
        expect(seen(body)).toContain('Asked the approvers');
        await approvalFor(slack, SECURITY_CHANNEL, 'alice');
        expect(readStoredState(databasePath).removals).toEqual([expect.objectContaining({ userName: 'alice', state: 'pending', requestedBy: userId })]);
        expect(auditSince(harness, auditFrom)).toEqual([expect.objectContaining({ actor: userId, action: 'removal_request', outcome: 'succeeded' })]);
        return;
      }
      case 'approve': {
        await waitFor(() => seen({ blocks: approval!.message.blocks }).includes('Removed by'), 'the approval message to say Removed by');
        expect(readStoredState(databasePath).removals).toEqual([expect.objectContaining({ state: 'done', decidedBy: userId })]);
        expect(iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([{ operation: 'deleteLoginProfile', userName: 'alice' }]);
        expect(await iam.getLoginProfile('alice')).toBeNull();
        return;
      }
      case 'deny': {
        await waitFor(() => seen({ blocks: approval!.message.blocks }).includes('Denied by'), 'the approval message to say Denied by');
        expect(readStoredState(databasePath).removals).toEqual([expect.objectContaining({ state: 'denied', decidedBy: userId })]);
        expect(iam.calls.filter((c) => c.operation === 'deleteLoginProfile')).toEqual([]);
        // The requester (alice) is told.
        await waitFor(() => slack.posted.filter((m) => m.channel === `D${ALICE}`).length >= 2, 'alice to be told of the denial');
        return;
      }
    }
  };

  it.each(MATRIX)('%s: %s is %s', async (who, act, verdict) => {
    const approval = act === 'approve' || act === 'deny' ? await pendingRequest() : null;
    const before = snapshotWorld(slack, iam, databasePath);
    const auditFrom = harness.auditLines.length;
    const url = await perform(who, act, approval);

    if (verdict === 'allowed') {
      await expectAllowed(who, act, url, approval, auditFrom);
    } else {
      if (act === 'status') throw new Error('no-text /mfa-status is never refused');
      const refusal = REFUSAL[act];
      const [response] = await waitFor(() => slack.responsesTo(url).length > 0 && slack.responsesTo(url), `the refusal of ${act}`);
      expect(response?.body['response_type']).toBe('ephemeral');
      expect(response?.body['replace_original']).not.toBe(true);
      expect(seen(response?.body)).toContain(refusal.words);
      // The refusal is the handler's last step; a moment more catches anything sent after it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(slack.responsesTo(url)).toHaveLength(1);
      expect(auditSince(harness, auditFrom)).toEqual([
        expect.objectContaining({ actor: ID[who], action: refusal.action, outcome: 'refused' }),
      ]);
      expect(snapshotWorld(slack, iam, databasePath)).toEqual(before);
      if (approval !== null) expect(readStoredState(databasePath).removals).toEqual([expect.objectContaining({ state: 'pending' })]);
      expect(aliceFinding()).toBeDefined();
    }
    expect(slack.rejectedResponses).toEqual([]);
  }, 20_000);

  describe('what a name lookup gives away', () => {
    const answer = async (userId: string, text: string) => {
      const { responses } = await command(slack, harness, userId, text);
      const body = responses[0]?.body;
      return { text: body?.['text'], blocks: body?.['blocks'] };
    };

    it('a stranger gets the same answer for an existing user and an unknown one, bar the name they typed', async () => {
      const existing = await answer(STRANGER, 'alice');
      const unknown = await answer(STRANGER, 'no-such-user');
      expect(JSON.stringify(existing)).toContain('alice');
      expect(JSON.stringify(existing).replaceAll('alice', 'NAME')).toBe(JSON.stringify(unknown).replaceAll('no-such-user', 'NAME'));
      expect(JSON.stringify(unknown)).not.toMatch(/no IAM user named/i);
      // Both lookups are audited as refused, alike.
      expect(auditSince(harness).map((e) => [e.actor, e.action, e.outcome])).toEqual([
        [STRANGER, 'status_user', 'refused'],
        [STRANGER, 'status_user', 'refused'],
      ]);
    });

    it('an approver is told there is no such IAM user, with a did-you-mean for a typo of a subcommand', async () => {
      const unknown = JSON.stringify(await answer(APPROVER, 'no-such-user'));
      expect(unknown).toContain('No IAM user named');
      expect(unknown).toContain('no-such-user');
      expect(unknown).not.toContain('Did you mean');
      const typo = JSON.stringify(await answer(APPROVER, 'sumary'));
      expect(typo).toContain('No IAM user named');
      expect(typo).toContain('Did you mean `/mfa-status summary`?');
      expect(slack.rejectedResponses).toEqual([]);
    });

    it('the owner by email (platform@example.com) may look at svc-deploy, but not at alice', async () => {
      const mine = await answer('U0PLATFORM1', 'svc-deploy');
      expect(JSON.stringify(mine)).toContain('svc-deploy');
      expect(JSON.stringify(mine)).not.toContain('You can only look up');
      expect(buttonsIn(mine.blocks).map((b) => b.actionId)).toEqual(expect.arrayContaining(['mfa_recheck', 'mfa_request_removal']));
      const notMine = await answer('U0PLATFORM1', 'alice');
      expect(JSON.stringify(notMine)).toContain('You can only look up IAM users you own');
    });

    it('the owner by email may ask to remove svc-deploy from their DM', async () => {
      const platformDm = await waitFor(() => slack.posted.find((m) => m.channel === 'DU0PLATFORM1'), 'the DM to platform@example.com');
      const remove = buttonsIn(platformDm.blocks).find((b) => b.actionId === 'mfa_request_removal');
      expect(remove).toBeDefined();
      const { responseUrl } = await clickIn(slack, harness, {
        userId: 'U0PLATFORM1',
        actionId: 'mfa_request_removal',
        value: remove!.value,
        container: { kind: 'message', channel: platformDm.channel, ts: platformDm.ts },
      });
      expect(seen(await firstResponse(responseUrl, 'the answer to the removal request'))).toContain('Asked the approvers');
      await approvalFor(slack, SECURITY_CHANNEL, 'svc-deploy');
      expect(readStoredState(databasePath).removals).toEqual([expect.objectContaining({ userName: 'svc-deploy', requestedBy: 'U0PLATFORM1', state: 'pending' })]);
    });

    it('a deactivated Slack account keeps no access through its email', async () => {
      // dana@example.com owns the IAM user of that name by email; her Slack account is deactivated.
      const answered = await answer('U0DANA00001', 'dana@example.com');
      expect(JSON.stringify(answered)).toContain('You can only look up IAM users you own');
      expect(auditSince(harness)).toEqual([expect.objectContaining({ actor: 'U0DANA00001', action: 'status_user', outcome: 'refused' })]);
    });
  });
});
