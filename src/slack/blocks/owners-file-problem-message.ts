/** The security channel's message when the owners file on disk turned invalid while the bot runs. */
import { ownersFileLabel, type OwnersFileProblemInput } from '../../domain/owners-snapshot';
import type { SlackMessage } from './block-kit';
import { HEADER_TEXT_MAX, MESSAGE_TEXT_MAX, truncateMrkdwn } from './limits';
import { escapeMrkdwn, inlineCode } from './mrkdwn';
import { mrkdwn, plainText, section } from './text-objects';

const PROBLEM_MAX = 1800;

export const buildOwnersFileProblemMessage = (input: OwnersFileProblemInput): SlackMessage => {
  const e = escapeMrkdwn;
  const lastGood = inlineCode(ownersFileLabel(input.lastGoodHash));
  const bad = input.problem.hash === null ? 'unreadable' : inlineCode(ownersFileLabel(input.problem.hash));
  const details = [
    `*The owners file is invalid* (${bad}). Until it is fixed, mfa-guard keeps using its last good copy (${lastGood}) for owners, exemptions and DMs, and *refuses every console password removal*: new requests, approvals and removals already approved.`,
    truncateMrkdwn(e(input.problem.message), PROBLEM_MAX),
    '*What to do:* fix the file. mfa-guard reads it again before every scan, Recheck and removal; no restart is needed.',
  ];
  return {
    text: truncateMrkdwn(
      `The owners file is invalid; removals are refused until it is fixed: ${e(input.problem.message)}`,
      MESSAGE_TEXT_MAX,
    ),
    blocks: [
      { type: 'header', text: plainText('Owners file invalid', HEADER_TEXT_MAX) },
      section(details.join('\n')),
      { type: 'context', elements: [mrkdwn('Posted once for this content of the file.')] },
    ],
  };
};
