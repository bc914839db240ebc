/**
 * The security channel's message after each scan. Everything in it shares one budget of text
 * (BLOCKS_TEXT_BUDGET) and of blocks: the counts, root warning and footer first, then room for at
 * least the first user nobody can be nudged about, then the lists (each cut with a count), then
 * as many more of those users as fit: one compact line each with the DM's buttons (the steps are
 * one click away, behind Show CLI steps), then a Recheck-only line each, then a count.
 */
import type {
  EscalatedOffender,
  FailedDm,
  ScanSummaryInput,
  UnownedOffender,
  UnownedReason,
} from '../../domain/notifications';
import { USER_STATUSES } from '../../domain/types';
import type { Block, ContextBlock, Mrkdwn, SectionBlock, SlackMessage } from './block-kit';
import { fitUsers } from './fit-users';
import {
  BLOCKS_TEXT_BUDGET,
  blocksTextLength,
  CONTEXT_TEXT_MAX,
  FIELD_TEXT_MAX,
  HEADER_TEXT_MAX,
  MAX_BLOCKS,
  MESSAGE_TEXT_MAX,
  SECTION_TEXT_MAX,
  truncateMrkdwn,
} from './limits';
import { accountMrkdwn, accountText, escapeMrkdwn, inlineCode, mentionOrText } from './mrkdwn';
import { listSections, mrkdwn, plainText, section } from './text-objects';
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

const field = (label: string, value: number): Mrkdwn => mrkdwn(truncateMrkdwn(`*${label}*\n${value}`, FIELD_TEXT_MAX));

const countsSection = (input: ScanSummaryInput): SectionBlock => {
  const { counts } = input;
  const scanned = USER_STATUSES.reduce((sum, status) => sum + counts[status], 0);
  const duration = elapsedWords(input.finishedAt.getTime() - input.startedAt.getTime());
  return {
    type: 'section',
    text: mrkdwn(
      truncateMrkdwn(
        `Scan of AWS account ${accountMrkdwn(input.account)} (${e(input.account.partition)}) ` +
          `started ${isoMinute(input.startedAt)}, took ${duration}.`,
        SECTION_TEXT_MAX,
      ),
    ),
    fields: [
      field('Users scanned', scanned),
      field('Console users', scanned - counts.no_console),
      field('Non-compliant', counts.non_compliant),
      field('New since last scan', input.newSinceLastScan),
      field('Reopened since last scan', input.reopened.length),
      field('Fixed since last scan', input.fixedSinceLastScan),
      field('In grace period', counts.grace),
      field('Exempt', counts.exempt),
      field('Could not check', counts.error),
    ],
  };
};

const rootSection = (input: ScanSummaryInput): SectionBlock =>
  section(
    `:rotating_light: *The root user of AWS account ${accountMrkdwn(input.account)} has no MFA.* ` +
      'Anyone with the root password can do anything in the account. Sign in as root and assign an MFA device ' +
      '(IAM console → "Security credentials" of the root user).',
  );

const escalatedLine = (offender: EscalatedOffender, now: Date): string => {
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
  return `• ${userName(user.userName)}: no MFA${since}, ${owner}${offender.newlyEscalated ? ' *(newly escalated)*' : ''}`;
};

const reopenedLine = (finding: ScanSummaryInput['reopened'][number], now: Date): string =>
  `• ${userName(finding.userName)}: no MFA again; escalation counts from its first finding, ` +
  `${isoMinute(finding.chainStartedAt)} (${durationWords(now.getTime() - finding.chainStartedAt.getTime())} ago)`;

const failedDmLine = (dm: FailedDm): string =>
  `• DM to ${mentionOrText(dm.recipient)} about ${dm.userNames.map(userName).join(', ') || 'no users'} failed: ${e(dm.error)}`;

const errorLines = (input: ScanSummaryInput): string[] => [
  ...input.errorUsers.map(
    (user) => `• ${userName(user.userName)} could not be checked: ${e(user.reason ?? 'no reason recorded')}`,
  ),
  ...input.issues.map(
    (issue) => `• ${issue.userName === undefined ? '' : `${userName(issue.userName)}: `}${e(issue.message)}`,
  ),
];

