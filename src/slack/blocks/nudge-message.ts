/**
 * The DM to one owner: every IAM user of theirs that can sign in without MFA, in one message,
 * grouped by account when they are in several (a heading before each account's first user, and
 * compact lines that name their account). Why it matters is said once at the top; then a full entry (the line, the console fix and the
 * buttons, Show CLI steps among them) for as many users as the message has room for, one compact
 * section each for more, and a count of the rest. The compact form is what the DM falls back to
 * when Slack refuses the full one: one line per user, then the count.
 */
import type { AccountUsers, MessageUser, NudgeMessageInput } from '../../domain/notifications';
import { buildRemediation } from '../../domain/remediation';
import type { AccountRef } from '../../domain/types';
import type { Block, SlackMessage } from './block-kit';
import { fitUsers } from './fit-users';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  HEADER_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn, accountText, escapeMrkdwn, inlineCode, linkOrText } from './mrkdwn';
import { listSections, plainText, section } from './text-objects';
import { compactUserSection, userEntryBlocks } from './user-card';
import { whyItMattersLines } from './why-it-matters';
import { durationWords, plural } from './words';

export interface NudgeMessage extends SlackMessage {
  /**
   * How many of `input.users` (from the start) the message shows, as a full card or as a compact
   * section, each with its own Recheck button; the rest are only counted in "and N more".
   * `fullUsers` of them (from the start) have a full card.
   */
  readonly shownUsers: number;
  readonly fullUsers: number;
}

export const nudgeMoreText = (notShown: number): string => `…and ${notShown} more — use /mfa-status to see them all.`;

/** One user of the DM with its account; `first` marks the first user of each account. */
export interface AccountUser {
  readonly account: AccountRef;
  readonly user: MessageUser;
  readonly first: boolean;
}

/** The groups' users in order, each with its account. */
export const accountUsers = <U>(
  groups: readonly AccountUsers<U>[],
): { account: AccountRef; user: U; first: boolean }[] =>
  groups.flatMap(({ account, users }) => users.map((user, i) => ({ account, user, first: i === 0 })));

const userCount = (input: NudgeMessageInput): number => input.groups.reduce((n, g) => n + g.users.length, 0);

/** Only non-empty groups count: an account with no user left has nothing to show. */
const accountsOf = (input: NudgeMessageInput): AccountRef[] =>
  input.groups.filter((g) => g.users.length > 0).map((g) => g.account);

/** "in AWS account `acme` (`111…`)", or "in 3 AWS accounts" when the users are in several. */
export const whereWords = (accounts: readonly AccountRef[], style: (account: AccountRef) => string): string => {
  const [only] = accounts;
  return accounts.length === 1 && only !== undefined
    ? `in AWS account ${style(only)}`
    : `in ${accounts.length} AWS accounts`;
};

/** The account Why it matters is worded for: they share a partition, so the first. */
const firstAccount = (input: NudgeMessageInput): AccountRef | null => input.groups[0]?.account ?? null;

const whyLines = (input: NudgeMessageInput): string => {
  const account = firstAccount(input);
  return account === null ? '' : `\n\n${whyItMattersLines(account, userCount(input))}`;
};

const intro = (input: NudgeMessageInput): string => {
  const n = userCount(input);
  const who = n === 1 ? 'an IAM user' : `${n} IAM users`;
  const fix = n === 1 ? 'Fix it' : 'Fix each one';
  return (
    `You own ${who} ${whereWords(accountsOf(input), accountMrkdwn)} that can sign in to the AWS Console ` +
    `without MFA. ${fix} below: enable MFA, or remove the console password if nobody needs the console. ` +
    'Then press *Recheck*.'
  );
};

/** The notification text: the account(s) and as many user names as fit, the rest counted. */
const fallbackText = (input: NudgeMessageInput): string => {
  const n = userCount(input);
  const accounts = accountsOf(input);
  const head = `You own ${plural(n, 'IAM user')} ${whereWords(accounts, accountText)} that can sign in to the AWS Console without MFA`;
  const names = accountUsers(input.groups).map(({ account, user }) => {
    const name = truncateMrkdwn(escapeMrkdwn(user.user.userName), 200);
    return accounts.length > 1 ? `${name} in ${accountText(account)}` : name;
  });
  let listed = 0;
  let text = `${head}.`;
  for (let k = 1; k <= names.length; k += 1) {
    const tail = k < n ? ` ${nudgeMoreText(n - k)}` : '';
    const candidate = `${head}: ${names.slice(0, k).join(', ')}.${tail}`;
    if (candidate.length > MESSAGE_TEXT_MAX) break;
    text = candidate;
    listed = k;
  }
  if (listed === 0 && n > 0) text = `${head}. ${nudgeMoreText(n)}`;
  return truncateMrkdwn(text, MESSAGE_TEXT_MAX);
};

