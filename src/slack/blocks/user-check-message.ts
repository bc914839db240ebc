/**
 * `/mfa-status <iam-user-name>`: a live check of one user. Its facts first; for a user without
 * MFA the same entry as in a DM (the console fix, and Recheck, removal and Show CLI steps buttons
 * whose value is the open finding's ref, or a user ref when no scan has opened a finding yet: then
 * a note says the next scan will).
 */
import type { UserCheckInput } from '../../domain/interaction-messages';
import { parseUserRef } from '../../domain/notifications';
import type { Block, Mrkdwn, SlackMessage } from './block-kit';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  FIELD_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn, escapeMrkdwn } from './mrkdwn';
import { lastConsoleUseWords, ownerWords, reasonText, statusEmoji, statusWords, userNameCode } from './status-words';
import { mrkdwn, section } from './text-objects';
import { compactUserSection, userEntryBlocks, userEntrySections } from './user-card';
import { isoMinute } from './words';

const field = (label: string, value: string): Mrkdwn => mrkdwn(truncateMrkdwn(`*${label}*\n${value}`, FIELD_TEXT_MAX));

/** What the owner can do now, for every status but non_compliant (whose card says it). */
const nextStep = (input: UserCheckInput): string | null => {
  const { result } = input;
  switch (result.status) {
    case 'non_compliant':
      return input.ref === null || parseUserRef(input.ref) !== null
        ? 'No finding is open for it yet: the next scan opens one (and nudges its owner). You can fix it right away with the steps below.'
        : null;
    case 'grace':
      return 'Enable MFA before the grace period ends, or remove the console password if nobody needs the console.';
    case 'exempt':
      return 'Nothing to do: it is exempt from the MFA policy. Ask your security team if the exemption should end.';
    case 'error':
      return `mfa-guard could not check it: ${reasonText(result.reason)}. Try again in a few minutes; if it keeps failing, tell your security team.`;
    case 'compliant':
      return ':white_check_mark: All good: it has a console password and MFA.';
    case 'no_console':
      return ':white_check_mark: All good: it has no console password, so nobody can sign in to the console as it.';
  }
};

export const buildUserCheckMessage = (input: UserCheckInput): SlackMessage => {
  const { account, result, now } = input;
  const facts: Block = {
    ...section(
      `${statusEmoji(result.status)} *IAM user ${userNameCode(result.userName)}* in AWS account ${accountMrkdwn(account)}: ` +
        `${statusWords(result, now, 'OK')}.`,
    ),
    fields: [
      field('Owner', ownerWords(result.owner)),
      field('Last console sign-in', lastConsoleUseWords(result.passwordLastUsed)),
      field('Checked', `${isoMinute(result.checkedAt)} (${result.source === 'live' ? 'live' : 'credential report'})`),
    ],
  };
  const next = nextStep(input);
  const head: Block[] = [facts, ...(next === null ? [] : [section(next)])];
  const text = truncateMrkdwn(
    `IAM user ${truncateMrkdwn(escapeMrkdwn(result.userName), 200)}: ${statusWords(result, now, 'OK')}.`,
    MESSAGE_TEXT_MAX,
  );
  if (result.status !== 'non_compliant') return { text, blocks: head };
  const { ref } = input;
  const card =
    ref === null
      ? userEntrySections({ account, user: result, now })
      : userEntryBlocks({ account, user: { user: result, ref }, now, removalEnabled: input.removalEnabled });
  const blocks = [...head, ...card];
  if (blocks.length <= MAX_BLOCKS && blocksTextLength(blocks) <= BLOCKS_TEXT_BUDGET) return { text, blocks };
  // Only a name longer than IAM allows gets here; a compact line keeps the message within Slack's limits.
  const compact = compactUserSection({ account, user: { user: result, ref: ref ?? '' }, now, removalEnabled: false });
  return { text, blocks: [...head, ref === null ? section(compact.text?.text ?? '') : compact] };
};