const footer = (input: ScanSummaryInput): ContextBlock => ({
  type: 'context',
  elements: [
    mrkdwn(
      truncateMrkdwn(
        `Strategy: ${truncateMrkdwn(e(input.strategy.name), 100)} (${truncateMrkdwn(e(input.strategy.reason), STRATEGY_REASON_MAX)}) · ` +
          `took ${elapsedWords(input.finishedAt.getTime() - input.startedAt.getTime())}`,
        CONTEXT_TEXT_MAX,
      ),
    ),
  ],
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

const unownedHeading = (input: ScanSummaryInput): SectionBlock =>
  section(
    `*${plural(input.unowned.length, 'IAM user')} without MFA with nobody in Slack to nudge*\n` +
      whyItMattersLines(input.account, input.unowned.length),
  );

const unownedCard = (input: ScanSummaryInput, offender: UnownedOffender): UserCardInput => ({
  account: input.account,
  user: offender,
  now: input.now,
  removalEnabled: input.removalEnabled,
  note: `*Nobody to nudge:* ${unownedReasonWords(offender.why)}.`,
});

/**
 * What the unowned users need kept free while the lists are cut: the heading, the first user's
 * line with its buttons (or its Recheck-only line when even that would crowd out the lists'
 * minimum), a couple of users after it and the "and N more" line.
 */
const unownedReserve = (input: ScanSummaryInput, room: number): number => {
  const [first, ...rest] = input.unowned;
  if (first === undefined) return 0;
  const heading = blocksTextLength([unownedHeading(input)]);
  const more = rest.length > 0 ? blocksTextLength([section(summaryMoreText(rest.length))]) : 0;
  const next = rest.slice(0, UNOWNED_COMPACT_RESERVED).map((o) => compactUserSection(unownedCard(input, o)));
  const firstFull = blocksTextLength(compactEntryBlocks(unownedCard(input, first)));
  const firstCompact = blocksTextLength([compactUserSection(unownedCard(input, first))]);
  const candidates = [
    heading + firstFull + blocksTextLength(next) + more,
    heading + firstFull + more,
    heading + firstCompact + more,
  ];
  return candidates.find((need) => need <= room) ?? candidates[candidates.length - 1] ?? 0;
};

const unownedBlocks = (input: ScanSummaryInput, maxBlocks: number, maxChars: number): Block[] => {
  if (input.unowned.length === 0) return [];
  const heading = unownedHeading(input);
  const fitted = fitUsers<UnownedOffender>({
    users: input.unowned,
    fullCard: (offender) => [{ type: 'divider' }, ...compactEntryBlocks(unownedCard(input, offender))],
    compact: (offender) => compactUserSection(unownedCard(input, offender)),
    compactHeading: [{ type: 'divider' }],
    more: (notShown) => section(summaryMoreText(notShown)),
    maxBlocks: maxBlocks - 1,
    maxChars: maxChars - blocksTextLength([heading]),
  });
  return [heading, ...fitted.blocks];
};

const summaryText = (input: ScanSummaryInput): string => {
  const parts = [
    `MFA scan of AWS account ${accountText(input.account)}: ${input.counts.non_compliant} non-compliant ` +
      `(${input.newSinceLastScan} new, ${input.reopened.length > 0 ? `${input.reopened.length} reopened, ` : ''}` +
      `${input.fixedSinceLastScan} fixed since the last scan)`,
    ...(input.rootWithoutMfa ? ['the root user has no MFA'] : []),
    ...(input.escalated.length > 0 ? [`${input.escalated.length} escalated`] : []),
    ...(input.unowned.length > 0 ? [`${input.unowned.length} with nobody to nudge`] : []),
    ...(input.counts.error + input.issues.length > 0
      ? [plural(input.counts.error + input.issues.length, 'error')]
      : []),
    ...(input.failedDms.length > 0 ? [`${plural(input.failedDms.length, 'DM')} failed`] : []),
  ];
  return truncateMrkdwn(`${parts.join('; ')}.`, MESSAGE_TEXT_MAX);
};

export const buildScanSummaryMessage = (input: ScanSummaryInput): SlackMessage => {
  const head: Block[] = [
    { type: 'header', text: plainText('MFA scan summary', HEADER_TEXT_MAX) },
    countsSection(input),
    ...(input.rootWithoutMfa ? [rootSection(input)] : []),
  ];
  const tail: Block[] = [footer(input)];
  const lists: ListSpec[] = [
    {
      title: `*Non-compliant for more than ${plural(input.escalateAfterDays, 'day')} (${input.escalated.length})*`,
      lines: input.escalated.map((o) => escalatedLine(o, input.now)),
      maxBlocks: LIST_MAX_BLOCKS,
      maxChars: LIST_MAX_CHARS,
    },
    {
      title: `*Reopened: MFA was on only briefly since the last finding (${input.reopened.length})*`,
      lines: input.reopened.map((finding) => reopenedLine(finding, input.now)),
      maxBlocks: LIST_MAX_BLOCKS,
      maxChars: LIST_MAX_CHARS,
    },
    {
      title: '*Errors: these users or checks need a look*',
      lines: errorLines(input),
      maxBlocks: LIST_MAX_BLOCKS,
      maxChars: LIST_MAX_CHARS,
    },
    {
      title: `*DMs that failed (${input.failedDms.length})*`,
      lines: input.failedDms.map(failedDmLine),
      maxBlocks: LIST_MAX_BLOCKS,
      maxChars: LIST_MAX_CHARS,
    },
    {
      title: `*Exempt from the MFA policy (${input.exemptUsers.length})*`,
      lines: input.exemptUsers.map((user) => `• ${userName(user.userName)}: ${e(user.reason ?? 'no reason recorded')}`),
      maxBlocks: EXEMPT_MAX_BLOCKS,
      maxChars: EXEMPT_MAX_CHARS,
    },
  ];
  const present = lists.filter((list) => list.lines.length > 0);
  const fixed = blocksTextLength([...head, ...tail]);
  const listsMin = present.length * LIST_MIN_CHARS;
  const reserve = unownedReserve(input, BLOCKS_TEXT_BUDGET - fixed - listsMin);
  const shares = shareRoom(present, BLOCKS_TEXT_BUDGET - fixed - reserve);
  const [escalated = [], reopened = [], errors = [], failed = [], exempt = []] = lists.map((list) => {
    const i = present.indexOf(list);
    return buildList(list, shares[i] ?? 0);
  });
  const listed = [...escalated, ...reopened, ...errors, ...failed, ...exempt];
  const used = [...head, ...listed, ...tail];
  const unowned = unownedBlocks(input, MAX_BLOCKS - used.length, BLOCKS_TEXT_BUDGET - blocksTextLength(used));
  return {
    text: summaryText(input),
    blocks: [...head, ...escalated, ...reopened, ...unowned, ...errors, ...failed, ...exempt, ...tail],
  };
};
