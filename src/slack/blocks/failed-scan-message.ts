/** The security channel's message when a scan failed as a whole (e.g. AWS denied access). */
import type { FailedScanSummaryInput } from '../../domain/notifications';
import type { SlackMessage } from './block-kit';
import { HEADER_TEXT_MAX, MESSAGE_TEXT_MAX, truncateMrkdwn } from './limits';
import { escapeMrkdwn, inlineCode } from './mrkdwn';
import { mrkdwn, plainText, section } from './text-objects';
import { elapsedWords, isoMinute } from './words';

const MESSAGE_MAX = 1800;
const HINT_MAX = 900;

export const buildFailedScanMessage = (input: FailedScanSummaryInput): SlackMessage => {
  const e = escapeMrkdwn;
  const account = input.accountId === null ? 'the AWS account' : `AWS account ${inlineCode(e(input.accountId))}`;
  const took = elapsedWords(input.finishedAt.getTime() - input.startedAt.getTime());
  // Each part is cut on its own so a very long AWS message cannot push the hint out of the section.
  const details = [
    `*The scan of ${account} failed* (started ${isoMinute(input.startedAt)}, gave up after ${took}).`,
    truncateMrkdwn(e(input.message), MESSAGE_MAX),
    ...(input.hint === null ? [] : [`*What to do:* ${truncateMrkdwn(e(input.hint), HINT_MAX)}`]),
  ];
  const accountText = input.accountId === null ? 'the AWS account' : `AWS account ${e(input.accountId)}`;
  return {
    text: truncateMrkdwn(`MFA scan of ${accountText} failed: ${e(input.message)}`, MESSAGE_TEXT_MAX),
    blocks: [
      { type: 'header', text: plainText('MFA scan failed', HEADER_TEXT_MAX) },
      section(details.join('\n')),
      { type: 'context', elements: [mrkdwn('mfa-guard keeps running; the next scheduled scan will try again.')] },
    ],
  };
};
