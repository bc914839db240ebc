/**
 * The DM telling the requester or the owner how a removal request ended. A done removal always
 * says what it did not do: open console sessions go on, and access keys keep working.
 */
import type { RemovalOutcomeInput } from '../../domain/interaction-messages';
import { userSecurityCredentialsUrl } from '../../domain/partition';
import type { Block, SlackMessage } from './block-kit';
import { HEADER_TEXT_MAX, MESSAGE_TEXT_MAX, truncateMrkdwn } from './limits';
import { accountMrkdwn, escapeMrkdwn, linkOrText } from './mrkdwn';
import { decidedAtWords, decidedByWords, detailWords, requesterWords, requestLabel } from './removal-words';
import { lookUpUserWords, userNameCode } from './status-words';
import { plainText, section } from './text-objects';
import { isoMinute } from './words';

/**
 * Deleting a login profile blocks new sign-ins only. No CLI command is printed for ending the
 * sessions: for IAM users that takes a policy written for the occasion, which an admin must own.
 */
export const OPEN_SESSIONS_NOTE =
  '*Console sessions already open are not ended.* Removing the password only stops new sign-ins: a session that is ' +
  'already open stays valid until it expires or the user signs out. If someone who should not be may still be signed in, ' +
  "ask your AWS administrators to end the user's active sessions now.";

export const ACCESS_KEYS_NOTE =
  '*Access keys keep working:* the AWS CLI and API are not affected by removing the console password.';

const HEADERS: Readonly<Record<RemovalOutcomeInput['request']['state'], string>> = {
  pending: 'Console password removal: waiting for an approver',
  executing: 'Console password removal: in progress',
  done: 'Console password removed',
  failed: 'Console password removal failed',
  not_needed: 'Console password removal not needed',
  denied: 'Console password removal denied',
  expired: 'Console password removal expired',
};

/** How to give console access back: console steps only, because a CLI command would need a password typed into it. */
export const giveBackSteps = (input: Pick<RemovalOutcomeInput, 'account' | 'request'>): string => {
  const url = userSecurityCredentialsUrl(input.account.partition, input.request.userName);
  const name = escapeMrkdwn(input.request.userName);
  return (
    '*If console access is needed again:* ' +
    `${linkOrText(url, `open ${truncateMrkdwn(name, 200)} in the IAM console`)} ("Security credentials" tab), ` +
    'enable console access in the "Console sign-in" section and require a password reset at the next sign-in. ' +
    'Then assign an MFA device right away, or mfa-guard will nudge again.'
  );
};

export const buildRemovalOutcomeMessage = (input: RemovalOutcomeInput): SlackMessage => {
  const { request, audience, account } = input;
  const who = decidedByWords(request);
  const at = decidedAtWords(request);
  const user = userNameCode(request.userName);
  const where = `in AWS account ${accountMrkdwn(account)}`;
  const yours = audience === 'owner' ? 'your IAM user' : 'IAM user';
  const asked =
    audience === 'requester'
      ? `You asked for this at ${isoMinute(request.requestedAt)} (${requestLabel(request)}).`
      : `${requesterWords(request)} asked for this at ${isoMinute(request.requestedAt)} (${requestLabel(request)}).`;
  const object = `the console password of ${yours} ${user} ${where}`;
  const subject = `The console password of ${yours} ${user} ${where}`;

  const corrected = input.correction === true && request.state === 'done';
  const correction = corrected
    ? `*Correction:* an earlier message about ${requestLabel(request)} said it did not go through; it did. `
    : '';
  const parts: string[] = (() => {
    switch (request.state) {
      case 'done':
        return [
          `:white_check_mark: ${correction}${subject} was removed. Removed by ${who}${at}. ${asked}`,
          OPEN_SESSIONS_NOTE,
          ACCESS_KEYS_NOTE,
          giveBackSteps(input),
        ];
      case 'not_needed':
        return [
          `:information_source: ${subject} was not removed: it was not needed (${detailWords(request, 'the user no longer needed it')}). ` +
            `Checked by ${who}${at}; nothing was deleted. ${asked}`,
        ];
      case 'failed':
        return [
          `:x: Removing ${object} failed: ${detailWords(request, 'no error recorded')}. ${asked}`,
          `The password is still there. An approver may retry from the approval message until ${isoMinute(request.expiresAt)}; ` +
            'meanwhile, enabling MFA for the user fixes it too.',
        ];
      case 'denied':
        return [
          `:no_entry_sign: Denied by ${who}${at}: ${object} stays. ${asked}`,
          `The user still needs MFA. ${lookUpUserWords(request.userName)} to see how to enable it.`,
        ];
      case 'expired':
        return [
          `:hourglass: Request #${request.id} expired at ${isoMinute(request.expiresAt)} without a decision: ${object} stays.`,
          'Ask again from the message about the user, or enable MFA for it instead.',
        ];
      case 'pending':
        return [
          `:hourglass_flowing_sand: ${subject}: ${requestLabel(request)} is waiting for an approver until ${isoMinute(request.expiresAt)}.`,
        ];
      case 'executing':
        return [`:gear: ${subject} is being removed right now (approved by ${who}${at}).`];
    }
  })();

  const header = corrected ? `${HEADERS[request.state]} (correction)` : HEADERS[request.state];
  const blocks: Block[] = [{ type: 'header', text: plainText(header, HEADER_TEXT_MAX) }, ...parts.map(section)];
  return { text: truncateMrkdwn(`${header}: ${parts[0] ?? ''}`, MESSAGE_TEXT_MAX), blocks };
};
