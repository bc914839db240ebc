/**
 * The removal of a console password with approval, end to end: signed clicks to the real Bolt
 * receiver, the fake Slack Web API, an in-memory IAM and the bot's SQLite file.
 */
import type { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { AppError } from '../../src/errors';
import { createFakeClock } from '../support/fake-clock';
import type { FakePostedMessage, FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/cli-harness';
import { APPROVER, newDatabasePath, SECURITY_CHANNEL, startBot, startSampleSlack, type BotHarness } from '../support/bot-harness';
import {
  ALICE,
  approvalFor,
  auditSince,
  buttonsIn,
  click,
  clickIn,
  command,
  createIamGate,
  deleteCalls,
  dmsTo,
  idOf,
  readStoredState,
  sampleIamWithHook,
  seen,
  userButton,
  waitFor,
} from '../support/interaction-harness';

const START = new Date('2026-11-23T14:00:00Z');
const HOUR_MS = 60 * 60 * 1000;
const APPROVER2 = 'U0APPROVER2';
const APPROVAL_CHANNEL = 'C0APPROVALS1';

interface World {
  slack: FakeSlack;
  clock: ReturnType<typeof createFakeClock>;
  iam: InMemoryIam;
  harness: BotHarness;
  databasePath: string;
}

let world: World | null = null;

const startWorld = async (env: Record<string, string> = {}, prepare: (slack: FakeSlack) => void = () => undefined): Promise<World> => {
  const slack = await startSampleSlack();
  slack.addUser({ id: APPROVER2, email: 'approver2@example.com' });
  prepare(slack);
  const clock = createFakeClock(START);
  const iam = sampleIam(clock);
  const databasePath = newDatabasePath();
  const harness = await startBot({ slack, iam, clock, databasePath, env });
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

/** The answers posted to one response_url, once there are `count`. */
const answersTo = (w: World, responseUrl: string, count = 1) =>
  waitFor(() => w.slack.responsesTo(responseUrl).length >= count && w.slack.responsesTo(responseUrl), `${count} answer(s) to ${responseUrl}`);

const lastAnswer = async (w: World, responseUrl: string): Promise<string> => {
  const answers = await answersTo(w, responseUrl);
  return seen(answers[answers.length - 1]?.body);
};

const aliceDm = (w: World): FakePostedMessage => {
  const dm = dmsTo(w.slack, ALICE)[0];
  if (dm === undefined) throw new Error('the scan sent alice no DM');
  return dm;
};

/** alice asks for her own console password to be removed, from the nudge DM; returns what she was told. */
const requestFromAliceDm = async (w: World): Promise<{ responseUrl: string; answer: string }> => {
  const dm = aliceDm(w);
  const remove = userButton(dm.blocks, 'alice', 'mfa_request_removal');
  const { reply, responseUrl } = await click(w.slack, w.harness, { userId: ALICE, actionId: remove.actionId, value: remove.value, where: { channel: dm.channel, ts: dm.ts } });
  expect(reply.status).toBe(200);
  return { responseUrl, answer: await lastAnswer(w, responseUrl) };
};

/** An approver asks for alice's removal from the Remove button of `/mfa-status alice` (an ephemeral reply). */
const requestAsApprover = async (w: World, approver: string): Promise<string> => {
  const status = await command(w.slack, w.harness, approver, 'alice');
  const remove = buttonsIn(status.responses[0]?.body['blocks']).find((b) => b.actionId === 'mfa_request_removal');
  if (remove === undefined) throw new Error(`/mfa-status alice showed ${approver} no Remove button: ${seen(status.responses[0]?.body)}`);
  const { responseUrl } = await clickIn(w.slack, w.harness, {
    userId: approver,
    actionId: remove.actionId,
    value: remove.value,
    container: { kind: 'ephemeral', channel: `D${approver}`, ts: '1700000999.000100' },
  });
  return lastAnswer(w, responseUrl);
};

const clickApproval = async (w: World, userId: string, actionId: 'mfa_approve_removal' | 'mfa_deny_removal', value: string, message: FakePostedMessage) =>
  click(w.slack, w.harness, { userId, actionId, value, where: { channel: message.channel, ts: message.ts } });

/** Buttons as the raw Block Kit objects (style, confirm), for the checks buttonsIn leaves out. */
const rawButtons = (blocks: unknown): Record<string, unknown>[] => {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const record = Object.fromEntries(Object.entries(node));
      if (record['type'] === 'button') found.push(record);
      Object.values(record).forEach(visit);
    }
  };
  visit(blocks);
  return found;
};

const messageText = (m: FakePostedMessage): string => seen({ text: m.text, blocks: m.blocks });

const waitForMessageText = (m: FakePostedMessage, needle: string): Promise<true> =>
  waitFor(() => messageText(m).includes(needle), `the approval message to say ${needle}`);

/** DMs to a person (posted after the scan's nudge) whose text includes `needle`. */
const dmWith = (w: World, userId: string, needle: string): Promise<FakePostedMessage> =>
  waitFor(() => dmsTo(w.slack, userId).find((m) => messageText(m).includes(needle)), `a DM to ${userId} saying ${needle}`);

const removalState = (w: World): string[] => readStoredState(w.databasePath).removals.map((r) => r.state);

const approvalMessagesIn = (w: World, channel: string): FakePostedMessage[] =>
  w.slack.posted.filter((m) => m.channel === channel && m.text !== undefined && m.text.includes('asks to remove the console password'));

const hasLoginProfile = async (iam: InMemoryIam, userName: string): Promise<boolean> => (await iam.getLoginProfile(userName)) !== null;

describe('removal request', () => {
  it('posts the request to SECURITY_CHANNEL with who asked, which user, status, last console use and the two buttons; the requester is told it is pending', async () => {
    const w = await startWorld();
    const { answer } = await requestFromAliceDm(w);

    const { message, approve, deny } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
    const text = messageText(message);
    expect(text).toContain(`<@${ALICE}> asks to remove the console password of IAM user \`alice\``);
    expect(text).toContain('*Status*\\nconsole password without MFA');
    // alice last signed in to the console 30 hours before the scan.
    expect(text).toContain('*Last console sign-in*\\n2026-11-22 08:00 UTC');
    expect(text).toContain('Waiting for an approver');

    expect(approve).toMatch(/^removal:\d+$/);
    expect(deny).toBe(approve);
    const buttons = rawButtons(message.blocks);
    expect(buttons).toHaveLength(2);
    const [approveButton, denyButton] = buttons;
    expect(approveButton).toMatchObject({ action_id: 'mfa_approve_removal', style: 'danger', text: { text: 'Approve removal' }, value: approve });
    expect(approveButton?.['confirm']).toMatchObject({ confirm: { text: expect.any(String) }, deny: { text: expect.any(String) } });
    expect(denyButton).toMatchObject({ action_id: 'mfa_deny_removal', text: { text: 'Deny' }, value: approve });

    expect(answer).toContain('Asked the approvers to remove the console password of IAM user `alice`');
    expect(answer).toContain(`request #${idOf(approve)}`);
    expect(removalState(w)).toEqual(['pending']);
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(auditSince(w.harness).map((l) => [l.action, l.outcome, l.actor])).toEqual([['removal_request', 'succeeded', ALICE]]);
  });

  it('a second request for the same user points to the pending one and posts nothing new', async () => {
    const w = await startWorld();
    await requestFromAliceDm(w);
    const { approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
    const postsBefore = w.slack.callsTo('chat.postMessage').length;

    const second = await requestFromAliceDm(w);
    expect(second.answer).toContain('There is already a request to remove the console password of IAM user `alice`');
    expect(second.answer).toContain(`request #${idOf(approve)}`);
    expect(second.answer).toContain('No new request was made');
    expect(approvalMessagesIn(w, SECURITY_CHANNEL)).toHaveLength(1);
    expect(w.slack.callsTo('chat.postMessage').length).toBe(postsBefore);
    expect(removalState(w)).toEqual(['pending']);
  });

  it('goes to APPROVAL_CHANNEL when it is set to another channel the bot is in, and is approved from there', async () => {
    const w = await startWorld({ APPROVAL_CHANNEL }, (slack) => slack.addChannel({ id: APPROVAL_CHANNEL, name: 'mfa-approvals', isMember: true }));
    await requestFromAliceDm(w);
    const { message, approve } = await approvalFor(w.slack, APPROVAL_CHANNEL, 'alice');
    expect(approvalMessagesIn(w, SECURITY_CHANNEL)).toHaveLength(0);

    await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    await waitForMessageText(message, `Removed by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(w.slack.updates.some((u) => u.channel === APPROVAL_CHANNEL && u.ts === message.ts)).toBe(true);
  });
});

describe('approve and deny', () => {
  it('approve deletes the login profile once, updates the approval message and tells the requester (the owner) about open sessions', async () => {
    const w = await startWorld();
    await requestFromAliceDm(w);
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');

    const { reply } = await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    expect(reply.status).toBe(200);
    await waitForMessageText(message, `Removed by <@${APPROVER}> at 2026-11-23 14:00 UTC`);
    const told = await dmWith(w, ALICE, 'Console password removed');
    expect(messageText(told)).toContain('Console sessions already open are not ended');

    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(false);
    const update = w.slack.updates.filter((u) => u.channel === SECURITY_CHANNEL && u.ts === message.ts).at(-1);
    expect(JSON.stringify(update?.blocks)).toContain(`Removed by <@${APPROVER}>`);
    expect(buttonsIn(message.blocks)).toEqual([]);
    expect(removalState(w)).toEqual(['done']);
    // alice is both requester and owner: one DM, not two.
    expect(dmsTo(w.slack, ALICE).filter((m) => messageText(m).includes('Console password removed'))).toHaveLength(1);
    expect(auditSince(w.harness).map((l) => `${l.action}:${l.outcome}`)).toEqual([
      'removal_request:succeeded',
      'removal_approve:succeeded',
      'removal_execute:succeeded',
      'finding_closed:succeeded',
    ]);
  });

  it('deny says "Denied by", tells the requester and deletes nothing; a later approve is refused', async () => {
    const w = await startWorld();
    await requestFromAliceDm(w);
    const { message, approve, deny } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');

    await clickApproval(w, APPROVER, 'mfa_deny_removal', deny, message);
    await waitForMessageText(message, `Denied by <@${APPROVER}>`);
    const told = await dmWith(w, ALICE, 'Denied by');
    expect(messageText(told)).toContain('stays');
    expect(buttonsIn(message.blocks)).toEqual([]);
    expect(removalState(w)).toEqual(['denied']);

    const late = await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    expect(await lastAnswer(w, late.responseUrl)).toContain(`Denied by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['denied']);
  });
});

describe('self-approval', () => {
  it('is refused by default: the approver who asked cannot approve, and nothing is deleted', async () => {
    const w = await startWorld();
    expect(await requestAsApprover(w, APPROVER)).toContain('Asked the approvers');
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
    expect(messageText(message)).toContain(`<@${APPROVER}> asks to remove`);

    const self = await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    const answer = await lastAnswer(w, self.responseUrl);
    expect(answer).toContain(`You asked for removal request #${idOf(approve)} yourself`);
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(removalState(w)).toEqual(['pending']);
    expect(buttonsIn(message.blocks).map((b) => b.actionId)).toEqual(['mfa_approve_removal', 'mfa_deny_removal']);
    expect(auditSince(w.harness).filter((l) => l.action === 'removal_approve').map((l) => l.outcome)).toEqual(['refused']);
  });

  it('a second approver can approve it; the requester and the owner are both told', async () => {
    const w = await startWorld({ APPROVERS: `${APPROVER},${APPROVER2}` });
    await requestAsApprover(w, APPROVER);
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');

    const self = await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    expect(await lastAnswer(w, self.responseUrl)).toContain('yourself');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);

    await clickApproval(w, APPROVER2, 'mfa_approve_removal', approve, message);
    await waitForMessageText(message, `Removed by <@${APPROVER2}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    const toRequester = await dmWith(w, APPROVER, 'Console password removed');
    const toOwner = await dmWith(w, ALICE, 'Console password removed');
    for (const dm of [toRequester, toOwner]) expect(messageText(dm)).toContain('Console sessions already open are not ended');
    expect(messageText(toOwner)).toContain('your IAM user `alice`');
  });

  it('ALLOW_SELF_APPROVAL=true lets the approver approve their own request', async () => {
    const w = await startWorld({ ALLOW_SELF_APPROVAL: 'true' });
    await requestAsApprover(w, APPROVER);
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    await waitForMessageText(message, `Removed by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(removalState(w)).toEqual(['done']);
  });
});

describe('expiry', () => {
  it('an approve after REMOVAL_REQUEST_TTL_HOURS (72 by default) is refused as expired; the message is updated and nothing deleted', async () => {
    const w = await startWorld();
    await requestFromAliceDm(w);
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
    expect(messageText(message)).toContain('*Expires*\\n2026-11-26 14:00 UTC');

    w.clock.advance(72 * HOUR_MS + 60_000);
    const late = await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    const answer = await lastAnswer(w, late.responseUrl);
    expect(answer).toMatch(/expired/i);
    expect(answer).toContain('Nothing was deleted');
    await waitForMessageText(message, 'Expired at 2026-11-26 14:00 UTC');
    expect(buttonsIn(message.blocks)).toEqual([]);
    await dmWith(w, ALICE, 'expired');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['expired']);
  });

  it('just before the TTL the approval still works (REMOVAL_REQUEST_TTL_HOURS=2)', async () => {
    const w = await startWorld({ REMOVAL_REQUEST_TTL_HOURS: '2' });
    await requestFromAliceDm(w);
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
    w.clock.advance(2 * HOUR_MS - 60_000);
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    await waitForMessageText(message, 'Removed by');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
  });
});

describe('the user changed between request and approval: not_needed, nothing deleted', () => {
  const approveAlice = async (w: World): Promise<FakePostedMessage> => {
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    await waitForMessageText(message, 'Not needed');
    return message;
  };

  it('the user enabled MFA', async () => {
    const w = await startWorld();
    await requestFromAliceDm(w);
    w.iam.addMfaDevice('alice', { serialNumber: 'arn:aws:iam::111122223333:mfa/alice', kind: 'virtual', enableDate: w.clock.now() });
    const message = await approveAlice(w);
    expect(messageText(message)).toContain('the user has MFA now');
    expect(messageText(message)).toContain('nothing was deleted');
    await dmWith(w, ALICE, 'was not removed');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['not_needed']);
    expect(auditSince(w.harness).filter((l) => l.action === 'removal_execute').map((l) => l.outcome)).toEqual(['not_needed']);
  });

  it('the user was deleted and recreated under the same name (another UserId, password, no MFA)', async () => {
    const w = await startWorld();
    await requestFromAliceDm(w);
    w.iam.removeUser('alice');
    w.iam.addUser({
      userName: 'alice',
      userId: 'AIDAEXAMPLENEWALICE01',
      createDate: new Date(START.getTime() - 30 * 24 * HOUR_MS),
      passwordLastUsed: null,
      loginProfile: true,
      mfaDevices: [],
    });
    const message = await approveAlice(w);
    expect(messageText(message)).toContain('deleted and recreated');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['not_needed']);
  });

  it('the user was exempted (tag mfa-exempt)', async () => {
    const w = await startWorld();
    await requestFromAliceDm(w);
    w.iam.setTag('alice', 'mfa-exempt', 'Break-glass for the payments team');
    const message = await approveAlice(w);
    expect(messageText(message)).toContain('exempt now');
    expect(deleteCalls(w.iam, 'alice')).toBe(0);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(true);
    expect(removalState(w)).toEqual(['not_needed']);
  });
});

