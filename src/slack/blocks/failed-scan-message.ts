/**
 * The security channel's message when no account of a run completed: the run's error, then each
 * account that failed (label, error, what to do), cut to fit with a count of the rest.
 */
import type { LabelledAccount } from '../../domain/account-label';
import type { FailedScanSummaryInput } from '../../domain/notifications';
import type { SlackMessage } from './block-kit';
import { failedAccountLine, failedAccountsMoreText } from './failed-account-line';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  HEADER_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn, accountText, escapeMrkdwn } from './mrkdwn';
import { listSections, mrkdwn, plainText, section } from './text-objects';
import { elapsedWords, isoMinute, plural } from './words';

const MESSAGE_MAX = 1800;
const HINT_MAX = 900;

/** What the run covered: its one account, "3 AWS accounts", or "the AWS account" when none could be listed. */
const scanned = (input: FailedScanSummaryInput, label: (account: LabelledAccount) => string): string => {
  const [only] = input.accounts;
  if (input.accounts.length === 1 && only?.accountId != null) {
    return `AWS account ${label({ accountId: only.accountId, alias: only.alias, name: only.name })}`;
  }
  return input.accounts.length > 1 ? `${input.accounts.length} AWS accounts` : 'the AWS account';
};

/** A run of one account that failed says it once: its error is the run's. */
const listsAccounts = (input: FailedScanSummaryInput): boolean => {
  const [only] = input.accounts;
  return (
    input.accounts.length > 1 || (only !== undefined && (only.message !== input.message || only.hint !== input.hint))
  );
};

export const buildFailedScanMessage = (input: FailedScanSummaryInput): SlackMessage => {
  const e = escapeMrkdwn;
  const took = elapsedWords(input.finishedAt.getTime() - input.startedAt.getTime());
  // Each part is cut on its own so a very long AWS message cannot push the hint out of the section.
  const details = [
    `*The scan of ${scanned(input, accountMrkdwn)} failed* (started ${isoMinute(input.startedAt)}, gave up after ${took}).`,
    truncateMrkdwn(e(input.message), MESSAGE_MAX),
    ...(input.hint === null ? [] : [`*What to do:* ${truncateMrkdwn(e(input.hint), HINT_MAX)}`]),
  ];
  const header = { type: 'header', text: plainText('MFA scan failed', HEADER_TEXT_MAX) } as const;
  const footer = {
    type: 'context',
    elements: [mrkdwn('mfa-guard keeps running; the next scheduled scan will try again.')],
  } as const;
  const head = [header, section(details.join('\n'))];
  const accounts = !listsAccounts(input)
    ? []
    : listSections({
        title: `*${plural(input.accounts.length, 'account')} could not be scanned*`,
        lines: input.accounts.map(failedAccountLine),
        maxBlocks: MAX_BLOCKS - head.length - 1,
        maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength([...head, footer]),
        more: failedAccountsMoreText,
      }).blocks;
  return {
    text: truncateMrkdwn(`MFA scan of ${scanned(input, accountText)} failed: ${e(input.message)}`, MESSAGE_TEXT_MAX),
    blocks: [...head, ...accounts, footer],
  };
};
