/**
 * Fits a list of users into what is left of a message: full cards first, then one compact section
 * each, then one "and N more" line, within a number of blocks and a number of characters of text
 * (Slack refuses a message past either, see limits.ts). Shared by the DM and the summary.
 */
import type { Block } from './block-kit';
import { blocksTextLength } from './limits';

/**
 * After the first card, another full card is added only if the compact lines of this many of the
 * users after it still fit: an owner is better served by seeing more of their users (each with
 * its link and Recheck) than by a third copy of the same commands with another name in them.
 */
export const COMPACT_RESERVE_USERS = 5;

export interface FitUsersInput<U> {
  readonly users: readonly U[];
  readonly fullCard: (user: U) => readonly Block[];
  readonly compact: (user: U) => Block;
  /**
   * Blocks shown before the user at `index` whichever form it takes, e.g. the heading of its
   * account before the first user of each account; none when left out.
   */
  readonly lead?: (user: U, index: number) => readonly Block[];
  /** Shown once before the first compact user, only when some users got a full card. */
  readonly compactHeading: readonly Block[];
  readonly more: (notShown: number) => Block;
  /** What is left of the message; must hold at least the "and N more" line on its own. */
  readonly maxBlocks: number;
  readonly maxChars: number;
}

export interface FittedUsers {
  readonly blocks: readonly Block[];
  /** Users (from the start) shown as full cards. */
  readonly full: number;
  /** Users after those, shown as one compact section each. */
  readonly compact: number;
  /** Users after those, only counted in the "and N more" line. full + compact + notShown = users. */
  readonly notShown: number;
}

export const fitUsers = <U>(input: FitUsersInput<U>): FittedUsers => {
  const { users, maxBlocks, maxChars } = input;
  const total = users.length;
  const blocks: Block[] = [];
  let chars = 0;
  const fits = (...groups: (readonly Block[])[]): boolean => {
    const all = groups.flat();
    return blocks.length + all.length <= maxBlocks && chars + blocksTextLength(all) <= maxChars;
  };
  const add = (more: readonly Block[]): void => {
    blocks.push(...more);
    chars += blocksTextLength(more);
  };
  const moreLine = (notShown: number): Block[] => (notShown > 0 ? [input.more(notShown)] : []);
  const lead = (user: U, index: number): readonly Block[] => input.lead?.(user, index) ?? [];
  const compactEntry = (user: U, index: number): Block[] => [...lead(user, index), input.compact(user)];
  const compactOf = (from: number, count: number): Block[] =>
    users.slice(from, from + count).flatMap((user, k) => compactEntry(user, from + k));

  let full = 0;
  for (const [i, user] of users.entries()) {
    const card = [...lead(user, i), ...input.fullCard(user)];
    const rest = total - i - 1;
    // The first card needs only the "and N more" line after it; later ones leave room for a few compact users too.
    const reserved =
      i === 0
        ? moreLine(rest)
        : [
            ...(rest > 0 ? input.compactHeading : []),
            ...compactOf(i + 1, COMPACT_RESERVE_USERS),
            ...moreLine(rest - COMPACT_RESERVE_USERS),
          ];
    if (!fits(card, reserved)) break;
    add(card);
    full += 1;
  }

  let compact = 0;
  for (const [k, user] of users.slice(full).entries()) {
    const heading = compact === 0 && full > 0 ? input.compactHeading : [];
    const entry = [...heading, ...compactEntry(user, full + k)];
    if (!fits(entry, moreLine(total - full - compact - 1))) break;
    add(entry);
    compact += 1;
  }

  // Every step above kept room for the closing line, so it always fits (given room for it alone).
  const notShown = total - full - compact;
  add(moreLine(notShown));
  return { blocks, full, compact, notShown };
};
