/**
 * AWS error text goes to approvers only: it can name the bot's role ARN, its policies and how the
 * account is set up. Everyone else learns that a check failed, and that the security team (the
 * approvers, the logs and the audit log) can see why.
 */
import type { UserResult } from './types';

/** Stands in for the AWS error text of a failed check in what a non-approver is shown. */
export const WITHHELD_ERROR = 'the security team can see why';

/** The user's result as `approver` (or not) may see it: an `error` keeps its reason for approvers only. */
export const resultForViewer = (result: UserResult, approver: boolean): UserResult =>
  approver || result.status !== 'error' ? result : { ...result, reason: WITHHELD_ERROR };

/** What a failed check says to a non-approver about IAM user `userName`. */
export const checkFailedWords = (userName: string): string =>
  `IAM user ${userName} could not be checked just now; ${WITHHELD_ERROR}. Try again in a few minutes.`;