describe('DeleteLoginProfile failure and retry', () => {
  it('fails with the AWS error and a Retry button; the retry removes it (one successful deletion)', async () => {
    const w = await startWorld();
    w.iam.failWith(
      'deleteLoginProfile',
      new AppError('iam_throttled', "IAM refused DeleteLoginProfile for user 'alice' for now: the entity is temporarily unmodifiable (EntityTemporarilyUnmodifiable).", {
        hint: 'IAM is still applying an earlier change to this user; retry in a few minutes.',
      }),
      { userName: 'alice', times: 1 },
    );
    await requestFromAliceDm(w);
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');

    await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    await waitForMessageText(message, 'The removal failed');
    expect(messageText(message)).toContain('EntityTemporarilyUnmodifiable');
    const retry = rawButtons(message.blocks);
    expect(retry).toHaveLength(1);
    expect(retry[0]).toMatchObject({ action_id: 'mfa_approve_removal', value: approve, text: { text: 'Retry removal' } });
    expect(removalState(w)).toEqual(['failed']);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(true);
    await dmWith(w, ALICE, 'Console password removal failed');

    await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    await waitForMessageText(message, `Removed by <@${APPROVER}>`);
    expect(removalState(w)).toEqual(['done']);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(false);
    // One failed call, one that deleted.
    expect(deleteCalls(w.iam, 'alice')).toBe(2);
    expect(auditSince(w.harness).filter((l) => l.action === 'removal_execute').map((l) => l.outcome)).toEqual(['failed', 'succeeded']);
  });

  // A failed request may be retried only until it expires; after that the Retry button goes.
  it('a retry after the request expired is refused as expired, and the approval message loses its Retry button', async () => {
    const w = await startWorld();
    w.iam.failWith('deleteLoginProfile', new AppError('iam_service_failure', 'IAM DeleteLoginProfile failed: ServiceFailure.'), { userName: 'alice', times: 1 });
    await requestFromAliceDm(w);
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    await waitForMessageText(message, 'The removal failed');

    w.clock.advance(72 * HOUR_MS + 60_000);
    const late = await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    const answer = await lastAnswer(w, late.responseUrl);
    expect(answer).toMatch(/expired/i);
    expect(answer).not.toContain('may retry');
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    await waitFor(() => buttonsIn(message.blocks).length === 0, 'the Retry button to go', 2000);
  });
});

