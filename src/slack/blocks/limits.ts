/**
 * Block Kit limits. Slack rejects the whole message when one is exceeded, so every builder keeps
 * within these and cuts text with the helpers below rather than hoping the input is small.
 */
import type { Block, ButtonElement, TextObject } from './block-kit';

export const MAX_BLOCKS = 50;
export const SECTION_TEXT_MAX = 3000;
export const SECTION_FIELDS_MAX = 10;
export const FIELD_TEXT_MAX = 2000;
export const HEADER_TEXT_MAX = 150;
export const BUTTON_TEXT_MAX = 75;
export const BUTTON_VALUE_MAX = 2000;
export const ACTION_ID_MAX = 255;
export const BLOCK_ID_MAX = 255;
export const CONFIRM_TITLE_MAX = 100;
export const CONFIRM_TEXT_MAX = 300;
export const CONFIRM_BUTTON_MAX = 30;
export const CONTEXT_ELEMENTS_MAX = 10;
export const CONTEXT_TEXT_MAX = 3000;
export const ACTIONS_ELEMENTS_MAX = 25;
/** The `text` fallback: Slack truncates past 4000; we stay below it. */
export const MESSAGE_TEXT_MAX = 3999;

/**
 * Our ceiling for the text of all blocks of one message added up (see `blocksTextLength`).
 * Slack's own limit is undocumented: it answers `msg_blocks_too_long` somewhere between about
 * 11,300 characters (slackapi/bolt-js #2867) and about 13,200 (#2509). A refused DM would be
 * rebuilt the same way at every scan, so its owner would never hear of it: every message stays far
 * below, and a short message is what people read anyway.
 */
export const BLOCKS_TEXT_BUDGET = 4_000;

/** Most blocks a view (App Home tab or modal) may hold; a message holds MAX_BLOCKS. */
export const VIEW_MAX_BLOCKS = 100;
/**
 * Views have no `msg_blocks_too_long`, only a payload limit of 250 kB (`view_too_large`); this
 * keeps a view's text far below that however its lines are escaped.
 */
export const VIEW_TEXT_BUDGET = 10_000;
/** A modal's title and its close button. */
export const MODAL_TITLE_MAX = 24;

const objectLength = (object: TextObject | undefined): number => object?.text.length ?? 0;

const buttonLength = (button: ButtonElement | undefined): number => {
  if (button === undefined) return 0;
  const { confirm } = button;
  const dialog =
    confirm === undefined
      ? 0
      : objectLength(confirm.title) +
        objectLength(confirm.text) +
        objectLength(confirm.confirm) +
        objectLength(confirm.deny);
  return objectLength(button.text) + dialog;
};

const blockLength = (block: Block): number => {
  switch (block.type) {
    case 'header':
      return objectLength(block.text);
    case 'section':
      return (
        objectLength(block.text) +
        (block.fields ?? []).reduce((sum, f) => sum + objectLength(f), 0) +
        buttonLength(block.accessory)
      );
    case 'context':
      return block.elements.reduce((sum, element) => sum + objectLength(element), 0);
    case 'actions':
      return block.elements.reduce((sum, element) => sum + buttonLength(element), 0);
    case 'divider':
      return 0;
  }
};

/**
 * What Slack adds up for `msg_blocks_too_long`: the `text` of every text object in the blocks
 * (section text and fields, headers, context elements, button labels, confirm dialogs).
 */
export const blocksTextLength = (blocks: readonly Block[]): number =>
  blocks.reduce((sum, block) => sum + blockLength(block), 0);

const ELLIPSIS = '…';
const FENCE = '```';
const CLOSE_FENCE = `\n${FENCE}`;
const ENTITY = /&(?:amp|lt|gt);/y;

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** The largest end ≤ `max` that splits no surrogate pair, no `&amp;`-style entity and no run of backticks. */
const safeEnd = (text: string, max: number): number => {
  let end = Math.max(0, Math.min(max, text.length));
  if (end === text.length) return end;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const amp = text.lastIndexOf('&', end - 1);
  if (amp !== -1 && amp >= end - 4) {
    ENTITY.lastIndex = amp;
    const entity = ENTITY.exec(text);
    if (entity !== null && amp + entity[0].length > end) end = amp;
  }
  while (end > 0 && text[end - 1] === '`' && text[end] === '`') end -= 1;
  return end;
};

const fenceCount = (text: string): number => text.split(FENCE).length - 1;

/**
 * Cut escaped mrkdwn to at most `max` characters, ending in `…`. Never leaves half an entity
 * (which would show as `&am`) nor an open code fence (which would swallow the rest of the message).
 */
export const truncateMrkdwn = (text: string, max: number): string => {
  if (text.length <= max) return text;
  let cut = text.slice(0, safeEnd(text, max - ELLIPSIS.length));
  if (fenceCount(cut) % 2 === 0) return `${cut}${ELLIPSIS}`;
  cut = text.slice(0, safeEnd(text, max - ELLIPSIS.length - CLOSE_FENCE.length));
  // The shorter cut may have dropped the opening fence itself; then there is nothing to close.
  return fenceCount(cut) % 2 === 0 ? `${cut}${ELLIPSIS}` : `${cut}${ELLIPSIS}${CLOSE_FENCE}`;
};
