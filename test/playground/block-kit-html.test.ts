import { blocksHtml } from '../../src/playground/block-kit-html';

const nameOf = (id: string): string | undefined => (id === 'U1' ? 'Alice' : undefined);
const render = (block: unknown): string => blocksHtml([block], 'msg:D1:1.000001', nameOf);

describe('blocksHtml renders each block type the bot sends', () => {
  test.each([
    [
      'header',
      { type: 'header', text: { type: 'plain_text', text: 'Hi *there* <b>' } },
      '<div class="bk-header">Hi *there* &lt;b&gt;</div>',
    ],
    ['divider', { type: 'divider' }, '<hr class="bk-divider">'],
    [
      'context',
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'by <@U1>', verbatim: true },
          { type: 'plain_text', text: 'x' },
        ],
      },
      '<div class="bk-context"><span>by <span class="mention">@Alice</span></span><span>x</span></div>',
    ],
    [
      'section with text and fields',
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Status*', verbatim: true },
        fields: [{ type: 'mrkdwn', text: '*Owner*\n<@U1>', verbatim: true }],
      },
      '<div class="bk-section"><div class="bk-section-body"><div class="bk-text"><b>Status</b></div><div class="bk-fields"><div><b>Owner</b><br><span class="mention">@Alice</span></div></div></div></div>',
    ],
  ])('%s', (_name, block, expected) => {
    expect(render(block)).toBe(expected);
  });

  test('actions: buttons carry where they are, their action and value, style and confirm dialog', () => {
    const html = render({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'mfa_recheck',
          text: { type: 'plain_text', text: 'Recheck' },
          value: 'user:1:"x"',
          style: 'primary',
        },
        {
          type: 'button',
          action_id: 'mfa_approve_removal',
          text: { type: 'plain_text', text: 'Approve removal' },
          value: 'removal:1',
          style: 'danger',
          confirm: {
            title: { type: 'plain_text', text: 'Remove it?' },
            text: { type: 'plain_text', text: 'IAM user <img src=x>' },
            confirm: { type: 'plain_text', text: 'Remove it' },
            deny: { type: 'plain_text', text: 'Cancel' },
            style: 'danger',
          },
        },
      ],
    });
    expect(html).toContain(
      '<button type="button" class="bk-button bk-primary" data-where="msg:D1:1.000001" data-action-id="mfa_recheck" data-value="user:1:&quot;x&quot;">Recheck</button>',
    );
    expect(html).toContain(
      'class="bk-button bk-danger" data-where="msg:D1:1.000001" data-action-id="mfa_approve_removal"',
    );
    expect(html).toContain('<div class="bk-confirm" hidden><div class="bk-confirm-title">Remove it?</div>');
    expect(html).toContain('IAM user &lt;img src=x&gt;');
    expect(html).toContain('data-confirm="confirm">Remove it</button>');
  });

  test('a section accessory button and a link button', () => {
    const html = render({
      type: 'section',
      text: { type: 'plain_text', text: 'x' },
      accessory: {
        type: 'button',
        action_id: 'open',
        text: { type: 'plain_text', text: 'Open' },
        url: 'https://example.com/?a="b"',
      },
    });
    expect(html).toContain(
      '<div class="bk-accessory"><a class="bk-button" href="https://example.com/?a=&quot;b&quot;" target="_blank" rel="noopener noreferrer">Open</a></div>',
    );
  });

  test('what it does not know is a note, never markup', () => {
    expect(render({ type: '<script>', text: 'x' })).toBe(
      '<div class="bk-unknown">(a &lt;script&gt; block the playground cannot show)</div>',
    );
    expect(blocksHtml('not blocks', 'home', nameOf)).toBe('');
    expect(render({ type: 'section', text: 'not a text object' })).toContain('<div class="bk-text"></div>');
  });
});
