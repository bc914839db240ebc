/**
 * The removal request as approvers see it in the approval channel. Pending: Approve (danger, with
 * a confirm dialog) and Deny. Failed and not yet expired: one Retry (the Approve action). Every
 * other state: no buttons, and who decided what and when ("Removed by @x at T").
 */
import type { ApprovalMessageInput, ApprovalUserFacts } from '../../domain/interaction-messages';
import { isPastExpiry, removalRef, type RemovalRequest } from '../../domain/removal';
import type { AccountRef } from '../../domain/types';
import { APPROVE_REMOVAL_ACTION_ID, DENY_REMOVAL_ACTION_ID } from './action-ids';
import type { ActionsBlock, Block, ButtonElement, ContextBlock, Mrkdwn, SlackMessage } from './block-kit';
import {
  BUTTON_TEXT_MAX,
  CONFIRM_BUTTON_MAX,
  CONFIRM_TEXT_MAX,
  CONFIRM_TITLE_MAX,
  FIELD_TEXT_MAX,
  HEADER_TEXT_MAX,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn, accountText, escapeMrkdwn, mentionOrText } from './mrkdwn';
import { detailWords, passwordOf, removalStateWords, requesterWords, requestLabel } from './removal-words';
import { lastConsoleUseWords, statusLabel } from './status-words';
import { mrkdwn, plainText, section } from './text-objects';
import { isoMinute } from './words';

export const APPROVE_BUTTON_TEXT = 'Approve removal';
export const DENY_BUTTON_TEXT = 'Deny';
export const RETRY_BUTTON_TEXT = 'Retry removal';

const field = (label: string, value: string): Mrkdwn => mrkdwn(truncateMrkdwn(`*${label}*\n${value}`, FIELD_TEXT_MAX));

/** The confirm dialog is plain text: the name is escaped all the same (Slack shows entities as the characters). */
const confirmText = (request: RemovalRequest, account: AccountRef): string =>
  `This removes the console password of IAM user ${truncateMrkdwn(escapeMrkdwn(request.userName), 80)} in AWS account ` +
  `${truncateMrkdwn(escapeMrkdwn(account.accountId), 20)}. It cannot be undone from Slack. Console sessions already open are not ended; ` +
  'access keys keep working.';

const approveButton = (request: RemovalRequest, account: AccountRef, label: string): ButtonElement => ({
  type: 'button',
  action_id: APPROVE_REMOVAL_ACTION_ID,
  text: plainText(label, BUTTON_TEXT_MAX),
  value: removalRef(request.id),
  style: 'danger',
  confirm: {
    title: plainText('Remove the console password?', CONFIRM_TITLE_MAX),
    text: plainText(confirmText(request, account), CONFIRM_TEXT_MAX),
    confirm: plainText('Remove it', CONFIRM_BUTTON_MAX),
    deny: plainText('Cancel', CONFIRM_BUTTON_MAX),
    style: 'danger',
  },
});

const denyButton = (request: RemovalRequest): ButtonElement => ({
  type: 'button',
  action_id: DENY_REMOVAL_ACTION_ID,
  text: plainText(DENY_BUTTON_TEXT, BUTTON_TEXT_MAX),
  value: removalRef(request.id),
});

/**
 * The buttons for the request as it is at `now`: a pending or failed request past its expiry
 * would only be refused, so it gets none.
 */
const actions = (input: ApprovalMessageInput): ActionsBlock[] => {
  const { request, account, now } = input;
  if (isPastExpiry(request, now)) return [];
  if (request.state === 'pending')
    return [{ type: 'actions', elements: [approveButton(request, account, APPROVE_BUTTON_TEXT), denyButton(request)] }];
  if (request.state === 'failed')
    return [{ type: 'actions', elements: [approveButton(request, account, RETRY_BUTTON_TEXT)] }];
  return [];
};

const ownerWords = (user: ApprovalUserFacts): string => {
  if (user.ownerSlackId !== null) return mentionOrText(user.ownerSlackId);
  return user.ownerText === null ? 'no owner set' : truncateMrkdwn(escapeMrkdwn(user.ownerText), 200);
};

const stateLine = (input: ApprovalMessageInput): string => {
  const { request, now } = input;
  if (request.state === 'pending' && isPastExpiry(request, now))
    return `:hourglass: Expired at ${isoMinute(request.expiresAt)}; nobody approved it.`;
  if (request.state === 'failed' && isPastExpiry(request, now)) {
    return (
      `:x: The removal failed: ${detailWords(request, 'no error recorded')}. ` +
      `The request expired at ${isoMinute(request.expiresAt)}, so it cannot be retried; ask again from the user's message.`
    );
  }
  const emoji: Record<RemovalRequest['state'], string> = {
    pending: ':hourglass_flowing_sand:',
    executing: ':gear:',
    done: ':white_check_mark:',
    failed: ':x:',
    not_needed: ':information_source:',
    denied: ':no_entry_sign:',
    expired: ':hourglass:',
  };
  return `${emoji[request.state]} ${removalStateWords(request)}`;
};

export const buildApprovalMessage = (input: ApprovalMessageInput): SlackMessage => {
  const { request, account, user } = input;
  const accountCode = accountMrkdwn(account);
  const ask = section(
    `${requesterWords(request)} asks to remove ${passwordOf(request)} in AWS account ${accountCode} (${requestLabel(request)}).`,
  );
  const facts: Block = {
    ...ask,
    fields: [
      ...(user === null
        ? []
        : [
            field('Status', statusLabel(user.status)),
            field('Last console sign-in', lastConsoleUseWords(user.passwordLastUsed)),
            field('Owner', ownerWords(user)),
          ]),
      field('Requested', isoMinute(request.requestedAt)),
      field('Expires', isoMinute(request.expiresAt)),
    ],
  };
  const note: ContextBlock = {
    type: 'context',
    elements: [
      mrkdwn(
        'Removing the password stops new console sign-ins; console sessions already open are not ended, and access keys keep working.',
      ),
    ],
  };
  const blocks: Block[] = [
    { type: 'header', text: plainText(`Remove a console password? (request #${request.id})`, HEADER_TEXT_MAX) },
    facts,
    section(stateLine(input)),
    ...actions(input),
    note,
  ];
  const text =
    `${requesterWords(request)} asks to remove the console password of IAM user ${truncateMrkdwn(escapeMrkdwn(request.userName), 200)} ` +
    `in AWS account ${accountText(account)} (${requestLabel(request)}): ${stateLine(input)}`;
  return { text: truncateMrkdwn(text, MESSAGE_TEXT_MAX), blocks };
};
