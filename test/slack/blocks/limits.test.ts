import type { Block } from '../../../src/slack/blocks/block-kit';
import { BLOCKS_TEXT_BUDGET, blocksTextLength, truncateMrkdwn } from '../../../src/slack/blocks/limits';
import { listSections, packSections } from '../../../src/slack/blocks/text-objects';
import { userActions } from '../../../src/slack/blocks/user-card';
import { blocksTextLength as independentTextLength, LIMITS } from '../../support/block-kit-limits';
import { messageUsers } from './fixtures';

const ENTITY_SPLIT = /&(?:a|am|amp|l|lt|g|gt)?$/;
const fences = (text: string): number => text.split('```').length - 1;

describe('blocksTextLength', () => {
  it('keeps a margin under what Slack refuses as msg_blocks_too_long', () => {
    expect(BLOCKS_TEXT_BUDGET).toBeLessThanOrEqual(LIMITS.blocksTextTotal - 1500);
  });

  it('adds up every text object, as Slack does and as the independent checker does', () => {
    const [user] = messageUsers(['alice']);
    if (user === undefined) throw new Error('no user');
    const actions = userActions(user, true);
    const blocks: Block[] = [
      { type: 'header', text: { type: 'plain_text', text: 'abc' } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'de', verbatim: true },
        fields: [
          { type: 'mrkdwn', text: 'f', verbatim: true },
          { type: 'plain_text', text: 'gh' },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'i', verbatim: true },
        accessory: { type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'jk' }, value: 'not text' },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'lmn', verbatim: true }] },
      { type: 'divider' },
      actions,
    ];
    const confirm = actions.elements[1]?.confirm;
    const actionsText =
      'Recheck'.length +
      'Remove console access…'.length +
      'Show CLI steps'.length +
      (confirm === undefined
        ? 0
        : confirm.title.text.length +
          confirm.text.text.length +
          confirm.confirm.text.length +
          confirm.deny.text.length);
    expect(blocksTextLength(blocks)).toBe(3 + 2 + 1 + 2 + 1 + 2 + 3 + actionsText);
    expect(blocksTextLength(blocks)).toBe(independentTextLength(blocks));
  });
});

describe('truncateMrkdwn', () => {
  it('leaves text within the limit alone', () => {
    expect(truncateMrkdwn('abc', 3)).toBe('abc');
    expect(truncateMrkdwn('', 0)).toBe('');
  });

  it('cuts with an ellipsis', () => {
    expect(truncateMrkdwn('abcdef', 4)).toBe('abc…');
  });

  it.each([
    ['an entity', 'x'.repeat(10) + '&amp;'.repeat(20)],
    ['a code block', `Run this:\n\`\`\`${'aws iam x '.repeat(20)}\`\`\`\nthen that.`],
    ['several code blocks and entities', `a \`\`\`one &lt;two&gt;\`\`\` b \`\`\`three &amp; four\`\`\` c`.repeat(5)],
    ['emoji', '😀'.repeat(30)],
  ])('never goes over the limit, splits %s or leaves a fence open', (_what, text) => {
    for (let max = 6; max < text.length + 2; max += 1) {
      const cut = truncateMrkdwn(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      if (text.length <= max) {
        expect(cut).toBe(text);
        continue;
      }
      const body = cut.replace(/…(\n```)?$/, '');
      expect(text.startsWith(body)).toBe(true);
      expect(body).not.toMatch(ENTITY_SPLIT);
      expect(fences(cut) % 2).toBe(0);
      // A lone high surrogate would be invalid UTF-16 in the JSON sent to Slack.
      expect(body).not.toMatch(/[\ud800-\udbff]$/);
    }
  });

  it('closes a code block it cut into', () => {
    const cut = truncateMrkdwn(`\`\`\`${'a'.repeat(100)}\`\`\``, 50);
    expect(cut).toMatch(/^```a+…\n```$/);
    expect(cut.length).toBeLessThanOrEqual(50);
  });
});

describe('packSections', () => {
  it('joins small parts into one section and starts a new one when the next part would not fit', () => {
    const blocks = packSections(['a'.repeat(1500), 'b'.repeat(1499), 'c']);
    expect(blocks.map((b) => b.text?.text.length)).toEqual([3000, 1]);
  });

  it('drops the leading newline of a part that starts a section', () => {
    const blocks = packSections(['a'.repeat(2999), '\nb']);
    expect(blocks.map((b) => b.text?.text)).toEqual(['a'.repeat(2999), 'b']);
  });

  it('cuts a single part longer than a section', () => {
    const blocks = packSections(['x'.repeat(5000)]);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.text?.text.length).toBe(3000);
  });
});

describe('listSections', () => {
  const more = (n: number) => `and ${n} more`;

  it.each([
    [5, 1, 5],
    [200, 1, null],
    [200, 3, null],
    [1000, 4, null],
  ])('%i lines in at most %i sections', (count, maxBlocks, allShown) => {
    const lines = Array.from({ length: count }, (_, i) => `• line ${i} ${'x'.repeat(50)}`);
    const { blocks, shown } = listSections({ title: '*Title*', lines, maxBlocks, more });
    expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
    const text = blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(text.startsWith('*Title*')).toBe(true);
    if (allShown !== null) {
      expect(shown).toBe(allShown);
      expect(text).not.toContain('more');
    } else {
      expect(shown).toBeLessThan(count);
      expect(text.match(/^• line/gm)).toHaveLength(shown);
      expect(text).toContain(`and ${count - shown} more`);
      // It uses the room it has rather than giving up early.
      expect(blocks).toHaveLength(maxBlocks);
    }
    blocks.forEach((b) => expect(b.text?.text.length).toBeLessThanOrEqual(3000));
  });

  it.each([300, 1000, 2500])('keeps the list within %i characters of text, still with its count', (maxChars) => {
    const lines = Array.from({ length: 200 }, (_, i) => `• line ${i} ${'x'.repeat(50)}`);
    const { blocks, shown } = listSections({ title: '*Title*', lines, maxBlocks: 4, maxChars, more });
    expect(blocksTextLength(blocks)).toBeLessThanOrEqual(maxChars);
    // It uses the room it has: one more line would not fit.
    expect(blocksTextLength(blocks) + 60).toBeGreaterThan(maxChars);
    const text = blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(text).toContain(`and ${200 - shown} more`);
  });

  it('leaves the list out when not even its title and count fit', () => {
    expect(listSections({ title: '*Title*', lines: ['• a'], maxBlocks: 4, maxChars: 10, more })).toEqual({
      blocks: [],
      shown: 0,
    });
  });

  it('returns nothing when there is no room', () => {
    expect(listSections({ title: 't', lines: ['a'], maxBlocks: 0, more })).toEqual({ blocks: [], shown: 0 });
  });
});
