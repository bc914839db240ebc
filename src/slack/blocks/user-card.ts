/**
 * One offending IAM user as a Slack message shows it, shared by the owner's DM, the re-rendered DM
 * after a Recheck, `/mfa-status <name>` and the security channel's list of users nobody can be
 * nudged about. An entry is one line (who, which account, for how long), the console fix (the link
 * and its three short steps) and the buttons: Recheck, Remove console access… and Show CLI steps.
 * The AWS CLI walkthrough is one click away in a modal (cli-steps-view.ts), so a message stays
 * short whatever the number of users. A compact entry is one section with the console link and a
 * Recheck button, for the users a message has no room to show in full. Why it matters is said once
 * per message, not here (see why-it-matters.ts).
 */
import type { MessageUser } from '../../domain/notifications';
import { buildRemediation } from '../../domain/remediation';
import type { AccountRef, UserResult } from '../../domain/types';
import { RECHECK_ACTION_ID, REQUEST_REMOVAL_ACTION_ID, SHOW_STEPS_ACTION_ID } from './action-ids';
import type { ActionsBlock, Block, ButtonElement, SectionBlock } from './block-kit';
import { BUTTON_TEXT_MAX, CONFIRM_BUTTON_MAX, CONFIRM_TEXT_MAX, CONFIRM_TITLE_MAX, truncateMrkdwn } from './limits';
import { accountMrkdwn, escapeMrkdwn, inlineCode } from './mrkdwn';
import { packSections, plainText, section } from './text-objects';
import { durationWords } from './words';

export interface UserCardInput {
  readonly account: AccountRef;
  readonly user: MessageUser;
  readonly now: Date;
  readonly removalEnabled: boolean;
  /** Extra escaped mrkdwn shown under the first line, e.g. why nobody can be nudged. */
  readonly note?: string;
  /**
   * Name the account in the compact line too: in a message about several accounts, where the same
   * user name may be in more than one (a full entry always names it).
   */
  readonly qualifyAccount?: boolean;
}

/** Longest a note may be, so one odd reason (a long Slack error) cannot crowd out other users. */
const NOTE_MAX = 600;
/** An IAM name (at most 64 characters) makes a console URL of a few hundred; past this it is not a real one. */
const CONSOLE_URL_MAX = 1000;

export const RECHECK_BUTTON_TEXT = 'Recheck';
export const REMOVE_BUTTON_TEXT = 'Remove console access…';
export const SHOW_STEPS_BUTTON_TEXT = 'Show CLI steps';

/** How a user name appears inside a sentence (escaped, and short enough for any dialog). */
const nameIn = (userName: string, max: number): string => inlineCode(truncateMrkdwn(escapeMrkdwn(userName), max));

const sinceWords = (user: UserResult, now: Date): string =>
  user.nonCompliantSince === null
    ? 'found in this scan'
    : `for *${durationWords(now.getTime() - user.nonCompliantSince.getTime())}*`;

const recheckButton = (user: MessageUser): ButtonElement => ({
  type: 'button',
  action_id: RECHECK_ACTION_ID,
  text: plainText(RECHECK_BUTTON_TEXT, BUTTON_TEXT_MAX),
  value: user.ref,
});

const removeButton = (user: MessageUser): ButtonElement => {
  const name = truncateMrkdwn(escapeMrkdwn(user.user.userName), 120);
  return {
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
};

const showStepsButton = (user: MessageUser): ButtonElement => ({
  type: 'button',
  action_id: SHOW_STEPS_ACTION_ID,
  text: plainText(SHOW_STEPS_BUTTON_TEXT, BUTTON_TEXT_MAX),
  value: user.ref,
});

/**
 * A link to the user's "Security credentials" tab. The URL is ours (the name in it is
 * URL-encoded), so it may be a link target; one too long to be real is left out rather than cut,
 * because a cut `<…|…>` would show as broken markup.
 */
const consoleLink = (url: string, label: string): string =>
  url.length > CONSOLE_URL_MAX ? label : `<${escapeMrkdwn(url)}|${label}>`;

/** Recheck, then Remove console access… (when removal is on), then Show CLI steps; all carry the same ref. */
export const userActions = (user: MessageUser, removalEnabled: boolean): ActionsBlock => ({
  type: 'actions',
  elements: [recheckButton(user), ...(removalEnabled ? [removeButton(user)] : []), showStepsButton(user)],
});

/** What an entry without buttons needs: the user itself, no finding ref. */
export interface UserEntrySectionsInput {
  readonly account: AccountRef;
  readonly user: UserResult;
  readonly now: Date;
  readonly note?: string;
}

const firstLine = (input: UserEntrySectionsInput): string =>
  `*IAM user ${nameIn(input.user.userName, 400)}* in AWS account ${accountMrkdwn(input.account)}: ` +
  `console password without MFA ${sinceWords(input.user, input.now)}.`;

/** The console fix: the link to the user and the three steps there, in buildRemediation's words. */
export const consoleFixText = (account: AccountRef, userName: string): string => {
  const { enableMfa } = buildRemediation({ accountId: account.accountId, partition: account.partition, userName });
  const e = escapeMrkdwn;
  return (
    `*Enable MFA in the console:* ${consoleLink(enableMfa.consoleUrl, `Open ${truncateMrkdwn(e(userName), 400)} in the IAM console`)}\n` +
    enableMfa.consoleSteps.map((step, i) => `${i + 1}. ${e(step)}`).join('\n')
  );
};

/** An entry's divider and sections without its buttons, for a user no button could point at. */
export const userEntrySections = (input: UserEntrySectionsInput): Block[] => {
  const { account, user, note } = input;
  const parts = [
    firstLine(input),
    ...(note === undefined ? [] : [truncateMrkdwn(note, NOTE_MAX)]),
    consoleFixText(account, user.userName),
  ];
  return [{ type: 'divider' }, ...packSections(parts)];
};

/** One user in full: the line, the console fix and the buttons, starting with a divider. */
export const userEntryBlocks = (input: UserCardInput): Block[] => {
  const { account, user, now, removalEnabled, note } = input;
  return [...userEntrySections({ account, user: user.user, now, note }), userActions(user, removalEnabled)];
};

const compactText = (input: UserCardInput): string => {
  const { account, user, now, note } = input;
  const where = input.qualifyAccount === true ? ` in ${accountMrkdwn(account)}` : '';
  const { consoleUrl } = buildRemediation({
    accountId: account.accountId,
    partition: account.partition,
    userName: user.user.userName,
  }).enableMfa;
  return (
    `*IAM user ${nameIn(user.user.userName, 200)}*${where}: console password without MFA ${sinceWords(user.user, now)}. ` +
    `${consoleLink(consoleUrl, 'Open it in the IAM console')}` +
    (note === undefined ? '' : `\n${truncateMrkdwn(note, NOTE_MAX)}`)
  );
};

/**
 * One section for one user: who, how long, the console link, and Recheck as the section's button
 * (same action_id and value as in a full entry, so the same handler answers it).
 */
export const compactUserSection = (input: UserCardInput): SectionBlock => ({
  ...section(compactText(input)),
  accessory: recheckButton(input.user),
});

/** The compact line with every button of a full entry under it, and no steps: the security channel's unowned users. */
export const compactEntryBlocks = (input: UserCardInput): Block[] => [
  section(compactText(input)),
  userActions(input.user, input.removalEnabled),
];
