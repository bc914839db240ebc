/**
 * The security channel's one message after each scan run. A run of one account reads as it always
 * did: its counts, root warning and strategy. A run of several puts the accounts that failed first
 * (each with what to do), then one line per account with findings (cut with a count), and names
 * each user's account in every list. Everything in it shares one budget of text
 * (BLOCKS_TEXT_BUDGET) and of blocks: the counts, root warning and footer first, then room for at
 * least the first user nobody can be nudged about, then the lists (each cut with a count), then
 * as many more of those users as fit: one compact line each with the DM's buttons (the steps are
 * one click away, behind Show CLI steps), then a Recheck-only line each, then a count.
 */
import type {
  AccountRunLine,
  EscalatedOffender,
  FailedDm,
  ScanSummaryInput,
  UnownedOffender,
  UnownedReason,
} from '../../domain/notifications';
import type { Block, ContextBlock, SectionBlock, SlackMessage } from './block-kit';
import { fitUsers } from './fit-users';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  CONTEXT_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn, accountText, escapeMrkdwn, inlineCode, mentionOrText } from './mrkdwn';
import { addCounts, headBlocks, type Run, runOf, sumOf } from './summary-head';
import { listSections, mrkdwn, section } from './text-objects';
import { compactEntryBlocks, compactUserSection, type UserCardInput } from './user-card';
import { whyItMattersLines } from './why-it-matters';
import { durationWords, elapsedWords, isoMinute, plural } from './words';

export const summaryMoreText = (notShown: number): string => `…and ${notShown} more — use /mfa-status summary`;

/** Most sections one list (escalated, errors, failed DMs) may take, so the others still fit. */
const LIST_MAX_BLOCKS = 2;
/** Most characters of text one such list may take, however much room is left. */
const LIST_MAX_CHARS = 900;
// Exemptions rarely change and are listed for the record: they get less room than what needs action.
const EXEMPT_MAX_BLOCKS = 1;
const EXEMPT_MAX_CHARS = 500;
/** Least room a list is given, so even the most crowded summary names each kind of problem with a count. */
const LIST_MIN_CHARS = 250;
/** Compact users after the first unowned card that the lists leave room for. */
const UNOWNED_COMPACT_RESERVED = 2;
/** The strategy's reason is our own words; the cap only guards the footer against a runaway string. */
const STRATEGY_REASON_MAX = 300;

const e = escapeMrkdwn;
const userName = (name: string): string => inlineCode(truncateMrkdwn(e(name), 200));

export const unownedReasonWords = (why: UnownedReason): string => {
  switch (why.kind) {
    case 'no_owner':
      return 'no owner is set (no owners-file entry and no owner tag)';
    // users.lookupByEmail answers users_not_found for a deactivated account too, so this cannot tell them apart.
    case 'not_in_slack':
      return `owner ${e(why.owner)} was not found in Slack (not a member, or deactivated)`;
    case 'deactivated':
      return `owner ${mentionOrText(why.owner)} is deactivated in Slack`;
    case 'lookup_failed':
      return `owner ${e(why.owner)} could not be looked up in Slack: ${e(why.error)}`;
  }
};

const escalatedLine = (run: Run, offender: EscalatedOffender, now: Date): string => {
  const { user } = offender;
  // Counted from the chain's start: the current finding alone may be only hours old.
  const briefly =
    user.nonCompliantSince !== null && offender.since.getTime() < user.nonCompliantSince.getTime()
      ? ' (MFA was on only briefly in between)'
      : '';
  const since = ` for ${durationWords(now.getTime() - offender.since.getTime())}${briefly}`;
  const owner =
    offender.ownerSlackId !== null
      ? `owner ${mentionOrText(offender.ownerSlackId)}`
      : `no owner in Slack${user.owner.value === null ? '' : ` (owner: ${e(user.owner.value)})`}`;
  return `• ${userName(user.userName)}${run.where(user.accountId)}: no MFA${since}, ${owner}${offender.newlyEscalated ? ' *(newly escalated)*' : ''}`;
};

const reopenedLine = (run: Run, finding: ScanSummaryInput['reopened'][number], now: Date): string =>
  `• ${userName(finding.userName)}${run.where(finding.accountId)}: no MFA again; escalation counts from its first finding, ` +
  `${isoMinute(finding.chainStartedAt)} (${durationWords(now.getTime() - finding.chainStartedAt.getTime())} ago)`;

const failedDmLine = (run: Run, dm: FailedDm): string =>
  `• DM to ${mentionOrText(dm.recipient)} about ${dm.users.map((u) => `${userName(u.userName)}${run.where(u.accountId)}`).join(', ') || 'no users'} failed: ${e(dm.error)}`;

