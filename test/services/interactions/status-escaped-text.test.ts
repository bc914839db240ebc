/**
 * /mfa-status with the text as Slack sends it (`should_escape: true`): an email Slack made into a
 * `<mailto:…|…>` link is the IAM user of that name, and a mention `<@U…|name>` asks for that
 * person's IAM users, which only approvers may see; anyone else is told so before anything is
 * looked up.
 */
import { startWorld } from '../../support/in-process-harness';
import { ALICE, APPROVER, BOB, buttonsIn, PLATFORM, SAMPLE_START, seen, STRANGER } from '../../support/sample-world';

const DAY_MS = 24 * 60 * 60 * 1000;
const AB = 'a.b@example.com';
const AB_ID = 'AIDAEMAILSHAPED000001';

const withEmailShapedUser = () =>
  startWorld({
    prepareIam: (iam) =>
      iam.addUser({
        userName: AB,
        userId: AB_ID,
        createDate: new Date(SAMPLE_START.getTime() - 40 * DAY_MS),
        passwordLastUsed: new Date(SAMPLE_START.getTime() - 2 * DAY_MS),
        loginProfile: true,
        mfaDevices: [],
      }),
  });

/** The IAM users named, as cards or list lines, in some answer. */
const namedIn = (text: string, names: readonly string[]): string[] => names.filter((n) => text.includes(`\`${n}\``));

describe('/mfa-status <mailto:…>: an email-shaped IAM user name', () => {
  it.each([[`<mailto:${AB}|${AB}>`], [`<mailto:${AB}>`], [`  <mailto:${AB}|${AB}>  `]])(
    '%j looks up the IAM user a.b@example.com, live',
    async (text) => {
      const w = await withEmailShapedUser();
      const from = w.iam.calls.length;
      const [answer] = await w.command(APPROVER, text);
      expect(w.iam.calls.slice(from).filter((c) => c.operation === 'getUser')).toEqual([
        expect.objectContaining({ userName: AB }),
      ]);
      expect(seen(answer)).toContain(`\`${AB}\``);
      // The scan opened its finding: the buttons point at it.
      const finding = w.stored().findings.find((f) => f.userName === AB);
      expect(buttonsIn(answer?.blocks).map((b) => b.value)).toContain(`finding:${finding?.id}`);
      expect(w.slack.refused).toEqual([]);
    },
  );

  it('its owner by name (dana@example.com is deactivated) is refused like anyone, before any IAM call', async () => {
    const w = await startWorld();
    const from = w.iam.calls.length;
    const [answer] = await w.command(STRANGER, '<mailto:dana@example.com|dana@example.com>');
    expect(seen(answer)).toContain('You can only look up IAM users you own');
    expect(seen(answer)).toContain('`dana@example.com`');
    expect(w.iam.calls.slice(from)).toEqual([]);
  });
});

describe('/mfa-status <@U…|name>: one person’s IAM users', () => {
  it("an approver sees bob's IAM users (owner on record by Slack ID), and no one else's", async () => {
    const w = await startWorld();
    const [answer] = await w.command(APPROVER, `<@${BOB}|bob>`);
    const text = seen(answer);
    expect(text).toContain(`IAM users of <@${BOB}> (1)`);
    expect(namedIn(text, ['bob', 'alice', 'frank', 'svc-deploy', 'dana@example.com'])).toEqual(['bob']);
    expect(w.slack.refused).toEqual([]);
  });

  it("an approver sees the users owned by the person's email as Slack shows it (svc-* → platform@example.com)", async () => {
    const w = await startWorld();
    const [answer] = await w.command(APPROVER, `<@${PLATFORM}>`);
    expect(namedIn(seen(answer), ['svc-deploy', 'bob', 'alice'])).toEqual(['svc-deploy']);
  });

  it('someone of another organization with the same email is not matched: their list says why it may be incomplete', async () => {
    const GUEST = 'U0GUEST0001';
    const w = await startWorld({ people: [{ id: GUEST, email: 'platform@example.com', teamId: 'T0PARTNER01' }] });
    const [answer] = await w.command(APPROVER, `<@${GUEST}|guest>`);
    const text = seen(answer);
    expect(namedIn(text, ['svc-deploy'])).toEqual([]);
    expect(text).toContain('not a member of this workspace');
  });

  it('for a stranger: "you can only see your own", audited, with no IAM call and no Slack lookup of bob', async () => {
    const w = await startWorld();
    const calls = w.iam.calls.length;
    const auditFrom = w.auditLines.length;
    const [answer] = await w.command(STRANGER, `<@${BOB}|bob>`);
    expect(seen(answer)).toContain('You can only see your own IAM users');
    expect(seen(answer)).not.toContain('`bob`');
    await w.idle();
    expect(w.iam.calls).toHaveLength(calls);
    expect(w.audit(auditFrom)).toEqual([
      expect.objectContaining({ actor: STRANGER, action: 'status_user', outcome: 'refused' }),
    ]);
  });

  it('an owner who is not an approver (alice) cannot see bob’s either', async () => {
    const w = await startWorld();
    const [answer] = await w.command(ALICE, `<@${BOB}|bob>`);
    expect(seen(answer)).toContain('You can only see your own IAM users');
  });

  it('mentioning yourself is `/mfa-status`: bob sees his own users', async () => {
    const w = await startWorld();
    const [mention] = await w.command(BOB, `<@${BOB}|bob>`);
    const [plain] = await w.command(BOB, '');
    expect(seen(mention)).toBe(seen(plain));
    expect(seen(mention)).toContain('`bob`');
  });
});
