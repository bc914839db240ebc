/**
 * The DM to one owner: every IAM user of theirs that can sign in without MFA, in one message.
 * Why it matters is said once at the top; then full cards (every step and command) for as many
 * users as the message has room for, one compact section each for more, and a count of the rest.
 */
import type { MessageUser, NudgeMessageInput } from '../../domain/notifications';
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
import { escapeMrkdwn, inlineCode } from './mrkdwn';
import { plainText, section } from './text-objects';
import { compactUserSection, userCardBlocks } from './user-card';
import { whyItMattersLines } from './why-it-matters';
import { plural } from './words';

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

const intro = (input: NudgeMessageInput): string => {
  const n = input.users.length;
  const who = n === 1 ? 'an IAM user' : `${n} IAM users`;
  const fix = n === 1 ? 'Fix it' : 'Fix each one';
  return (
    `You own ${who} in AWS account ${inlineCode(escapeMrkdwn(input.account.accountId))} that can sign in to the AWS Console ` +
    `without MFA. ${fix} below: enable MFA, or remove the console password if nobody needs the console. ` +
    'Then press *Recheck*.'
  );
};

/** The notification text: the account and as many user names as fit, the rest counted. */
const fallbackText = (input: NudgeMessageInput): string => {
  const n = input.users.length;
  const head = `You own ${plural(n, 'IAM user')} in AWS account ${escapeMrkdwn(input.account.accountId)} that can sign in to the AWS Console without MFA`;
  const names = input.users.map((u) => truncateMrkdwn(escapeMrkdwn(u.user.userName), 200));
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

const COMPACT_HEADING =
  "*More of your IAM users without MFA.* The steps are the same as above, with the user's name in the commands.";

export const buildNudgeMessage = (input: NudgeMessageInput): NudgeMessage => {
  const header = input.users.length === 1 ? 'Your AWS IAM user needs MFA' : 'Your AWS IAM users need MFA';
  const top =
    input.users.length === 0
      ? intro(input)
      : `${intro(input)}\n\n${whyItMattersLines(input.account, input.users.length)}`;
  const head: Block[] = [{ type: 'header', text: plainText(header, HEADER_TEXT_MAX) }, section(top)];
  const card = { account: input.account, now: input.now, removalEnabled: input.removalEnabled };
  const fitted = fitUsers<MessageUser>({
    users: input.users,
    fullCard: (user) => userCardBlocks({ ...card, user }),
    compact: (user) => compactUserSection({ ...card, user }),
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

/** How many users `buildNudgeMessage` shows (in full or compact) for this input. */
export const fitNudgeUsers = (input: NudgeMessageInput): number => buildNudgeMessage(input).shownUsers;
