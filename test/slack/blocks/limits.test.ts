import { truncateMrkdwn } from '../../../src/slack/blocks/limits';
import { listSections, packSections } from '../../../src/slack/blocks/text-objects';

const ENTITY_SPLIT = /&(?:a|am|amp|l|lt|g|gt)?$/;
const fences = (text: string): number => text.split('```').length - 1;

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

  it('returns nothing when there is no room', () => {
    expect(listSections({ title: 't', lines: ['a'], maxBlocks: 0, more })).toEqual({ blocks: [], shown: 0 });
  });
});
