/**
 * /mfa-status: usage for help and for text that cannot be an IAM user name (no AWS call), the
 * caller's own users, the approver's counts, a summary of many offenders cut to fit Block Kit,
 * and `scan` starting a scan (or saying one is running).
 */
import { startWorld } from '../../support/in-process-harness';
import { ALICE, APPROVER, BOB, SAMPLE_START, SECURITY_CHANNEL, seen, STRANGER } from '../../support/sample-world';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('/mfa-status', () => {
  describe('usage, and no AWS call', () => {
    const USAGE: ReadonlyArray<readonly [string, string | null]> = [
      ['help', null],
      ['HELP', null],
      ['  help  ', null],
      ['alice bob', 'is more than one word'],
      ['<@U0BOB12345|bob> <@U012ABCDEF|alice>', 'is more than one word'],
      ['<#C0SECURITY01|security-alerts>', 'is a Slack channel'],
      ['#general', 'is a Slack channel'],
      ['<!here>', 'is not one person'],
      ['a'.repeat(65), 'is longer than 64 characters'],
      ['alice!', 'is not an IAM user name'],
      // As Slack sends `<script>&` with should_escape: true.
      ['&lt;script&gt;&amp;', 'is not an IAM user name'],
      ['&lt;@U0BOB12345&gt;', 'is not an IAM user name'],
    ];

    it.each(USAGE)('%j answers usage (problem: %s)', async (text, problem) => {
      const w = await startWorld();
      const calls = w.iam.calls.length;
      const replies = await w.command(ALICE, text);
      expect(replies).toHaveLength(1);
      const body = seen(replies[0]);
      expect(body).toContain('How to use /mfa-status');
      if (problem === null) expect(body).not.toContain(':warning:');
      else expect(body).toContain(problem);
      // What was typed is shown escaped, never as live mrkdwn.
      expect(body).not.toContain('<script>');
      await w.idle();
      expect(w.iam.calls).toHaveLength(calls);
      expect(w.slack.refused).toEqual([]);
    });
  });

  it('no text, for someone with no IAM users: a friendly "nothing needs your attention"', async () => {
    // Without flaky-user, every user could be checked: an all-clear can be given.
    const w = await startWorld({ prepareIam: (iam) => iam.removeUser('flaky-user') });
    const body = seen((await w.command(STRANGER, ''))[0]);
    expect(body).toContain('Nothing needs your attention');
    expect(body).not.toMatch(/need MFA ·/);
  });

  it('no text, for an owner: their users with their status, and no account counts', async () => {
    const w = await startWorld();
    const body = seen((await w.command(BOB, ''))[0]);
    expect(body).toContain('`bob`');
    expect(body).not.toContain('`alice`');
    expect(body).not.toMatch(/need MFA ·/);
  });

  it("no text, for an approver: the account's counts too", async () => {
    const w = await startWorld();
    const body = seen((await w.command(APPROVER, ''))[0]);
    // Sample account: 5 offenders, 2 in grace, 2 exempt, 1 error, 3 with MFA, 1 without a password.
    expect(body).toContain(
      '5 need MFA · 2 in grace period · 2 exempt · 1 could not be checked · 3 with MFA · 1 without console password',
    );
    expect(body).toContain('111122223333');
  });

  it('summary with 205 offenders is cut to fit Block Kit and says how many more there are', async () => {
    const w = await startWorld({
      prepareIam: (iam) => {
        for (let i = 0; i < 200; i += 1) {
          iam.addUser({
            userName: `contractor-${String(i).padStart(3, '0')}-with-a-rather-long-name`,
            userId: `AIDAMANY${String(i).padStart(13, '0')}`,
            createDate: new Date(SAMPLE_START.getTime() - 100 * DAY_MS),
            passwordLastUsed: new Date(SAMPLE_START.getTime() - 2 * DAY_MS),
            loginProfile: true,
            mfaDevices: [],
          });
        }
      },
    });
    const [reply] = await w.command(APPROVER, 'summary');
    // The reply breaks none of Block Kit's limits (test/support/block-kit-limits.ts), as Slack would check.
    expect(w.slack.refused).toEqual([]);
    expect(reply?.blocks.length).toBeLessThanOrEqual(50);
    const body = seen(reply);
    const shown = (body.match(/• `/g) ?? []).length;
    const more = /…and (\d+) more/.exec(body);
    expect(more).not.toBeNull();
    expect(shown).toBeGreaterThan(0);
    expect(shown + Number(more?.[1])).toBe(205);
    expect(body).toContain('IAM users without MFA (205)');
  });

  it('scan: starts a scan, a new summary is posted, then a DM says it finished (a scan may outlast its response_url)', async () => {
    const w = await startWorld();
    const summaries = w.slack.postsIn(SECURITY_CHANNEL).length;
    const auditFrom = w.auditLines.length;
    const dmsBefore = w.slack.dmsTo(APPROVER).length;
    const replies = await w.command(APPROVER, 'scan');
    expect(replies).toHaveLength(1);
    expect(seen(replies[0])).toContain('Started a scan');
    expect(seen(replies[0])).toContain('you will get a DM');
    const dms = w.slack.dmsTo(APPROVER).slice(dmsBefore);
    // The new scan's nudges are not the approver's (they own no offender); the last DM is the outcome.
    expect(seen(dms.at(-1)?.message)).toContain('Scan finished: 5 need MFA');
    expect(w.replies.filter((r) => r.userId === APPROVER).map((r) => r.via)).toEqual(['response_url']);
    expect(w.slack.postsIn(SECURITY_CHANNEL)).toHaveLength(summaries + 1);
    expect(w.audit(auditFrom)).toEqual([
      expect.objectContaining({ actor: APPROVER, action: 'scan_start', outcome: 'succeeded' }),
    ]);
  });

  it('scan while a scan is running: says so, and starts no second one', async () => {
    const w = await startWorld({ scan: false });
    const reportCalls = (): number => w.iam.calls.filter((c) => c.operation === 'generateCredentialReport').length;
    w.gate.hold((operation) => operation === 'generateCredentialReport');
    const scheduled = w.scan('schedule');
    // The scheduled scan is waiting on IAM.
    await w.gate.whenHeld(1);

    const busy = await w.command(APPROVER, 'scan');
    expect(busy).toHaveLength(1);
    expect(seen(busy[0])).toContain('A scan is already running');

    w.gate.release();
    await scheduled;
    await w.idle();
    expect(reportCalls()).toBe(1);
    expect(w.slack.postsIn(SECURITY_CHANNEL)).toHaveLength(1);
    // Nothing more was sent to the asker: no second "started" or "finished".
    expect(w.replies).toHaveLength(1);
  });
});

describe('/mfa-status when Slack does not show the caller’s email', () => {
  it('does not give an all-clear while email-owned users (svc-deploy) might be theirs', async () => {
    const w = await startWorld({ people: [{ id: 'U0NOEMAIL01' }] });
    const text = seen((await w.command('U0NOEMAIL01', ''))[0]);
    expect(text).toContain('Slack did not tell mfa-guard your email address');
    expect(text).not.toContain('Nothing needs your attention');
  });
});
