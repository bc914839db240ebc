/**
 * mrkdwn escaping. Slack reads `<…>` as links, mentions and `<!channel>`, so any text we did not
 * write ourselves (IAM names, tag values, reasons, AWS and Slack error text) goes through here.
 */
import { accountLabel, type LabelledAccount } from '../../domain/account-label';
import { truncateMrkdwn } from './limits';

/** `&` first, so the entities made for `<` and `>` are not escaped twice. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

export const isSlackUserId = (value: string): boolean => SLACK_USER_ID.test(value);

/**
 * `<@U…>` for a real-looking Slack user ID; anything else is shown as escaped text, so an owner
 * value like `U1> <!channel` can never become a mention or a broadcast.
 */
export const mentionOrText = (id: string): string => (isSlackUserId(id) ? `<@${id}>` : escapeMrkdwn(id));

/** Inline code for an already escaped value: keeps `_` and `*` in IAM names from turning into formatting. */
export const inlineCode = (escaped: string): string => `\`${escaped}\``;

/** A code block on its own lines, for a command that must be copied whole. */
export const codeBlock = (escaped: string): string => `\`\`\`${escaped}\`\`\``;

const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,20}$/;

/** `<#C…>` for a real-looking channel ID; anything else as escaped text, never as markup. */
export const channelOrText = (id: string): string => (SLACK_CHANNEL_ID.test(id) ? `<#${id}>` : escapeMrkdwn(id));

/** Longer than any Slack permalink or console URL; a cut `<…|…>` would show as broken markup. */
const LINK_URL_MAX = 1000;

/**
 * `<url|label>` when `url` is an https URL that cannot break out of the link (no whitespace, `|`,
 * `<` or `>`); otherwise just the label. `label` must already be escaped.
 */
export const linkOrText = (url: string | null, label: string): string =>
  url !== null && url.length <= LINK_URL_MAX && url.startsWith('https://') && !/[\s|<>]/.test(url)
    ? `<${escapeMrkdwn(url)}|${label}>`
    : label;

// IAM caps an alias at 63 characters; anything longer is not IAM's and is cut.
const ALIAS_MAX = 63;

// An alias is outside text: escaped, cut, and without backticks so it cannot end its code span.
const aliasCode = (alias: string): string =>
  inlineCode(truncateMrkdwn(escapeMrkdwn(alias.replace(/`/g, "'")), ALIAS_MAX));

/** The account as rich text: "`acme-prod` (`111122223333`)", or "`111122223333`" without an alias. */
export const accountMrkdwn = (account: LabelledAccount): string =>
  accountLabel(account, { alias: aliasCode, id: (accountId) => inlineCode(escapeMrkdwn(accountId)) });

/** The account in a message's fallback text: "acme-prod (111122223333)", escaped. */
export const accountText = (account: LabelledAccount): string =>
  accountLabel(account, {
    alias: (alias) => truncateMrkdwn(escapeMrkdwn(alias), ALIAS_MAX),
    id: (accountId) => escapeMrkdwn(accountId),
  });
