import { escapeMrkdwn, isSlackUserId, mentionOrText } from '../../../src/slack/blocks/mrkdwn';

describe('escapeMrkdwn', () => {
  it.each([
    ['plain', 'plain'],
    ['a & b', 'a &amp; b'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['<https://evil|click>', '&lt;https://evil|click&gt;'],
    // `&` goes first: an entity already in the input is shown as typed, not decoded by Slack.
    ['&lt;', '&amp;lt;'],
    ['&&<<>>', '&amp;&amp;&lt;&lt;&gt;&gt;'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });
});

describe('mentionOrText', () => {
  it.each([
    ['U0123ABCD', '<@U0123ABCD>'],
    ['W0123ABCD', '<@W0123ABCD>'],
    ['U12', '<@U12>'],
    ['u0123abcd', 'u0123abcd'],
    ['C0123ABCD', 'C0123ABCD'],
    ['U1', 'U1'],
    [`U${'A'.repeat(21)}`, `U${'A'.repeat(21)}`],
    ['U123> <!channel', 'U123&gt; &lt;!channel'],
    ['alice@example.com', 'alice@example.com'],
    ['<@U123>', '&lt;@U123&gt;'],
  ])('%j → %j', (id, expected) => {
    expect(mentionOrText(id)).toBe(expected);
    expect(isSlackUserId(id)).toBe(expected.startsWith('<@'));
  });
});
