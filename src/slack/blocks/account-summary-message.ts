/**
 * `/mfa-status summary` (approvers): the account's counts, the last scan, then every user without
 * MFA on one line each (name, owner, since when), cut to fit with "…and N more".
 */
import type { AccountSummaryInput, StatusUser } from '../../domain/interaction-messages';
import { USER_STATUSES, type UserStatus } from '../../domain/types';
import type { Block, Mrkdwn, SlackMessage } from './block-kit';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  FIELD_TEXT_MAX,
  HEADER_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn, accountText } from './mrkdwn';
import { qualifiedUserName } from './my-status-message';
import { lastScanWords, ownerWords } from './status-words';
import { listSections, mrkdwn, plainText, section } from './text-objects';
import { durationWords, isoMinute } from './words';

export const accountSummaryMoreText = (notShown: number): string =>
  `…and ${notShown} more. Run \`/mfa-status &lt;iam-user-name&gt;\` to check one of them.`;

const COUNT_LABELS: Readonly<Record<UserStatus, string>> = {
  non_compliant: 'Without MFA',
  grace: 'In grace period',
  exempt: 'Exempt',
  error: 'Could not check',
  compliant: 'With MFA',
  no_console: 'No console password',
};

const field = (label: string, value: number): Mrkdwn => mrkdwn(truncateMrkdwn(`*${label}*\n${value}`, FIELD_TEXT_MAX));

export const offenderLine = (offender: StatusUser, now: Date): string => {
  const { result } = offender;
  const since =
    result.nonCompliantSince === null
      ? 'no MFA'
      : `no MFA since ${isoMinute(result.nonCompliantSince)} (${durationWords(now.getTime() - result.nonCompliantSince.getTime())})`;
  return `• ${qualifiedUserName(offender)}: ${since}, owner ${ownerWords(result.owner)}`;
};

export const buildAccountSummaryMessage = (input: AccountSummaryInput): SlackMessage => {
  const { overview, now } = input;
  const account = accountMrkdwn(overview);
  const head: Block[] = [
    { type: 'header', text: plainText('MFA status of the AWS account', HEADER_TEXT_MAX) },
    {
      ...section(`AWS account ${account}. ${lastScanWords(input.lastScan)}`),
      fields: USER_STATUSES.map((status) => field(COUNT_LABELS[status], overview.counts[status])),
    },
  ];
  const offenders = input.offenders;
  const list =
    offenders.length === 0
      ? [section(':white_check_mark: No IAM user in this account can sign in to the AWS Console without MFA.')]
      : listSections({
          title: `*IAM users without MFA (${offenders.length})*, most urgent first`,
          lines: offenders.map((o) => offenderLine(o, now)),
          maxBlocks: MAX_BLOCKS - head.length,
          maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(head),
          more: accountSummaryMoreText,
        }).blocks;
  const text = `MFA status of AWS account ${accountText(overview)}: ${overview.counts.non_compliant} without MFA, ${overview.counts.grace} in grace period, ${overview.counts.error} could not be checked.`;
  return { text: truncateMrkdwn(text, MESSAGE_TEXT_MAX), blocks: [...head, ...list] };
};
