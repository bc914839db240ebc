/**
 * `/mfa-status summary` (approvers) over several accounts: one line per account from its latest
 * completed scan (alias, id, users, without MFA, in grace, not checked), then every user without MFA
 * with its account; each list cut to fit with "…and N more".
 */
import type { AccountsSummaryInput } from '../../domain/interaction-messages';
import type { ScannedAccount } from '../../domain/scanned-account';
import { USER_STATUSES } from '../../domain/types';
import { accountSummaryMoreText, offenderLine } from './account-summary-message';
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
import { lastScanWords } from './status-words';
import { listSections, plainText, section } from './text-objects';
import { isoMinute, plural } from './words';

/** The accounts take at most half the message, so the offenders always have room. */
const ACCOUNT_LINES_CHARS_MAX = Math.floor(BLOCKS_TEXT_BUDGET / 2);

export const accountsMoreText = (notShown: number): string => `…and ${plural(notShown, 'more account')}.`;

export const accountLine = (account: ScannedAccount): string => {
  const { counts } = account;
  const users = USER_STATUSES.reduce((sum, status) => sum + counts[status], 0);
  return (
    `• ${accountMrkdwn(account)}: ${plural(users, 'user')}, ${counts.non_compliant} without MFA, ` +
    `${counts.grace} in grace period, ${counts.error} could not be checked (scanned ${isoMinute(account.finishedAt)})`
  );
};

export const buildAccountsSummaryMessage = (input: AccountsSummaryInput): SlackMessage => {
  const head: Block[] = [
    { type: 'header', text: plainText('MFA status of the AWS accounts', HEADER_TEXT_MAX) },
    section(lastScanWords(input.lastScan)),
  ];
  const accounts = listSections({
    title: `*AWS accounts (${input.accounts.length})*, from the latest completed scan of each`,
    lines: input.accounts.map(accountLine),
    maxBlocks: Math.floor((MAX_BLOCKS - head.length) / 2),
    maxChars: ACCOUNT_LINES_CHARS_MAX,
    more: accountsMoreText,
  }).blocks;
  const fixed = [...head, ...accounts];
  const { offenders } = input;
  const list =
    offenders.length === 0
      ? [section(':white_check_mark: No IAM user in these accounts can sign in to the AWS Console without MFA.')]
      : listSections({
          title: `*IAM users without MFA (${offenders.length})*, most urgent first`,
          lines: offenders.map((o) => offenderLine(o, input.now)),
          maxBlocks: MAX_BLOCKS - fixed.length,
          maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(fixed),
          more: accountSummaryMoreText,
        }).blocks;
  const without = input.accounts.reduce((sum, a) => sum + a.counts.non_compliant, 0);
  const text = `MFA status of ${plural(input.accounts.length, 'AWS account')}: ${without} IAM users without MFA.`;
  return { text: truncateMrkdwn(text, MESSAGE_TEXT_MAX), blocks: [...fixed, ...list] };
};