const errorLines = (run: Run): string[] => [
  ...run.input.errorUsers.map(
    (user) =>
      `• ${userName(user.userName)}${run.where(user.accountId)} could not be checked: ${e(user.reason ?? 'no reason recorded')}`,
  ),
  ...run.input.issues.map((issue) => {
    const who =
      issue.userName === undefined
        ? run.only === null
          ? `${accountMrkdwn(run.accountOf(issue.accountId))}: `
          : ''
        : `${userName(issue.userName)}${run.where(issue.accountId)}: `;
    return `• ${who}${e(issue.message)}`;
  }),
];

const footerText = (input: ScanSummaryInput, only: AccountRunLine | null): string => {
  const { startedAt, finishedAt } = only ?? input;
  const took = `took ${elapsedWords(finishedAt.getTime() - startedAt.getTime())}`;
  if (only !== null)
    return `Strategy: ${truncateMrkdwn(e(only.strategy.name), 100)} (${truncateMrkdwn(e(only.strategy.reason), STRATEGY_REASON_MAX)}) · ${took}`;
  const names = [...new Set(input.accounts.map((line) => line.strategy.name))];
  const [name] = names;
  const strategy = names.length === 1 && name !== undefined ? truncateMrkdwn(e(name), 100) : 'mixed';
  return `Strategy: ${strategy} · ${took}`;
};

const footer = (input: ScanSummaryInput, only: AccountRunLine | null): ContextBlock => ({
  type: 'context',
  elements: [mrkdwn(truncateMrkdwn(footerText(input, only), CONTEXT_TEXT_MAX))],
});

interface ListSpec {
  readonly title: string;
  readonly lines: readonly string[];
  readonly maxBlocks: number;
  readonly maxChars: number;
}

/** The characters a list would take shown whole (up to its own cap): what it asks of the budget. */
const listNeed = (list: ListSpec): number =>
  Math.min(
    list.maxChars,
    blocksTextLength(
      listSections({ title: list.title, lines: list.lines, maxBlocks: list.maxBlocks, more: summaryMoreText }).blocks,
    ),
  );

/**
 * Shares `room` characters among the lists: the smallest needs are met first and what they leave
 * goes to the others, but no list gets less than LIST_MIN_CHARS (the caller leaves room for that).
 */
const shareRoom = (lists: readonly ListSpec[], room: number): number[] => {
  const needs = lists.map(listNeed);
  const order = needs.map((need, i) => ({ need, i })).sort((a, b) => a.need - b.need);
  const shares: number[] = needs.map(() => 0);
  let left = room;
  order.forEach(({ need, i }, k) => {
    const share = Math.max(LIST_MIN_CHARS, Math.min(need, Math.floor(left / (order.length - k))));
    shares[i] = share;
    left -= share;
  });
  return shares;
};

const buildList = (list: ListSpec, maxChars: number): SectionBlock[] =>
  list.lines.length === 0
    ? []
    : listSections({ title: list.title, lines: list.lines, maxBlocks: list.maxBlocks, maxChars, more: summaryMoreText })
        .blocks;

const unownedHeading = (run: Run): SectionBlock => {
  const { unowned } = run.input;
  const [first] = unowned;
  return section(
    `*${plural(unowned.length, 'IAM user')} without MFA with nobody in Slack to nudge*` +
      (first === undefined ? '' : `\n${whyItMattersLines(run.accountOf(first.user.accountId), unowned.length)}`),
  );
};

const unownedCard = (run: Run, offender: UnownedOffender): UserCardInput => ({
  account: run.accountOf(offender.user.accountId),
  user: offender,
  now: run.input.now,
  removalEnabled: run.input.removalEnabled,
  note: `*Nobody to nudge:* ${unownedReasonWords(offender.why)}.`,
  qualifyAccount: run.only === null,
});

/**
 * What the unowned users need kept free while the lists are cut: the heading, the first user's
 * line with its buttons (or its Recheck-only line when even that would crowd out the lists'
 * minimum), a couple of users after it and the "and N more" line.
 */
const unownedReserve = (run: Run, room: number): number => {
  const [first, ...rest] = run.input.unowned;
  if (first === undefined) return 0;
  const heading = blocksTextLength([unownedHeading(run)]);
  const more = rest.length > 0 ? blocksTextLength([section(summaryMoreText(rest.length))]) : 0;
  const next = rest.slice(0, UNOWNED_COMPACT_RESERVED).map((o) => compactUserSection(unownedCard(run, o)));
  const firstFull = blocksTextLength(compactEntryBlocks(unownedCard(run, first)));
  const firstCompact = blocksTextLength([compactUserSection(unownedCard(run, first))]);
  const candidates = [
    heading + firstFull + blocksTextLength(next) + more,
    heading + firstFull + more,
    heading + firstCompact + more,
  ];
  return candidates.find((need) => need <= room) ?? candidates[candidates.length - 1] ?? 0;
};

