/**
 * Approvers' account counts in `/mfa-status` and App Home: one line for one account, a list cut to
 * fit for several (`/mfa-status summary` shows them all).
 */
import type { AccountOverview } from '../../domain/interaction-messages';
import type { SectionBlock } from './block-kit';
import { accountMrkdwn } from './mrkdwn';
import { countsLine } from './status-words';
import { listSections, section } from './text-objects';

/** Room for the account lines, so the person's own users keep most of a message. */
const OVERVIEW_CHARS_MAX = 1500;

export const overviewsMoreText = (notShown: number): string =>
  `…and ${notShown} more. \`/mfa-status summary\` shows every account.`;

export const overviewBlocks = (overviews: readonly AccountOverview[]): SectionBlock[] => {
  const [only] = overviews;
  if (only === undefined) return [];
  if (overviews.length === 1) return [section(`*AWS account ${accountMrkdwn(only)}:* ${countsLine(only.counts)}`)];
  return listSections({
    title: `*AWS accounts (${overviews.length})*`,
    lines: overviews.map((o) => `• ${accountMrkdwn(o)}: ${countsLine(o.counts)}`),
    maxBlocks: 2,
    maxChars: OVERVIEW_CHARS_MAX,
    more: overviewsMoreText,
  }).blocks;
};
