/** The DM to one owner: every IAM user of theirs that can sign in without MFA, in one message. */
import type { NudgeMessageInput } from '../../domain/notifications';
import type { Block, SlackMessage } from './block-kit';
import { HEADER_TEXT_MAX, MAX_BLOCKS, MESSAGE_TEXT_MAX, truncateMrkdwn } from './limits';
import { escapeMrkdwn, inlineCode } from './mrkdwn';
import { plainText, section } from './text-objects';
import { userCardBlocks } from './user-card';
import { plural } from './words';

export interface NudgeMessage extends SlackMessage {
  /** How many of `input.users` (from the start) the message shows in full; the rest are counted in "and N more". */
  readonly shownUsers: number;
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

export const buildNudgeMessage = (input: NudgeMessageInput): NudgeMessage => {
  const header = input.users.length === 1 ? 'Your AWS IAM user needs MFA' : 'Your AWS IAM users need MFA';
  const blocks: Block[] = [{ type: 'header', text: plainText(header, HEADER_TEXT_MAX) }, section(intro(input))];
  let shownUsers = 0;
  for (const [index, user] of input.users.entries()) {
    const card = userCardBlocks({ account: input.account, user, now: input.now, removalEnabled: input.removalEnabled });
    const isLast = index === input.users.length - 1;
    // Room for the "and N more" line stays free unless this is the last user.
    if (blocks.length + card.length + (isLast ? 0 : 1) > MAX_BLOCKS) break;
    blocks.push(...card);
    shownUsers += 1;
  }
  if (shownUsers < input.users.length) blocks.push(section(nudgeMoreText(input.users.length - shownUsers)));
  return { text: fallbackText(input), blocks, shownUsers };
};

/** How many users `buildNudgeMessage` shows for this input. */
export const fitNudgeUsers = (input: NudgeMessageInput): number => buildNudgeMessage(input).shownUsers;
