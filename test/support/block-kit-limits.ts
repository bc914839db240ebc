/**
 * An independent check of Slack's hard Block Kit limits, written from Slack's documentation and NOT
 * from our builders, so a test that passes it proves the message would not be rejected by Slack.
 * Problems are phrased like Slack's own `response_metadata.messages`:
 * `[ERROR] <what> [json-pointer:/blocks/0/text/text]`.
 *
 * Lengths are counted in UTF-16 code units (`string.length`), which is never less than Slack's
 * character count: the check may be stricter than Slack for emoji, never looser.
 */

type Json = Record<string, unknown>;

export const LIMITS = {
  blocks: 50,
  /** A view (App Home, modal) holds twice as many blocks as a message. */
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3000,
  /**
   * The `text` of every text object in all blocks, added up. Undocumented: Slack has answered
   * `msg_blocks_too_long` from about 11,300 characters (slackapi/bolt-js #2867) to about 13,200
   * (#2509). The fake refuses past 11,000, stricter than any refusal seen, never looser.
   */
  blocksTextTotal: 11_000,
  /** A modal's title, close and submit labels. */
  modalTitle: 24,
  /** A view's `private_metadata` and `callback_id`. */
  privateMetadata: 3000,
  callbackId: 255,
  /** Slack truncates `text` past 40,000 characters. */
  slackText: 40_000,
  /** What mfa-guard promises for the notification fallback. */
  fallbackText: 4000,
} as const;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Problems {
  readonly list: string[] = [];

  add(pointer: string, what: string): void {
    this.list.push(`[ERROR] ${what} [json-pointer:${pointer}]`);
  }

  maxLength(pointer: string, value: string, limit: number): void {
    if (value.length > limit) this.add(pointer, `must be at most ${limit} characters, got ${value.length}`);
  }

  optionalId(pointer: string, value: unknown): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || value.length === 0) this.add(pointer, 'must be a non-empty string');
    else this.maxLength(pointer, value, LIMITS.id);
  }
}

const checkText = (
  p: Problems,
  pointer: string,
  value: unknown,
  limit: number,
  types: readonly ('plain_text' | 'mrkdwn')[] = ['plain_text', 'mrkdwn'],
): void => {
  if (!isRecord(value)) {
    p.add(pointer, 'must be a text object');
    return;
  }
  if (typeof value.type !== 'string' || !types.some((t) => t === value.type)) {
    p.add(`${pointer}/type`, `must be ${types.join(' or ')}`);
  }
  if (typeof value.text !== 'string' || value.text.length === 0) {
    p.add(`${pointer}/text`, 'must be a non-empty string');
    return;
  }
  p.maxLength(`${pointer}/text`, value.text, limit);
};

const checkConfirm = (p: Problems, pointer: string, value: unknown): void => {
  if (!isRecord(value)) {
    p.add(pointer, 'must be a confirmation dialog object');
    return;
  }
  checkText(p, `${pointer}/title`, value.title, LIMITS.confirmTitle, ['plain_text']);
  checkText(p, `${pointer}/text`, value.text, LIMITS.confirmText);
  checkText(p, `${pointer}/confirm`, value.confirm, LIMITS.confirmButton, ['plain_text']);
  checkText(p, `${pointer}/deny`, value.deny, LIMITS.confirmButton, ['plain_text']);
  if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') {
    p.add(`${pointer}/style`, 'must be primary or danger');
  }
};

const checkButton = (p: Problems, pointer: string, value: unknown): void => {
  if (!isRecord(value)) {
    p.add(pointer, 'must be an element object');
    return;
  }
  if (value.type !== 'button') {
    // mfa-guard only sends buttons; anything else here is a mistake worth failing on.
    p.add(`${pointer}/type`, `unsupported element type ${JSON.stringify(value.type)}`);
    return;
  }
  checkText(p, `${pointer}/text`, value.text, LIMITS.buttonText, ['plain_text']);
  p.optionalId(`${pointer}/action_id`, value.action_id);
  if (value.value !== undefined) {
    if (typeof value.value !== 'string') p.add(`${pointer}/value`, 'must be a string');
    else p.maxLength(`${pointer}/value`, value.value, LIMITS.buttonValue);
  }
  if (value.url !== undefined) {
    if (typeof value.url !== 'string') p.add(`${pointer}/url`, 'must be a string');
    else p.maxLength(`${pointer}/url`, value.url, LIMITS.buttonUrl);
  }
  if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') {
    p.add(`${pointer}/style`, 'must be primary or danger');
  }
  if (value.confirm !== undefined) checkConfirm(p, `${pointer}/confirm`, value.confirm);
};

