import {
  blockKitProblems,
  blocksProblems,
  blocksTextLength,
  homeViewProblems,
  LIMITS,
  modalViewProblems,
} from '../support/block-kit-limits';

const chars = (n: number): string => 'x'.repeat(n);
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (overrides: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'mfa_recheck',
  text: plain('Recheck'),
  value: 'f:1',
  ...overrides,
});
const confirm = (overrides: Record<string, unknown> = {}) => ({
  title: plain('Remove console access?'),
  text: mrkdwn('This deletes the login profile.'),
  confirm: plain('Remove'),
  deny: plain('Cancel'),
  ...overrides,
});
const actions = (elements: unknown[]) => ({ type: 'actions', elements });

describe('blockKitProblems', () => {
  it('accepts a message that uses every block type we send, at every limit exactly', () => {
    const blocks = [
      { type: 'header', text: plain(chars(150)) },
      {
        type: 'section',
        block_id: chars(255),
        text: mrkdwn(chars(3000)),
        accessory: button({ text: plain(chars(75)) }),
      },
      { type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn(chars(2000))) },
      { type: 'context', elements: Array.from({ length: 10 }, () => mrkdwn(chars(3000))) },
      { type: 'divider' },
      actions([
        button({ action_id: chars(255), value: chars(2000) }),
        button({
          action_id: 'mfa_request_removal',
          style: 'danger',
          confirm: confirm({
            title: plain(chars(100)),
            text: mrkdwn(chars(300)),
            confirm: plain(chars(30)),
            deny: plain(chars(30)),
          }),
        }),
        ...Array.from({ length: 23 }, (_, i) => button({ action_id: `b${i}` })),
      ]),
      ...Array.from({ length: 44 }, () => ({ type: 'divider' })),
    ];
    expect(blocks).toHaveLength(50);
    // Every block on its own is within its limits…
    expect(blocksProblems(blocks)).toEqual([]);
    // …but no real message can hold them all: together they break Slack's limit on total text.
    const total = 150 + 3000 + 75 + 10 * 2000 + 10 * 3000 + 7 + 7 + (100 + 300 + 30 + 30) + 23 * 7;
    expect(blocksTextLength(blocks)).toBe(total);
    expect(blockKitProblems(blocks, chars(4000))).toEqual([
      `[ERROR] msg_blocks_too_long: the text of all blocks must add up to at most 11000 characters, got ${total} [json-pointer:/blocks]`,
    ]);
  });

  describe('the total text of all blocks (msg_blocks_too_long)', () => {
    /** One of each kind of text object, `n` characters in all, the rest in a last section. */
    const everyKindOfText = (total: number) => {
      const fixed = [
        { type: 'header', text: plain('h'.repeat(100)) },
        {
          type: 'section',
          fields: [mrkdwn('f'.repeat(1000)), plain('f'.repeat(1000))],
          accessory: button({ text: plain('b'.repeat(50)) }),
        },
        { type: 'context', elements: [mrkdwn('c'.repeat(500)), plain('c'.repeat(500))] },
        actions([
          button({
            text: plain('r'.repeat(20)),
            confirm: confirm({
              title: plain('t'.repeat(90)),
              text: mrkdwn('x'.repeat(290)),
              confirm: plain('y'.repeat(25)),
              deny: plain('n'.repeat(25)),
            }),
          }),
        ]),
      ];
      const used = 100 + 2000 + 50 + 1000 + 20 + 90 + 290 + 25 + 25;
      return [...fixed, section(chars(3000)), section(chars(3000)), section(chars(total - used - 6000))];
    };

    it('counts the text of every kind of text object, and nothing else', () => {
      // block_id, action_id, value and url are not text objects: they do not count.
      const blocks = [
        {
          ...section('abc'),
          block_id: chars(200),
          accessory: button({ action_id: chars(200), value: chars(2000), url: chars(100) }),
        },
      ];
      expect(blocksTextLength(blocks)).toBe(3 + 'Recheck'.length);
      expect(blocksTextLength(everyKindOfText(11_000))).toBe(11_000);
    });

    it('accepts exactly 11,000 characters', () => {
      expect(blockKitProblems(everyKindOfText(11_000))).toEqual([]);
    });

    it("rejects 11,001 characters, naming Slack's error", () => {
      expect(blockKitProblems(everyKindOfText(11_001))).toEqual([
        '[ERROR] msg_blocks_too_long: the text of all blocks must add up to at most 11000 characters, got 11001 [json-pointer:/blocks]',
      ]);
    });

    it('counts text the checker has no rule for, too', () => {
      // A text object in a place we never send still counts: the walk does not depend on block types.
      expect(blocksTextLength([{ type: 'section', text: mrkdwn('ab'), extra: { nested: [plain('cde')] } }])).toBe(5);
    });
  });

  it('accepts text alone and blocks alone', () => {
    expect(blockKitProblems(undefined, 'hello')).toEqual([]);
    expect(blockKitProblems([section('hi')])).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    [
      '51 blocks',
      Array.from({ length: 51 }, () => ({ type: 'divider' })),
      'at most 50 blocks, got 51 [json-pointer:/blocks]',
    ],
    [
      'section text 3001',
      [section(chars(3001))],
      'at most 3000 characters, got 3001 [json-pointer:/blocks/0/text/text]',
    ],
    [
      '11 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('a')) }],
      'at most 10 items, got 11 [json-pointer:/blocks/0/fields]',
    ],
    [
      'field 2001',
      [{ type: 'section', fields: [mrkdwn(chars(2001))] }],
      'at most 2000 characters, got 2001 [json-pointer:/blocks/0/fields/0/text]',
    ],
    [
      'header 151',
      [{ type: 'header', text: plain(chars(151)) }],
      'at most 150 characters, got 151 [json-pointer:/blocks/0/text/text]',
    ],
    [
      'header in mrkdwn',
      [{ type: 'header', text: mrkdwn('a') }],
      'must be plain_text [json-pointer:/blocks/0/text/type]',
    ],
    [
      'button text 76',
      [actions([button({ text: plain(chars(76)) })])],
      'got 76 [json-pointer:/blocks/0/elements/0/text/text]',
    ],
    [
      'button value 2001',
      [actions([button({ value: chars(2001) })])],
      'got 2001 [json-pointer:/blocks/0/elements/0/value]',
    ],
    [
      'action_id 256',
      [actions([button({ action_id: chars(256) })])],
      'got 256 [json-pointer:/blocks/0/elements/0/action_id]',
    ],
    ['block_id 256', [{ type: 'divider', block_id: chars(256) }], 'got 256 [json-pointer:/blocks/0/block_id]'],
    [
      'duplicate block_id',
      [
        { type: 'divider', block_id: 'a' },
        { type: 'divider', block_id: 'a' },
      ],
      'block_id "a" is not unique [json-pointer:/blocks/1/block_id]',
    ],
    ['duplicate action_id in a block', [actions([button(), button()])], 'action_id "mfa_recheck" is used twice'],
    [
      'confirm title 101',
      [actions([button({ confirm: confirm({ title: plain(chars(101)) }) })])],
      'got 101 [json-pointer:/blocks/0/elements/0/confirm/title/text]',
    ],
    [
      'confirm text 301',
      [actions([button({ confirm: confirm({ text: mrkdwn(chars(301)) }) })])],
      'got 301 [json-pointer:/blocks/0/elements/0/confirm/text/text]',
    ],
    [
      'confirm button 31',
      [actions([button({ confirm: confirm({ confirm: plain(chars(31)) }) })])],
      'got 31 [json-pointer:/blocks/0/elements/0/confirm/confirm/text]',
    ],
    [
      'deny button 31',
      [actions([button({ confirm: confirm({ deny: plain(chars(31)) }) })])],
      'got 31 [json-pointer:/blocks/0/elements/0/confirm/deny/text]',
    ],
    [
      '26 actions elements',
      [actions(Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` })))],
      'at most 25 items, got 26',
    ],
    [
      '11 context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('a')) }],
      'at most 10 items, got 11',
    ],
    [
      'accessory button text 76',
      [{ type: 'section', text: mrkdwn('a'), accessory: button({ text: plain(chars(76)) }) }],
      '[json-pointer:/blocks/0/accessory/text/text]',
    ],
    ['unknown block type', [{ type: 'video' }], 'unknown block type "video"'],
    ['section without text or fields', [{ type: 'section' }], 'a section needs text or fields'],
    ['empty text', [section('')], 'must be a non-empty string [json-pointer:/blocks/0/text/text]'],
    ['context without elements', [{ type: 'context' }], 'must be a non-empty array [json-pointer:/blocks/0/elements]'],
    [
      'confirm without deny',
      [actions([button({ confirm: { title: plain('t'), text: plain('x'), confirm: plain('ok') } })])],
      'must be a text object [json-pointer:/blocks/0/elements/0/confirm/deny]',
    ],
    ['a non-button element', [actions([{ type: 'static_select' }])], 'unsupported element type "static_select"'],
    ['a block that is not an object', ['divider'], 'must be a block object [json-pointer:/blocks/0]'],
    ['blocks that are not an array', { type: 'divider' }, 'must be an array [json-pointer:/blocks]'],
  ])('flags %s', (_name, blocks, problem) => {
    const problems = blockKitProblems(blocks);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
    expect(problems[0]).toMatch(/^\[ERROR\] /);
  });

  it.each([
    [4001, 'at most 4000 characters, got 4001'],
    [40_001, 'at most 40000 characters, got 40001'],
  ])('flags a %i-character text fallback', (length, problem) => {
    expect(blockKitProblems([], chars(length))).toEqual([`[ERROR] must be ${problem} [json-pointer:/text]`]);
  });

  it('flags a text fallback that is not a string', () => {
    expect(blockKitProblems(undefined, 42)).toEqual(['[ERROR] must be a string [json-pointer:/text]']);
  });

  it('reports every problem, not just the first', () => {
    expect(
      blockKitProblems([section(chars(3001)), { type: 'header', text: plain(chars(151)) }], chars(4001)),
    ).toHaveLength(3);
  });
});

describe('blocksProblems with a block limit', () => {
  const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));

  it.each([
    [50, undefined, []],
    [51, undefined, ['[ERROR] must have at most 50 blocks, got 51 [json-pointer:/blocks]']],
    [100, LIMITS.viewBlocks, []],
    [101, LIMITS.viewBlocks, ['[ERROR] must have at most 100 blocks, got 101 [json-pointer:/blocks]']],
  ])('%i blocks against a limit of %s', (count, max, expected) => {
    expect(blocksProblems(dividers(count), max)).toEqual(expected);
  });
});

describe('homeViewProblems', () => {
  const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));

  it('accepts a Home view of 100 blocks', () => {
    expect(homeViewProblems({ type: 'home', blocks: dividers(100) })).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    [
      '101 blocks',
      { type: 'home', blocks: dividers(101) },
      ['[ERROR] must have at most 100 blocks, got 101 [json-pointer:/blocks]'],
    ],
    ['a modal', { type: 'modal', blocks: [] }, ['[ERROR] must be home, got "modal" [json-pointer:/type]']],
    ['no blocks', { type: 'home' }, ['[ERROR] is required [json-pointer:/blocks]']],
    ['not an object', [], ['[ERROR] must be a view object [json-pointer:]']],
    [
      'a block over its limits',
      { type: 'home', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] },
      ['[ERROR] must be at most 150 characters, got 151 [json-pointer:/blocks/0/text/text]'],
    ],
  ])('flags %s', (_name, view, expected) => {
    expect(homeViewProblems(view)).toEqual(expected);
  });

  it("does not apply a message's total-text budget to a view", () => {
    const sections = Array.from({ length: 5 }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'x'.repeat(3000) },
    }));
    expect(homeViewProblems({ type: 'home', blocks: sections })).toEqual([]);
    expect(blockKitProblems(sections)).toHaveLength(1);
  });
});

describe('modalViewProblems', () => {
  const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
  const modal = (overrides: Record<string, unknown> = {}) => ({
    type: 'modal',
    title: plain(chars(24)),
    close: plain(chars(24)),
    blocks: dividers(100),
    ...overrides,
  });

  it('accepts a modal of 100 blocks with a 24-character title and close button', () => {
    expect(modalViewProblems(modal())).toEqual([]);
    expect(modalViewProblems(modal({ close: undefined, submit: plain(chars(24)) }))).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    [
      '101 blocks',
      modal({ blocks: dividers(101) }),
      ['[ERROR] must have at most 100 blocks, got 101 [json-pointer:/blocks]'],
    ],
    ['a Home view', modal({ type: 'home' }), ['[ERROR] must be modal, got "home" [json-pointer:/type]']],
    ['no title', modal({ title: undefined }), ['[ERROR] must be a text object [json-pointer:/title]']],
    [
      'a 25-character title',
      modal({ title: plain(chars(25)) }),
      ['[ERROR] must be at most 24 characters, got 25 [json-pointer:/title/text]'],
    ],
    ['a mrkdwn title', modal({ title: mrkdwn('Steps') }), ['[ERROR] must be plain_text [json-pointer:/title/type]']],
    [
      'a 25-character close button',
      modal({ close: plain(chars(25)) }),
      ['[ERROR] must be at most 24 characters, got 25 [json-pointer:/close/text]'],
    ],
    [
      'private_metadata over 3000 characters',
      modal({ private_metadata: chars(3001) }),
      ['[ERROR] must be at most 3000 characters, got 3001 [json-pointer:/private_metadata]'],
    ],
    ['no blocks', modal({ blocks: undefined }), ['[ERROR] is required [json-pointer:/blocks]']],
    ['not an object', 'modal', ['[ERROR] must be a view object [json-pointer:]']],
  ])('flags %s', (_name, view, expected) => {
    expect(modalViewProblems(view)).toEqual(expected);
  });
});
