import { closestWord } from './did-you-mean';

/**
 * What `/mfa-status <text>` asks for. A subcommand word wins over an IAM user of the same name
 * (an IAM user literally called `summary` or `scan` cannot be looked up here; its owner still sees
 * it on App Home), because a subcommand that silently became a user lookup would be more confusing.
 */
export type StatusCommand =
  | { readonly kind: 'mine' }
  | { readonly kind: 'user'; readonly userName: string; readonly didYouMean: StatusSubcommand | null }
  | { readonly kind: 'summary' }
  | { readonly kind: 'scan' }
  /** `problem` quotes what was typed, unescaped: whoever renders it escapes it for mrkdwn. */
  | { readonly kind: 'help'; readonly problem: string | null };

export const STATUS_SUBCOMMANDS = ['summary', 'scan', 'help'] as const;
export type StatusSubcommand = (typeof STATUS_SUBCOMMANDS)[number];

/** IAM's rule for user names (CreateUser UserName). */
const IAM_USER_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const IAM_USER_NAME_MAX = 64;
const QUOTE_MAX = 40;

const SLACK_USER_MENTION = /^<@[A-Z0-9]+(\|[^>]*)?>$/;
const SLACK_CHANNEL_MENTION = /^<#[A-Z0-9]+(\|[^>]*)?>$/;

const isSubcommand = (word: string): word is StatusSubcommand => STATUS_SUBCOMMANDS.some((s) => s === word);

/** Whether `/mfa-status <userName>` would run a subcommand instead of looking the user up. */
export const isShadowedBySubcommand = (userName: string): boolean => isSubcommand(userName.trim().toLowerCase());

const quote = (text: string): string => {
  const chars = Array.from(text);
  return `"${chars.length <= QUOTE_MAX ? text : `${chars.slice(0, QUOTE_MAX - 1).join('')}…`}"`;
};

const problemWith = (text: string): string => {
  const quoted = quote(text);
  if (SLACK_USER_MENTION.test(text))
    return `${quoted} is a Slack user, but /mfa-status takes an IAM user name, such as jane.doe.`;
  if (SLACK_CHANNEL_MENTION.test(text) || text.startsWith('#'))
    return `${quoted} is a Slack channel, but /mfa-status takes an IAM user name, such as jane.doe.`;
  if (/\s/.test(text))
    return `${quoted} is more than one word. Give one IAM user name, or one of: ${STATUS_SUBCOMMANDS.join(', ')}.`;
  if (Array.from(text).length > IAM_USER_NAME_MAX)
    return `${quoted} is longer than ${IAM_USER_NAME_MAX} characters, the most an IAM user name can have.`;
  return `${quoted} is not an IAM user name: those have only letters, digits and + = , . @ _ -`;
};

export const parseStatusCommand = (text: string): StatusCommand => {
  // Slack passes the text as typed, spaces and all.
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'mine' };
  const word = trimmed.toLowerCase();
  if (isSubcommand(word)) return word === 'help' ? { kind: 'help', problem: null } : { kind: word };
  if (IAM_USER_NAME.test(trimmed)) {
    const near = closestWord(trimmed, STATUS_SUBCOMMANDS);
    return { kind: 'user', userName: trimmed, didYouMean: near !== null && isSubcommand(near) ? near : null };
  }
  return { kind: 'help', problem: problemWith(trimmed) };
};
