/**
 * Block Kit limits. Slack rejects the whole message when one is exceeded, so every builder keeps
 * within these and cuts text with the helpers below rather than hoping the input is small.
 */
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

