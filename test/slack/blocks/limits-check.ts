/**
 * Slack's hard Block Kit limits, written down again from Slack's docs and NOT imported from src,
 * so a builder that miscounts cannot also fool its own test. Walks any JSON a builder returns.
 */
type Json = { readonly [key: string]: unknown };

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const MAX = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  fallback: 4000,
};

export const limitProblems = (message: unknown): string[] => {
  const problems: string[] = [];
  const fail = (where: string, what: string): void => {
    problems.push(`${where}: ${what}`);
  };
  const text = (where: string, value: unknown, max: number, plainOnly = false): void => {
    if (!isObject(value)) return fail(where, 'not a text object');
    if (value['type'] !== 'plain_text' && (plainOnly || value['type'] !== 'mrkdwn')) fail(where, `bad type ${String(value['type'])}`);
    const t = value['text'];
    if (typeof t !== 'string' || t.length === 0) return fail(where, 'empty text');
    if (t.length > max) fail(where, `${t.length} > ${max}`);
  };
  const button = (where: string, value: unknown): void => {
    if (!isObject(value) || value['type'] !== 'button') return fail(where, 'not a button');
    text(`${where}.text`, value['text'], MAX.buttonText, true);
    const actionId = value['action_id'];
    if (typeof actionId !== 'string' || actionId.length === 0 || actionId.length > MAX.id) fail(where, 'bad action_id');
    const v = value['value'];
    if (v !== undefined && (typeof v !== 'string' || v.length > MAX.buttonValue)) fail(where, 'bad value');
    const style = value['style'];
    if (style !== undefined && style !== 'primary' && style !== 'danger') fail(where, 'bad style');
    const confirm = value['confirm'];
    if (confirm === undefined) return;
    if (!isObject(confirm)) return fail(`${where}.confirm`, 'not an object');
    text(`${where}.confirm.title`, confirm['title'], MAX.confirmTitle, true);
    text(`${where}.confirm.text`, confirm['text'], MAX.confirmText);
    text(`${where}.confirm.confirm`, confirm['confirm'], MAX.confirmButton, true);
    text(`${where}.confirm.deny`, confirm['deny'], MAX.confirmButton, true);
  };
  const list = (where: string, value: unknown, max: number): unknown[] => {
    if (!Array.isArray(value) || value.length === 0) {
      fail(where, 'empty list');
      return [];
    }
    if (value.length > max) fail(where, `${value.length} items > ${max}`);
    return value;
  };

  if (!isObject(message)) return ['message is not an object'];
  const fallback = message['text'];
  if (typeof fallback !== 'string' || fallback.length === 0) fail('text', 'missing fallback text');
  else if (fallback.length >= MAX.fallback) fail('text', `${fallback.length} >= ${MAX.fallback}`);
  const blocks = message['blocks'];
  if (!Array.isArray(blocks)) return [...problems, 'blocks is not an array'];
  if (blocks.length > MAX.blocks) fail('blocks', `${blocks.length} > ${MAX.blocks}`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const at = `blocks[${i}]`;
    if (!isObject(block)) return fail(at, 'not an object');
    const blockId = block['block_id'];
    if (blockId !== undefined) {
      if (typeof blockId !== 'string' || blockId.length === 0 || blockId.length > MAX.id) fail(at, 'bad block_id');
      else if (blockIds.has(blockId)) fail(at, `duplicate block_id ${blockId}`);
      else blockIds.add(blockId);
    }
    switch (block['type']) {
      case 'divider':
        return;
      case 'header':
        return text(`${at}.text`, block['text'], MAX.header, true);
      case 'section':
        if (block['text'] === undefined && block['fields'] === undefined) fail(at, 'section without text or fields');
        if (block['text'] !== undefined) text(`${at}.text`, block['text'], MAX.sectionText);
        if (block['fields'] !== undefined) {
          list(`${at}.fields`, block['fields'], MAX.fields).forEach((f, j) => text(`${at}.fields[${j}]`, f, MAX.fieldText));
        }
        if (block['accessory'] !== undefined) button(`${at}.accessory`, block['accessory']);
        return;
      case 'context':
        list(`${at}.elements`, block['elements'], MAX.contextElements).forEach((el, j) => text(`${at}.elements[${j}]`, el, MAX.contextText));
        return;
      case 'actions': {
        const elements = list(`${at}.elements`, block['elements'], MAX.actionsElements);
        elements.forEach((el, j) => button(`${at}.elements[${j}]`, el));
        const ids = elements.map((el) => (isObject(el) ? el['action_id'] : undefined));
        if (new Set(ids).size !== ids.length) fail(at, 'duplicate action_id in one block');
        return;
      }
      default:
        fail(at, `unknown block type ${String(block['type'])}`);
    }
  });
  return problems;
};

/** Every string anywhere in a value (text, labels, values, the fallback). */
export const allStrings = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (isObject(value)) return Object.values(value).flatMap(allStrings);
  return [];
};

// The only `<…>` markup our builders may write: a mention of a real-looking user ID and a link to the AWS console.
const ALLOWED_MARKUP = [/^<@[UW][A-Z0-9]{2,20}>$/, /^<https:\/\/console\.(?:aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\/[^\s|<>]*\|[^<>]*>$/];

/** `<`, `>` and `&` that are not our own markup or an entity: text that reached Slack unescaped. */
export const unescapedProblems = (message: unknown): string[] =>
  allStrings(message).flatMap((s) => {
    const problems: string[] = [];
    const markup = [...s.matchAll(/<[^<>]*>/g)].map((m) => m[0]);
    for (const tag of markup) if (!ALLOWED_MARKUP.some((re) => re.test(tag))) problems.push(`markup ${tag}`);
    const rest = s.replace(/<[^<>]*>/g, '');
    if (/[<>]/.test(rest)) problems.push(`stray < or > in ${JSON.stringify(s.slice(0, 80))}`);
    if (/&(?!amp;|lt;|gt;)/.test(s)) problems.push(`raw & in ${JSON.stringify(s.slice(0, 80))}`);
    return problems;
  });
