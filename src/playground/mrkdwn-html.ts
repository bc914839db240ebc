/**
 * Slack mrkdwn as HTML, the way Slack shows it: *bold*, _italic_, ~strike~, `code`, ```code
 * blocks```, <url|links>, <@U…> mentions as the person's name, <#C…|channels> and <!here>-style
 * special mentions. Every piece of text is HTML-escaped here and only here (`escapeHtml`), after
 * Slack's own escapes (&amp; &lt; &gt;) are read back, so text from outside is always shown as text.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** Slack's three escapes, read back to the characters they stand for. */
const unescapeSlack = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export type NameOf = (userId: string) => string | undefined;

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** One `<…>` entity (its inside, still Slack-escaped) as HTML. */
const entityHtml = (inside: string, nameOf: NameOf): string => {
  const bar = inside.indexOf('|');
  const target = bar === -1 ? inside : inside.slice(0, bar);
  const label = bar === -1 ? null : inside.slice(bar + 1);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(nameOf(id) ?? unescapeSlack(label ?? id))}</span>`;
  }
  if (target.startsWith('#')) {
    return `<span class="mention">#${escapeHtml(unescapeSlack(label ?? target.slice(1)))}</span>`;
  }
  if (target.startsWith('!')) {
    return `<span class="mention">@${escapeHtml(unescapeSlack(label ?? target.slice(1).split('^')[0] ?? ''))}</span>`;
  }
  const url = unescapeSlack(target);
  const text = escapeHtml(unescapeSlack(label ?? target));
  if (!SAFE_URL.test(url)) return text;
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
};

/** Bold, italic and strike-through in text with no entities or code left (already HTML-escaped). */
const styled = (html: string): string =>
  html
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]*?[^\s*])\*(?![\w*])/g, '$1<b>$2</b>')
    .replace(/(^|[^\w])_(?!\s)([^_\n]*?[^\s_])_(?!\w)/g, '$1<i>$2</i>')
    .replace(/(^|[^\w~])~(?!\s)([^~\n]*?[^\s~])~(?![\w~])/g, '$1<s>$2</s>');

/** The emoji the bot's messages use, as Slack shows them; any other :name: stays as written. */
const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: '\u2705',
  warning: '\u26a0\ufe0f',
  hourglass_flowing_sand: '\u23f3',
  hourglass: '\u231b',
  x: '\u274c',
  rotating_light: '\u{1f6a8}',
  red_circle: '\u{1f534}',
  white_circle: '\u26aa',
  no_entry_sign: '\u{1f6ab}',
  no_entry: '\u26d4',
  information_source: '\u2139\ufe0f',
  grey_question: '\u2754',
  gear: '\u2699\ufe0f',
};

const emoji = (html: string): string =>
  html.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);

/** Brackets the number of a piece set aside; removed from the text first, so only ours remain. */
const MARK = String.fromCharCode(0);
const HELD = new RegExp(`${MARK}(\\d+)${MARK}`, 'g');

/**
 * Inline text: entities and `code` are set aside first (as numbered markers), so their insides are
 * never styled while *bold* may still span them.
 */
const inlineHtml = (text: string, nameOf: NameOf): string => {
  const held: string[] = [];
  const hold = (html: string): string => {
    held.push(html);
    return `${MARK}${held.length - 1}${MARK}`;
  };
  const marked = text
    .replaceAll(MARK, '')
    .replace(/<([^<>\n]+)>|`([^`\n]+)`/g, (_whole, entity: string | undefined, code: string | undefined) =>
      hold(entity !== undefined ? entityHtml(entity, nameOf) : `<code>${escapeHtml(unescapeSlack(code ?? ''))}</code>`),
    );
  return styled(emoji(escapeHtml(unescapeSlack(marked))))
    .replace(HELD, (_whole, index: string) => held[Number(index)] ?? '')
    .replace(/\n/g, '<br>');
};

export const mrkdwnToHtml = (text: string, nameOf: NameOf): string =>
  text
    .split('```')
    .map((part, i) =>
      // Odd parts sit between fences: a code block shows its text exactly, entities and all.
      i % 2 === 1 ? `<pre>${escapeHtml(unescapeSlack(part.replace(/^\n/, '')))}</pre>` : inlineHtml(part, nameOf),
    )
    .join('');

/** plain_text: nothing but the text. */
export const plainToHtml = (text: string): string => escapeHtml(text).replace(/\n/g, '<br>');