const checkElementList = (p: Problems, pointer: string, value: unknown, max: number): unknown[] => {
  if (!Array.isArray(value) || value.length === 0) {
    p.add(pointer, 'must be a non-empty array');
    return [];
  }
  if (value.length > max) p.add(pointer, `must have at most ${max} items, got ${value.length}`);
  return value;
};

const checkBlock = (p: Problems, pointer: string, block: Json): void => {
  switch (block.type) {
    case 'divider':
      return;
    case 'header':
      checkText(p, `${pointer}/text`, block.text, LIMITS.headerText, ['plain_text']);
      return;
    case 'section': {
      if (block.text === undefined && block.fields === undefined) p.add(pointer, 'a section needs text or fields');
      if (block.text !== undefined) checkText(p, `${pointer}/text`, block.text, LIMITS.sectionText);
      if (block.fields !== undefined) {
        const fields = checkElementList(p, `${pointer}/fields`, block.fields, LIMITS.sectionFields);
        fields.forEach((field, i) => checkText(p, `${pointer}/fields/${i}`, field, LIMITS.fieldText));
      }
      if (block.accessory !== undefined) checkButton(p, `${pointer}/accessory`, block.accessory);
      return;
    }
    case 'context': {
      const elements = checkElementList(p, `${pointer}/elements`, block.elements, LIMITS.contextElements);
      elements.forEach((element, i) => checkText(p, `${pointer}/elements/${i}`, element, LIMITS.contextText));
      return;
    }
    case 'actions': {
      const elements = checkElementList(p, `${pointer}/elements`, block.elements, LIMITS.actionsElements);
      elements.forEach((element, i) => checkButton(p, `${pointer}/elements/${i}`, element));
      // Slack routes a click by (block_id, action_id), so action_ids must differ within a block.
      const ids = elements.flatMap((e) => (isRecord(e) && typeof e.action_id === 'string' ? [e.action_id] : []));
      const seen = new Set<string>();
      ids.forEach((id) => {
        if (seen.has(id)) p.add(`${pointer}/elements`, `action_id ${JSON.stringify(id)} is used twice in this block`);
        seen.add(id);
      });
      return;
    }
    default:
      p.add(`${pointer}/type`, `unknown block type ${JSON.stringify(block.type)}`);
  }
};

/**
 * Problems with each block on its own (undefined means "no blocks", which is fine). Slack answers
 * these with `invalid_blocks`; the cumulative limit is `blocksTextProblems`. `maxBlocks` is
 * LIMITS.blocks for a message, LIMITS.viewBlocks for a view.
 */
export const blocksProblems = (blocks: unknown, maxBlocks: number = LIMITS.blocks): string[] => {
  const p = new Problems();
  if (blocks === undefined) return p.list;
  if (!Array.isArray(blocks)) {
    p.add('/blocks', 'must be an array');
    return p.list;
  }
  if (blocks.length > maxBlocks) p.add('/blocks', `must have at most ${maxBlocks} blocks, got ${blocks.length}`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const pointer = `/blocks/${i}`;
    if (!isRecord(block)) {
      p.add(pointer, 'must be a block object');
      return;
    }
    p.optionalId(`${pointer}/block_id`, block.block_id);
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id))
        p.add(`${pointer}/block_id`, `block_id ${JSON.stringify(block.block_id)} is not unique`);
      blockIds.add(block.block_id);
    }
    checkBlock(p, pointer, block);
  });
  return p.list;
};

/** True for anything shaped like a text object: `{ type: 'plain_text' | 'mrkdwn', text: string }`. */
const isTextObject = (value: Json): boolean => value.type === 'plain_text' || value.type === 'mrkdwn';

