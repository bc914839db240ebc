import { closestWord } from './did-you-mean';
import { type CommandPiece, pieceText, splitCommandText } from './slack-command-text';

/**
 * What `/mfa-status <text>` asks for. A subcommand word wins over an IAM user of the same name
 * (an IAM user literally called `summary` or `scan` cannot be looked up here; its owner still sees
 * it on App Home), because a subcommand that silently became a user lookup would be more confusing.
 */
export type StatusCommand =
  | { readonly kind: 'mine' }
  | {
      readonly kind: 'user';
      readonly userName: string;
      /**
       * `/mfa-status <alias-or-id>/<name>`: the account picked, as typed (an id of 12 digits, or an
       * alias, which IAM keeps lower-case and is matched whatever its case); null for a bare name.
       */
      readonly account: string | null;
      readonly didYouMean: StatusSubcommand | null;
    }
  /** `/mfa-status @person`: the IAM users of that Slack user (approvers only, or the person themselves). */
  | { readonly kind: 'person'; readonly slackId: string }
  | { readonly kind: 'summary' }
  | { readonly kind: 'scan' }
  /** `problem` quotes what was typed, unescaped: whoever renders it escapes it for mrkdwn. */
  | { readonly kind: 'help'; readonly problem: string | null };

export const STATUS_SUBCOMMANDS = ['summary', 'scan', 'help'] as const;
export type StatusSubcommand = (typeof STATUS_SUBCOMMANDS)[number];

/** IAM's rule for user names (CreateUser UserName). */
const IAM_USER_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const IAM_USER_NAME_MAX = 64;
/** An account id, or what could be an alias (IAM's rule: 3–63 lower-case letters, digits and hyphens). */
const ACCOUNT_PICK = /^(?:\d{12}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)$/;
const QUOTE_MAX = 40;

const isSubcommand = (word: string): word is StatusSubcommand => STATUS_SUBCOMMANDS.some((s) => s === word);

/** Whether `/mfa-status <userName>` would run a subcommand instead of looking the user up. */
export const isShadowedBySubcommand = (userName: string): boolean => isSubcommand(userName.trim().toLowerCase());

const quote = (text: string): string => {
  const chars = Array.from(text);
  return `"${chars.length <= QUOTE_MAX ? text : `${chars.slice(0, QUOTE_MAX - 1).join('')}…`}"`;
};

/** What is wrong with text that is neither a subcommand, an IAM user name nor one person. */
const problemWith = (text: string, words: readonly CommandPiece[]): string => {
  const quoted = quote(text);
  const [only] = words;
  const channel = only?.kind === 'channel' || (only?.kind === 'text' && text.startsWith('#'));
  if (words.length === 1 && channel)
    return `${quoted} is a Slack channel, but /mfa-status takes an IAM user name, such as jane.doe, or one person.`;
  if (words.length === 1 && only?.kind === 'special')
    return `${quoted} is not one person. Give one IAM user name, or mention one person.`;
  if (words.length > 1 || /\s/.test(text))
    return `${quoted} is more than one word. Give one IAM user name, one person, or one of: ${STATUS_SUBCOMMANDS.join(', ')}.`;
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const account = text.slice(0, slash);
    if (!ACCOUNT_PICK.test(account))
      return `${quote(account)} is not an AWS account: give its 12-digit id or its alias, then /, then the IAM user name (such as 111122223333/jane.doe).`;
    return `${quote(text.slice(slash + 1))} is not an IAM user name: those have only letters, digits and + = , . @ _ - (never /).`;
  }
  if (Array.from(text).length > IAM_USER_NAME_MAX)
    return `${quoted} is longer than ${IAM_USER_NAME_MAX} characters, the most an IAM user name can have.`;
  return `${quoted} is not an IAM user name: those have only letters, digits and + = , . @ _ -`;
};

/**
 * Parses the text Slack sends with `should_escape: true` (see slack-command-text.ts): a mention
 * alone asks for that person's users; a link or email Slack recognised counts as its label, so
 * `/mfa-status a.b@example.com` (sent as `<mailto:a.b@example.com|a.b@example.com>`) looks up the
 * IAM user `a.b@example.com`.
 */
export const parseStatusCommand = (raw: string): StatusCommand => {
  // Whitespace between pieces is not a word; a text piece holding only spaces is dropped.
  const words = splitCommandText(raw).flatMap((piece): CommandPiece[] =>
    piece.kind !== 'text'
      ? [piece]
      : piece.text
          .split(/\s+/)
          .filter((word) => word !== '')
          .map((word) => ({ kind: 'text', text: word })),
  );
  const [only] = words;
  if (only === undefined) return { kind: 'mine' };
  if (words.length === 1 && only.kind === 'user') return { kind: 'person', slackId: only.userId };
  // Slack passes the text as typed, spaces and all: quoted back without the outer ones.
  const typed = splitCommandText(raw).map(pieceText).join('').trim();
  if (words.length > 1 || only.kind !== 'text') return { kind: 'help', problem: problemWith(typed, words) };
  const word = only.text.toLowerCase();
  if (isSubcommand(word)) return word === 'help' ? { kind: 'help', problem: null } : { kind: word };
  if (IAM_USER_NAME.test(only.text)) {
    const near = closestWord(only.text, STATUS_SUBCOMMANDS);
    return {
      kind: 'user',
      userName: only.text,
      account: null,
      didYouMean: near !== null && isSubcommand(near) ? near : null,
    };
  }
  // IAM user names never contain '/': the text before the first one picks the account.
  const slash = only.text.indexOf('/');
  const account = only.text.slice(0, slash);
  const userName = only.text.slice(slash + 1);
  if (slash > 0 && ACCOUNT_PICK.test(account) && IAM_USER_NAME.test(userName))
    return { kind: 'user', userName, account, didYouMean: null };
  return { kind: 'help', problem: problemWith(typed, words) };
};
