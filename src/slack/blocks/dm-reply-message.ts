/**
 * The bot's answers to what people write in its DM: one line per IAM user after a "done", and the
 * help for anything else. Both stay short and far within BLOCKS_TEXT_BUDGET.
 */
import { DM_RECHECK_MAX, type DmHelpInput, type DmRecheckInput, type DmRecheckLine } from '../../domain/dm-reply';
import type { SlackMessage } from './block-kit';
import { BLOCKS_TEXT_BUDGET, blocksTextLength, MESSAGE_TEXT_MAX, truncateMrkdwn } from './limits';
import { accountMrkdwn, channelOrText } from './mrkdwn';
import { closeReasonWords, reasonText, statusEmoji, statusWords, userNameCode } from './status-words';
import { listSections, packSections } from './text-objects';
import { RECHECK_BUTTON_TEXT, REMOVE_BUTTON_TEXT, SHOW_STEPS_BUTTON_TEXT } from './user-card';
import { isoSecond, plural } from './words';

/** Shorter than a reply's usual error cap, so ten users that could not be checked still fit. */
const LINE_REASON_MAX = 200;

const message = (parts: readonly string[], blocks = packSections(parts)): SlackMessage => ({
  text: truncateMrkdwn(parts.join('\n'), MESSAGE_TEXT_MAX),
  blocks,
});

/** The user's name, with its account when the person's users are in several. */
const nameOf = (line: DmRecheckLine, userName: string): string =>
  line.account === undefined ? userNameCode(userName) : `${userNameCode(userName)} in ${accountMrkdwn(line.account)}`;

export const recheckLine = (line: DmRecheckLine, now: Date): string => {
  switch (line.kind) {
    case 'closed':
      return line.reason === 'fixed'
        ? `:white_check_mark: ${nameOf(line, line.userName)} is fixed: it ${closeReasonWords(line.reason)}. Its finding is closed.`
        : `:white_check_mark: ${nameOf(line, line.userName)} ${closeReasonWords(line.reason)}. Its finding is closed.`;
    case 'still_open':
      return `:red_circle: ${nameOf(line, line.userName)}: still needs MFA (a console password without MFA).`;
    case 'error':
      return `:warning: ${nameOf(line, line.userName)}: could not be checked (${reasonText(line.reason, LINE_REASON_MAX)}). Nothing was changed; try again in a few minutes.`;
    case 'checked':
      return `${statusEmoji(line.result.status)} ${nameOf(line, line.result.userName)}: ${statusWords(line.result, now)}.`;
    case 'not_yours':
      return `:no_entry: ${nameOf(line, line.userName)}: not checked. mfa-guard no longer has you on record as its owner.`;
    case 'unknown':
      return `:grey_question: ${nameOf(line, line.userName)}: not checked. mfa-guard no longer knows its finding; \`/mfa-status\` shows the current state.`;
    case 'rate_limited':
      return `:hourglass: ${nameOf(line, line.userName)}: not checked. Too many live IAM checks were asked for in the last minute; try again at ${isoSecond(line.retryAt)}.`;
  }
};

export const DM_NOTHING_TO_RECHECK = {
  no_scan:
    'No scan has finished yet, so mfa-guard has nothing on record to recheck. Type `status` to see where things stand.',
  no_findings:
    'mfa-guard has no IAM user that needs MFA on record as yours, so there is nothing to recheck. ' +
    'Type `status` (or run `/mfa-status`) to see your IAM users.',
} as const;

const moreWords = (more: number): string =>
  `…and ${plural(more, 'more IAM user')} of yours not rechecked: at most ${DM_RECHECK_MAX} per message. ` +
  'Run `/mfa-status` to see them all, and press Recheck on each one.';

/** The answer to a "done": one line per user rechecked, and where the rest are. */
export const buildDmRecheckMessage = (input: DmRecheckInput): SlackMessage => {
  if (input.kind === 'nothing') return message([DM_NOTHING_TO_RECHECK[input.why]]);
  const title = `*Rechecked your IAM users just now* (${plural(input.lines.length, 'user')}):`;
  const closing = [
    ...(input.more > 0 ? [moreWords(input.more)] : []),
    ...(input.nudgeUpdated ? ['The message about them above is updated too.'] : []),
  ];
  const tail = packSections(closing);
  const lines = input.lines.map((line) => recheckLine(line, input.now));
  // Cut, with a count of the rest, only if the lines could not fit the budget: they always should.
  const { blocks } = listSections({
    title,
    lines,
    maxBlocks: 10,
    maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(tail),
    more: (n) => `…and ${plural(n, 'more line')} left out to keep this message short.`,
  });
  return message([title, ...lines, ...closing], [...blocks, ...tail]);
};

/** The answer to anything else: what the bot is, why it wrote, what to type or click, where to ask. */
export const buildDmHelpMessage = (input: DmHelpInput): SlackMessage => {
  const buttons = [
    `*${RECHECK_BUTTON_TEXT}*: check that user again now`,
    `*${SHOW_STEPS_BUTTON_TEXT}*: the AWS CLI commands to fix it`,
    ...(input.removalEnabled
      ? [`*${REMOVE_BUTTON_TEXT}*: ask the security team to remove its console password instead`]
      : []),
  ];
  return message([
    '*mfa-guard* makes sure every AWS IAM user who can sign in to the AWS console is protected by MFA.',
    'It writes to you here when an IAM user it has on record as yours can sign in to the console without MFA, ' +
      'so you can turn MFA on (or remove the console password).',
    '',
    '*What you can type here*',
    '• `done` (or `fixed`, `recheck`, `check again`, `mfa enabled`): recheck your IAM users that need MFA, now',
    '• `status`: your IAM users and their status (the same as `/mfa-status`)',
    '• `help`: this message',
    '',
    `*On a message about an IAM user*: ${buttons.join(' · ')}.`,
    '',
    `Questions? Ask your security team in ${channelOrText(input.securityChannel)}.`,
  ]);
};
