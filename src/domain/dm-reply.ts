/**
 * What people write to the bot in its DM (the Messages tab), and what the answer to a "done" is made
 * of. The whole message is matched against fixed lists and nothing else is read from it: no IAM
 * user name, no command, so a typo or a stray word can only ever get the help.
 */
import type { LabelledAccount } from './account-label';
import type { FindingCloseReason, UserResult } from './types';

export type DmIntent = 'recheck' | 'status' | 'help';

/** Replies that mean "I fixed it, look again". */
export const RECHECK_REPLIES = [
  'done',
  'fixed',
  'fixed it',
  'i fixed it',
  'recheck',
  'check',
  'check again',
  'mfa enabled',
  'enabled mfa',
] as const;

export const STATUS_REPLIES = ['status'] as const;

/** Longer than any reply on the lists, punctuation and spaces included: such a text is help without reading it all. */
const LONGEST_REPLY = 100;

/**
 * Trimmed and lower-cased, punctuation and symbols (emoji included) made spaces and runs of spaces
 * one: "Fixed it!" and "fixed  it" read as "fixed it", "mfa-enabled" as "mfa enabled".
 */
export const normalizeDmText = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const isOneOf = (text: string, list: readonly string[]): boolean => list.includes(text);

/** What a DM to the bot asks for; anything not on a list (an empty text included) gets the help. */
export const classifyDmText = (text: string): DmIntent => {
  if (text.length > LONGEST_REPLY) return 'help';
  const normalized = normalizeDmText(text);
  if (isOneOf(normalized, RECHECK_REPLIES)) return 'recheck';
  if (isOneOf(normalized, STATUS_REPLIES)) return 'status';
  return 'help';
};

/** Most IAM users one "done" rechecks; the rest are pointed to /mfa-status. */
export const DM_RECHECK_MAX = 10;

/**
 * One IAM user in the answer to a "done". `reason` texts are already as this person may see them;
 * `account` names the user's account when the person's users are in several.
 */
export type DmRecheckLine = { readonly account?: LabelledAccount } &
  /** Its finding closed: fixed, deleted, recreated, exempt now or in its grace period. */
  (
    | { readonly kind: 'closed'; readonly userName: string; readonly reason: FindingCloseReason }
    | { readonly kind: 'still_open'; readonly userName: string }
    /** The live check failed; AWS error text for approvers only. */
    | { readonly kind: 'error'; readonly userName: string; readonly reason: string }
    /** Checked, but its finding was no longer open (a scan closed it meanwhile): its status now. */
    | { readonly kind: 'checked'; readonly result: UserResult }
    /** Not checked: the live check or the records no longer name this person its owner. */
    | { readonly kind: 'not_yours'; readonly userName: string }
    /** Not checked: mfa-guard no longer knows its finding (another AWS account, a gone finding). */
    | { readonly kind: 'unknown'; readonly userName: string }
    /** Not checked: over the live-check limits. */
    | { readonly kind: 'rate_limited'; readonly userName: string; readonly retryAt: Date }
  );

/** The answer to a "done" (or "fixed", "recheck", …). */
export type DmRecheckInput =
  /** Nothing to recheck: no scan yet, or no IAM user with an open finding is on record as theirs. */
  | { readonly kind: 'nothing'; readonly why: 'no_scan' | 'no_findings' }
  | {
      readonly kind: 'rechecked';
      /** In the order they were checked (oldest finding first). */
      readonly lines: readonly DmRecheckLine[];
      /** Users with an open finding left out (over DM_RECHECK_MAX). */
      readonly more: number;
      /** Whether the latest DM about them was re-rendered. */
      readonly nudgeUpdated: boolean;
      readonly now: Date;
    };

/** The answer to anything else: who the bot is and what to type. */
export interface DmHelpInput {
  /** Where to ask: SECURITY_CHANNEL. */
  readonly securityChannel: string;
  readonly removalEnabled: boolean;
}
