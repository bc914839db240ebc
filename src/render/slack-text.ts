/**
 * A Slack message as readable terminal text, for the demo and for logs: roughly what a person
 * would see in Slack, with mrkdwn markup turned back into plain words.
 */
import type { Block, ButtonElement, ModalView, SlackMessage, TextObject } from '../slack/blocks/block-kit';
import { safeText } from './terminal-text';

const FENCE = '```';
const CODE_INDENT = '    ';
const RULE = '-'.repeat(40);

const decodeEntities = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Links, mentions and entities as a terminal shows them. `<` in mrkdwn is always markup: text `<` arrives as `&lt;`. */
const decodeInline = (text: string): string =>
  decodeEntities(
    text
      .replace(/<([^<>|]+)\|([^<>]*)>/g, (_match, target: string, label: string) => {
        if (target.startsWith('#')) return `#${label}`;
        return target.startsWith('@') || target.startsWith('!') ? `@${label}` : `${label} (${target})`;
      })
      .replace(/<([@#])([^<>|]+)>/g, '$1$2')
      .replace(/<!([^<>|]+)>/g, '@$1')
      .replace(/<([^<>]+)>/g, '$1')
      // Bold is how Slack shows `*…*`; the stars themselves are not part of the text.
      .replace(/\*([^*\n]+)\*/g, '$1'),
  );

const trimOneNewline = (text: string): string => text.replace(/^\n/, '').replace(/\n$/, '');

/** mrkdwn → lines; code blocks on their own lines, indented, with nothing decoded but entities. */
const mrkdwnLines = (text: string): string[] =>
  text.split(FENCE).flatMap((segment, i) => {
    const body = trimOneNewline(segment);
    if (body === '') return [];
    return i % 2 === 1
      ? body.split('\n').map((line) => `${CODE_INDENT}${safeText(decodeEntities(line))}`)
      : body.split('\n').map((line) => safeText(decodeInline(line)));
  });

const textLines = (object: TextObject): string[] =>
  object.type === 'mrkdwn'
    ? mrkdwnLines(object.text)
    : object.text.split('\n').map((line) => safeText(decodeEntities(line)));

const button = (element: ButtonElement): string => `[${safeText(decodeEntities(element.text.text))}]`;

/** A field's first line is its label (`*Label*\nvalue`), shown as `Label: value`. */
const fieldLine = (field: TextObject): string => {
  const [label = '', ...rest] = textLines(field);
  return rest.length === 0 ? label : `${label}: ${rest.join(' ')}`;
};

const renderBlock = (block: Block): string[] => {
  switch (block.type) {
    case 'header': {
      const title = safeText(decodeEntities(block.text.text));
      return [title, '='.repeat(title.length)];
    }
    case 'section':
      return [
        ...(block.text === undefined ? [] : textLines(block.text)),
        ...(block.fields ?? []).map(fieldLine),
        ...(block.accessory === undefined ? [] : [button(block.accessory)]),
      ];
    case 'context':
      return [block.elements.map((element) => textLines(element).join(' ')).join(' · ')];
    case 'actions':
      return [block.elements.map(button).join(' ')];
    case 'divider':
      return [RULE];
  }
};

export const renderSlackMessageAsText = (message: SlackMessage): string =>
  `${message.blocks.map((block) => renderBlock(block).join('\n')).join('\n\n')}\n`;

/** A modal as a terminal shows it: its title, its blocks, then its close button. */
export const renderModalAsText = (view: ModalView): string => {
  const title = safeText(decodeEntities(view.title.text));
  const blocks = view.blocks.map((block) => renderBlock(block).join('\n')).join('\n\n');
  return `${title}\n${'='.repeat(title.length)}\n\n${blocks}\n\n[${safeText(decodeEntities(view.close.text))}]\n`;
};
