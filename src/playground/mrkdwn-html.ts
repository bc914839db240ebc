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

/** Inline text: entities and `code` cut out first, so their insides are never styled. */
const inlineHtml = (text: string, nameOf: NameOf): string => {
  let html = '';
  let plain = '';
  const flush = (): void => {
    html += styled(escapeHtml(unescapeSlack(plain)));
    plain = '';
  };
  const pattern = /<([^<>\n]+)>|`([^`\n]+)`/g;
  let last = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    plain += text.slice(last, match.index);
    flush();
    const [, entity, code] = match;
    html +=
      entity !== undefined
        ? entityHtml(entity, nameOf)
        : `<code>${escapeHtml(unescapeSlack(code ?? ''))}</code>`;
    last = match.index + match[0].length;
  }
  plain += text.slice(last);
  flush();
  return html.replace(/\n/g, '<br>');
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
