/**
 * Short replies only the asker sees: usage, refusals, "started", "already decided" and errors.
 * Each says what happened and what to do next.
 */
import type { Notice, RestrictedAction } from '../../domain/interaction-messages';
import { isPastExpiry, type RemovalRequest } from '../../domain/removal';
import type { SlackMessage } from './block-kit';
import { MESSAGE_TEXT_MAX, truncateMrkdwn } from './limits';
import { channelOrText, escapeMrkdwn, inlineCode, linkOrText } from './mrkdwn';
import { decidedAtWords, decidedByWords, detailWords, passwordOf, requesterWords, requestLabel } from './removal-words';
import {
  closeReasonWords,
  countsLine,
  ERROR_MAX,
  lookUpUserWords,
  reasonText,
  statusWords,
  userNameCode,
} from './status-words';
import { packSections } from './text-objects';
import { isoMinute, isoSecond, plural } from './words';

/** Sections for the blocks; the same words (cut) as the notification text. */
const reply = (...parts: string[]): SlackMessage => ({
  text: truncateMrkdwn(parts.join('\n'), MESSAGE_TEXT_MAX),
  blocks: packSections(parts),
});

const errorText = (error: string): string => reasonText(error, ERROR_MAX);

export const USAGE_LINES = [
  '*How to use /mfa-status*',
  '• `/mfa-status`: your IAM users that need attention, and their status',
  '• `/mfa-status &lt;iam-user-name&gt;`: a live check of one IAM user (yours, or any user if you are an approver)',
  "• `/mfa-status @person`: that person's IAM users (approvers)",
  '• `/mfa-status summary`: every IAM user without MFA in the account (approvers)',
  '• `/mfa-status scan`: start a full scan now (approvers)',
  '• `/mfa-status help`: this help',
] as const;

const didYouMean = (word: string | null): string[] =>
  word === null ? [] : [`Did you mean ${inlineCode(`/mfa-status ${truncateMrkdwn(escapeMrkdwn(word), 100)}`)}?`];

export const notAllowedWords = (action: RestrictedAction): string => {
  switch (action) {
    case 'summary':
      return 'Only approvers can see the account summary. Run `/mfa-status` to see your own IAM users.';
    case 'scan':
      return 'Only approvers can start a scan. The next scheduled scan runs as usual.';
    case 'approve':
      return 'Only approvers can approve removing a console password. Nothing was changed.';
    case 'deny':
      return 'Only approvers can deny a removal request. Nothing was changed.';
    case 'recheck':
      return "Only the IAM user's owner and the approvers can recheck it. Nothing was changed.";
    case 'request_removal':
      return "Only the IAM user's owner and the approvers can ask to remove its console password. Nothing was changed.";
  }
};

/** What became of a request someone clicked on too late. */
const decidedWords = (request: RemovalRequest, now: Date): string => {
  const who = decidedByWords(request);
  const at = decidedAtWords(request);
  switch (request.state) {
    case 'pending':
      return `It is still waiting for an approver (until ${isoMinute(request.expiresAt)}).`;
    case 'executing':
      return `${request.decidedBy === null ? 'An approver' : who} is removing it right now.`;
    case 'done':
      return `Already removed by ${who}${at}. Nothing else to do.`;
    case 'failed':
      return isPastExpiry(request, now)
        ? `The removal failed (${detailWords(request, 'no error recorded')}) and the request expired at ${isoMinute(request.expiresAt)}, so it can no longer be retried. Nothing was deleted; ask again from the user's message if it is still needed.`
        : `The removal failed: ${detailWords(request, 'no error recorded')}. An approver may retry from the approval message until ${isoMinute(request.expiresAt)}.`;
    case 'not_needed':
      return `It was not needed: ${detailWords(request, 'the user no longer needed it')} (checked by ${who}${at}). Nothing was deleted.`;
    case 'denied':
      return `Denied by ${who}${at}. Nothing was deleted.`;
    case 'expired':
      return `Expired at ${isoMinute(request.expiresAt)} without a decision. Nothing was deleted; ask again from the user's message if it is still needed.`;
  }
};

const openRequestLink = (link: string | null): string[] =>
  link === null ? [] : [linkOrText(link, 'Open the request')];

