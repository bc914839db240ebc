/**
 * How an AWS account is named wherever a person sees it: its alias (when known) next to its id.
 * The alias is outside text (IAM's rule allows only lower-case letters, digits and hyphens, but it
 * is never trusted): every caller that renders markup passes a style that escapes it.
 */

/** What a label needs of an account: the id always, the alias when one is known. */
export interface LabelledAccount {
  readonly accountId: string;
  readonly alias: string | null;
}

/** How each part is written: plain text by default; a Slack or terminal caller escapes and quotes. */
export interface AccountLabelStyle {
  readonly alias: (alias: string) => string;
  readonly id: (accountId: string) => string;
}

const PLAIN: AccountLabelStyle = { alias: (alias) => alias, id: (accountId) => accountId };

/** "acme-prod (111122223333)", or "111122223333" when the account has no known alias. */
export const accountLabel = (account: LabelledAccount, style: AccountLabelStyle = PLAIN): string =>
  account.alias === null
    ? style.id(account.accountId)
    : `${style.alias(account.alias)} (${style.id(account.accountId)})`;

/**
 * The account's alias from what iam:ListAccountAliases answered: IAM allows at most one, so the
 * first; null when none (or only an empty string) came back.
 */
export const aliasFromList = (aliases: readonly string[]): string | null => {
  const [first] = aliases;
  return first === undefined || first === '' ? null : first;
};
