/**
 * The App Home tab: the viewer's IAM users and the last scan; for approvers also the account's
 * counts and the pending removal requests, each linking to its approval message. No Approve or
 * Deny buttons here: a decision is made where the other approvers can see it.
 */
import type { HomeViewInput, PendingRemovalLink } from '../../domain/interaction-messages';
import { isPastExpiry } from '../../domain/removal';
import { overviewBlocks } from './account-overviews';
import type { Block, HomeView } from './block-kit';
import { blocksTextLength, HEADER_TEXT_MAX, VIEW_MAX_BLOCKS, VIEW_TEXT_BUDGET } from './limits';
import { linkOrText } from './mrkdwn';
import { emptyListWords, incompleteWarnings, statusUserLine } from './my-status-message';
import { passwordOf, requesterWords, requestLabel } from './removal-words';
import { lastScanWords } from './status-words';
import { listSections, mrkdwn, plainText, section } from './text-objects';
import { isoMinute } from './words';

/** Slack's limit for a Home tab (a message allows 50). */
export const HOME_MAX_BLOCKS = VIEW_MAX_BLOCKS;

const moreText = (n: number): string => `…and ${n} more. Run \`/mfa-status\` to see them all.`;
const pendingMoreText = (n: number): string => `…and ${n} more pending requests, in the approval channel.`;

export const pendingLine = (pending: PendingRemovalLink, now: Date): string => {
  const { request } = pending;
  const state =
    request.state === 'executing'
      ? 'being removed right now'
      : isPastExpiry(request, now)
        ? `expired at ${isoMinute(request.expiresAt)}`
        : `expires ${isoMinute(request.expiresAt)}`;
  return (
    `• ${linkOrText(pending.link, requestLabel(request))}: remove ${passwordOf(request)}, ` +
    `asked by ${requesterWords(request)} at ${isoMinute(request.requestedAt)}; ${state}`
  );
};

export const buildHomeView = (input: HomeViewInput): HomeView => {
  const { approver, now } = input;
  const head: Block[] = [
    { type: 'header', text: plainText('mfa-guard', HEADER_TEXT_MAX) },
    { type: 'context', elements: [mrkdwn(lastScanWords(input.lastScan))] },
  ];
  const overviews = approver?.overviews ?? [];
  const overview: Block[] = overviews.length === 0 ? [] : [{ type: 'divider' }, ...overviewBlocks(overviews)];
  const footer: Block = {
    type: 'context',
    elements: [mrkdwn('Type `/mfa-status help` in any channel to see what mfa-guard can do.')],
  };
  const pending = approver?.pending ?? [];
  const pendingHead: Block[] =
    approver === null
      ? []
      : [{ type: 'divider' }, ...(pending.length === 0 ? [section('*Pending removal requests*\nNone.')] : [])];
  const warning = incompleteWarnings(input);
  const fixed = [...head, ...warning, ...overview, ...pendingHead, footer];
  // When both lists are long each gets half of what is left; a short users list leaves the rest to the pending one.
  const roomChars = VIEW_TEXT_BUDGET - blocksTextLength(fixed);
  const roomBlocks = HOME_MAX_BLOCKS - fixed.length;
  const usersList =
    input.users.length === 0
      ? [section(`*Your IAM users*\n${emptyListWords(input)}`)]
      : listSections({
          title: `*Your IAM users (${input.users.length})*`,
          lines: input.users.map((user) => statusUserLine(user, now)),
          maxBlocks: pending.length === 0 ? roomBlocks : Math.floor(roomBlocks / 2),
          maxChars: pending.length === 0 ? roomChars : Math.floor(roomChars / 2),
          more: moreText,
        }).blocks;
  const pendingList =
    pending.length === 0
      ? []
      : listSections({
          title: `*Pending removal requests (${pending.length})*`,
          lines: pending.map((p) => pendingLine(p, now)),
          maxBlocks: roomBlocks - usersList.length,
          maxChars: roomChars - blocksTextLength(usersList),
          more: pendingMoreText,
        }).blocks;
  return {
    type: 'home',
    blocks: [...head, ...usersList, ...warning, ...overview, ...pendingHead, ...pendingList, footer],
  };
};