export const buildNotice = (notice: Notice): SlackMessage => {
  switch (notice.kind) {
    case 'help':
      return reply(...(notice.problem === null ? [] : [`:warning: ${errorText(notice.problem)}`, '']), ...USAGE_LINES);
    case 'no_such_user':
      return reply(
        `No IAM user named ${userNameCode(notice.userName)} in this account. Check the spelling, or run \`/mfa-status\` to see your IAM users.`,
        ...didYouMean(notice.didYouMean),
      );
    case 'not_yours':
      // The same words whether or not the user exists: a stranger must learn nothing about it.
      return reply(
        `You can only look up IAM users you own, as mfa-guard has them on record (the owners file, or the last scan). ` +
          `If ${userNameCode(notice.userName)} is yours, ask your security team to add it to the owners file, or an approver to look it up.`,
        ...didYouMean(notice.didYouMean),
      );
    case 'only_your_own':
      return reply(
        "You can only see your own IAM users: run `/mfa-status`. Approvers can look at another person's. Nothing was looked up.",
      );
    case 'other_organization':
      return reply(
        'mfa-guard answers only people of the Slack workspace it is installed in, and this request came from another organization. ' +
          'Nothing was looked up or changed.',
      );
    case 'not_allowed':
      return reply(notAllowedWords(notice.action));
    case 'self_approval':
      return reply(
        `You asked for removal request #${notice.requestId} yourself, so another approver has to approve it. Nothing was changed.`,
      );
    case 'removal_disabled':
      return reply(
        'Removing console passwords from Slack is turned off here (notify-only). Nothing was changed. ' +
          'Enable MFA for the user, or remove its console password in the IAM console; `/mfa-status &lt;iam-user-name&gt;` shows how.',
      );
    case 'scan_started':
      return reply(
        `Started a scan of the AWS account. The summary will be posted in ${channelOrText(notice.channel)} when it finishes, ` +
          'and you will get a DM saying how it ended.',
      );
    case 'scan_already_running':
      return reply('A scan is already running. Its summary will be posted when it finishes; no need to start another.');
    case 'scan_busy':
      return reply(
        `Another mfa-guard process (${inlineCode(truncateMrkdwn(escapeMrkdwn(notice.holder), 200))}) is scanning this account right now. ` +
          'Try again in a few minutes.',
      );
    case 'scan_finished':
      return reply(`Scan finished: ${countsLine(notice.counts)}. The summary is in ${channelOrText(notice.channel)}.`);
    case 'scan_failed':
      return reply(
        `The scan failed: ${errorText(notice.error)}`,
        'Nothing else was changed; the next scheduled scan will try again.',
      );
    case 'unknown_button':
      return reply(
        'mfa-guard does not know this button: the finding or request it belongs to is gone (it may come from an older message or another installation). ' +
          'Run `/mfa-status` to see the current state.',
      );
    case 'recheck_result': {
      const { result } = notice;
      const name = userNameCode(result.userName);
      const next =
        notice.closed !== null
          ? `Its finding is closed: it ${closeReasonWords(notice.closed)}. Thank you!`
          : result.status === 'non_compliant'
            ? `Still no MFA. ${lookUpUserWords(result.userName)} to see how to fix it.`
            : null;
      return reply(
        `${name}: ${statusWords(result, result.checkedAt)} (checked ${isoMinute(result.checkedAt)}).`,
        ...(next === null ? [] : [next]),
      );
    }
    case 'removal_pending':
      return reply(
        `Asked the approvers to remove ${passwordOf(notice.request)} (${requestLabel(notice.request)}). ` +
          'Nothing changes until an approver says yes; you will get a message when it is decided.',
        ...openRequestLink(notice.link),
      );
    case 'removal_already_open': {
      const { request } = notice;
      const state =
        request.state === 'executing'
          ? 'an approver is removing it right now'
          : `waiting for an approver until ${isoMinute(request.expiresAt)}`;
      return reply(
        `There is already a request to remove ${passwordOf(request)}: ${requestLabel(request)}, asked by ${requesterWords(request)} ` +
          `at ${isoMinute(request.requestedAt)}, ${state}. No new request was made.`,
        ...openRequestLink(notice.link),
      );
    }
    case 'removal_not_needed':
      return reply(
        `No need to remove it. ${userNameCode(notice.result.userName)}: ${statusWords(notice.result, notice.result.checkedAt)}.`,
        'No request was made.',
      );
    case 'user_gone':
      return reply(
        `IAM user ${userNameCode(notice.userName)} is gone, or was deleted and recreated under the same name (a new user). ` +
          `Nothing was changed. ${lookUpUserWords(notice.userName)} to check the user as it is now.`,
      );
    case 'removal_post_failed':
      return reply(
        `Could not post the removal request to the approvers: ${errorText(notice.error)}`,
        'No request was made. Try again in a few minutes, or ask an approver directly.',
      );
    case 'removal_decided':
      return reply(
        `Removal ${requestLabel(notice.request)} (${passwordOf(notice.request)}): ${decidedWords(notice.request, notice.now)}`,
      );
    case 'rate_limited': {
      const seconds = Math.max(1, Math.ceil((notice.retryAt.getTime() - notice.now.getTime()) / 1000));
      return reply(
        `Too many live IAM checks were asked for in the last minute, so this one was not made: the scans share the AWS account's IAM request rate. ` +
          `Try again at ${isoSecond(notice.retryAt)} (in ${plural(seconds, 'second')}).`,
      );
    }
    case 'error':
      return reply(`Something went wrong: ${errorText(notice.error)}`);
  }
};
