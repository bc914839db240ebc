/** Removal requests meeting IAM in an unexpected state. */
import { SAMPLE_OWNERS_FILE_YAML } from '../../../src/adapters/memory/sample-account';
import { ownersFileHash } from '../../../src/adapters/owners-file';
import { AppError } from '../../../src/errors';
import { startWorld, type Where, type World } from '../../support/in-process-harness';
import { ALICE, APPROVER, BOB, buttonsIn, SAMPLE_START, seen } from '../../support/sample-world';

describe('removal edge cases', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  const removeButton = (userId: string): { value: string; where: Where } => {
    const dm = w.slack.dmsTo(userId)[0];
    const button = buttonsIn(dm?.message.blocks).find((b) => b.actionId === 'mfa_request_removal');
    if (dm === undefined || button === undefined) throw new Error(`no Remove button in the DM to ${userId}`);
    return { value: button.value, where: dm };
  };

  it('a password already gone when DeleteLoginProfile runs (NoSuchEntity) counts as removed', async () => {
    const remove = removeButton(ALICE);
    await w.click(ALICE, 'mfa_request_removal', remove.value, remove.where);
    const { where, approve } = w.approvalFor('alice');
    // Someone removes it by hand between the bot's live check and its delete.
    w.onIamCall = (operation, userName) => {
      if (operation === 'deleteLoginProfile' && userName === 'alice') w.iam.setLoginProfile('alice', false);
    };
    await w.click(APPROVER, 'mfa_approve_removal', approve, where);
    expect(w.textAt(where)).toContain('Removed by');
    expect(w.stored().removals.map((r) => r.state)).toEqual(['done']);
    expect(
      w
        .audit()
        .filter((l) => l.action === 'removal_execute')
        .map((l) => [l.outcome, l.detail]),
    ).toEqual([
      [
        'succeeded',
        `the console password was already gone; owners file sha256:${ownersFileHash(SAMPLE_OWNERS_FILE_YAML).slice(0, 12)}`,
      ],
    ]);
  });

  it('an owner whose user’s tags cannot be read just now is told it could not be checked, not refused', async () => {
    const remove = removeButton(BOB);
    w.iam.failWith(
      'listUserTags',
      new AppError('iam_access_denied', 'AWS denied iam:ListUserTags for user bob (AccessDenied).'),
      { userName: 'bob' },
    );
    const before = w.auditLines.length;
    const answer = await w.click(BOB, 'mfa_request_removal', remove.value, remove.where);
    expect(seen(answer)).toContain('could not be checked');
    expect(seen(answer)).not.toContain('Only the');
    expect(w.audit(before).map((l) => `${l.action}:${l.outcome}`)).toEqual(['removal_request:failed']);
    expect(w.stored().removals).toEqual([]);
  });

  it('a removal closes the user’s finding open now, even one opened after the request', async () => {
    const remove = removeButton(ALICE);
    await w.click(ALICE, 'mfa_request_removal', remove.value, remove.where);
    const { where, approve } = w.approvalFor('alice');

    // alice adds MFA (a scan closes her finding), then loses it again (the next scan opens a new one).
    const user = await w.iam.getUser('alice');
    if (user === null) throw new Error('alice is missing');
    w.iam.addMfaDevice('alice', {
      serialNumber: 'arn:aws:iam::111122223333:mfa/alice',
      kind: 'virtual',
      enableDate: SAMPLE_START,
    });
    await w.scan();
    w.iam.removeUser('alice');
    w.iam.addUser({
      userName: 'alice',
      userId: user.userId,
      createDate: user.createDate,
      loginProfile: true,
      mfaDevices: [],
    });
    await w.scan();
    const findings = () => w.stored().findings.filter((f) => f.userName === 'alice');
    expect(findings().map((f) => f.closedAt === null)).toEqual([false, true]);

    await w.click(APPROVER, 'mfa_approve_removal', approve, where);
    expect(w.textAt(where)).toContain('Removed by');
    expect(findings().map((f) => f.closedAt === null)).toEqual([false, false]);
    expect(w.audit().filter((l) => l.action === 'finding_closed')).toHaveLength(1);
  });
});
