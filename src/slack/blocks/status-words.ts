/**
 * How the status views (slash command, App Home, Recheck replies) put a user's state into words.
 * Shared so that a user reads the same wherever it is shown. Everything returned is escaped mrkdwn.
 */
import type { LastScanInfo } from '../../domain/interaction-messages';
import { isShadowedBySubcommand } from '../../domain/status-command';
import type { FindingCloseReason, Owner, StatusCounts, UserResult, UserStatus } from '../../domain/types';
import { truncateMrkdwn } from './limits';
import { escapeMrkdwn, inlineCode, isSlackUserId } from './mrkdwn';
import { durationWords, isoMinute } from './words';

/** Longest a reason (exemption, IAM error) may be inside one line, so one cannot crowd out the rest. */
export const REASON_MAX = 300;
/** Longest an AWS, Slack or database error may be in a reply. */
export const ERROR_MAX = 1500;

/** An IAM user name as inline code: escaped and cut (IAM allows 64; the cap only guards odd input). */
export const userNameCode = (userName: string): string => inlineCode(truncateMrkdwn(escapeMrkdwn(userName), 200));

/**
 * The start of a sentence telling someone how to look a user up: `/mfa-status <name>`, except for
 * users named like a subcommand (`scan`), for whom that command would do something else.
 */
export const lookUpUserWords = (userName: string): string =>
  isShadowedBySubcommand(userName)
    ? "Open mfa-guard's Home tab (a user named like a /mfa-status subcommand cannot be looked up with it)"
    : `Run ${inlineCode(`/mfa-status ${truncateMrkdwn(escapeMrkdwn(userName), 200)}`)}`;

export const reasonText = (reason: string | null, max = REASON_MAX): string =>
  truncateMrkdwn(escapeMrkdwn(reason ?? 'no reason recorded'), max);

export const statusEmoji = (status: UserStatus): string => {
  switch (status) {
    case 'non_compliant':
      return ':red_circle:';
    case 'grace':
      return ':hourglass_flowing_sand:';
    case 'exempt':
      return ':white_circle:';
    case 'error':
      return ':warning:';
    case 'compliant':
    case 'no_console':
      return ':white_check_mark:';
  }
};

/** A status with no dates or reasons: for places that only know the status (the approval message). */
export const statusLabel = (status: UserStatus): string => {
  switch (status) {
    case 'non_compliant':
      return 'console password without MFA';
    case 'grace':
      return 'in its grace period (MFA not required yet)';
    case 'exempt':
      return 'exempt from the MFA policy';
    case 'error':
      return 'could not be checked';
    case 'compliant':
      return 'has MFA';
    case 'no_console':
      return 'no console password';
  }
};

/**
 * A user's state in words. `fixed` words a compliant user as fixed, for lists of users that had a
 * finding; a live check of any user calls it OK instead.
 */
export const statusWords = (result: UserResult, now: Date, okWord: 'fixed' | 'OK' = 'fixed'): string => {
  switch (result.status) {
    case 'non_compliant': {
      const since = result.nonCompliantSince;
      return since === null
        ? 'needs MFA: console password without MFA'
        : `needs MFA: console password without MFA since ${isoMinute(since)} (${durationWords(now.getTime() - since.getTime())})`;
    }
    case 'grace':
      return result.graceUntil === null
        ? 'in its grace period: MFA needed soon'
        : `in its grace period until ${isoMinute(result.graceUntil)}: MFA needed by then`;
    case 'exempt':
      return `exempt (${reasonText(result.reason)})`;
    case 'error':
      return `could not be checked (${reasonText(result.reason)})`;
    case 'compliant':
      return `${okWord}: has MFA`;
    case 'no_console':
      return `${okWord}: no console password`;
  }
};

/** The owner as mrkdwn: a mention for a Slack ID, escaped text otherwise. */
export const ownerWords = (owner: Owner): string => {
  if (owner.kind === 'unowned' || owner.value === null) return 'no owner set';
  return owner.kind === 'slack' && isSlackUserId(owner.value)
    ? `<@${owner.value}>`
    : truncateMrkdwn(escapeMrkdwn(owner.value), 200);
};

export const lastConsoleUseWords = (passwordLastUsed: Date | null): string =>
  passwordLastUsed === null ? 'never' : isoMinute(passwordLastUsed);

export const lastScanWords = (lastScan: LastScanInfo | null): string => {
  if (lastScan === null) return 'No scan has run yet.';
  if (lastScan.outcome === 'completed') return `Last scan: ${isoMinute(lastScan.finishedAt)}, completed.`;
  const error = lastScan.error === null ? '' : `: ${reasonText(lastScan.error)}`;
  return `Last scan: ${isoMinute(lastScan.finishedAt)}, *failed*${error}. The status shown is from the scan before it or a later check.`;
};

/** The counts in one line, most urgent first. */
export const countsLine = (counts: StatusCounts): string =>
  [
    `${counts.non_compliant} need MFA`,
    `${counts.grace} in grace period`,
    `${counts.exempt} exempt`,
    `${counts.error} could not be checked`,
    `${counts.compliant} with MFA`,
    `${counts.no_console} without console password`,
  ].join(' · ');

/** Why a finding was closed, as the end of "`alice` …". */
export const closeReasonWords = (reason: FindingCloseReason): string => {
  switch (reason) {
    case 'fixed':
      return 'has MFA now or no console password';
    case 'deleted':
      return 'was deleted';
    case 'replaced':
      return 'was deleted and recreated (the new user is checked on its own)';
    case 'exempted':
      return 'is exempt now';
    case 'in_grace':
      return 'is in its grace period';
  }
};
