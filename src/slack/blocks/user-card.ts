/**
 * One offending IAM user as a Slack message shows it: shared by the owner's DM and by the
 * security channel's list of users nobody can be nudged about.
 */
import type { MessageUser } from '../../domain/notifications';
import { buildRemediation } from '../../domain/remediation';
import type { AccountRef } from '../../domain/types';
import { RECHECK_ACTION_ID, REQUEST_REMOVAL_ACTION_ID } from './action-ids';
import type { ActionsBlock, Block, ButtonElement } from './block-kit';
import { BUTTON_TEXT_MAX, CONFIRM_BUTTON_MAX, CONFIRM_TEXT_MAX, CONFIRM_TITLE_MAX, truncateMrkdwn } from './limits';
import { codeBlock, escapeMrkdwn, inlineCode } from './mrkdwn';
import { packSections, plainText } from './text-objects';
import { durationWords } from './words';

export interface UserCardInput {
  readonly account: AccountRef;
  readonly user: MessageUser;
  readonly now: Date;
  readonly removalEnabled: boolean;
  /** Extra escaped mrkdwn shown under the first line, e.g. why nobody can be nudged. */
  readonly note?: string;
}

export const RECHECK_BUTTON_TEXT = 'Recheck';
export const REMOVE_BUTTON_TEXT = 'Remove console access…';

/** How a user name appears inside a sentence (escaped, and short enough for any dialog). */
const nameIn = (userName: string, max: number): string => inlineCode(truncateMrkdwn(escapeMrkdwn(userName), max));

const sinceWords = (user: MessageUser['user'], now: Date): string =>
  user.nonCompliantSince === null
    ? 'found in this scan'
    : `for *${durationWords(now.getTime() - user.nonCompliantSince.getTime())}*`;

export const userActions = (user: MessageUser, removalEnabled: boolean): ActionsBlock => {
  const recheck: ButtonElement = {
    type: 'button',
    action_id: RECHECK_ACTION_ID,
    text: plainText(RECHECK_BUTTON_TEXT, BUTTON_TEXT_MAX),
    value: user.ref,
  };
  if (!removalEnabled) return { type: 'actions', elements: [recheck] };
  const name = truncateMrkdwn(escapeMrkdwn(user.user.userName), 120);
  const remove: ButtonElement = {
    type: 'button',
    action_id: REQUEST_REMOVAL_ACTION_ID,
    text: plainText(REMOVE_BUTTON_TEXT, BUTTON_TEXT_MAX),
    value: user.ref,
    style: 'danger',
    confirm: {
      title: plainText('Remove console access?', CONFIRM_TITLE_MAX),
      text: plainText(
        `Ask an approver to remove ${name}'s console password (login profile)? ` +
          'Nothing changes until an approver says yes; access keys keep working.',
        CONFIRM_TEXT_MAX,
      ),
      confirm: plainText('Ask an approver', CONFIRM_BUTTON_MAX),
      deny: plainText('Cancel', CONFIRM_BUTTON_MAX),
      style: 'danger',
    },
  };
  return { type: 'actions', elements: [recheck, remove] };
};

/** The sections and buttons for one user, starting with a divider. */
export const userCardBlocks = (input: UserCardInput): Block[] => {
  const { account, user, now, removalEnabled, note } = input;
  const { userName } = user.user;
  const r = buildRemediation({ accountId: account.accountId, partition: account.partition, userName });
  const m = r.enableMfa;
  const e = escapeMrkdwn;
  // The console URL is ours (the user name in it is URL-encoded), so it may be a link target.
  const consoleLink = `<${e(m.consoleUrl)}|Open ${e(userName)} in the IAM console>`;

  const parts = [
    `*IAM user ${nameIn(userName, 400)}* in AWS account ${inlineCode(e(account.accountId))} ` +
      `has had a console password without MFA ${sinceWords(user.user, now)}.`,
    ...(note === undefined ? [] : [note]),
    `${e(r.whyItMatters)}\n*Risk:* ${e(r.risk)}`,
    `\n*Fix 1: enable MFA.* In the console: ${consoleLink}`,
    m.consoleSteps.map((step, i) => `${i + 1}. ${e(step)}`).join('\n'),
    `\n*Or with the AWS CLI.* ${e(m.cliCredentials)}\n1. Create a virtual MFA device with a QR code:\n${codeBlock(e(m.createQrCode))}`,
    `or with a Base32 key instead:\n${codeBlock(e(m.createBase32))}\n${e(m.secretWarning)}`,
    `${e(m.staleDeviceNote)}\n${codeBlock(e(m.deleteStaleDevice))}`,
    `2. ${e(m.seedStep)}\n3. Enable the device:\n${codeBlock(e(m.enable))}`,
    `\n*Fix 2: remove the console password.* ${e(r.removeConsoleAccess.summary)}\n${codeBlock(e(r.removeConsoleAccess.command))}`,
  ];
  return [{ type: 'divider' }, ...packSections(parts), userActions(user, removalEnabled)];
};
