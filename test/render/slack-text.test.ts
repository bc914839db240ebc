import { buildRemediation } from '../../src/domain/remediation';
import { renderModalAsText, renderSlackMessageAsText } from '../../src/render/slack-text';
import type { Block, SlackMessage } from '../../src/slack/blocks/block-kit';
import { buildStepsView } from '../../src/slack/blocks/cli-steps-view';
import { buildNudgeMessage } from '../../src/slack/blocks/nudge-message';
import { buildScanSummaryMessage } from '../../src/slack/blocks/scan-summary-message';
import { HOSTILE, messageUsers, nudgeInput, summaryInput } from '../slack/blocks/fixtures';

const render = (...blocks: Block[]): string => renderSlackMessageAsText({ text: 'fallback', blocks });
const mrkdwnSection = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });

describe('renderSlackMessageAsText', () => {
  it.each<[string, Block, string]>([
    ['a header, underlined', { type: 'header', text: { type: 'plain_text', text: 'Hello' } }, 'Hello\n=====\n'],
    ['a divider', { type: 'divider' }, `${'-'.repeat(40)}\n`],
    ['entities decoded', mrkdwnSection('a &amp; b &lt;c&gt; &amp;lt;'), 'a & b <c> &lt;\n'],
    [
      'a link',
      mrkdwnSection('see <https://example.com/x?a=1&amp;b=2|the docs>'),
      'see the docs (https://example.com/x?a=1&b=2)\n',
    ],
    ['a bare link', mrkdwnSection('<https://example.com>'), 'https://example.com\n'],
    ['a mention', mrkdwnSection('owner <@U0123ABC>'), 'owner @U0123ABC\n'],
    ['a broadcast', mrkdwnSection('<!here>'), '@here\n'],
    ['bold', mrkdwnSection('*Fix 1:* do it'), 'Fix 1: do it\n'],
    ['a code block', mrkdwnSection('Run:\n```aws iam x --a &amp; b```\nthen'), 'Run:\n    aws iam x --a & b\nthen\n'],
    ['control characters', mrkdwnSection('ok\u001b[31m\u0007red'), 'ok [31m red\n'],
    [
      'fields',
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Users scanned*\n12', verbatim: true },
          { type: 'plain_text', text: 'alone' },
        ],
      },
      'Users scanned: 12\nalone\n',
    ],
    [
      'buttons',
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Recheck' } },
          { type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'Remove console access…' } },
        ],
      },
      '[Recheck] [Remove console access…]\n',
    ],
    [
      'context',
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'a', verbatim: true },
          { type: 'plain_text', text: 'b' },
        ],
      },
      'a · b\n',
    ],
  ])('%s', (_what, block, expected) => {
    expect(render(block)).toBe(expected);
  });

  it('shows a nudge with the user names, the console steps and the buttons', () => {
    const message = buildNudgeMessage(nudgeInput(messageUsers(['alice', 'bob']), { ownerSlackId: 'U1' }));
    const text = renderSlackMessageAsText(message);
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Your AWS IAM users need MFA', '===========================']);
    for (const userName of ['alice', 'bob']) {
      expect(text).toContain(`IAM user \`${userName}\` in AWS account \`111122223333\``);
      const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName });
      expect(text).toContain(`Open ${userName} in the IAM console (${r.enableMfa.consoleUrl})`);
      r.enableMfa.consoleSteps.forEach((step, i) => expect(lines).toContain(`${i + 1}. ${step}`));
    }
    expect(lines.filter((l) => l === '[Recheck] [Remove console access…] [Show CLI steps]')).toHaveLength(2);
  });

  it('shows the CLI steps modal with every command alone on its line, to copy whole', () => {
    const text = renderModalAsText(
      buildStepsView({
        kind: 'steps',
        account: { accountId: '111122223333', partition: 'aws', alias: null },
        userName: 'alice',
      }),
    );
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['AWS CLI steps', '=============']);
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'alice' });
    for (const command of [
      r.enableMfa.createQrCode,
      r.enableMfa.createBase32,
      r.enableMfa.deleteStaleDevice,
      r.enableMfa.enable,
      r.removeConsoleAccess.command,
    ]) {
      expect(lines).toContain(`    ${command}`);
    }
    expect(lines.at(-2)).toBe('[Close]');
  });

  it('shows hostile text as the characters it is, without control characters', () => {
    const message: SlackMessage = buildScanSummaryMessage(
      summaryInput({
        failedDms: [
          {
            recipient: 'x@example.com',
            users: [{ accountId: '111122223333', userName: 'a' }],
            error: `${HOSTILE}\u001b[2J`,
          },
        ],
      }),
    );
    const text = renderSlackMessageAsText(message);
    expect(text).toContain('failed: <!channel> <https://evil|click> & co [2J');
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});
