import type { Block } from '../../../src/slack/blocks/block-kit';
import { COMPACT_RESERVE_USERS, fitUsers } from '../../../src/slack/blocks/fit-users';
import { blocksTextLength } from '../../../src/slack/blocks/limits';
import { section } from '../../../src/slack/blocks/text-objects';

/** Users are numbers; a full card is 3 blocks of `cardChars`, a compact one 1 block of 100, the more line ~10. */
const fit = (count: number, maxChars: number, maxBlocks = 50, cardChars = 1000) =>
  fitUsers<number>({
    users: Array.from({ length: count }, (_, i) => i),
    fullCard: (i): Block[] => [{ type: 'divider' }, section(`F${i}`.padEnd(cardChars, '.')), { type: 'divider' }],
    compact: (i) => section(`C${i}`.padEnd(100, '.')),
    compactHeading: [section('H'.padEnd(50, '.'))],
    more: (n) => section(`more ${n}`),
    maxBlocks,
    maxChars,
  });

const kinds = (blocks: readonly Block[]): string =>
  blocks
    .map((b) => (b.type === 'section' ? (b.text?.text ?? '').replace(/\.+$/, '').replace(/^more /, 'M') : ''))
    .filter((t) => t !== '')
    .join(' ');

describe('fitUsers', () => {
  it.each([
    // users, chars, expected full / compact / not shown
    [0, 10_000, 0, 0, 0],
    [1, 10_000, 1, 0, 0],
    [3, 10_000, 3, 0, 0],
    // Each later card keeps room for the heading, 5 compact users and the more line (556): a 10th card would not.
    // Then 9 compact users fill the 1000 left (heading 50 + 9 × 100 + the more line).
    [20, 10_000, 9, 9, 2],
    [200, 10_000, 9, 9, 182],
    // The first card needs only room for itself and the more line…
    [5, 1010, 1, 0, 4],
    // …and does not fit at all below that: every user is compact.
    [5, 900, 0, 5, 0],
    [5, 5, 0, 0, 5],
  ])('%i users in %i characters: %i full, %i compact, %i more', (count, maxChars, full, compact, notShown) => {
    const fitted = fit(count, maxChars);
    expect([fitted.full, fitted.compact, fitted.notShown]).toEqual([full, compact, notShown]);
    expect(fitted.full + fitted.compact + fitted.notShown).toBe(count);
    expect(blocksTextLength(fitted.blocks)).toBeLessThanOrEqual(Math.max(maxChars, 6));
  });

  it('lays out full cards, then the heading and compact users, then the count, in order', () => {
    const { blocks } = fit(10, 2800);
    expect(kinds(blocks)).toBe('F0 F1 H C2 C3 C4 C5 C6 C7 C8 M1');
    // With 50 more characters the last user fits too, and there is no count.
    expect(kinds(fit(10, 2850).blocks)).toBe('F0 F1 H C2 C3 C4 C5 C6 C7 C8 C9');
  });

  it('gives the heading only when some user got a full card', () => {
    expect(kinds(fit(3, 900).blocks)).toBe('C0 C1 C2');
  });

  it('keeps within the blocks it is given', () => {
    const fitted = fit(200, 100_000, 20);
    expect(fitted.blocks.length).toBeLessThanOrEqual(20);
    expect(fitted.full + fitted.compact + fitted.notShown).toBe(200);
    expect(kinds(fitted.blocks).endsWith(`M${fitted.notShown}`)).toBe(true);
  });

  it(`reserves room for ${COMPACT_RESERVE_USERS} compact users after each card but the first`, () => {
    // Room for 2 cards and 5 compact users exactly: a third card would crowd them out.
    const room = 2 * 1000 + 50 + 5 * 100 + 'more 93'.length;
    expect(fit(100, room)).toMatchObject({ full: 2 });
    expect(fit(100, room - 1)).toMatchObject({ full: 1 });
  });
});
