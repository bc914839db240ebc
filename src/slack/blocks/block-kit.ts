/**
 * The small part of Block Kit that mfa-guard sends. Our own types rather than @slack/types so the
 * builders, the terminal renderer and the limit checks stay plain data with no Slack dependency.
 * Field names are Slack's, so a message serialises to exactly what chat.postMessage expects.
 */
export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}

/**
 * Always `verbatim: true`: without it Slack turns bare URLs and `#channel` names in text we did not
 * write (tag values, exemption reasons, AWS errors) into links. Our own `<url|label>` and `<@U…>`
 * markup still works.
 */
export interface Mrkdwn {
  readonly type: 'mrkdwn';
  readonly text: string;
  readonly verbatim: true;
}

export type TextObject = PlainText | Mrkdwn;

export interface ConfirmDialog {
  readonly title: PlainText;
  readonly text: PlainText | Mrkdwn;
  readonly confirm: PlainText;
  readonly deny: PlainText;
  readonly style?: 'primary' | 'danger';
}

export interface ButtonElement {
  readonly type: 'button';
  readonly action_id: string;
  readonly text: PlainText;
  readonly value?: string;
  readonly url?: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: ConfirmDialog;
}

export interface HeaderBlock {
  readonly type: 'header';
  readonly block_id?: string;
  readonly text: PlainText;
}

export interface SectionBlock {
  readonly type: 'section';
  readonly block_id?: string;
  readonly text?: TextObject;
  readonly fields?: readonly TextObject[];
  readonly accessory?: ButtonElement;
}

export interface ContextBlock {
  readonly type: 'context';
  readonly block_id?: string;
  readonly elements: readonly TextObject[];
}

export interface ActionsBlock {
  readonly type: 'actions';
  readonly block_id?: string;
  readonly elements: readonly ButtonElement[];
}

export interface DividerBlock {
  readonly type: 'divider';
  readonly block_id?: string;
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

/** A message as chat.postMessage takes it: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}

/** An App Home tab as views.publish takes it (at most 100 blocks). */
export interface HomeView {
  readonly type: 'home';
  readonly blocks: readonly Block[];
}

/** A modal as views.open and views.update take it (at most 100 blocks; title and close at most 24 characters). */
export interface ModalView {
  readonly type: 'modal';
  readonly title: PlainText;
  readonly close: PlainText;
  readonly blocks: readonly Block[];
}
