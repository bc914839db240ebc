/**
 * How an AWS account is named wherever a person sees it: its alias (when known) next to its id, or
 * else the organization's name for it. Both are outside text (IAM's rule allows an alias only
 * lower-case letters, digits and hyphens, but it is never trusted, and an organization's name may
 * hold anything): every caller that renders markup passes a style that escapes them.
 */

/**
 * What an account is called besides its id, as the latest completed scan read it: the IAM alias
 * (unique, what alias-scoped owners-file keys match) and the organization's name (a label only:
 * two accounts may share it). Either is null when unknown.
 */
export interface AccountNames {
  readonly alias: string | null;
  readonly name: string | null;
}

/** What a label needs of an account: the id always, the alias or the organization's name when known. */
export interface LabelledAccount {
  readonly accountId: string;
  readonly alias: string | null;
  /** The organization's name for the account: shown in place of a missing alias. */
  readonly name?: string | null;
}

/** How each part is written: plain text by default; a Slack or terminal caller escapes and quotes. */
export interface AccountLabelStyle {
  /** The alias, or the organization's name in its place. */
  readonly alias: (alias: string) => string;
  readonly id: (accountId: string) => string;
}

const PLAIN: AccountLabelStyle = { alias: (alias) => alias, id: (accountId) => accountId };

/** What is shown next to the id: the alias, else the organization's name; null when neither is known. */
export const shownAlias = (account: Pick<LabelledAccount, 'alias' | 'name'>): string | null =>
  account.alias ?? account.name ?? null;

/** "acme-prod (111122223333)", or "111122223333" when the account has neither an alias nor a name. */
export const accountLabel = (account: LabelledAccount, style: AccountLabelStyle = PLAIN): string => {
  const shown = shownAlias(account);
  return shown === null ? style.id(account.accountId) : `${style.alias(shown)} (${style.id(account.accountId)})`;
};

/**
 * The account's alias from what iam:ListAccountAliases answered: IAM allows at most one, so the
 * first; null when none (or only an empty string) came back.
 */
export const aliasFromList = (aliases: readonly string[]): string | null => {
  const [first] = aliases;
  return first === undefined || first === '' ? null : first;
};
