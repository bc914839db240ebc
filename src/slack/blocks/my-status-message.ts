/**
 * `/mfa-status` with no text: the caller's IAM users that have or had a finding, one line each,
 * with the last scan and (for approvers) the account's counts. Cut to fit with "…and N more".
 */
import type { MyStatusInput, StatusUser } from '../../domain/interaction-messages';
import { overviewBlocks } from './account-overviews';
import type { Block, SlackMessage } from './block-kit';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  HEADER_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn } from './mrkdwn';
import { lastScanWords, statusEmoji, statusWords, userNameCode } from './status-words';
import { listSections, mrkdwn, plainText, section } from './text-objects';
import { plural } from './words';

export const myStatusMoreText = (notShown: number): string =>
  `…and ${notShown} more. Run \`/mfa-status &lt;iam-user-name&gt;\` to check one of them.`;

export const NOTHING_NEEDS_ATTENTION =
  'Nothing needs your attention: none of your IAM users can sign in to the AWS Console without MFA.';
/** Before the first scan an empty list proves nothing, so it must not read as an all-clear. */
export const NOT_SCANNED_YET =
  'No scan has finished yet, so mfa-guard cannot tell yet whether any of your IAM users lack MFA.';

/** When users owned by an email might be the caller's: the list may be missing some. */
export const EMAIL_UNKNOWN =
  'Slack did not tell mfa-guard your email address, so IAM users whose owner is an email address are not shown here. ' +
  'Ask your Slack admin to show your email to apps (mfa-guard needs the users:read.email scope), or ask your security team.';

/** When users that could not be checked have no owner on record: any of them may be the caller's. */
export const OWNER_UNKNOWN =
  'Some IAM users could not be checked, and mfa-guard has no record of who owns them, so it cannot confirm that none of ' +
  'yours needs attention. The next scan tries again; your security team can see which users they are.';

type Incomplete = Pick<MyStatusInput, 'emailUnknown' | 'ownerUnknown'>;

/** Why the list may be missing some of the caller's users, most serious first. */
const incompleteWords = (input: Incomplete): string[] => [
  ...(input.ownerUnknown ? [OWNER_UNKNOWN] : []),
  ...(input.emailUnknown ? [EMAIL_UNKNOWN] : []),
];

/** The warnings shown next to a list that may be incomplete. */
export const incompleteWarnings = (input: Incomplete & Pick<MyStatusInput, 'users'>): Block[] =>
  input.users.length === 0 ? [] : incompleteWords(input).map((words) => section(`:warning: ${words}`));

/** The empty-list line: an all-clear only when a scan has looked and every owner is known and could be matched. */
export const emptyListWords = (input: Pick<MyStatusInput, 'lastScan'> & Incomplete): string => {
  if (input.lastScan === null) return `:hourglass_flowing_sand: ${NOT_SCANNED_YET}`;
  const [why] = incompleteWords(input);
  if (why !== undefined)
    return incompleteWords(input)
      .map((words) => `:warning: ${words}`)
      .join('\n');
  return `:white_check_mark: ${NOTHING_NEEDS_ATTENTION}`;
};

/** The statuses an owner has something to do about. */
const needsAction = (user: StatusUser): boolean =>
  user.result.status === 'non_compliant' || user.result.status === 'grace' || user.result.status === 'error';

/** The user's name, with its account when the list spans several. */
export const qualifiedUserName = (user: StatusUser): string =>
  user.account === undefined
    ? userNameCode(user.result.userName)
    : `${userNameCode(user.result.userName)} in ${accountMrkdwn(user.account)}`;

export const statusUserLine = (user: StatusUser, now: Date): string =>
  `• ${statusEmoji(user.result.status)} ${qualifiedUserName(user)}: ${statusWords(user.result, now)}`;

const title = (input: MyStatusInput): string => {
  const n = input.users.length;
  const acting = input.users.filter(needsAction).length;
  const head = `*Your IAM users (${n})*`;
  // With some users' owners unknown, only the listed ones can be vouched for.
  if (acting === 0 && (input.ownerUnknown || input.emailUnknown))
    return `${head}\nNone of these IAM users needs your attention right now.`;
  return acting === 0
    ? `${head}\n:white_check_mark: Nothing needs your attention right now.`
    : `${head}\n${plural(acting, 'IAM user needs', 'IAM users need')} your attention. Run \`/mfa-status &lt;iam-user-name&gt;\` to see how to fix one.`;
};

const fallbackText = (input: MyStatusInput): string => {
  const n = input.users.length;
  if (n === 0)
    return input.lastScan === null ? NOT_SCANNED_YET : (incompleteWords(input)[0] ?? NOTHING_NEEDS_ATTENTION);
  const offenders = input.users.filter((u) => u.result.status === 'non_compliant').length;
  return truncateMrkdwn(
    `Your IAM users: ${plural(n, 'user')}, ${offenders} without MFA. ${lastScanWords(input.lastScan)}`,
    MESSAGE_TEXT_MAX,
  );
};

export const buildMyStatusMessage = (input: MyStatusInput): SlackMessage => {
  const header: Block = { type: 'header', text: plainText('Your IAM users and MFA', HEADER_TEXT_MAX) };
  const overview: Block[] = overviewBlocks(input.overviews);
  const footer: Block = { type: 'context', elements: [mrkdwn(lastScanWords(input.lastScan))] };
  const warning = incompleteWarnings(input);
  const fixed = [header, ...warning, ...overview, footer];
  const list =
    input.users.length === 0
      ? [section(emptyListWords(input))]
      : listSections({
          title: title(input),
          lines: input.users.map((user) => statusUserLine(user, input.now)),
          maxBlocks: MAX_BLOCKS - fixed.length,
          maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(fixed),
          more: myStatusMoreText,
        }).blocks;
  return { text: fallbackText(input), blocks: [header, ...list, ...warning, ...overview, footer] };
};
