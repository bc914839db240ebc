/**
 * What Slack refuses in a message or view, for the playground's Slack stand-in: the Web API gets
 * JSON from the bot's real WebClient, so nothing here trusts our own Block Kit types. Problems are
 * worded like Slack's `response_metadata.messages` (`[ERROR] … [json-pointer:/blocks/0/text]`).
 */
import {
  ACTION_ID_MAX,
  ACTIONS_ELEMENTS_MAX,
  BLOCK_ID_MAX,
  BUTTON_TEXT_MAX,
  BUTTON_VALUE_MAX,
  CONFIRM_BUTTON_MAX,
  CONFIRM_TEXT_MAX,
  CONFIRM_TITLE_MAX,
  CONTEXT_ELEMENTS_MAX,
  CONTEXT_TEXT_MAX,
  FIELD_TEXT_MAX,
  HEADER_TEXT_MAX,
  MAX_BLOCKS,
  MODAL_TITLE_MAX,
  SECTION_FIELDS_MAX,
  SECTION_TEXT_MAX,
  VIEW_MAX_BLOCKS,
} from '../slack/blocks/limits';

/** Slack's undocumented total of block text: refusals were seen from about 11,300 characters; stricter here. */
export const BLOCKS_TEXT_TOTAL_MAX = 11_000;
/** Slack truncates a message's `text` past 40,000 characters. */
export const MESSAGE_TEXT_TOTAL_MAX = 40_000;
/** A views.publish / views.open payload (`view_too_large`). */
export const VIEW_BYTES_MAX = 250_000;
const BUTTON_URL_MAX = 3000;

type Json = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface LimitCheck {
  /** The Slack error code for the first kind of problem found, or null when Slack would take it. */
  readonly error: string | null;
  readonly problems: readonly string[];
}

class Checker {
  readonly problems: string[] = [];
  textTotal = 0;

  add(pointer: string, what: string): void {
    this.problems.push(`[ERROR] ${what} [json-pointer:${pointer}]`);
  }

  text(pointer: string, value: unknown, max: number, plainOnly = false): void {
    if (!isRecord(value) || typeof value.text !== 'string') return this.add(pointer, 'must be a text object');
    const kinds = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !kinds.includes(value.type))
      this.add(`${pointer}/type`, `must be ${kinds.join(' or ')}`);
    if (value.text.length === 0) this.add(`${pointer}/text`, 'must not be empty');
    if (value.text.length > max) this.add(`${pointer}/text`, `must be at most ${max} characters`);
    this.textTotal += value.text.length;
  }

  id(pointer: string, value: unknown, max: number, required: boolean): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value === '') return this.add(pointer, 'must be a non-empty string');
    if (value.length > max) this.add(pointer, `must be at most ${max} characters`);
  }

  button(pointer: string, value: unknown): void {
    if (!isRecord(value) || value.type !== 'button') return this.add(pointer, 'must be a button');
    this.text(`${pointer}/text`, value.text, BUTTON_TEXT_MAX, true);
    this.id(`${pointer}/action_id`, value.action_id, ACTION_ID_MAX, false);
    if (value.value !== undefined) this.id(`${pointer}/value`, value.value, BUTTON_VALUE_MAX, true);
    if (value.url !== undefined) this.id(`${pointer}/url`, value.url, BUTTON_URL_MAX, true);
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger')
      this.add(`${pointer}/style`, 'must be primary or danger');
    const { confirm } = value;
    if (confirm === undefined) return;
    if (!isRecord(confirm)) return this.add(`${pointer}/confirm`, 'must be a confirmation dialog');
    this.text(`${pointer}/confirm/title`, confirm.title, CONFIRM_TITLE_MAX, true);
    this.text(`${pointer}/confirm/text`, confirm.text, CONFIRM_TEXT_MAX);
    this.text(`${pointer}/confirm/confirm`, confirm.confirm, CONFIRM_BUTTON_MAX, true);
    this.text(`${pointer}/confirm/deny`, confirm.deny, CONFIRM_BUTTON_MAX, true);
  }

  block(pointer: string, block: unknown): void {
    if (!isRecord(block)) return this.add(pointer, 'must be a block');
    this.id(`${pointer}/block_id`, block.block_id, BLOCK_ID_MAX, false);
    switch (block.type) {
      case 'header':
        return this.text(`${pointer}/text`, block.text, HEADER_TEXT_MAX, true);
      case 'divider':
        return;
      case 'section': {
        if (block.text === undefined && block.fields === undefined) this.add(pointer, 'must have text or fields');
        if (block.text !== undefined) this.text(`${pointer}/text`, block.text, SECTION_TEXT_MAX);
        if (block.fields !== undefined) {
          const { fields } = block;
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > SECTION_FIELDS_MAX)
            this.add(`${pointer}/fields`, `must hold 1 to ${SECTION_FIELDS_MAX} text objects`);
          else fields.forEach((field, i) => this.text(`${pointer}/fields/${i}`, field, FIELD_TEXT_MAX));
        }
        if (block.accessory !== undefined) this.button(`${pointer}/accessory`, block.accessory);
        return;
      }
      case 'context': {
        const { elements } = block;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > CONTEXT_ELEMENTS_MAX)
          return this.add(`${pointer}/elements`, `must hold 1 to ${CONTEXT_ELEMENTS_MAX} elements`);
        elements.forEach((element, i) => this.text(`${pointer}/elements/${i}`, element, CONTEXT_TEXT_MAX));
        return;
      }
      case 'actions': {
        const { elements } = block;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > ACTIONS_ELEMENTS_MAX)
          return this.add(`${pointer}/elements`, `must hold 1 to ${ACTIONS_ELEMENTS_MAX} elements`);
        elements.forEach((element, i) => this.button(`${pointer}/elements/${i}`, element));
        return;
      }
      default:
        this.add(`${pointer}/type`, 'is not a block type the playground knows');
    }
  }

  blocks(pointer: string, blocks: unknown, max: number): void {
    if (!Array.isArray(blocks)) return this.add(pointer, 'must be an array of blocks');
    if (blocks.length > max) this.add(pointer, `must hold at most ${max} blocks`);
    blocks.forEach((block, i) => this.block(`${pointer}/${i}`, block));
  }
}