/**
 * The summed length of the `text` of every text object anywhere in `blocks`: section text and
 * fields, headers, context elements, button labels and every part of a confirm dialog. Found by
 * walking the JSON, not by knowing where our builders put text, so a new place cannot be missed.
 */
export const blocksTextLength = (blocks: unknown): number => {
  if (Array.isArray(blocks)) return blocks.reduce((sum: number, item: unknown) => sum + blocksTextLength(item), 0);
  if (!isRecord(blocks)) return 0;
  const own = isTextObject(blocks) && typeof blocks.text === 'string' ? blocks.text.length : 0;
  // A string value counts 0 below, so a text object's own `text` is counted once, above.
  return Object.values(blocks).reduce((sum: number, value) => sum + blocksTextLength(value), own);
};

/** Slack's cumulative limit on the text of all blocks; named after the error Slack answers with. */
export const blocksTextProblems = (blocks: unknown): string[] => {
  const p = new Problems();
  if (!Array.isArray(blocks)) return p.list;
  const total = blocksTextLength(blocks);
  if (total > LIMITS.blocksTextTotal) {
    p.add(
      '/blocks',
      `msg_blocks_too_long: the text of all blocks must add up to at most ${LIMITS.blocksTextTotal} characters, got ${total}`,
    );
  }
  return p.list;
};

/** Problems with the plain `text` fallback (undefined means "no text"). */
export const textProblems = (text: unknown): string[] => {
  const p = new Problems();
  if (text === undefined) return p.list;
  if (typeof text !== 'string') p.add('/text', 'must be a string');
  else if (text.length > LIMITS.slackText) p.maxLength('/text', text, LIMITS.slackText);
  else p.maxLength('/text', text, LIMITS.fallbackText);
  return p.list;
};

/** Every limit a message breaks; an empty array means Slack would accept it. */
export const blockKitProblems = (blocks: unknown, text?: unknown): string[] => [
  ...blocksProblems(blocks),
  ...blocksTextProblems(blocks),
  ...textProblems(text),
];

/**
 * Every limit an App Home view (as views.publish takes it) breaks; pointers are relative to the
 * view (`/type`, `/blocks/0/…`). Slack documents no total-text limit for views, only a 250 kB
 * payload (`view_too_large`), so the message budget of blocksTextProblems is not applied here.
 */
export const homeViewProblems = (view: unknown): string[] => {
  const p = new Problems();
  if (!isRecord(view)) {
    p.add('', 'must be a view object');
    return p.list;
  }
  if (view.type !== 'home') p.add('/type', `must be home, got ${JSON.stringify(view.type)}`);
  if (view.blocks === undefined) {
    p.add('/blocks', 'is required');
    return p.list;
  }
  return [...p.list, ...blocksProblems(view.blocks, LIMITS.viewBlocks)];
};

/**
 * Every limit a modal (as views.open and views.update take it) breaks; pointers are relative to
 * the view. Like a Home tab, a modal holds up to 100 blocks and has no total-text limit.
 */
export const modalViewProblems = (view: unknown): string[] => {
  const p = new Problems();
  if (!isRecord(view)) {
    p.add('', 'must be a view object');
    return p.list;
  }
  if (view.type !== 'modal') p.add('/type', `must be modal, got ${JSON.stringify(view.type)}`);
  checkText(p, '/title', view.title, LIMITS.modalTitle, ['plain_text']);
  if (view.close !== undefined) checkText(p, '/close', view.close, LIMITS.modalTitle, ['plain_text']);
  if (view.submit !== undefined) checkText(p, '/submit', view.submit, LIMITS.modalTitle, ['plain_text']);
  if (view.private_metadata !== undefined) {
    if (typeof view.private_metadata !== 'string') p.add('/private_metadata', 'must be a string');
    else p.maxLength('/private_metadata', view.private_metadata, LIMITS.privateMetadata);
  }
  if (view.callback_id !== undefined) {
    if (typeof view.callback_id !== 'string') p.add('/callback_id', 'must be a string');
    else p.maxLength('/callback_id', view.callback_id, LIMITS.callbackId);
  }
  if (view.blocks === undefined) {
    p.add('/blocks', 'is required');
    return p.list;
  }
  return [...p.list, ...blocksProblems(view.blocks, LIMITS.viewBlocks)];
};
