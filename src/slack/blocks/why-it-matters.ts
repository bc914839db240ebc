/**
 * Why MFA matters and how risky a console password without it is, said once per message rather
 * than once per user. The words are buildRemediation's (which follow Panther's "AWS IAM User Has
 * MFA Enabled" policy), with the user's name replaced by a phrase that fits every user listed.
 */
import { buildRemediation } from '../../domain/remediation';
import type { AccountRef } from '../../domain/types';
import { escapeMrkdwn } from './mrkdwn';

// No IAM name, account or sentence can contain NUL, so replacing it replaces the name and nothing else.
const NAME_PLACEHOLDER = '\u0000';

/** "This IAM user can sign in … with a password alone. MFA adds a second factor …", escaped. */
export const genericWhyItMatters = (account: AccountRef, userCount: number): string => {
  const r = buildRemediation({
    accountId: account.accountId,
    partition: account.partition,
    userName: NAME_PLACEHOLDER,
  });
  const subject = userCount === 1 ? 'This IAM user' : 'Each of these IAM users';
  return escapeMrkdwn(r.whyItMatters.split(NAME_PLACEHOLDER).join(subject));
};

/** The risk rating, the same for every user. */
export const riskText = (account: AccountRef): string =>
  escapeMrkdwn(
    buildRemediation({ accountId: account.accountId, partition: account.partition, userName: NAME_PLACEHOLDER }).risk,
  );

/** Both, as the lines a message shows once near its top. */
export const whyItMattersLines = (account: AccountRef, userCount: number): string =>
  `*Why it matters:* ${genericWhyItMatters(account, userCount)}\n*Risk:* ${riskText(account)}`;
