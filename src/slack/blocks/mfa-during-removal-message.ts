/**
 * The DM to the owner and the approvers when an MFA device turned up while a console password was
 * being removed: the removal was no longer needed, but it went through, so console access may be
 * wanted back (and now it can be given back safely).
 */
import type { MfaDuringRemovalInput } from '../../domain/interaction-messages';
import type { SlackMessage } from './block-kit';
import { HEADER_TEXT_MAX, MESSAGE_TEXT_MAX, truncateMrkdwn } from './limits';
import { accountMrkdwn } from './mrkdwn';
import { giveBackSteps } from './removal-outcome-message';
import { decidedAtWords, decidedByWords, requestLabel } from './removal-words';
import { userNameCode } from './status-words';
import { plainText, section } from './text-objects';

const HEADER = 'MFA was added while the console password was being removed';

export const buildMfaDuringRemovalMessage = (input: MfaDuringRemovalInput): SlackMessage => {
  const { request, audience, account } = input;
  const yours = audience === 'owner' ? 'your IAM user' : 'IAM user';
  const what =
    `:warning: An MFA device was added to ${yours} ${userNameCode(request.userName)} in AWS account ` +
    `${accountMrkdwn(account)} while mfa-guard was removing its console password ` +
    `(${requestLabel(request)}, approved by ${decidedByWords(request)}${decidedAtWords(request)}). ` +
    'The password was removed all the same: the user can no longer sign in to the console.';
  const next =
    audience === 'owner'
      ? 'If you need console access, ask your AWS administrators to give it back; with MFA in place, mfa-guard will not nudge about it.'
      : 'With MFA in place the removal was no longer needed; if the user should keep console access, it can be given back.';
  const parts = [what, next, giveBackSteps(input)];
  return {
    text: truncateMrkdwn(`${HEADER}: ${what}`, MESSAGE_TEXT_MAX),
    blocks: [{ type: 'header', text: plainText(HEADER, HEADER_TEXT_MAX) }, ...parts.map(section)],
  };
};
