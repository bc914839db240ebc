import { readFileSync } from 'node:fs';

import {
  type AccountEntry,
  type AccountsSetting,
  duplicateAccounts,
  isAccountId,
  isExternalId,
  isRolePathAndName,
  parseAccountEntry,
  parseAccountLines,
} from '../domain/account-entries';
import { partitionFromRegion } from '../domain/partition';
import type { EnvReader } from './env-reader';

export interface AccountsSettings {
  readonly accounts: AccountsSetting;
  /** Passed to every sts:AssumeRole; undefined when the roles' trust policies do not ask for one. */
  readonly externalId: string | undefined;
  readonly accountConcurrency: number;
}

const ROLE_EXAMPLE = 'AWS_ACCOUNTS=self,arn:aws:iam::111122223333:role/mfa-guard-scanner';
const FILE_EXAMPLE = 'AWS_ACCOUNTS_FILE=./accounts.txt';

/** Reads a text file; the real one reads the disk, tests hand in their own. */
export type ReadTextFile = (path: string) => string;

const readDisk: ReadTextFile = (path) => readFileSync(path, 'utf8');

const systemMessage = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'unreadable';

const fromList = (reader: EnvReader, text: string): AccountEntry[] | null => {
  const items = text.split(',').map((item) => item.trim());
  const bad = items.flatMap((item, index) => (item === '' || parseAccountEntry(item) !== null ? [] : [index + 1]));
  const entries = items.flatMap((item) => {
    const entry = item === '' ? null : parseAccountEntry(item);
    return entry === null ? [] : [entry];
  });
  if (bad.length > 0 || entries.length === 0) {
    const which = bad.length > 0 ? ` (entry ${bad.join(', ')} is not one)` : '';
    reader.fail(
      'AWS_ACCOUNTS',
      `must be a comma-separated list of IAM role ARNs (arn:aws:iam::<12-digit account id>:role/<name>) or self${which}`,
      ROLE_EXAMPLE,
    );
    return null;
  }
  return entries;
};

const fromFile = (reader: EnvReader, path: string, readFile: ReadTextFile): AccountEntry[] | null => {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    reader.fail('AWS_ACCOUNTS_FILE', `could not be read (${systemMessage(error)})`, FILE_EXAMPLE);
    return null;
  }
  const lines = parseAccountLines(text);
  const bad = lines.flatMap((line) => (line.kind === 'invalid' ? [line.line] : []));
  const entries = lines.flatMap((line) => (line.kind === 'entry' ? [line.entry] : []));
  if (bad.length > 0) {
    reader.fail(
      'AWS_ACCOUNTS_FILE',
      `has line${bad.length === 1 ? '' : 's'} ${bad.join(', ')} that ${bad.length === 1 ? 'is' : 'are'} neither an IAM role ARN nor self (one entry per line, # starts a comment)`,
      FILE_EXAMPLE,
    );
    return null;
  }
  if (entries.length === 0) {
    reader.fail('AWS_ACCOUNTS_FILE', 'lists no account: put one IAM role ARN or self on each line', FILE_EXAMPLE);
    return null;
  }
  return entries;
};

const readRoleEntries = (reader: EnvReader, readFile: ReadTextFile): AccountEntry[] | null => {
  const list = reader.optionalString('AWS_ACCOUNTS');
  const file = reader.optionalString('AWS_ACCOUNTS_FILE');
  if (list !== undefined && file !== undefined) {
    reader.fail('AWS_ACCOUNTS_FILE', 'cannot be set together with AWS_ACCOUNTS: use one or the other', FILE_EXAMPLE);
    return null;
  }
  if (list !== undefined) return fromList(reader, list);
  if (file !== undefined) return fromFile(reader, file, readFile);
  return null;
};

const checkEntries = (reader: EnvReader, entries: readonly AccountEntry[], region: string): void => {
  const variable = reader.optionalString('AWS_ACCOUNTS') === undefined ? 'AWS_ACCOUNTS_FILE' : 'AWS_ACCOUNTS';
  const example = variable === 'AWS_ACCOUNTS' ? ROLE_EXAMPLE : FILE_EXAMPLE;
  const twice = duplicateAccounts(entries);
  if (twice.length > 0) {
    reader.fail(variable, `lists account ${twice.join(', ')} more than once: one entry per account`, example);
  }
  // Credentials from one partition cannot assume a role in another.
  const partition = partitionFromRegion(region);
  const elsewhere = entries.filter((entry) => entry !== 'self' && entry.partition !== partition);
  if (elsewhere.length > 0) {
    reader.fail(
      variable,
      `has role ARNs outside the ${partition} partition that AWS_REGION is in; credentials cannot cross partitions`,
      example,
    );
  }
};

/**
 * The accounts a scan covers, read with the scan's other settings. `region` is the already-read
 * AWS_REGION. AWS_ACCOUNTS_FILE is read here, once, so that a bad line stops start-up.
 */
export const readAccountsSettings = (
  reader: EnvReader,
  region: string,
  readFile: ReadTextFile = readDisk,
): AccountsSettings => {
  const entries = readRoleEntries(reader, readFile);
  const rolesGiven =
    reader.optionalString('AWS_ACCOUNTS') !== undefined || reader.optionalString('AWS_ACCOUNTS_FILE') !== undefined;
  const roleName = reader.optionalString('AWS_ORGANIZATION_ROLE_NAME', {
    test: isRolePathAndName,
    problem: 'must be an IAM role name, optionally with its path (security/mfa-guard-scanner)',
    example: 'AWS_ORGANIZATION_ROLE_NAME=mfa-guard-scanner',
  });
  const organizationGiven = reader.optionalString('AWS_ORGANIZATION_ROLE_NAME') !== undefined;
  if (rolesGiven && organizationGiven) {
    reader.fail(
      'AWS_ORGANIZATION_ROLE_NAME',
      'cannot be set together with AWS_ACCOUNTS or AWS_ACCOUNTS_FILE: scan either the listed roles or the whole organization',
      'AWS_ORGANIZATION_ROLE_NAME=mfa-guard-scanner',
    );
  }
  const exclude = reader.list('AWS_ACCOUNTS_EXCLUDE', [], {
    test: isAccountId,
    problem: 'must be a comma-separated list of 12-digit AWS account ids',
    example: 'AWS_ACCOUNTS_EXCLUDE=111122223333,444455556666',
  });
  if (!rolesGiven && !organizationGiven && reader.optionalString('AWS_ACCOUNTS_EXCLUDE') !== undefined) {
    reader.fail(
      'AWS_ACCOUNTS_EXCLUDE',
      'only applies with AWS_ACCOUNTS, AWS_ACCOUNTS_FILE or AWS_ORGANIZATION_ROLE_NAME (without them only the ambient account is scanned)',
      'AWS_ACCOUNTS_EXCLUDE=111122223333',
    );
  }
  if (entries !== null) checkEntries(reader, entries, region);
  const accounts: AccountsSetting =
    entries !== null
      ? { kind: 'roles', entries, exclude }
      : roleName !== undefined
        ? { kind: 'organization', roleName, exclude }
        : { kind: 'ambient' };
  return {
    accounts,
    externalId: reader.optionalString('AWS_EXTERNAL_ID', {
      test: isExternalId,
      problem: 'must be 2 to 1224 characters of letters, digits and _+=,.@:/- (what sts:AssumeRole accepts)',
      example: 'AWS_EXTERNAL_ID=mfa-guard-7f3c2a',
    }),
    accountConcurrency: reader.integer('ACCOUNT_CONCURRENCY', 4, 1, 64),
  };
};
