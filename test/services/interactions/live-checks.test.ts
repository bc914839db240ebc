/**
 * Who may cause live IAM checks from Slack, how many, and what they are told. Whether someone may
 * act on a user is decided from APPROVERS and what is stored (owners file, the finding's recorded
 * owner, the last scan), before any IAM call: a stranger's lookup or click costs none, so neither
 * its answer, its timing nor the call count tells whether the user exists. AWS error text goes to
 * approvers only. Live checks are rate-limited per person and in total; the check before an
 * approved removal never is. Refusals are audited, a person's repeats once a minute.
 */
import type { IamOperation } from '../../../src/adapters/memory/in-memory-iam';
import { AppError } from '../../../src/errors';
import type { SlackMessage } from '../../../src/slack/blocks/block-kit';
import { ephemeralReplyTo, startWorld, type World } from '../../support/in-process-harness';
import { ALICE, APPROVER, BOB, seen, STRANGER, userButton } from '../../support/sample-world';

const MINUTE_MS = 60_000;
const ROLE_ARN = 'arn:aws:sts::111122223333:assumed-role/mfa-guard-bot/i-0abc';

/** bob's finding value, from his DM. */
const bobRef = (w: World): string => {
  const dm = w.slack.dmsTo(BOB)[0];
  if (dm === undefined) throw new Error('the scan sent bob no DM');
  return userButton(dm.message.blocks, 'bob', 'mfa_recheck').value;
};

/** IAM calls made by whatever `act` does, once everything it started has finished. */
const iamCallsOf = async (w: World, act: () => Promise<unknown>): Promise<IamOperation[]> => {
  const before = w.iam.calls.length;
  await act();
  await w.idle();
  return w.iam.calls.slice(before).map((c) => c.operation);
};

describe("a stranger's lookups and clicks never reach AWS", () => {
  type Act = readonly [string, (w: World) => Promise<SlackMessage | null | SlackMessage[]>, string];
  const ACTS: readonly Act[] = [
    ['/mfa-status bob (exists, owned by bob)', (w) => w.command(STRANGER, 'bob'), 'You can only look up'],
    ['/mfa-status nosuchuser', (w) => w.command(STRANGER, 'nosuchuser'), 'You can only look up'],
    ['/mfa-status carol (compliant, no owner on record)', (w) => w.command(STRANGER, 'carol'), 'You can only look up'],
    ['/mfa-status alice (owners file)', (w) => w.command(STRANGER, 'alice'), 'You can only look up'],
    ['Recheck on bob', (w) => w.click(STRANGER, 'mfa_recheck', bobRef(w), ephemeralReplyTo(STRANGER)), 'Only the'],
    [
      'Remove console access… on bob',
      (w) => w.click(STRANGER, 'mfa_request_removal', bobRef(w), ephemeralReplyTo(STRANGER)),
      'Only the',
    ],
    [
      'Recheck with a forged user value',
      (w) => w.click(STRANGER, 'mfa_recheck', 'user:AIDAEXAMPLE0000000003:bob', null),
      'Only the',
    ],
  ];

  it.each(ACTS)('%s: 0 IAM calls, refused and audited', async (_label, act, words) => {
    const w = await startWorld();
    const auditFrom = w.auditLines.length;
    let answer: unknown;
    expect(await iamCallsOf(w, async () => (answer = await act(w)))).toEqual([]);
    expect(seen(Array.isArray(answer) ? answer[0] : (answer as SlackMessage | null))).toContain(words);
    expect(w.audit(auditFrom)).toEqual([expect.objectContaining({ actor: STRANGER, outcome: 'refused' })]);
  });

  it('even when IAM is denied: the stranger reads the same refusal, never the AWS error', async () => {
    const w = await startWorld();
    w.iam.failWith(
      'getUser',
      new AppError('iam_access_denied', `User: ${ROLE_ARN} is not authorized to perform: iam:GetUser`),
    );
    const [answer] = await w.command(STRANGER, 'bob');
    expect(seen(answer)).toContain('You can only look up IAM users you own');
    expect(seen(answer)).not.toContain(ROLE_ARN);
  });

  it("an owner's lookup is checked live: GetUser, GetLoginProfile, ListMFADevices, ListUserTags", async () => {
    const w = await startWorld();
    expect(await iamCallsOf(w, () => w.command(BOB, 'bob'))).toEqual([
      // Nothing about the account: the home account is known since it scanned, and its alias is the stored one.
      'getUser',
      'getLoginProfile',
      'listMfaDevices',
      'listUserTags',
    ]);
  });
});

