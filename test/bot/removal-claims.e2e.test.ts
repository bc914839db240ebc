/**
 * Two real bot processes on one SQLite file (test/bot/claim-bot-process.ts, each with its own fake
 * clock, Bolt on its own port), one IAM account between them (the in-memory IAM of this test, whose
 * gate holds calls) and one fake Slack. Bot A runs a removal; bot B starts later on the same
 * database and runs its housekeeping. A process whose clock does not move is one that is stalled
 * (a long IAM call, a frozen VM): its heartbeat stops, so B may take its claim, and then whatever A
 * did in IAM must still be recorded, once. The same rules in one process are
 * test/services/interactions/removal-claims.test.ts.
 */
import { botEnv, newDatabasePath, SIGNING_SECRET, startSampleSlack } from '../support/bot-harness';
import { type BotProcess, startBotProcess } from '../support/bot-process';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { approvalFor, dmsTo, readStoredState, waitFor } from '../support/interaction-harness';
import {
  ALICE,
  APPROVER,
  type AuditLine,
  createIamGate,
  deleteCalls,
  type IamGate,
  SAMPLE_START,
  sampleIam,
  seen,
  userButton,
} from '../support/sample-world';
import { sendBlockAction } from '../support/slack-requests';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

interface Shared {
  readonly slack: FakeSlack;
  readonly iam: ReturnType<typeof sampleIam>;
  readonly gate: IamGate;
  readonly databasePath: string;
}

let slack: FakeSlack | null = null;
afterEach(async () => {
  await slack?.close();
  slack = null;
});

const shared = async (): Promise<Shared> => {
  slack = await startSampleSlack();
  const gate = createIamGate();
  return {
    slack,
    iam: sampleIam(createFakeClock(SAMPLE_START), { beforeCall: gate.beforeCall }),
    gate,
    databasePath: newDatabasePath(),
  };
};

/** A bot process over the shared database, its clock starting `offsetMs` after SAMPLE_START. */
const bot = (world: Shared, name: string, offsetMs = 0): Promise<BotProcess> =>
  startBotProcess({
    name,
    iam: world.iam,
    settings: {
      env: botEnv(world.slack, world.databasePath),
      holder: `bot:${name}:${process.pid}:test`,
      startIso: new Date(SAMPLE_START.getTime() + offsetMs).toISOString(),
    },
  });

const click = async (
  world: Shared,
  target: BotProcess,
  userId: string,
  actionId: string,
  value: string,
  where: { readonly channel: string; readonly ts: string },
): Promise<void> => {
  const reply = await sendBlockAction(
    { port: target.port, signingSecret: SIGNING_SECRET },
    {
      userId,
      actionId,
      value,
      responseUrl: world.slack.responseUrl(),
      channelId: where.channel,
      messageTs: where.ts,
    },
  );
  expect(reply.status).toBe(200);
};

const is =
  (action: string, outcome: string, actor?: string) =>
  (line: AuditLine): boolean =>
    line.action === action && line.outcome === outcome && (actor === undefined || line.actor === actor);

/** Bot A scans, alice asks for her password to be removed; the approval message. */
const pendingRequest = async (world: Shared, a: BotProcess) => {
  await a.scan();
  const [dm] = dmsTo(world.slack, ALICE);
  if (dm === undefined) throw new Error('the scan sent alice no DM');
  const remove = userButton(dm.blocks, 'alice', 'mfa_request_removal');
  await click(world, a, ALICE, remove.actionId, remove.value, dm);
  await a.whenAudit('alice’s removal request', is('removal_request', 'succeeded', ALICE));
  const approval = await approvalFor(world.slack, 'alice');
  return { approve: approval.approve, where: { channel: approval.message.channel, ts: approval.message.ts } };
};

const storedRequest = (world: Shared) => {
  const [request] = readStoredState(world.databasePath).removals;
  if (request === undefined) throw new Error('no removal request in the database');
  return request;
};

