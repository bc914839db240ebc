/** One account a run could not scan, as the summary and the failed-run message list it. */
import type { FailedAccount } from '../../domain/scan';
import { truncateMrkdwn } from './limits';
import { accountMrkdwn, escapeMrkdwn, inlineCode } from './mrkdwn';

// A line stays short so one odd AWS error cannot crowd out the other accounts.
const ERROR_MAX = 250;
const HINT_MAX = 250;
const VIA_MAX = 160;

/** The account's label, or how it was reached when its id is unknown (the ambient credentials). */
export const failedAccountLabel = (failure: FailedAccount): string =>
  failure.accountId === null
    ? `the account of ${truncateMrkdwn(escapeMrkdwn(failure.via), VIA_MAX)}`
    : accountMrkdwn({ accountId: failure.accountId, alias: failure.alias, name: failure.name });

/** "• `prod` (`111…`) via `arn:…`: AccessDenied … *What to do:* …", escaped and cut. */
export const failedAccountLine = (failure: FailedAccount): string => {
  const via =
    failure.accountId === null ? '' : ` via ${inlineCode(truncateMrkdwn(escapeMrkdwn(failure.via), VIA_MAX))}`;
  const hint = failure.hint === null ? '' : ` *What to do:* ${truncateMrkdwn(escapeMrkdwn(failure.hint), HINT_MAX)}`;
  return `• ${failedAccountLabel(failure)}${via}: ${truncateMrkdwn(escapeMrkdwn(failure.message), ERROR_MAX)}${hint}`;
};

export const failedAccountsMoreText = (notShown: number): string =>
  `…and ${notShown} more accounts that could not be scanned — the scan's log names them all.`;
