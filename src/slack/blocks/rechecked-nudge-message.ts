/**
 * The owner's DM rebuilt after a Recheck, from what the bot stored about it: users that still need
 * fixing keep their entry (with when they were checked, or why they could not be), users that are
 * done shrink to one line without buttons, and when all are done the message says thank you. A DM
 * about several accounts keeps its groups: the account headings and account-qualified lines.
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
import { accountUsers, COMPACT_HEADING, groupLead, nudgeMoreText, whereWords } from './nudge-message';
import { closeReasonWords, reasonText, userNameCode } from './status-words';
import { listSections, plainText, section } from './text-objects';
import { compactUserSection, type UserCardInput, userEntryBlocks } from './user-card';
import { whyItMattersLines } from './why-it-matters';
import { isoMinute, plural } from './words';

type OpenUser = Extract<RecheckedUser, { kind: 'open' | 'error' }>;
type ClosedUser = Extract<RecheckedUser, { kind: 'closed' }>;
interface InAccount<U> {
  readonly account: AccountRef;
  readonly user: U;
  readonly first: boolean;
}

export const ALL_FIXED_HEADER = 'All fixed — thank you';

/** When users are left to fix, the done ones get at most this much, so the entries keep their room. */
const CLOSED_MAX_BLOCKS = 2;
const CLOSED_MAX_CHARS = 800;

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

/** Every account the stored DM was about, even one whose users are all gone since. */
const accountsOf = (input: RecheckedNudgeInput): AccountRef[] => input.groups.map((g) => g.account);

const intro = (input: RecheckedNudgeInput, open: readonly InAccount<OpenUser>[]): string => {
  const all = accountsOf(input);
  if (open.length === 0)
    return `Every IAM user this message was about ${whereWords(all, accountMrkdwn)} is taken care of. Nothing else to do.`;
  const openAccounts = input.groups.filter((g) => g.users.some((u) => u.kind !== 'closed')).map((g) => g.account);
  const who = open.length === 1 ? 'an IAM user' : `${open.length} IAM users`;
  const fix = open.length === 1 ? 'Fix it' : 'Fix each one';
  const [first] = open;
  return (
    `You own ${who} ${whereWords(openAccounts, accountMrkdwn)} that can still sign in to the AWS Console without MFA. ` +
    `${fix} below: enable MFA, or remove the console password if nobody needs the console. Then press *Recheck*.` +
    (first === undefined ? '' : `\n\n${whyItMattersLines(first.account, open.length)}`)
  );
};

const fallbackText = (input: RecheckedNudgeInput, open: number, closed: number): string => {
  const where = whereWords(accountsOf(input), accountText);
  const text =
    open === 0
      ? `${ALL_FIXED_HEADER}: ${plural(closed, 'IAM user')} ${where} no longer need anything.`
      : `${plural(open, 'IAM user')} of yours ${where} can still sign in to the AWS Console without MFA` +
        `${closed > 0 ? `; ${closed} done` : ''}.`;
  return truncateMrkdwn(text, MESSAGE_TEXT_MAX);
};

export const buildRecheckedNudgeMessage = (input: RecheckedNudgeInput): SlackMessage => {
  const several = accountsOf(input).length > 1;
  const openGroups = input.groups.map((g) => ({
    account: g.account,
    users: g.users.filter((u): u is OpenUser => u.kind !== 'closed'),
  }));
  const open = accountUsers(openGroups);
  const closed = accountUsers(input.groups).flatMap((entry) =>
    entry.user.kind === 'closed' ? [{ ...entry, user: entry.user }] : [],
  );
  const cardInput = ({ account, user }: InAccount<OpenUser>): UserCardInput => ({
    account,
    user: user.user,
    now: input.now,
    removalEnabled: input.removalEnabled,
    note: note(user),
    qualifyAccount: several,
  });
  const header =
    open.length === 0
      ? ALL_FIXED_HEADER
      : open.length === 1
        ? 'Your AWS IAM user needs MFA'
        : 'Your AWS IAM users need MFA';
  const head: Block[] = [{ type: 'header', text: plainText(header, HEADER_TEXT_MAX) }, section(intro(input, open))];
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
          lines: closed.map(({ account, user }) => closedLine(user, several ? account : null)),
          maxBlocks: open.length === 0 ? closedRoom.maxBlocks : Math.min(CLOSED_MAX_BLOCKS, closedRoom.maxBlocks),
          maxChars: open.length === 0 ? closedRoom.maxChars : Math.min(CLOSED_MAX_CHARS, closedRoom.maxChars),
          more: (n) => `…and ${n} more done.`,
        }).blocks;
  const before = [...head, ...done];
  const cards =
    open.length === 0
      ? []
      : fitUsers<InAccount<OpenUser>>({
          users: open,
          fullCard: (entry) => userEntryBlocks(cardInput(entry)),
          compact: (entry) => compactUserSection(cardInput(entry)),
          lead: groupLead(openGroups),
          compactHeading: [{ type: 'divider' }, section(COMPACT_HEADING)],
          more: (notShown) => section(nudgeMoreText(notShown)),
          ...room(before),
        }).blocks;
  return { text: fallbackText(input, open.length, closed.length), blocks: [...before, ...cards] };
};
