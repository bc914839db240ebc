/** The security channel's message after each scan. */
import type {
  EscalatedOffender,
  FailedDm,
  ScanSummaryInput,
  UnownedOffender,
  UnownedReason,
} from '../../domain/notifications';
import { USER_STATUSES } from '../../domain/types';
import type { Block, ContextBlock, Mrkdwn, SectionBlock, SlackMessage } from './block-kit';
import { CONTEXT_TEXT_MAX, FIELD_TEXT_MAX, HEADER_TEXT_MAX, MAX_BLOCKS, MESSAGE_TEXT_MAX, SECTION_TEXT_MAX, truncateMrkdwn } from './limits';
import { escapeMrkdwn, inlineCode, mentionOrText } from './mrkdwn';
import { listSections, mrkdwn, plainText, section } from './text-objects';
import { userCardBlocks } from './user-card';
import { durationWords, elapsedWords, isoMinute, plural } from './words';

export const summaryMoreText = (notShown: number): string => `…and ${notShown} more — use /mfa-status summary`;

/** Most sections one list (escalated, errors, failed DMs) may take, so the others still fit. */
const LIST_MAX_BLOCKS = 4;
// Exemptions rarely change and are listed for the record: they get less room than what needs action.
const EXEMPT_MAX_BLOCKS = 2;
/** Sections kept for the one-line-each list of unowned users whose full card did not fit. */
const UNOWNED_COMPACT_MAX_BLOCKS = 2;

const e = escapeMrkdwn;
const userName = (name: string): string => inlineCode(truncateMrkdwn(e(name), 200));

export const unownedReasonWords = (why: UnownedReason): string => {
  switch (why.kind) {
    case 'no_owner':
      return 'no owner is set (no owners-file entry and no owner tag)';
    case 'not_in_slack':
      return `owner ${e(why.owner)} is not in this Slack workspace`;
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
        `Scan of AWS account ${inlineCode(e(input.account.accountId))} (${e(input.account.partition)}) ` +
          `started ${isoMinute(input.startedAt)}, took ${duration}.`,
        SECTION_TEXT_MAX,
      ),
    ),
    fields: [
      field('Users scanned', scanned),
      field('Console users', scanned - counts.no_console),
      field('Non-compliant', counts.non_compliant),
      field('New since last scan', input.newSinceLastScan),
      field('Fixed since last scan', input.fixedSinceLastScan),
      field('In grace period', counts.grace),
      field('Exempt', counts.exempt),
      field('Could not check', counts.error),
    ],
  };
};

const rootSection = (input: ScanSummaryInput): SectionBlock =>
  section(
    `:rotating_light: *The root user of AWS account ${inlineCode(e(input.account.accountId))} has no MFA.* ` +
      'Anyone with the root password can do anything in the account. Sign in as root and assign an MFA device ' +
      '(IAM console → "Security credentials" of the root user).',
  );

const escalatedLine = (offender: EscalatedOffender, now: Date): string => {
  const { user } = offender;
  const since = user.nonCompliantSince === null ? '' : ` for ${durationWords(now.getTime() - user.nonCompliantSince.getTime())}`;
  const owner =
    offender.ownerSlackId !== null
      ? `owner ${mentionOrText(offender.ownerSlackId)}`
      : `no owner in Slack${user.owner.value === null ? '' : ` (owner: ${e(user.owner.value)})`}`;
  return `• ${userName(user.userName)}: no MFA${since}, ${owner}${offender.newlyEscalated ? ' *(newly escalated)*' : ''}`;
};

const failedDmLine = (dm: FailedDm): string =>
  `• DM to ${mentionOrText(dm.recipient)} about ${dm.userNames.map(userName).join(', ') || 'no users'} failed: ${e(dm.error)}`;

const errorLines = (input: ScanSummaryInput): string[] => [
  ...input.errorUsers.map((user) => `• ${userName(user.userName)} could not be checked: ${e(user.reason ?? 'no reason recorded')}`),
  ...input.issues.map((issue) => `• ${issue.userName === undefined ? '' : `${userName(issue.userName)}: `}${e(issue.message)}`),
];

