/**
 * `/mfa-status <name>` when the name is in several accounts: one line per account with the user's
 * status there and the exact command that checks it live in that account.
 */
import type { UserAccountsInput } from '../../domain/interaction-messages';
import type { SlackMessage } from './block-kit';
import { BLOCKS_TEXT_BUDGET, MAX_BLOCKS, MESSAGE_TEXT_MAX, truncateMrkdwn } from './limits';
import { accountMrkdwn, escapeMrkdwn, inlineCode } from './mrkdwn';
import { statusEmoji, statusWords, userNameCode } from './status-words';
import { listSections } from './text-objects';
import { plural } from './words';

export const userAccountsMoreText = (notShown: number): string => `…and ${plural(notShown, 'more account')}.`;

export const buildUserAccountsMessage = (input: UserAccountsInput): SlackMessage => {
  const name = userNameCode(input.userName);
  const how =
    input.source === 'stored'
      ? 'As the latest scans saw it (nothing was checked just now). To check one live, run the command next to it.'
      : 'Checked just now in each account mfa-guard has scanned. To check one again, run the command next to it.';
  const lines = [
    ...input.places.map(
      ({ account, result }) =>
        `• ${accountMrkdwn(account)}: ${statusEmoji(result.status)} ${statusWords(result, input.now)} · ` +
        // An id, not the alias: aliases change, and the id is what the command always takes.
        inlineCode(`/mfa-status ${escapeMrkdwn(account.accountId)}/${escapeMrkdwn(result.userName)}`),
    ),
    ...(input.unchecked ?? []).map(
      (account) =>
        `• ${accountMrkdwn(account)}: :warning: could not be checked just now (the logs say why) · ` +
        inlineCode(`/mfa-status ${escapeMrkdwn(account.accountId)}/${escapeMrkdwn(input.userName)}`),
    ),
  ];
  const { blocks } = listSections({
    title: `*IAM user ${name} is in ${plural(input.places.length, 'AWS account')}*\n${how}`,
    lines,
    maxBlocks: MAX_BLOCKS,
    maxChars: BLOCKS_TEXT_BUDGET,
    more: userAccountsMoreText,
  });
  const text = `IAM user ${escapeMrkdwn(input.userName)} is in ${plural(input.places.length, 'AWS account')}.`;
  return { text: truncateMrkdwn(text, MESSAGE_TEXT_MAX), blocks };
};
