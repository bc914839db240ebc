/**
 * Block Kit as HTML for the playground's page: the one renderer of what the Slack stand-in stores
 * (messages, App Home, modals). Blocks arrive as JSON the bot sent, so every field is read as
 * unknown; anything unexpected is shown as a note, never as markup. Buttons carry where they are
 * (`data-where`), their action_id and value, and their confirm dialog as hidden markup the page's
 * script opens before it sends the click.
 */
import { escapeHtml, mrkdwnToHtml, type NameOf, plainToHtml } from './mrkdwn-html';

type Json = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A text object: mrkdwn rendered, plain_text as it is. */
export const textHtml = (value: unknown, nameOf: NameOf): string => {
  if (!isRecord(value)) return '';
  return value.type === 'mrkdwn' ? mrkdwnToHtml(str(value.text), nameOf) : plainToHtml(str(value.text));
};

const confirmHtml = (confirm: unknown, nameOf: NameOf): string => {
  if (!isRecord(confirm)) return '';
  const style = confirm.style === 'danger' ? ' bk-danger' : ' bk-primary';
  return (
    `<div class="bk-confirm" hidden>` +
    `<div class="bk-confirm-title">${textHtml(confirm.title, nameOf)}</div>` +
    `<div class="bk-confirm-text">${textHtml(confirm.text, nameOf)}</div>` +
    `<div class="bk-confirm-buttons"><button type="button" class="bk-button" data-confirm="deny">${textHtml(confirm.deny, nameOf)}</button>` +
    `<button type="button" class="bk-button${style}" data-confirm="confirm">${textHtml(confirm.confirm, nameOf)}</button></div>` +
    `</div>`
  );
};

const buttonHtml = (button: unknown, where: string, nameOf: NameOf): string => {
  if (!isRecord(button) || button.type !== 'button') return '';
  const style = button.style === 'primary' || button.style === 'danger' ? ` bk-${button.style}` : '';
  const label = textHtml(button.text, nameOf);
  const url = str(button.url);
  if (url !== '' && /^https?:\/\//i.test(url)) {
    return `<a class="bk-button${style}" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
  }
  return (
    `<span class="bk-button-wrap"><button type="button" class="bk-button${style}" data-where="${escapeHtml(where)}" ` +
    `data-action-id="${escapeHtml(str(button.action_id))}" data-value="${escapeHtml(str(button.value))}">${label}</button>` +
    `${confirmHtml(button.confirm, nameOf)}</span>`
  );
};

const blockHtml = (block: unknown, where: string, nameOf: NameOf): string => {
  if (!isRecord(block)) return '';
  switch (block.type) {
    case 'header':
      return `<div class="bk-header">${textHtml(block.text, nameOf)}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'section': {
      const fields = Array.isArray(block.fields)
        ? `<div class="bk-fields">${block.fields.map((f) => `<div>${textHtml(f, nameOf)}</div>`).join('')}</div>`
        : '';
      const accessory =
        block.accessory === undefined
          ? ''
          : `<div class="bk-accessory">${buttonHtml(block.accessory, where, nameOf)}</div>`;
      return `<div class="bk-section"><div class="bk-section-body"><div class="bk-text">${textHtml(block.text, nameOf)}</div>${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      return `<div class="bk-context">${elements.map((e) => `<span>${textHtml(e, nameOf)}</span>`).join('')}</div>`;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      return `<div class="bk-actions">${elements.map((e) => buttonHtml(e, where, nameOf)).join('')}</div>`;
    }
    default:
      return `<div class="bk-unknown">(a ${escapeHtml(str(block.type))} block the playground cannot show)</div>`;
  }
};

/** A list of blocks; `where` names their message or view for the buttons' clicks. */
export const blocksHtml = (blocks: unknown, where: string, nameOf: NameOf): string =>
  Array.isArray(blocks) ? blocks.map((block) => blockHtml(block, where, nameOf)).join('') : '';
