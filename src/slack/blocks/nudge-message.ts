/**
 * The DM to one owner: every IAM user of theirs that can sign in without MFA, in one message.
 * Why it matters is said once at the top; then a full entry (the line, the console fix and the
 * buttons, Show CLI steps among them) for as many users as the message has room for, one compact
 * section each for more, and a count of the rest. The compact form is what the DM falls back to
 * when Slack refuses the full one: one line per user, then the count.
 */
import type { MessageUser, NudgeMessageInput } from '../../domain/notifications';
import { buildRemediation } from '../../domain/remediation';
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

const intro = (input: NudgeMessageInput): string => {
  const n = input.users.length;
  const who = n === 1 ? 'an IAM user' : `${n} IAM users`;
  const fix = n === 1 ? 'Fix it' : 'Fix each one';
  return (
    `You own ${who} in AWS account ${accountMrkdwn(input.account)} that can sign in to the AWS Console ` +
    `without MFA. ${fix} below: enable MFA, or remove the console password if nobody needs the console. ` +
    'Then press *Recheck*.'
  );
};

/** The notification text: the account and as many user names as fit, the rest counted. */
const fallbackText = (input: NudgeMessageInput): string => {
  const n = input.users.length;
  const head = `You own ${plural(n, 'IAM user')} in AWS account ${accountText(input.account)} that can sign in to the AWS Console without MFA`;
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

export const COMPACT_HEADING =
  '*More of your IAM users without MFA.* Fix each one the same way, in the IAM console; ' +
  '`/mfa-status &lt;iam-user-name&gt;` shows its steps and buttons.';

const headerText = (input: NudgeMessageInput): string =>
  input.users.length === 1 ? 'Your AWS IAM user needs MFA' : 'Your AWS IAM users need MFA';

export const buildNudgeMessage = (input: NudgeMessageInput): NudgeMessage => {
  const top =
    input.users.length === 0
      ? intro(input)
      : `${intro(input)}\n\n${whyItMattersLines(input.account, input.users.length)}`;
  const head: Block[] = [{ type: 'header', text: plainText(headerText(input), HEADER_TEXT_MAX) }, section(top)];
  const card = { account: input.account, now: input.now, removalEnabled: input.removalEnabled };
  const fitted = fitUsers<MessageUser>({
    users: input.users,
    fullCard: (user) => userEntryBlocks({ ...card, user }),
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

const compactLine = (input: NudgeMessageInput, { user }: MessageUser): string => {
  const { consoleUrl } = buildRemediation({
    accountId: input.account.accountId,
    partition: input.account.partition,
    userName: user.userName,
  }).enableMfa;
  const since =
    user.nonCompliantSince === null
      ? 'found in the last scan'
      : `for ${durationWords(input.now.getTime() - user.nonCompliantSince.getTime())}`;
  return `• ${inlineCode(truncateMrkdwn(escapeMrkdwn(user.userName), 200))}: no MFA ${since} — ${linkOrText(consoleUrl, 'open it in the IAM console')}`;
};

const compactIntro = (input: NudgeMessageInput): string => {
  const n = input.users.length;
  const who = n === 1 ? 'an IAM user' : `${n} IAM users`;
  return (
    `You own ${who} in AWS account ${accountMrkdwn(input.account)} that can sign in to the AWS Console ` +
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
  const list =
    input.users.length === 0
      ? { blocks: [], shown: 0 }
      : listSections({
          title: `*Your IAM users without MFA (${input.users.length})*`,
          lines: input.users.map((user) => compactLine(input, user)),
          maxBlocks: MAX_BLOCKS - head.length,
          maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(head),
          more: nudgeMoreText,
        });
  return { text: fallbackText(input), blocks: [...head, ...list.blocks], shownUsers: list.shown, fullUsers: 0 };
};

/** How many users `buildNudgeMessage` shows (in full or compact) for this input. */
export const fitNudgeUsers = (input: NudgeMessageInput): number => buildNudgeMessage(input).shownUsers;