const unownedBlocks = (run: Run, maxBlocks: number, maxChars: number): Block[] => {
  if (run.input.unowned.length === 0) return [];
  const heading = unownedHeading(run);
  const fitted = fitUsers<UnownedOffender>({
    users: run.input.unowned,
    fullCard: (offender) => [{ type: 'divider' }, ...compactEntryBlocks(unownedCard(run, offender))],
    compact: (offender) => compactUserSection(unownedCard(run, offender)),
    compactHeading: [{ type: 'divider' }],
    more: (notShown) => section(summaryMoreText(notShown)),
    maxBlocks: maxBlocks - 1,
    maxChars: maxChars - blocksTextLength([heading]),
  });
  return [heading, ...fitted.blocks];
};

const summaryText = (run: Run): string => {
  const { input, only } = run;
  const counts = addCounts(input.accounts);
  const errors = counts.error + input.issues.length;
  const roots = input.accounts.filter((line) => line.rootWithoutMfa).length;
  const what =
    only === null
      ? plural(input.accounts.length + input.failedAccounts.length, 'AWS account')
      : `AWS account ${accountText(only.account)}`;
  const parts = [
    ...(input.failedAccounts.length > 0
      ? [`${plural(input.failedAccounts.length, 'account')} could not be scanned`]
      : []),
    `MFA scan of ${what}: ${counts.non_compliant} non-compliant ` +
      `(${sumOf(input.accounts, (l) => l.newSinceLastScan)} new, ${input.reopened.length > 0 ? `${input.reopened.length} reopened, ` : ''}` +
      `${sumOf(input.accounts, (l) => l.fixedSinceLastScan)} fixed since the last scan)`,
    ...(roots === 0
      ? []
      : [only === null ? `the root user has no MFA in ${plural(roots, 'account')}` : 'the root user has no MFA']),
    ...(input.escalated.length > 0 ? [`${input.escalated.length} escalated`] : []),
    ...(input.unowned.length > 0 ? [`${input.unowned.length} with nobody to nudge`] : []),
    ...(errors > 0 ? [plural(errors, 'error')] : []),
    ...(input.failedDms.length > 0 ? [`${plural(input.failedDms.length, 'DM')} failed`] : []),
  ];
  return truncateMrkdwn(`${parts.join('; ')}.`, MESSAGE_TEXT_MAX);
};

export const buildScanSummaryMessage = (input: ScanSummaryInput): SlackMessage => {
  const run = runOf(input);
  const head = headBlocks(run);
  const tail: Block[] = [footer(input, run.only)];
  const lists: ListSpec[] = [
    {
      title: `*Non-compliant for more than ${plural(input.escalateAfterDays, 'day')} (${input.escalated.length})*`,
      lines: input.escalated.map((o) => escalatedLine(run, o, input.now)),
      maxBlocks: LIST_MAX_BLOCKS,
      maxChars: LIST_MAX_CHARS,
    },
    {
      title: `*Reopened: MFA was on only briefly since the last finding (${input.reopened.length})*`,
      lines: input.reopened.map((finding) => reopenedLine(run, finding, input.now)),
      maxBlocks: LIST_MAX_BLOCKS,
      maxChars: LIST_MAX_CHARS,
    },
    {
      title: '*Errors: these users or checks need a look*',
      lines: errorLines(run),
      maxBlocks: LIST_MAX_BLOCKS,
      maxChars: LIST_MAX_CHARS,
    },
    {
      title: `*DMs that failed (${input.failedDms.length})*`,
      lines: input.failedDms.map((dm) => failedDmLine(run, dm)),
      maxBlocks: LIST_MAX_BLOCKS,
      maxChars: LIST_MAX_CHARS,
    },
    {
      title: `*Exempt from the MFA policy (${input.exemptUsers.length})*`,
      lines: input.exemptUsers.map(
        (user) => `• ${userName(user.userName)}${run.where(user.accountId)}: ${e(user.reason ?? 'no reason recorded')}`,
      ),
      maxBlocks: EXEMPT_MAX_BLOCKS,
      maxChars: EXEMPT_MAX_CHARS,
    },
  ];
  const present = lists.filter((list) => list.lines.length > 0);
  const fixed = blocksTextLength([...head, ...tail]);
  const listsMin = present.length * LIST_MIN_CHARS;
  const reserve = unownedReserve(run, BLOCKS_TEXT_BUDGET - fixed - listsMin);
  const shares = shareRoom(present, BLOCKS_TEXT_BUDGET - fixed - reserve);
  const [escalated = [], reopened = [], errors = [], failed = [], exempt = []] = lists.map((list) => {
    const i = present.indexOf(list);
    return buildList(list, shares[i] ?? 0);
  });
  const listed = [...escalated, ...reopened, ...errors, ...failed, ...exempt];
  const used = [...head, ...listed, ...tail];
  const unowned = unownedBlocks(run, MAX_BLOCKS - used.length, BLOCKS_TEXT_BUDGET - blocksTextLength(used));
  return {
    text: summaryText(run),
    blocks: [...head, ...escalated, ...reopened, ...unowned, ...errors, ...failed, ...exempt, ...tail],
  };
};
