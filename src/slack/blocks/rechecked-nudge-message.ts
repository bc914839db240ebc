/**
 * The owner's DM rebuilt after a Recheck, from what the bot stored about it: users that still need
 * fixing keep their entry (with when they were checked, or why they could not be), users that are
 * done shrink to one line without buttons, and when all are done the message says thank you.
 */
import type { RecheckedNudgeInput, RecheckedUser } from '../../domain/interaction-messages';
import type { AccountRef } from '../../domain/types';
import type { Block, SlackMessage } from './block-kit';
import { fitUsers } from './fit-users';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  HEADER_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn, accountText } from './mrkdwn';
import { COMPACT_HEADING, nudgeMoreText } from './nudge-message';
import { closeReasonWords, reasonText, userNameCode } from './status-words';
import { listSections, plainText, section } from './text-objects';
import { compactUserSection, type UserCardInput, userEntryBlocks } from './user-card';
import { whyItMattersLines } from './why-it-matters';
import { isoMinute, plural } from './words';

type OpenUser = Extract<RecheckedUser, { kind: 'open' | 'error' }>;
type ClosedUser = Extract<RecheckedUser, { kind: 'closed' }>;

export const ALL_FIXED_HEADER = 'All fixed — thank you';

/** When users are left to fix, the done ones get at most this much, so the entries keep their room. */
const CLOSED_MAX_BLOCKS = 2;
const CLOSED_MAX_CHARS = 800;

/** Every account of the DM's users, by id: one, unless the DM covers several. */
const accountsOf = (input: RecheckedNudgeInput): ReadonlyMap<string, AccountRef> =>
  new Map([input.account, ...(input.otherAccounts ?? [])].map((a) => [a.accountId, a] as const));

/** A closed user's account, named only when the DM covers several. */
const qualifier = (input: RecheckedNudgeInput, user: ClosedUser): AccountRef | null => {
  const accounts = accountsOf(input);
  return accounts.size === 1 || user.accountId === undefined ? null : (accounts.get(user.accountId) ?? null);
};

export const closedLine = (user: ClosedUser, account: AccountRef | null = null): string => {
  const name =
    account === null ? userNameCode(user.userName) : `${userNameCode(user.userName)} in ${accountMrkdwn(account)}`;
  const words = closeReasonWords(user.reason);
  const what = user.reason === 'fixed' ? `${name} is fixed: it ${words}` : `${name} ${words}`;
  return `✅ ${what}${user.at === null ? '' : ` (${isoMinute(user.at)})`}.`;
};

const note = (user: OpenUser): string | undefined => {
  if (user.kind === 'error') {
    return `:warning: *Could not be checked at ${isoMinute(user.checkedAt)}:* ${reasonText(user.reason)}. Shown as last known; press Recheck to try again.`;
  }
  return user.checkedAt === null ? undefined : `*Checked at ${isoMinute(user.checkedAt)}: still no MFA.*`;
};

const cardInput = (input: RecheckedNudgeInput, user: OpenUser): UserCardInput => ({
  // Each card names its own account.
  account: accountsOf(input).get(user.user.user.accountId) ?? input.account,
  user: user.user,
  now: input.now,
  removalEnabled: input.removalEnabled,
  note: note(user),
});

const accountCode = (account: AccountRef): string => accountMrkdwn(account);

/** "AWS account `x` (`id`)", or "3 AWS accounts" when the DM covers several. */
const whereWords = (input: RecheckedNudgeInput): string => {
  const count = accountsOf(input).size;
  return count === 1 ? `AWS account ${accountCode(input.account)}` : `${count} AWS accounts`;
};

const intro = (input: RecheckedNudgeInput, open: number): string => {
  if (open === 0)
    return `Every IAM user this message was about in ${whereWords(input)} is taken care of. Nothing else to do.`;
  const who = open === 1 ? 'an IAM user' : `${open} IAM users`;
  const fix = open === 1 ? 'Fix it' : 'Fix each one';
  return (
    `You own ${who} in ${whereWords(input)} that can still sign in to the AWS Console without MFA. ` +
    `${fix} below: enable MFA, or remove the console password if nobody needs the console. Then press *Recheck*.` +
    `\n\n${whyItMattersLines(input.account, open)}`
  );
};

const fallbackText = (input: RecheckedNudgeInput, open: number, closed: number): string => {
  const count = accountsOf(input).size;
  const account = count === 1 ? `AWS account ${accountText(input.account)}` : `${count} AWS accounts`;
  const text =
    open === 0
      ? `${ALL_FIXED_HEADER}: ${plural(closed, 'IAM user')} in ${account} no longer need anything.`
      : `${plural(open, 'IAM user')} of yours in ${account} can still sign in to the AWS Console without MFA` +
        `${closed > 0 ? `; ${closed} done` : ''}.`;
  return truncateMrkdwn(text, MESSAGE_TEXT_MAX);
};

export const buildRecheckedNudgeMessage = (input: RecheckedNudgeInput): SlackMessage => {
  const open = input.users.filter((u): u is OpenUser => u.kind !== 'closed');
  const closed = input.users.filter((u): u is ClosedUser => u.kind === 'closed');
  const header =
    open.length === 0
      ? ALL_FIXED_HEADER
      : open.length === 1
        ? 'Your AWS IAM user needs MFA'
        : 'Your AWS IAM users need MFA';
  const head: Block[] = [
    { type: 'header', text: plainText(header, HEADER_TEXT_MAX) },
    section(intro(input, open.length)),
  ];
  const room = (blocks: readonly Block[]) => ({
    maxBlocks: MAX_BLOCKS - blocks.length,
    maxChars: BLOCKS_TEXT_BUDGET - blocksTextLength(blocks),
  });
  const closedRoom = room(head);
  const done =
    closed.length === 0
      ? []
      : listSections({
          title: `*Done (${closed.length})*`,
          lines: closed.map((user) => closedLine(user, qualifier(input, user))),
          maxBlocks: open.length === 0 ? closedRoom.maxBlocks : Math.min(CLOSED_MAX_BLOCKS, closedRoom.maxBlocks),
          maxChars: open.length === 0 ? closedRoom.maxChars : Math.min(CLOSED_MAX_CHARS, closedRoom.maxChars),
          more: (n) => `…and ${n} more done.`,
        }).blocks;
  const before = [...head, ...done];
  const cards =
    open.length === 0
      ? []
      : fitUsers<OpenUser>({
          users: open,
          fullCard: (user) => userEntryBlocks(cardInput(input, user)),
          compact: (user) => compactUserSection(cardInput(input, user)),
          compactHeading: [{ type: 'divider' }, section(COMPACT_HEADING)],
          more: (notShown) => section(nudgeMoreText(notShown)),
          ...room(before),
        }).blocks;
  return { text: fallbackText(input, open.length, closed.length), blocks: [...before, ...cards] };
};
