import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { readAccountsSettings } from '../../src/config/accounts-settings';
import { EnvReader } from '../../src/config/env-reader';
import { readScanConfig } from '../../src/config/scan-config';
import { AppError } from '../../src/errors';
import { tempDir } from '../support/cli-harness';

const PROD = 'arn:aws:iam::111122223333:role/mfa-guard-scanner';
const STAGING = 'arn:aws:iam::444455556666:role/security/mfa-guard-scanner';

const problemsOf = (env: Record<string, string>): string => {
  try {
    readScanConfig(env);
  } catch (error) {
    if (error instanceof AppError && error.code === 'config_invalid') return error.message;
    throw error;
  }
  throw new Error('expected readScanConfig to fail');
};

const accountsFile = (text: string): string => {
  const path = join(tempDir(), 'accounts.txt');
  writeFileSync(path, text);
  return path;
};

describe('accounts settings', () => {
  it('reads a role list with self, in the listed order (empty entries ignored, like every list)', () => {
    const config = readScanConfig({ AWS_ACCOUNTS: ` ${PROD} , self,,${STAGING},`, AWS_EXTERNAL_ID: 'ext-id_1' });
    expect(config.accounts).toEqual({
      kind: 'roles',
      entries: [
        { roleArn: PROD, accountId: '111122223333', partition: 'aws' },
        'self',
        { roleArn: STAGING, accountId: '444455556666', partition: 'aws' },
      ],
      exclude: [],
    });
    expect(config.externalId).toBe('ext-id_1');
  });

  it('reads AWS_ACCOUNTS_FILE: one entry a line, # comments and blank lines ignored', () => {
    const path = accountsFile(`# production\n${PROD}  # the main one\n\n  self\r\n# staging\n${STAGING}\n`);
    expect(readScanConfig({ AWS_ACCOUNTS_FILE: path, AWS_ACCOUNTS_EXCLUDE: '444455556666' }).accounts).toEqual({
      kind: 'roles',
      entries: [{ roleArn: PROD, accountId: '111122223333', partition: 'aws' }, 'self', expect.anything()],
      exclude: ['444455556666'],
    });
  });

  it.each([
    ['us-gov-west-1', 'arn:aws-us-gov:iam::111122223333:role/scanner', 'aws-us-gov'],
    ['cn-north-1', 'arn:aws-cn:iam::111122223333:role/a/b/scanner', 'aws-cn'],
  ])('in %s takes %s', (region, arn, partition) => {
    expect(readScanConfig({ AWS_REGION: region, AWS_ACCOUNTS: arn }).accounts).toEqual({
      kind: 'roles',
      entries: [{ roleArn: arn, accountId: '111122223333', partition }],
      exclude: [],
    });
  });

  it('reads the organization mode', () => {
    expect(readScanConfig({ AWS_ORGANIZATION_ROLE_NAME: 'mfa-guard-scanner' }).accounts).toEqual({
      kind: 'organization',
      roleName: 'mfa-guard-scanner',
      exclude: [],
    });
  });

  it.each([
    [
      'both a role list and the organization',
      { AWS_ACCOUNTS: PROD, AWS_ORGANIZATION_ROLE_NAME: 'scanner' },
      'AWS_ORGANIZATION_ROLE_NAME',
      'cannot be set together with AWS_ACCOUNTS',
    ],
    [
      'both a role file and the organization',
      { AWS_ACCOUNTS_FILE: accountsFile(PROD), AWS_ORGANIZATION_ROLE_NAME: 'scanner' },
      'AWS_ORGANIZATION_ROLE_NAME',
      'cannot be set together',
    ],
    [
      'both AWS_ACCOUNTS and AWS_ACCOUNTS_FILE',
      { AWS_ACCOUNTS: PROD, AWS_ACCOUNTS_FILE: '/nope' },
      'AWS_ACCOUNTS_FILE',
      'cannot be set together with AWS_ACCOUNTS',
    ],
    ['a user ARN', { AWS_ACCOUNTS: 'arn:aws:iam::111122223333:user/bob' }, 'AWS_ACCOUNTS', 'entry 1 is not one'],
    [
      'an unknown partition',
      { AWS_ACCOUNTS: `self,arn:aws-moon:iam::111122223333:role/x` },
      'AWS_ACCOUNTS',
      'entry 2 is not one',
    ],
    ['an 11-digit account', { AWS_ACCOUNTS: 'arn:aws:iam::11112222333:role/x' }, 'AWS_ACCOUNTS', 'entry 1 is not one'],
    [
      'an account twice',
      { AWS_ACCOUNTS: `${PROD},arn:aws:iam::111122223333:role/other` },
      'AWS_ACCOUNTS',
      'lists account 111122223333 more than once',
    ],
    ['self twice', { AWS_ACCOUNTS: 'self,SELF' }, 'AWS_ACCOUNTS', 'lists account self more than once'],
    [
      'a role in another partition than AWS_REGION',
      { AWS_ACCOUNTS: 'arn:aws-us-gov:iam::111122223333:role/x' },
      'AWS_ACCOUNTS',
      'outside the aws partition',
    ],
    [
      'a bad role name',
      { AWS_ORGANIZATION_ROLE_NAME: 'role name with spaces' },
      'AWS_ORGANIZATION_ROLE_NAME',
      'must be an IAM role name',
    ],
    [
      'a bad exclusion',
      { AWS_ORGANIZATION_ROLE_NAME: 'x', AWS_ACCOUNTS_EXCLUDE: '1234' },
      'AWS_ACCOUNTS_EXCLUDE',
      '12-digit',
    ],
    [
      'an exclusion without accounts',
      { AWS_ACCOUNTS_EXCLUDE: '111122223333' },
      'AWS_ACCOUNTS_EXCLUDE',
      'only applies with',
    ],
    ['a one-character external id', { AWS_ACCOUNTS: PROD, AWS_EXTERNAL_ID: 'x' }, 'AWS_EXTERNAL_ID', '2 to 1224'],
    ['an external id with a space', { AWS_ACCOUNTS: PROD, AWS_EXTERNAL_ID: 'a b' }, 'AWS_EXTERNAL_ID', '2 to 1224'],
    ['ACCOUNT_CONCURRENCY 0', { ACCOUNT_CONCURRENCY: '0' }, 'ACCOUNT_CONCURRENCY', 'from 1 to 64'],
    ['ACCOUNT_CONCURRENCY 65', { ACCOUNT_CONCURRENCY: '65' }, 'ACCOUNT_CONCURRENCY', 'from 1 to 64'],
    [
      'a bad organizations endpoint',
      { AWS_ENDPOINT_URL_ORGANIZATIONS: 'ftp://x' },
      'AWS_ENDPOINT_URL_ORGANIZATIONS',
      'http:// or https://',
    ],
  ])('refuses %s', (_label, env, variable, problem) => {
    const message = problemsOf(env);
    expect(message).toMatch(/1 setting is invalid/);
    expect(message).toContain(`  - ${variable} `);
    expect(message).toContain(problem);
  });

  it('names the bad lines of AWS_ACCOUNTS_FILE, not their content', () => {
    const path = accountsFile(`${PROD}\n# fine\narn:aws:iam::123:role/secretish\n\nnot-an-arn\n`);
    const message = problemsOf({ AWS_ACCOUNTS_FILE: path });
    expect(message).toContain('  - AWS_ACCOUNTS_FILE has lines 3, 5 that are neither an IAM role ARN nor self');
    expect(message).not.toContain('secretish');
  });

  it.each([
    ['a missing file', null, 'could not be read (ENOENT)'],
    ['a file of comments only', '# nothing yet\n\n', 'lists no account'],
  ])('refuses %s', (_label, text, problem) => {
    const path = text === null ? join(tempDir(), 'missing.txt') : accountsFile(text);
    expect(problemsOf({ AWS_ACCOUNTS_FILE: path })).toContain(problem);
  });

  it('collects every accounts problem into the one message, with the other settings', () => {
    const message = problemsOf({
      AWS_ACCOUNTS: 'nope',
      AWS_ORGANIZATION_ROLE_NAME: 'scanner',
      AWS_EXTERNAL_ID: '!',
      ACCOUNT_CONCURRENCY: 'many',
      SCAN_CONCURRENCY: '0',
    });
    expect(message).toMatch(/5 settings are invalid/);
    for (const variable of [
      'AWS_ACCOUNTS',
      'AWS_ORGANIZATION_ROLE_NAME',
      'AWS_EXTERNAL_ID',
      'ACCOUNT_CONCURRENCY',
      'SCAN_CONCURRENCY',
    ]) {
      expect(message).toContain(`  - ${variable} `);
    }
  });

  it('reads the file through the reader it is given, once', () => {
    const reads: string[] = [];
    const reader = new EnvReader({ AWS_ACCOUNTS_FILE: '/etc/mfa-guard/accounts' });
    const settings = readAccountsSettings(reader, 'us-east-1', (path) => {
      reads.push(path);
      return `${PROD}\n`;
    });
    expect(reader.problems).toEqual([]);
    expect(reads).toEqual(['/etc/mfa-guard/accounts']);
    expect(settings.accounts).toMatchObject({ kind: 'roles', entries: [{ accountId: '111122223333' }] });
  });
});