/** The heading before an account's first user, in a DM about several accounts. */
export const accountHeading = (account: AccountRef, users: number): Block =>
  section(`*AWS account ${accountMrkdwn(account)}* · ${plural(users, 'IAM user')}`);

/** The heading before each account's first user when the users are in several accounts; none otherwise. */
export const groupLead = <U>(
  groups: readonly AccountUsers<U>[],
): ((entry: { account: AccountRef; first: boolean }) => Block[]) => {
  const sizes = new Map(groups.map((g) => [g.account.accountId, g.users.length] as const));
  const several = groups.filter((g) => g.users.length > 0).length > 1;
  return ({ account, first }) => (several && first ? [accountHeading(account, sizes.get(account.accountId) ?? 0)] : []);
};

export const COMPACT_HEADING =
  '*More of your IAM users without MFA.* Fix each one the same way, in the IAM console; ' +
  '`/mfa-status &lt;iam-user-name&gt;` shows its steps and buttons.';

const headerText = (input: NudgeMessageInput): string =>
  userCount(input) === 1 ? 'Your AWS IAM user needs MFA' : 'Your AWS IAM users need MFA';

export const buildNudgeMessage = (input: NudgeMessageInput): NudgeMessage => {
  const top = userCount(input) === 0 ? intro(input) : `${intro(input)}${whyLines(input)}`;
  const head: Block[] = [{ type: 'header', text: plainText(headerText(input), HEADER_TEXT_MAX) }, section(top)];
  const qualifyAccount = accountsOf(input).length > 1;
  const card = (entry: AccountUser) => ({
    account: entry.account,
    user: entry.user,
    now: input.now,
    removalEnabled: input.removalEnabled,
    qualifyAccount,
  });
  const fitted = fitUsers<AccountUser>({
    users: accountUsers(input.groups),
    fullCard: (entry) => userEntryBlocks(card(entry)),
    compact: (entry) => compactUserSection(card(entry)),
    lead: groupLead(input.groups),
    compactHeading: [{ type: 'divider' }, section(COMPACT_HEADING)],
    more: (notShown) => section(nudgeMoreText(notShown)),
    maxBlocks: MAX_BLOCKS - head.length,
    maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(head),
  });
  return {
    text: fallbackText(input),
    blocks: [...head, ...fitted.blocks],
    shownUsers: fitted.full + fitted.compact,
    fullUsers: fitted.full,
  };
};

const compactLine = (input: NudgeMessageInput, { account, user: { user } }: AccountUser): string => {
  const { consoleUrl } = buildRemediation({
    accountId: account.accountId,
    partition: account.partition,
    userName: user.userName,
  }).enableMfa;
  const where = accountsOf(input).length > 1 ? ` in ${accountMrkdwn(account)}` : '';
  const since =
    user.nonCompliantSince === null
      ? 'found in the last scan'
      : `for ${durationWords(input.now.getTime() - user.nonCompliantSince.getTime())}`;
  return `• ${inlineCode(truncateMrkdwn(escapeMrkdwn(user.userName), 200))}${where}: no MFA ${since} — ${linkOrText(consoleUrl, 'open it in the IAM console')}`;
};

const compactIntro = (input: NudgeMessageInput): string => {
  const n = userCount(input);
  const who = n === 1 ? 'an IAM user' : `${n} IAM users`;
  return (
    `You own ${who} ${whereWords(accountsOf(input), accountMrkdwn)} that can sign in to the AWS Console ` +
    'without MFA. Enable MFA (the link opens the user in the IAM console), or remove the console password if nobody needs ' +
    'the console. `/mfa-status &lt;iam-user-name&gt;` shows the steps, with Recheck and the other buttons.'
  );
};

/**
 * The DM in its most compact form, for when Slack refused the full one: the same header, a short
 * intro, then one line per user (no buttons) and a count of those that did not fit.
 */
export const buildCompactNudgeMessage = (input: NudgeMessageInput): NudgeMessage => {
  const head: Block[] = [
    { type: 'header', text: plainText(headerText(input), HEADER_TEXT_MAX) },
    section(compactIntro(input)),
  ];
  const n = userCount(input);
  const list =
    n === 0
      ? { blocks: [], shown: 0 }
      : listSections({
          title: `*Your IAM users without MFA (${n})*`,
          lines: accountUsers(input.groups).map((entry) => compactLine(input, entry)),
          maxBlocks: MAX_BLOCKS - head.length,
          maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(head),
          more: nudgeMoreText,
        });
  return { text: fallbackText(input), blocks: [...head, ...list.blocks], shownUsers: list.shown, fullUsers: 0 };
};

/** How many users `buildNudgeMessage` shows (in full or compact) for this input. */
export const fitNudgeUsers = (input: NudgeMessageInput): number => buildNudgeMessage(input).shownUsers;
