/**
 * Schema version 5: account aliases. Frozen once released, like v1–v4.
 *
 * - scans gains account_alias, the alias iam:ListAccountAliases answered during the scan (NULL
 *   when the account has none, the scan could not read it, or the scan failed before it), so
 *   interactions and `npm run audit` can show an account by its alias from stored data.
 *   Scans stored before v5 have none.
 */
export const SCHEMA_V5 = `
ALTER TABLE scans ADD COLUMN account_alias TEXT;
`;