describe('removal claims across two processes on one database', () => {
  it('a delete that goes through after another process failed the stalled claim is recorded as done, once, and corrected everywhere', async () => {
    const world = await shared();
    const a = await bot(world, 'bot-a');
    const { approve, where } = await pendingRequest(world, a);

    // A's DeleteLoginProfile hangs, and A's clock stands still meanwhile: no heartbeat.
    world.gate.hold((operation, userName) => operation === 'deleteLoginProfile' && userName === 'alice');
    await click(world, a, APPROVER, 'mfa_approve_removal', approve, where);
    await world.gate.whenHeld(1, 20_000);

    // B starts 16 minutes later on the same file: its housekeeping fails the stalled claim and says so.
    const b = await bot(world, 'bot-b', 16 * MINUTE);
    await b.whenAudit('housekeeping failing the claim', is('removal_execute', 'failed', 'mfa-guard'));
    await waitFor(
      () => dmsTo(world.slack, ALICE).some((m) => seen(m).includes('Console password removal failed')),
      'the requester to be told it failed',
    );
    expect(storedRequest(world).state).toBe('failed');

    // A's call comes back: the password is gone, and that is what the request, the audit log, the
    // finding, the approval message and the requester now say.
    const auditFrom = a.auditCount;
    world.gate.release();
    const executed = await a.whenAudit(
      'A recording its removal',
      is('removal_execute', 'succeeded', APPROVER),
      auditFrom,
    );
    expect(executed.detail).toMatch(/^recorded late: the password was removed after mfa-guard had marked it failed/);
    await a.whenAudit('the finding closed', is('finding_closed', 'succeeded', APPROVER), auditFrom);
    await waitFor(
      () => dmsTo(world.slack, ALICE).some((m) => seen(m).includes('Console password removed (correction)')),
      'the requester to be told it did go through',
    );
    expect(await world.iam.getLoginProfile('alice')).toBeNull();
    expect(storedRequest(world)).toMatchObject({ state: 'done', decidedBy: APPROVER });
    const stored = readStoredState(world.databasePath);
    expect(stored.findings.filter((f) => f.userName === 'alice').map((f) => f.closeReason)).toEqual(['fixed']);
    const message = world.slack.posted.find((m) => m.channel === where.channel && m.ts === where.ts);
    expect(seen(message)).toContain(`Removed by <@${APPROVER}>`);
    expect(seen(message)).toContain('Note: recorded late');
    expect(seen(message)).not.toContain('Retry removal');

    // The Retry button B had put on the message before is refused: the removal does not run again.
    const bAuditFrom = b.auditCount;
    await click(world, b, APPROVER, 'mfa_approve_removal', approve, where);
    const refused = await b.whenAudit('B refusing the retry', is('removal_approve', 'refused', APPROVER), bAuditFrom);
    expect(refused.detail).toBe('the request is done');
    expect(deleteCalls(world.iam, 'alice')).toBe(1);
  }, 90_000);

  it('a stalled process whose claim was taken away deletes nothing; the retry elsewhere is the only removal', async () => {
    const world = await shared();
    const a = await bot(world, 'bot-a');
    const { approve, where } = await pendingRequest(world, a);

    // A is stalled on the last call before its delete.
    world.gate.hold((operation, userName) => operation === 'listUserTags' && userName === 'alice');
    await click(world, a, APPROVER, 'mfa_approve_removal', approve, where);
    await world.gate.whenHeld(1, 20_000);

    // Three minutes later, B's housekeeping finds A's heartbeat stale.
    const b = await bot(world, 'bot-b', 3 * MINUTE);
    await b.whenAudit('housekeeping failing the claim', is('removal_execute', 'failed', 'mfa-guard'));

    const auditFrom = a.auditCount;
    world.gate.release();
    const refused = await a.whenAudit('A giving up', is('removal_execute', 'refused', APPROVER), auditFrom);
    expect(refused.detail).toContain('nothing was changed in IAM');
    expect(deleteCalls(world.iam, 'alice')).toBe(0);
    expect(await world.iam.getLoginProfile('alice')).not.toBeNull();
    expect(storedRequest(world).state).toBe('failed');

    const bAuditFrom = b.auditCount;
    await click(world, b, APPROVER, 'mfa_approve_removal', approve, where);
    await b.whenAudit('B removing it', is('removal_execute', 'succeeded', APPROVER), bAuditFrom);
    expect(deleteCalls(world.iam, 'alice')).toBe(1);
    expect(storedRequest(world).state).toBe('done');
  }, 90_000);

  it('a slow removal that keeps its heartbeat is left alone by the other process, however old its claim', async () => {
    const world = await shared();
    const a = await bot(world, 'bot-a');
    const { approve, where } = await pendingRequest(world, a);

    // Each of A's calls for alice takes 25 s of A's clock (under the 30 s deadline); A's heartbeat
    // runs every 30 s meanwhile. GetUser, GetLoginProfile, ListMFADevices: 75 s; then the delete.
    const aliceCalls = (operation: string, userName: string | undefined) =>
      userName === 'alice' && operation !== 'listUserTags';
    world.gate.hold(aliceCalls);
    await click(world, a, APPROVER, 'mfa_approve_removal', approve, where);
    for (let call = 0; call < 4; call += 1) {
      await world.gate.whenHeld(1, 20_000);
      await a.advance(25 * SECOND);
      world.gate.release();
      world.gate.hold(aliceCalls);
    }
    // A now checks the user again after its delete, 100 s after its claim; 25 s more and the claim
    // is over two minutes old, its heartbeat five seconds.
    await world.gate.whenHeld(1, 20_000);
    await a.advance(25 * SECOND);

    const b = await bot(world, 'bot-b', 125 * SECOND);
    // B's housekeeping runs before every decision: a click shows whether it left the claim alone.
    await click(world, b, APPROVER, 'mfa_approve_removal', approve, where);
    const busy = await b.whenAudit('B refusing a second approval', is('removal_approve', 'refused', APPROVER));
    expect(busy.detail).toBe('the request is executing');
    expect(b.auditCount).toBe(1);

    const auditFrom = a.auditCount;
    world.gate.release();
    const executed = await a.whenAudit(
      'A recording its removal',
      is('removal_execute', 'succeeded', APPROVER),
      auditFrom,
    );
    expect(executed.detail).toMatch(/^owners file sha256:[0-9a-f]{12}$/);
    expect(storedRequest(world).state).toBe('done');
    expect(deleteCalls(world.iam, 'alice')).toBe(1);
    await Promise.all([a.stop(), b.stop()]);
  }, 90_000);
});
