/**
 * Inputs and checks for the builders of replies to people (slash command, buttons, App Home,
 * removal approvals). The markup check here also allows channel mentions and https links to
 * Slack messages, which those replies may write; everything else must be escaped.
 */
import type { LastScanInfo, StatusUser } from '../../../src/domain/interaction-messages';
import type { RemovalRequest } from '../../../src/domain/removal';
import type { UserResult, UserStatus } from '../../../src/domain/types';
import type { Block } from '../../../src/slack/blocks/block-kit';
import { blocksProblems, blocksTextProblems, LIMITS, textProblems } from '../../support/block-kit-limits';
import { userResult } from '../../support/user-result';
import { DAY, NOW } from './fixtures';
import { allStrings } from './limits-check';

export const HOUR = 3_600_000;

export const request = (extra: Partial<RemovalRequest> = {}): RemovalRequest => ({
  id: 7,
  accountId: '111122223333',
  userName: 'alice',
  userId: 'AIDAALICE',
  findingId: 3,
  requestedBy: 'U0REQUESTER',
  requestedAt: new Date(NOW.getTime() - 2 * HOUR),
  expiresAt: new Date(NOW.getTime() + 70 * HOUR),
  state: 'pending',
  decidedBy: null,
  decidedAt: null,
  detail: null,
  approvalChannel: 'C0APPROVALS',
  approvalTs: '1700000000.000100',
  claimHolder: null,
  heartbeatAt: null,
  ...extra,
});

export const statusUser = (
  userName: string,
  status: UserStatus,
  extra: Partial<UserResult> = {},
  ref: string | null = null,
): StatusUser => ({
  result: userResult(userName, status, extra),
  ref,
});

export const nonCompliant = (userName: string, days = 3, ref: string | null = 'finding:1'): StatusUser =>
  statusUser(userName, 'non_compliant', { nonCompliantSince: new Date(NOW.getTime() - days * DAY) }, ref);

export const COMPLETED_SCAN: LastScanInfo = {
  finishedAt: new Date(NOW.getTime() - HOUR),
  outcome: 'completed',
  error: null,
};

/**
 * Block Kit limits for a message, or for a Home tab (LIMITS.viewBlocks). The home view is held to
 * the message text budget too: Slack documents none for views, and ours is the safe side.
 */
export const problems = (
  message: { readonly blocks: readonly Block[]; readonly text?: string },
  maxBlocks: number = LIMITS.blocks,
): string[] => [
  ...blocksProblems(message.blocks, maxBlocks),
  ...blocksTextProblems(message.blocks),
  ...textProblems(message.text),
];

const ALLOWED_MARKUP = [
  /^<@[UW][A-Z0-9]{2,20}>$/,
  /^<#[CG][A-Z0-9]{2,20}>$/,
  /^<https:\/\/console\.(?:aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\/[^\s|<>]*\|[^<>]*>$/,
  /^<https:\/\/[a-z0-9-]+\.slack\.com\/archives\/[^\s|<>]*\|[^<>]*>$/,
];

/** `<`, `>` and `&` that are not our own markup or an entity: text that reached Slack unescaped. */
export const unescaped = (value: unknown): string[] =>
  allStrings(value).flatMap((s) => {
    const found: string[] = [];
    for (const tag of [...s.matchAll(/<[^<>]*>/g)].map((m) => m[0]))
      if (!ALLOWED_MARKUP.some((re) => re.test(tag))) found.push(`markup ${tag}`);
    if (/[<>]/.test(s.replace(/<[^<>]*>/g, ''))) found.push(`stray < or > in ${JSON.stringify(s.slice(0, 80))}`);
    if (/&(?!amp;|lt;|gt;)/.test(s)) found.push(`raw & in ${JSON.stringify(s.slice(0, 80))}`);
    return found;
  });

const blockText = (block: Block): string[] => {
  switch (block.type) {
    case 'header':
      return [block.text.text];
    case 'section':
      return [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text)];
    case 'context':
      return block.elements.map((e) => e.text);
    case 'actions':
      return block.elements.map((e) => e.text.text);
    case 'divider':
      return [];
  }
};

/** The visible text of every block, joined. */
export const textOf = (message: { readonly blocks: readonly Block[] }): string =>
  message.blocks.flatMap(blockText).join('\n');

export const buttons = (message: { readonly blocks: readonly Block[] }) =>
  message.blocks.flatMap((b) =>
    b.type === 'actions' ? [...b.elements] : b.type === 'section' && b.accessory !== undefined ? [b.accessory] : [],
  );

/** The N of "…and N more", or null when there is none. */
export const moreCount = (text: string): number | null => {
  const match = /…and (\d+) more/.exec(text);
  return match ? Number(match[1]) : null;
};
