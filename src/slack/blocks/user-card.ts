/**
 * One offending IAM user as a Slack message shows it: shared by the owner's DM and by the
 * security channel's list of users nobody can be nudged about. A full card has every step and
 * command; a compact one is a single section with the console link and a Recheck button, for the
 * users a message has no room to show in full. Why it matters is said once per message, not here
 * (see why-it-matters.ts).
 */
import type { MessageUser } from '../../domain/notifications';
import { buildRemediation } from '../../domain/remediation';
import type { AccountRef, UserResult } from '../../domain/types';
import { RECHECK_ACTION_ID, REQUEST_REMOVAL_ACTION_ID } from './action-ids';
import type { ActionsBlock, Block, ButtonElement, SectionBlock } from './block-kit';
import { BUTTON_TEXT_MAX, CONFIRM_BUTTON_MAX, CONFIRM_TEXT_MAX, CONFIRM_TITLE_MAX, truncateMrkdwn } from './limits';
import { codeBlock, escapeMrkdwn, inlineCode } from './mrkdwn';
import { packSections, plainText, section } from './text-objects';
import { durationWords } from './words';

export interface UserCardInput {
  readonly account: AccountRef;
  readonly user: MessageUser;
  readonly now: Date;
  readonly removalEnabled: boolean;
  /** Extra escaped mrkdwn shown under the first line, e.g. why nobody can be nudged. */
  readonly note?: string;
}

/** Longest a note may be, so one odd reason (a long Slack error) cannot crowd out other users. */
const NOTE_MAX = 600;
/** An IAM name (at most 64 characters) makes a console URL of a few hundred; past this it is not a real one. */
const CONSOLE_URL_MAX = 1000;

export const RECHECK_BUTTON_TEXT = 'Recheck';
export const REMOVE_BUTTON_TEXT = 'Remove console access…';

/** How a user name appears inside a sentence (escaped, and short enough for any dialog). */
const nameIn = (userName: string, max: number): string => inlineCode(truncateMrkdwn(escapeMrkdwn(userName), max));

const sinceWords = (user: MessageUser['user'], now: Date): string =>
  user.nonCompliantSince === null
    ? 'found in this scan'
    : `for *${durationWords(now.getTime() - user.nonCompliantSince.getTime())}*`;

const recheckButton = (user: MessageUser): ButtonElement => ({
  type: 'button',
  action_id: RECHECK_ACTION_ID,
  text: plainText(RECHECK_BUTTON_TEXT, BUTTON_TEXT_MAX),
  value: user.ref,
});

/**
 * A link to the user's "Security credentials" tab. The URL is ours (the name in it is
 * URL-encoded), so it may be a link target; one too long to be real is left out rather than cut,
 * because a cut `<…|…>` would show as broken markup.
 */
const consoleLink = (url: string, label: string): string =>
  url.length > CONSOLE_URL_MAX ? label : `<${escapeMrkdwn(url)}|${label}>`;

export const userActions = (user: MessageUser, removalEnabled: boolean): ActionsBlock => {
  const recheck = recheckButton(user);
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

/** What a card without buttons needs: the user itself, no finding ref. */
export interface UserCardSectionsInput {
  readonly account: AccountRef;
  readonly user: UserResult;
  readonly now: Date;
  readonly note?: string;
}

const firstLine = (input: UserCardSectionsInput): string =>
  `*IAM user ${nameIn(input.user.userName, 400)}* in AWS account ${inlineCode(escapeMrkdwn(input.account.accountId))} ` +
  `has had a console password without MFA ${sinceWords(input.user, input.now)}.`;

/**
 * A card's divider and sections without its buttons: every step and command, for a user with no
 * open finding (so nothing a Recheck or removal button could point to).
 */
export const userCardSections = (input: UserCardSectionsInput): Block[] => {
  const { account, user, note } = input;
  const { userName } = user;
  const r = buildRemediation({ accountId: account.accountId, partition: account.partition, userName });
  const m = r.enableMfa;
  const e = escapeMrkdwn;

  const parts = [
    firstLine(input),
    ...(note === undefined ? [] : [truncateMrkdwn(note, NOTE_MAX)]),
    `\n*Fix 1: enable MFA.* In the console: ${consoleLink(m.consoleUrl, `Open ${e(userName)} in the IAM console`)}`,
    m.consoleSteps.map((step, i) => `${i + 1}. ${e(step)}`).join('\n'),
    `\n*Or with the AWS CLI.* ${e(m.cliCredentials)}\n1. Create a virtual MFA device with a QR code:\n${codeBlock(e(m.createQrCode))}`,
    `or with a Base32 key instead:\n${codeBlock(e(m.createBase32))}\n${e(m.secretWarning)}`,
    `${e(m.staleDeviceNote)}\n${codeBlock(e(m.deleteStaleDevice))}`,
    `2. ${e(m.seedStep)}\n3. Enable the device:\n${codeBlock(e(m.enable))}`,
    `\n*Fix 2: remove the console password.* ${e(r.removeConsoleAccess.summary)}\n${codeBlock(e(r.removeConsoleAccess.command))}`,
  ];
  return [{ type: 'divider' }, ...packSections(parts)];
};

/** The sections and buttons for one user, starting with a divider: every step and command. */
export const userCardBlocks = (input: UserCardInput): Block[] => {
  const { account, user, now, removalEnabled, note } = input;
  return [...userCardSections({ account, user: user.user, now, note }), userActions(user, removalEnabled)];
};

/**
 * One section for one user: who, how long, the console link, and Recheck as the section's button
 * (same action_id and value as on a full card, so the same handler answers it).
 */
export const compactUserSection = (input: UserCardInput): SectionBlock => {
  const { account, user, now, note } = input;
  const { consoleUrl } = buildRemediation({
    accountId: account.accountId,
    partition: account.partition,
    userName: user.user.userName,
  }).enableMfa;
  const text =
    `*IAM user ${nameIn(user.user.userName, 200)}*: console password without MFA ${sinceWords(user.user, now)}. ` +
    `${consoleLink(consoleUrl, 'Open it in the IAM console')}` +
    (note === undefined ? '' : `\n${truncateMrkdwn(note, NOTE_MAX)}`);
  return { ...section(text), accessory: recheckButton(user) };
};