describe('restart between request and approval', () => {
  it('the Approve button on the message sent before the restart still works', async () => {
    const w = await startWorld();
    await requestFromAliceDm(w);
    const { message, approve } = await approvalFor(w.slack, SECURITY_CHANNEL, 'alice');

    await w.harness.bot.stop();
    const clock = createFakeClock(w.clock.now());
    const restarted = await startBot({ slack: w.slack, iam: w.iam, clock, databasePath: w.databasePath });
    world = { ...w, clock, harness: restarted };
    expect(restarted.port).not.toBe(0);

    await click(w.slack, restarted, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: { channel: message.channel, ts: message.ts } });
    await waitForMessageText(message, `Removed by <@${APPROVER}>`);
    expect(deleteCalls(w.iam, 'alice')).toBe(1);
    expect(await hasLoginProfile(w.iam, 'alice')).toBe(false);
    expect(removalState(world)).toEqual(['done']);
  });
  // stop() lets a removal between its claim and its outcome finish (within SHUTDOWN_TIMEOUT_SECONDS).
  it('a stop while a removal is executing: after the restart the request can still be finished', async () => {
    const slack = await startSampleSlack();
    const clock = createFakeClock(START);
    const gate = createIamGate();
    const iam = sampleIamWithHook(clock, gate.beforeCall);
    const databasePath = newDatabasePath();
    const harness = await startBot({ slack, iam, clock, databasePath });
    await harness.bot.runScanCycle('command');
    const w: World = { slack, clock, iam, harness, databasePath };
    world = w;
    await requestFromAliceDm(w);
    const { message, approve } = await approvalFor(slack, SECURITY_CHANNEL, 'alice');

    gate.hold((operation, userName) => operation === 'getUser' && userName === 'alice');
    await clickApproval(w, APPROVER, 'mfa_approve_removal', approve, message);
    await waitFor(() => gate.waiting === 1, 'the approved removal to be executing');
    // The slow IAM call ends well within SHUTDOWN_TIMEOUT_SECONDS, while the bot is stopping.
    const stopping = harness.bot.stop();
    setTimeout(() => gate.release(), 200);
    await stopping;
    await new Promise((resolve) => setTimeout(resolve, 300));

    const restarted = await startBot({ slack, iam, clock: createFakeClock(clock.now()), databasePath });
    world = { ...w, harness: restarted };
    const again = await click(slack, restarted, { userId: APPROVER, actionId: 'mfa_approve_removal', value: approve, where: { channel: message.channel, ts: message.ts } });
    await waitFor(() => messageText(message).includes('Removed by') || slack.responsesTo(again.responseUrl).length > 0, 'the click after the restart to be handled', 3000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect({
      approvalMessage: messageText(message).includes('Removed by'),
      passwordGone: !(await hasLoginProfile(iam, 'alice')),
      states: readStoredState(databasePath).removals.map((r) => r.state),
      answer: slack.responsesTo(again.responseUrl).map((r) => seen(r.body)),
    }).toEqual({ approvalMessage: true, passwordGone: true, states: ['done'], answer: expect.not.arrayContaining([expect.stringContaining('removing it right now')]) });
  });
});
