import { escapeHtml, mrkdwnToHtml, plainToHtml } from '../../src/playground/mrkdwn-html';

const names: Record<string, string> = { U012ABCDEF: 'Alice', UEVIL: '<b>Eve</b>' };
const nameOf = (id: string): string | undefined => names[id];

describe('mrkdwnToHtml', () => {
  test.each([
    ['bold', 'a *bold* word', 'a <b>bold</b> word'],
    ['italic', 'an _italic_ word', 'an <i>italic</i> word'],
    ['strike', 'a ~gone~ word', 'a <s>gone</s> word'],
    ['inline code is not styled', 'run `*x*` now', 'run <code>*x*</code> now'],
    ['bold around code', '*IAM user `alice`* here', '<b>IAM user <code>alice</code></b> here'],
    ['code block keeps its text', '```aws iam *x* <@U012ABCDEF>```', '<pre>aws iam *x* &lt;@U012ABCDEF&gt;</pre>'],
    [
      'link with label',
      '<https://example.com/a?b=1&amp;c=2|the console>',
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the console</a>',
    ],
    [
      'bare link',
      '<https://example.com>',
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>',
    ],
    ['javascript: is never a link', '<javascript:alert(1)|click>', 'click'],
    ['mention as name', 'hi <@U012ABCDEF>', 'hi <span class="mention">@Alice</span>'],
    ['unknown mention as id', 'hi <@U0NOBODY>', 'hi <span class="mention">@U0NOBODY</span>'],
    ['a name is escaped', 'hi <@UEVIL>', 'hi <span class="mention">@&lt;b&gt;Eve&lt;/b&gt;</span>'],
    ['channel', 'in <#C0SECURITY01|security-alerts>', 'in <span class="mention">#security-alerts</span>'],
    ['special mention', '<!here> look', '<span class="mention">@here</span> look'],
    [
      'escaped markup stays text',
      '&lt;img src=x onerror=alert(1)&gt; &lt;!channel&gt;',
      '&lt;img src=x onerror=alert(1)&gt; &lt;!channel&gt;',
    ],
    ['quotes and ampersands', `"a" & 'b'`, '&quot;a&quot; &amp; &#39;b&#39;'],
    ['emoji', ':warning: careful :unknown_thing:', '\u26a0\ufe0f careful :unknown_thing:'],
    ['new lines', 'one\ntwo', 'one<br>two'],
  ])('%s', (_name, input, expected) => {
    expect(mrkdwnToHtml(input, nameOf)).toBe(expected);
  });
});

test('plain text and escapeHtml escape every markup character', () => {
  expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  expect(plainToHtml('<script>\n*x*')).toBe('&lt;script&gt;<br>*x*');
});
