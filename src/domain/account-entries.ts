/**
 * Which AWS accounts the operator asked for (AWS_ACCOUNTS, AWS_ACCOUNTS_FILE,
 * AWS_ORGANIZATION_ROLE_NAME): the text forms and what they mean, without reaching AWS.
 */
import { isPartition } from './partition';
import type { Partition } from './types';

/** A role to assume in one account; the account and partition come from its ARN. */
export interface RoleEntry {
  readonly roleArn: string;
  readonly accountId: string;
  readonly partition: Partition;
}

/** `self` is the ambient credentials' own account, scanned with those credentials. */
export type AccountEntry = 'self' | RoleEntry;

export type AccountsSetting =
  /** No account setting: the ambient credentials' account alone. */
  | { readonly kind: 'ambient' }
  | { readonly kind: 'roles'; readonly entries: readonly AccountEntry[]; readonly exclude: readonly string[] }
  /** Every active account of the organization; members through `roleName`, the ambient one directly. */
  | { readonly kind: 'organization'; readonly roleName: string; readonly exclude: readonly string[] };

export const ROLE_SESSION_NAME = 'mfa-guard';

const ACCOUNT_ID = /^\d{12}$/;
// IAM: a role name is 1–64 of [\w+=,.@-]; a path is /…/ around segments of the same characters.
const ROLE_PATH_AND_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/(.+)$/;
// What sts:AssumeRole accepts as ExternalId.
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export const isAccountId = (value: string): boolean => ACCOUNT_ID.test(value);

/** `mfa-guard-scanner` or, with a path, `security/mfa-guard-scanner`. */
export const isRolePathAndName = (value: string): boolean => value.length <= 512 && ROLE_PATH_AND_NAME.test(value);

export const isExternalId = (value: string): boolean => EXTERNAL_ID.test(value);

/** `arn:<aws|aws-us-gov|aws-cn>:iam::<12 digits>:role/<path/><name>`, or null when it is not one. */
export const parseRoleArn = (text: string): RoleEntry | null => {
  const match = ROLE_ARN.exec(text);
  if (match === null) return null;
  const [, partition, accountId, pathAndName] = match;
  if (partition === undefined || accountId === undefined || pathAndName === undefined) return null;
  if (!isPartition(partition) || !isRolePathAndName(pathAndName)) return null;
  return { roleArn: text, accountId, partition };
};

export const parseAccountEntry = (text: string): AccountEntry | null =>
  text.toLowerCase() === 'self' ? 'self' : parseRoleArn(text);

export const roleArnFor = (partition: Partition, accountId: string, roleName: string): string =>
  `arn:${partition}:iam::${accountId}:role/${roleName}`;

/** The account an entry stands for, for duplicate checks: `self` is its own key. */
const entryKey = (entry: AccountEntry): string => (entry === 'self' ? 'self' : entry.accountId);

/** The accounts listed more than once (`self` included), each named once, in first-seen order. */
export const duplicateAccounts = (entries: readonly AccountEntry[]): string[] => {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const key of entries.map(entryKey)) {
    if (seen.has(key)) twice.add(key);
    seen.add(key);
  }
  return [...twice];
};

/** One line of AWS_ACCOUNTS_FILE: an entry, nothing (blank or `#` comment), or a problem. */
export type AccountLine =
  | { readonly kind: 'entry'; readonly entry: AccountEntry }
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly line: number };

/** Lines are numbered from 1; a `#` starts a comment anywhere on a line. */
export const parseAccountLines = (text: string): AccountLine[] =>
  text.split(/\r?\n/).map((raw, index): AccountLine => {
    const content = (raw.split('#')[0] ?? '').trim();
    if (content === '') return { kind: 'empty' };
    const entry = parseAccountEntry(content);
    return entry === null ? { kind: 'invalid', line: index + 1 } : { kind: 'entry', entry };
  });
