import { buildRemediation } from '../../../src/domain/remediation';
import type { AccountRef, Partition } from '../../../src/domain/types';
import type { ModalView } from '../../../src/slack/blocks/block-kit';
import { buildStepsView } from '../../../src/slack/blocks/cli-steps-view';
import { argvInShell, availableShells } from '../../domain/shell-harness';
import { modalViewProblems } from '../../support/block-kit-limits';
import { ACCOUNT, HOSTILE, longNames } from './fixtures';
import { unescapedProblems } from './limits-check';

const text = (view: ModalView): string =>
  view.blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : '')).join('\n');

const codeBlocks = (view: ModalView): string[] =>
  [...text(view).matchAll(/```([\s\S]*?)```/g)].map((m) =>
    (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );

const steps = (userName: string, account: AccountRef = ACCOUNT): ModalView =>
  buildStepsView({ kind: 'steps', account, userName });

/** The worst valid IAM names: 64 characters of what grows most when escaped, URL-encoded or quoted. */
const WORST_64 = [
  '&'.repeat(64),
  '+'.repeat(64),
  '@'.repeat(64),
  `<&>${'&'.repeat(61)}`,
  '-'.repeat(64),
  ...longNames(1),
];

describe('the CLI steps modal', () => {
  it.each<[string, Partition]>([
    ['alice', 'aws'],
    ['a.b@example.com', 'aws-us-gov'],
    ['-dash', 'aws-cn'],
    ['svc+ci=x,y', 'aws'],
    ...WORST_64.map((name): [string, Partition] => [name, 'aws']),
  ])('for %s in %s holds every command exactly as buildRemediation prints it, in order', (userName, partition) => {
    const account = { accountId: '111122223333', partition, alias: null };
    const view = steps(userName, account);
    const r = buildRemediation({ ...account, userName });
    expect(codeBlocks(view)).toEqual([
      r.enableMfa.createQrCode,
      r.enableMfa.createBase32,
      r.enableMfa.deleteStaleDevice,
      r.enableMfa.enable,
      r.removeConsoleAccess.command,
    ]);
    expect(modalViewProblems(view)).toEqual([]);
    expect(unescapedProblems(view)).toEqual([]);
  });

  it.each(availableShells())(
    'prints commands that %s splits into the argv meant: --authentication-code1/2, the name one word',
    (shell) => {
      const name = '-svc+ci=x,y@example.com';
      const [, , , enable = ''] = codeBlocks(steps(name));
      expect(enable).not.toContain('--authentication-code-1');
      expect(argvInShell(shell, enable)).toEqual([
        'aws',
        'iam',
        'enable-mfa-device',
        // A value starting with `-` goes with its option, so the CLI cannot read it as another option.
        `--user-name=${name}`,
        '--serial-number',
        `arn:aws:iam::111122223333:mfa/${name}`,
        '--authentication-code1',
        'CODE1',
        '--authentication-code2',
        'CODE2',
      ]);
    },
  );

  it('says whose steps they are, what the output file holds, and both fixes', () => {
    const view = steps('alice');
    const r = buildRemediation({ ...ACCOUNT, userName: 'alice' });
    const all = text(view);
    expect(all).toContain('*IAM user `alice`* in AWS account `111122223333` (aws).');
    expect(all).toContain('*Fix 1: enable MFA with the AWS CLI.*');
    expect(all).toContain(r.enableMfa.secretWarning);
    expect(all).toContain(r.enableMfa.seedStep);
    expect(all).toContain('*Fix 2: remove the console password.*');
    expect(view.title).toEqual({ type: 'plain_text', text: 'AWS CLI steps', emoji: true });
    expect(view.close).toEqual({ type: 'plain_text', text: 'Close', emoji: true });
  });

  it.each([
    ['loading', buildStepsView({ kind: 'loading' }), 'Loading the AWS CLI steps'],
    [
      'not allowed',
      buildStepsView({ kind: 'not_allowed', userName: HOSTILE }),
      'Only the owner of IAM user `&lt;!channel&gt; &lt;https://evil|click&gt; &amp; co` or an approver can see its steps.',
    ],
    ['unknown', buildStepsView({ kind: 'unknown' }), 'points at no IAM user mfa-guard knows'],
    ['error', buildStepsView({ kind: 'error', error: HOSTILE }), 'could not show the steps: &lt;!channel&gt;'],
  ])('the %s view is short, escaped and holds no command', (_what, view, words) => {
    expect(text(view)).toContain(words);
    expect(text(view)).not.toContain('aws iam');
    expect(modalViewProblems(view)).toEqual([]);
    expect(unescapedProblems(view)).toEqual([]);
  });

  it('an absurdly long error is cut', () => {
    const view = buildStepsView({ kind: 'error', error: 'x'.repeat(10_000) });
    expect(modalViewProblems(view)).toEqual([]);
    expect(text(view).length).toBeLessThan(1200);
  });
});
