import type { Mrkdwn, PlainText, SectionBlock } from './block-kit';
import { blocksTextLength, SECTION_TEXT_MAX, truncateMrkdwn } from './limits';

/** The only way our builders make mrkdwn: always verbatim, so Slack links nothing we did not mark up. */
export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text, verbatim: true });

export const plainText = (text: string, max: number): PlainText => ({
  type: 'plain_text',
  text: truncateMrkdwn(text, max),
  emoji: true,
});

export const section = (text: string): SectionBlock => ({
  type: 'section',
  text: mrkdwn(truncateMrkdwn(text, SECTION_TEXT_MAX)),
});

/**
 * Join parts with newlines into as few sections as fit; a part is never split across two sections.
 * A part may start with `\n` to stand apart from the one before; at the top of a section that
 * newline is dropped.
 */
export const packSections = (parts: readonly string[]): SectionBlock[] => {
  const texts: string[] = [];
  let current: string | null = null;
  for (const raw of parts) {
    const part = truncateMrkdwn(raw, SECTION_TEXT_MAX);
    if (current !== null && current.length + 1 + part.length <= SECTION_TEXT_MAX) {
      current = `${current}\n${part}`;
    } else {
      if (current !== null) texts.push(current);
      current = part.replace(/^\n+/, '');
    }
  }
  if (current !== null) texts.push(current);
  return texts.map(section);
};

/** Longest one list line may be, so one odd line cannot crowd out the others. */
export const LIST_LINE_MAX = 600;

export interface ListSectionsInput {
  /** Already escaped mrkdwn. */
  readonly title: string;
  /** Already escaped mrkdwn, one entry each. */
  readonly lines: readonly string[];
  readonly maxBlocks: number;
  /** Most characters of text the sections may hold together (see BLOCKS_TEXT_BUDGET); no cap when left out. */
  readonly maxChars?: number;
  /** The closing line when `n` lines did not fit. */
  readonly more: (n: number) => string;
}

/**
 * A titled list in at most `maxBlocks` sections and `maxChars` characters. When the lines do not
 * all fit, as many as do are kept and the last line says how many were left out. When not even
 * the title and that line fit, the list is left out (an empty result).
 */
export const listSections = (input: ListSectionsInput): { blocks: SectionBlock[]; shown: number } => {
  const { title, maxBlocks, more, maxChars = Number.POSITIVE_INFINITY } = input;
  const lines = input.lines.map((line) => truncateMrkdwn(line, LIST_LINE_MAX));
  const within = (blocks: SectionBlock[]): boolean =>
    blocks.length <= maxBlocks && blocksTextLength(blocks) <= maxChars;
  if (maxBlocks <= 0) return { blocks: [], shown: 0 };
  const all = packSections([title, ...lines]);
  if (within(all)) return { blocks: all, shown: lines.length };
  const none = packSections([title, more(lines.length)]);
  if (!within(none)) return { blocks: [], shown: 0 };
  let best = none;
  let shown = 0;
  for (let k = 1; k < lines.length; k += 1) {
    const candidate = packSections([title, ...lines.slice(0, k), more(lines.length - k)]);
    if (!within(candidate)) break;
    best = candidate;
    shown = k;
  }
  return { blocks: best, shown };
};
