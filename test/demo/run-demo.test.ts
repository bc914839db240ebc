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
  it('renders every Slack message the scan sends: one DM per reachable owner, then the summary', async () => {
    const { code, stdout } = await demo();
    expect(code).toBe(0);
    const headings = [...stdout.matchAll(/^=== Slack (.*) ===$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'DM to U012ABCDEF',
      'DM to U0BOB12345',
      'DM to U0PLATFORM1',
      'message in #security-alerts (C0SECURITY01)',
    ]);
    expect(stdout).toContain('aws iam enable-mfa-device --user-name svc-deploy');
    expect(stdout).toContain('[Recheck] [Remove console access…]');
    // dana@example.com is not in the sample workspace and frank has no owner: both go to the channel.
    const summary = stdout.slice(stdout.indexOf('#security-alerts (C0SECURITY01) ==='));
    expect(summary).toContain('dana@example.com is not in this Slack workspace');
    expect(summary).toContain('IAM user `frank`');
  });

  it('prints a Block Kit Builder link per message that holds exactly a valid message', async () => {
    const { stdout } = await demo();
    const links = [...stdout.matchAll(/Block Kit Builder: (\S+)/g)].map((m) => m[1] ?? '');
    expect(links).toHaveLength(4);
    for (const link of links) {
      expect(link.startsWith(BUILDER)).toBe(true);
      const payload: { blocks?: unknown } = JSON.parse(decodeURIComponent(link.slice(BUILDER.length)));
      expect(payload).toEqual({ blocks: expect.any(Array) });
      expect(blockKitProblems(payload.blocks)).toEqual([]);
    }
  });

  it('then walks through /mfa-status, a removal request and its approval, with the audit lines', async () => {
    const { code, stdout } = await demo();
    expect(code).toBe(0);
    const after = stdout.slice(stdout.indexOf('Then people answer the bot'));
    expect(after).toContain('`alice`: needs MFA');
    expect(after).toContain('Asked the approvers to remove the console password of IAM user `alice` (request #1)');
    expect(after).toContain('[Approve removal] [Deny]');
    expect(after).toContain('Removed by @U0SECURITY1');
    expect(after).toContain('Console sessions already open are not ended');
    const audit = [...after.matchAll(/^ {2}(\{"type":"audit".*)$/gm)].map((m): { action: string; outcome: string } =>
      JSON.parse(m[1] ?? '{}'),
    );
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'removal_request:succeeded',
      'removal_approve:succeeded',
      'removal_execute:succeeded',
      'finding_closed:succeeded',
    ]);
  });
});
