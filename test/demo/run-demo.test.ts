import { runDemo } from '../../src/demo/run-demo';
import { blockKitProblems } from '../support/block-kit-limits';
import { createFakeClock } from '../support/fake-clock';

const BUILDER = 'https://app.slack.com/block-kit-builder/#';

const demo = async (): Promise<{ code: number; stdout: string; stderr: string }> => {
  let stdout = '';
  let stderr = '';
  const code = await runDemo(
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    createFakeClock(new Date('2026-11-28T14:00:00Z')),
  );
  return { code, stdout, stderr };
};

describe('the demo', () => {
  it('scans three sample accounts: two complete, the one refusing the AssumeRole fails first in the output with what to do', async () => {
    const { code, stdout } = await demo();
    expect(code).toBe(0);
    const failed = stdout.indexOf(
      'FAILED acme-sandbox (777788889999) (via arn:aws:iam::777788889999:role/mfa-guard-scanner)',
    );
    expect(failed).toBeGreaterThan(0);
    expect(stdout).toContain(
      'mfa-guard could not assume the role arn:aws:iam::777788889999:role/mfa-guard-scanner: AWS denied sts:AssumeRole (AccessDenied).',
    );
    expect(stdout).toContain('What to do: Deploy the mfa-guard member role in account 777788889999');
    expect(failed).toBeLessThan(stdout.indexOf('STATUS '));
    expect(stdout).toContain('Account acme-prod (111122223333) [aws]');
    expect(stdout).toContain('Account acme-staging (444455556666) [aws]');
    expect(stdout).toContain('Run: 3 accounts, 2 scanned, 1 failed.');
    // An account-scoped key and the accounts: default owner, both in acme-staging.
    expect(stdout).toMatch(/acme-staging \(444455556666\) +alice +U0BOB12345 \(owners-file:444455556666\/alice\)/);
    expect(stdout).toMatch(/acme-staging \(444455556666\) +deploy-bot +U0PLATFORM1 \(account-default:444455556666\)/);
  });

  it('renders every Slack message the scan sends: one DM per reachable owner, then the summary', async () => {
    const { code, stdout } = await demo();
    expect(code).toBe(0);
    const headings = [...stdout.matchAll(/^=== Slack (.*) ===$/gm)].map((m) => m[1]);
    // How DMs across accounts are grouped is notify-scan's; every owner with a user due hears, and the channel.
    expect(new Set(headings)).toEqual(
      new Set([
        'DM to U012ABCDEF',
        'DM to U0BOB12345',
        'DM to U0PLATFORM1',
        'message in #security-alerts (C0SECURITY01)',
      ]),
    );
    // A short DM: the console steps and the buttons; the AWS CLI is one click away.
    const dms = stdout.slice(stdout.indexOf('=== Slack DM to'), stdout.indexOf('#security-alerts (C0SECURITY01) ==='));
    expect(dms).toContain('Open svc-deploy in the IAM console (https://console.aws.amazon.com/');
    expect(dms).toContain('[Recheck] [Remove console access…] [Show CLI steps]');
    expect(dms).not.toContain('aws iam');
    // dana@example.com is not in the sample workspace and frank has no owner: both go to the channel.
    const summary = stdout.slice(stdout.indexOf('#security-alerts (C0SECURITY01) ==='));
    expect(summary).toContain('dana@example.com was not found in Slack (not a member, or deactivated)');
    expect(summary).toContain('IAM user `frank`');
  });

  it('prints a Block Kit Builder link per message that holds exactly a valid message', async () => {
    const { stdout } = await demo();
    const links = [...stdout.matchAll(/Block Kit Builder: (\S+)/g)].map((m) => m[1] ?? '');
    expect(links).toHaveLength([...stdout.matchAll(/^=== Slack (.*) ===$/gm)].length);
    expect(links.length).toBeGreaterThanOrEqual(4);
    for (const link of links) {
      expect(link.startsWith(BUILDER)).toBe(true);
      const payload: { blocks?: unknown } = JSON.parse(decodeURIComponent(link.slice(BUILDER.length)));
      expect(payload).toEqual({ blocks: expect.any(Array) });
      expect(blockKitProblems(payload.blocks)).toEqual([]);
    }
  });

  it('shows the modal Show CLI steps opens, with every command alone on its line', async () => {
    const { stdout } = await demo();
    const modal = stdout.slice(
      stdout.indexOf('clicks "Show CLI steps"'),
      stdout.indexOf('clicks "Remove console access…"'),
    );
    expect(modal).toContain('AWS CLI steps');
    const lines = modal.split('\n');
    for (const command of [
      'aws iam create-virtual-mfa-device --virtual-mfa-device-name alice --outfile ./alice-mfa.png --bootstrap-method QRCodePNG',
      'aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::111122223333:mfa/alice --authentication-code1 CODE1 --authentication-code2 CODE2',
      'aws iam delete-login-profile --user-name alice',
    ]) {
      expect(lines).toContain(`      ${command}`);
    }
    expect(modal).toContain('[Close]');
  });

  it('shows a reply in the DM: bob writes "done" after turning MFA on, and the bot answers and re-renders his DM', async () => {
    const { stdout } = await demo();
    const reply = stdout.slice(
      stdout.indexOf('U0BOB12345 turns on MFA for bob, then writes "done"'),
      stdout.indexOf('clicks "Show CLI steps"'),
    );
    // bob's DM covers his users of every account: the reply rechecks each in its own account.
    expect(reply).toContain('Rechecked your IAM users just now (2 users):');
    expect(reply).toContain(
      '`bob` in `acme-prod` (`111122223333`) is fixed: it has MFA now or no console password. Its finding is closed.',
    );
    expect(reply).toContain('`alice` in `acme-staging` (`444455556666`): still needs MFA');
    expect(reply).toContain('…and the DM it sent U0BOB12345 is re-rendered in place');
    // His DM also covers alice in acme-staging (the owners sample's account-scoped key), still to fix.
    const rerendered = reply.slice(reply.indexOf('…and the DM it sent U0BOB12345 is re-rendered in place'));
    expect(rerendered).toContain('Done (1)');
    expect(rerendered).toContain('IAM user `alice` in AWS account `acme-staging` (`444455556666`)');
    expect(rerendered).not.toContain('All fixed — thank you');
  });

  it('then walks through /mfa-status, a removal request and its approval, with the audit lines', async () => {
    const { code, stdout } = await demo();
    expect(code).toBe(0);
    const after = stdout.slice(stdout.indexOf('Then people answer the bot'));
    expect(after).toContain('`alice` in `acme-prod` (`111122223333`): needs MFA');
    expect(after).toContain('Asked the approvers to remove the console password of IAM user `alice` (request #1)');
    expect(after).toContain('[Approve removal] [Deny]');
    expect(after).toContain('Removed by @U0SECURITY1');
    expect(after).toContain('Console sessions already open are not ended');
    const audit = [...after.matchAll(/^ {2}(\{"type":"audit".*)$/gm)].map(
      (m): { action: string; accountId: string; userName: string; outcome: string } => JSON.parse(m[1] ?? '{}'),
    );
    // bob's "done" rechecks both his users (alice in acme-staging, then bob), each audited as a Recheck.
    expect(audit.map((a) => `${a.action}:${a.accountId}/${a.userName}:${a.outcome}`)).toEqual([
      'recheck:444455556666/alice:succeeded',
      'recheck:111122223333/bob:succeeded',
      'finding_closed:111122223333/bob:succeeded',
      'removal_request:111122223333/alice:succeeded',
      'removal_approve:111122223333/alice:succeeded',
      'removal_execute:111122223333/alice:succeeded',
      'finding_closed:111122223333/alice:succeeded',
    ]);
  });
});
