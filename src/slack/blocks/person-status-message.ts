/**
 * `/mfa-status @person`, for approvers: the IAM users whose owner on record is that person, one
 * line each, as `/mfa-status` shows a person their own; cut to fit with "…and N more".
 */
import type { PersonStatusInput } from '../../domain/interaction-messages';
import type { Block, SlackMessage } from './block-kit';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  HEADER_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { mentionOrText } from './mrkdwn';
import { myStatusMoreText, statusUserLine } from './my-status-message';
import { lastScanWords } from './status-words';
import { listSections, mrkdwn, plainText, section } from './text-objects';
import { plural } from './words';

type Incomplete = Pick<PersonStatusInput, 'emailUnknown' | 'ownerUnknown'>;

/** Why the list may be missing some of the person's users, most serious first. */
const incompleteWords = (input: Incomplete, who: string): string[] => [
  ...(input.ownerUnknown
    ? [
        `Some IAM users could not be checked, and mfa-guard has no record of who owns them: any of them may be ${who}'s. The next scan tries again.`,
      ]
    : []),
  ...(input.emailUnknown
    ? [
        `Slack shows mfa-guard no email address it may match for ${who} (none, a deactivated account, or not a member of this workspace), ` +
          'so IAM users whose owner is an email address are not listed.',
      ]
    : []),
];

const emptyWords = (input: PersonStatusInput, who: string): string => {
  if (input.lastScan === null)
    return `:hourglass_flowing_sand: No scan has finished yet, so mfa-guard cannot tell yet whether any of ${who}'s IAM users lack MFA.`;
  const warnings = incompleteWords(input, who);
  if (warnings.length > 0) return warnings.map((words) => `:warning: ${words}`).join('\n');
  return `:white_check_mark: mfa-guard has no IAM user on record for ${who} that has, or had, a finding.`;
};

export const buildPersonStatusMessage = (input: PersonStatusInput): SlackMessage => {
  const who = mentionOrText(input.slackId);
  const header: Block = { type: 'header', text: plainText("A person's IAM users and MFA", HEADER_TEXT_MAX) };
  const footer: Block = { type: 'context', elements: [mrkdwn(lastScanWords(input.lastScan))] };
  const warnings =
    input.users.length === 0 ? [] : incompleteWords(input, who).map((words) => section(`:warning: ${words}`));
  const fixed = [header, ...warnings, footer];
  const offenders = input.users.filter((u) => u.result.status === 'non_compliant').length;
  const list =
    input.users.length === 0
      ? [section(emptyWords(input, who))]
      : listSections({
          title: `*IAM users of ${who} (${input.users.length})*\n${plural(offenders, 'IAM user needs', 'IAM users need')} MFA.`,
          lines: input.users.map((user) => statusUserLine(user, input.now)),
          maxBlocks: MAX_BLOCKS - fixed.length,
          maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(fixed),
          more: myStatusMoreText,
        }).blocks;
  const text =
    input.users.length === 0
      ? `IAM users of ${who}: none with a finding.`
      : `IAM users of ${who}: ${plural(input.users.length, 'user')}, ${offenders} without MFA. ${lastScanWords(input.lastScan)}`;
  return { text: truncateMrkdwn(text, MESSAGE_TEXT_MAX), blocks: [header, ...list, ...warnings, footer] };
};