const footer = (input: ScanSummaryInput): ContextBlock => ({
  type: 'context',
  elements: [
    mrkdwn(
      truncateMrkdwn(
        `Strategy: ${e(input.strategy.name)} (${e(input.strategy.reason)}) · ` +
          `took ${elapsedWords(input.finishedAt.getTime() - input.startedAt.getTime())}`,
        CONTEXT_TEXT_MAX,
      ),
    ),
  ],
});

const list = (title: string, lines: readonly string[], maxBlocks: number): SectionBlock[] =>
  lines.length === 0 ? [] : listSections({ title, lines, maxBlocks, more: summaryMoreText }).blocks;

/**
 * The unowned offenders: full cards (with buttons) while they fit in `budget` blocks, then one line
 * each, then a count of the rest.
 */
const unownedBlocks = (input: ScanSummaryInput, budget: number): Block[] => {
  const { unowned } = input;
  if (unowned.length === 0 || budget <= 0) return [];
  const heading = `*${plural(unowned.length, 'IAM user')} without MFA with nobody in Slack to nudge*`;
  // One block is the heading; the compact list of the rest keeps its room while cards are added.
  const compactRoom = Math.min(UNOWNED_COMPACT_MAX_BLOCKS, budget - 1);
  const cardBlocks: Block[] = [];
  let cards = 0;
  for (const offender of unowned) {
    const card = userCardBlocks({
      account: input.account,
      user: offender,
      now: input.now,
      removalEnabled: input.removalEnabled,
      note: `*Nobody to nudge:* ${unownedReasonWords(offender.why)}.`,
    });
    const rest = cards + 1 < unowned.length ? compactRoom : 0;
    if (1 + cardBlocks.length + card.length + rest > budget) break;
    cardBlocks.push(...card);
    cards += 1;
  }
  const remaining: readonly UnownedOffender[] = unowned.slice(cards);
  if (remaining.length === 0) return [section(heading), ...cardBlocks];
  const lines = remaining.map((o) => `• ${userName(o.user.userName)}: ${unownedReasonWords(o.why)}`);
  if (cards === 0) {
    return listSections({ title: heading, lines, maxBlocks: Math.min(UNOWNED_COMPACT_MAX_BLOCKS + 1, budget), more: summaryMoreText }).blocks;
  }
  const compact = listSections({
    title: '*Also with nobody to nudge:*',
    lines,
    maxBlocks: Math.min(compactRoom, budget - 1 - cardBlocks.length),
    more: summaryMoreText,
  });
  return [section(heading), ...cardBlocks, ...compact.blocks];
};

const summaryText = (input: ScanSummaryInput): string => {
  const parts = [
    `MFA scan of AWS account ${e(input.account.accountId)}: ${input.counts.non_compliant} non-compliant ` +
      `(${input.newSinceLastScan} new, ${input.fixedSinceLastScan} fixed since the last scan)`,
    ...(input.rootWithoutMfa ? ['the root user has no MFA'] : []),
    ...(input.escalated.length > 0 ? [`${input.escalated.length} escalated`] : []),
    ...(input.unowned.length > 0 ? [`${input.unowned.length} with nobody to nudge`] : []),
    ...(input.counts.error + input.issues.length > 0 ? [plural(input.counts.error + input.issues.length, 'error')] : []),
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
  const escalated = list(
    `*Non-compliant for more than ${plural(input.escalateAfterDays, 'day')} (${input.escalated.length})*`,
    input.escalated.map((o) => escalatedLine(o, input.now)),
    LIST_MAX_BLOCKS,
  );
  const errors = list(
    '*Errors: these users or checks need a look*',
    errorLines(input),
    LIST_MAX_BLOCKS,
  );
  const failed = list(`*DMs that failed (${input.failedDms.length})*`, input.failedDms.map(failedDmLine), LIST_MAX_BLOCKS);
  const exempt = list(
    `*Exempt from the MFA policy (${input.exemptUsers.length})*`,
    input.exemptUsers.map((user) => `• ${userName(user.userName)}: ${e(user.reason ?? 'no reason recorded')}`),
    EXEMPT_MAX_BLOCKS,
  );
  const tail: Block[] = [footer(input)];
  const used = head.length + escalated.length + errors.length + failed.length + exempt.length + tail.length;
  const unowned = unownedBlocks(input, MAX_BLOCKS - used);
  return { text: summaryText(input), blocks: [...head, ...escalated, ...unowned, ...errors, ...failed, ...exempt, ...tail] };
};