describe('AWS error text goes to approvers only', () => {
  const denied = (w: World): void =>
    w.iam.failWith(
      'getUser',
      new AppError('iam_access_denied', `User: ${ROLE_ARN} is not authorized to perform: iam:GetUser`, {
        hint: 'Allow iam:GetUser for the bot role.',
      }),
    );

  it.each([
    ['the owner looking up', (w: World) => w.command(BOB, 'bob')],
    ['the owner rechecking', (w: World) => w.click(BOB, 'mfa_recheck', bobRef(w), ephemeralReplyTo(BOB))],
    [
      'the owner asking for removal',
      (w: World) => w.click(BOB, 'mfa_request_removal', bobRef(w), ephemeralReplyTo(BOB)),
    ],
  ])('%s is told it could not be checked and that the security team can see why', async (_label, act) => {
    const w = await startWorld();
    denied(w);
    const answered = await act(w);
    const text = seen(Array.isArray(answered) ? answered[0] : answered);
    expect(text).toContain('could not be checked just now; the security team can see why');
    expect(text).not.toContain(ROLE_ARN);
    expect(text).not.toContain('iam:GetUser');
    // The security team can: the log has it.
    expect(w.logs.join('\n')).toContain(ROLE_ARN);
  });

  it('an approver reads the AWS error', async () => {
    const w = await startWorld();
    denied(w);
    const [answer] = await w.command(APPROVER, 'bob');
    expect(seen(answer)).toContain(ROLE_ARN);
  });

  it("the owner of a user whose MFA devices cannot be listed sees no AWS text in the user's card", async () => {
    const w = await startWorld();
    w.iam.failWith('listMfaDevices', new AppError('iam_access_denied', `User: ${ROLE_ARN} is not authorized`), {
      userName: 'bob',
    });
    const owner = seen((await w.command(BOB, 'bob'))[0]);
    expect(owner).toContain('the security team can see why');
    expect(owner).not.toContain(ROLE_ARN);
    expect(seen((await w.command(APPROVER, 'bob'))[0])).toContain(ROLE_ARN);
  });
});

describe('a user whose owner no stored record names', () => {
  // jules has MFA (compliant): a scan never reads its tags, so its owner tag (U0JULES0001) is on no record.
  it('is looked up by approvers only, and its tag owner is refused without an IAM call', async () => {
    const w = await startWorld();
    expect(await iamCallsOf(w, () => w.command('U0JULES0001', 'jules'))).toEqual([]);
    expect(seen(w.replies.at(-1)?.message)).toContain('You can only look up');
    expect(seen((await w.command(APPROVER, 'jules'))[0])).toContain('`jules`');
  });
});

describe('live checks are rate-limited', () => {
  it('10 a minute for a person: the 11th is refused with when to try again, and costs no IAM call', async () => {
    const w = await startWorld();
    for (let i = 0; i < 10; i += 1) expect(seen((await w.command(ALICE, 'alice'))[0])).toContain('`alice`');
    expect(await iamCallsOf(w, () => w.command(ALICE, 'alice'))).toEqual([]);
    const limited = seen(w.replies.at(-1)?.message);
    expect(limited).toContain('Too many live IAM checks');
    expect(limited).toContain('Try again at 2026-11-23 14:01:00 UTC (in 60 seconds)');
    // Another person is not held to alice's limit.
    expect(seen((await w.command(BOB, 'bob'))[0])).toContain('`bob`');
    // A Recheck counts too.
    const recheck = await w.click(
      ALICE,
      'mfa_recheck',
      userButton(w.slack.dmsTo(ALICE)[0]?.message.blocks, 'alice', 'mfa_recheck').value,
      ephemeralReplyTo(ALICE),
    );
    expect(seen(recheck)).toContain('Too many live IAM checks');

    w.clock.advance(MINUTE_MS);
    expect(seen((await w.command(ALICE, 'alice'))[0])).toContain('`alice`');
  });

  it('approvers are held only to the total; the check before an approved removal never is', async () => {
    const w = await startWorld({ env: { LIVE_CHECKS_PER_USER_PER_MINUTE: '2', LIVE_CHECKS_PER_MINUTE: '4' } });
    // alice asks for removal (1 live check).
    const dm = w.slack.dmsTo(ALICE)[0];
    if (dm === undefined) throw new Error('no DM to alice');
    const remove = userButton(dm.message.blocks, 'alice', 'mfa_request_removal');
    expect(seen(await w.click(ALICE, remove.actionId, remove.value, dm))).toContain('Asked the approvers');
    // The approver goes past the per-person limit of 2, up to the total of 4.
    for (const name of ['bob', 'frank', 'carol'])
      expect(seen((await w.command(APPROVER, name))[0])).toContain(`\`${name}\``);
    expect(seen((await w.command(APPROVER, 'gina'))[0])).toContain('Too many live IAM checks');
    expect(seen((await w.command(BOB, 'bob'))[0])).toContain('Too many live IAM checks');

    const { where, approve } = w.approvalFor('alice');
    await w.click(APPROVER, 'mfa_approve_removal', approve, where);
    expect(w.textAt(where)).toContain('Removed by');
    expect(await w.iam.getLoginProfile('alice')).toBeNull();
  });
});

describe('refusals are audited without growing the log at will', () => {
  it("a stranger's repeated refusals: the first at once, the rest of the minute as one `refused ×N` entry", async () => {
    const w = await startWorld();
    const from = w.auditLines.length;
    for (const name of ['alice', 'bob', 'nosuchuser', 'bob', 'alice']) await w.command(STRANGER, name);
    await w.idle();
    expect(w.audit(from)).toEqual([
      expect.objectContaining({ actor: STRANGER, action: 'status_user', outcome: 'refused', userName: 'alice' }),
    ]);
    // Still within the minute: nothing more is written.
    w.clock.advance(MINUTE_MS - 1);
    await w.openHome(STRANGER);
    expect(w.audit(from)).toHaveLength(1);

    // The minute closes; the next request writes the digest.
    w.clock.advance(1);
    await w.openHome(STRANGER);
    const lines = w.audit(from);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ actor: STRANGER, action: 'status_user', outcome: 'refused', userName: null });
    expect(lines[1]?.detail).toMatch(/^refused ×4 more within a minute of the refusal at 2026-11-23T14:00:00.000Z/);
    expect(lines[1]?.detail).toContain('IAM users: bob, nosuchuser, alice');
  });
});