/** chat.postMessage, chat.update and a response_url POST: `text` and `blocks` as sent. */
export const checkMessage = (text: unknown, blocks: unknown): LimitCheck => {
  const checker = new Checker();
  if (blocks !== undefined) checker.blocks('/blocks', blocks, MAX_BLOCKS);
  if (checker.problems.length > 0) return { error: 'invalid_blocks', problems: checker.problems };
  if (checker.textTotal > BLOCKS_TEXT_TOTAL_MAX)
    return {
      error: 'msg_blocks_too_long',
      problems: [`[ERROR] the blocks hold ${checker.textTotal} characters of text [json-pointer:/blocks]`],
    };
  if (typeof text === 'string' && text.length > MESSAGE_TEXT_TOTAL_MAX)
    return { error: 'msg_too_long', problems: [`[ERROR] must be at most 40000 characters [json-pointer:/text]`] };
  const hasText = typeof text === 'string' && text.trim() !== '';
  if (!hasText && !(Array.isArray(blocks) && blocks.length > 0)) return { error: 'no_text', problems: [] };
  return { error: null, problems: [] };
};

/** views.publish (`home`) and views.open / views.update (`modal`). */
export const checkView = (view: unknown, kind: 'home' | 'modal'): LimitCheck => {
  const checker = new Checker();
  if (!isRecord(view)) return { error: 'invalid_arguments', problems: ['[ERROR] must be a view [json-pointer:/view]'] };
  if (Buffer.byteLength(JSON.stringify(view)) > VIEW_BYTES_MAX) return { error: 'view_too_large', problems: [] };
  if (view.type !== kind) checker.add('/view/type', `must be ${kind}`);
  if (kind === 'modal') {
    checker.text('/view/title', view.title, MODAL_TITLE_MAX, true);
    if (view.close !== undefined) checker.text('/view/close', view.close, MODAL_TITLE_MAX, true);
  }
  checker.blocks('/view/blocks', view.blocks, VIEW_MAX_BLOCKS);
  return checker.problems.length > 0
    ? { error: 'invalid_arguments', problems: checker.problems }
    : { error: null, problems: [] };
};
