/**
 * The three sample accounts `npm run demo` scans (and the playground reuses): acme-prod (the
 * sample account, reached with the ambient credentials), acme-staging (an organization member with
 * no IAM alias, so its organization name is shown) and acme-sandbox, whose role refuses the
 * AssumeRole: its failure shows that one account never stops the others.
 */
import { virtualMfaSerial } from '../../domain/partition';
import { AppError } from '../../errors';
import type { AwsAccounts } from '../../ports/accounts';
import { fixedAccounts } from '../fixed-accounts';
import { InMemoryIam, type MemoryAccount } from './in-memory-iam';
import { createSampleIam, SAMPLE_ACCOUNT_ID, type SampleIamOptions } from './sample-account';

export const SAMPLE_STAGING_ACCOUNT_ID = '444455556666';
export const SAMPLE_STAGING_ACCOUNT_NAME = 'acme-staging';
export const SAMPLE_SANDBOX_ACCOUNT_ID = '777788889999';
export const SAMPLE_SANDBOX_ACCOUNT_NAME = 'acme-sandbox';
export const SAMPLE_ROLE_NAME = 'mfa-guard-scanner';

export const sampleRoleArn = (accountId: string): string => `arn:aws:iam::${accountId}:role/${SAMPLE_ROLE_NAME}`;

const DAY_MS = 86_400_000;

/** acme-staging: alice again (another IAM user, owned through an account-scoped key), an unowned bot, carol with MFA. */
export function stagingAccount(now: Date): MemoryAccount {
  const daysAgo = (days: number): Date => new Date(now.getTime() - days * DAY_MS);
  return {
    accountId: SAMPLE_STAGING_ACCOUNT_ID,
    partition: 'aws',
    alias: null,
    rootMfaActive: true,
    users: [
      {
        userName: 'alice',
        userId: 'AIDASTAGING00000000001',
        createDate: daysAgo(45),
        passwordLastUsed: daysAgo(2),
        loginProfile: true,
        mfaDevices: [],
      },
      {
        userName: 'deploy-bot',
        userId: 'AIDASTAGING00000000002',
        createDate: daysAgo(200),
        passwordLastUsed: null,
        loginProfile: true,
        mfaDevices: [],
      },
      {
        userName: 'carol',
        userId: 'AIDASTAGING00000000003',
        createDate: daysAgo(300),
        passwordLastUsed: daysAgo(1),
        loginProfile: true,
        mfaDevices: [
          {
            serialNumber: virtualMfaSerial('aws', SAMPLE_STAGING_ACCOUNT_ID, 'carol'),
            kind: 'virtual',
            enableDate: daysAgo(299),
          },
        ],
      },
    ],
  };
}

/** What STS answers when the member account's role does not trust the scanner (as error-mapping.ts words it). */
export const sampleAssumeRoleDenied = (accountId: string): AppError =>
  new AppError(
    'iam_assume_role_failed',
    `mfa-guard could not assume the role ${sampleRoleArn(accountId)}: AWS denied sts:AssumeRole (AccessDenied).`,
    {
      hint: `Deploy the mfa-guard member role in account ${accountId} (deploy/ has the CloudFormation template) with a trust policy for the scanner's principal and the external id, then scan again.`,
    },
  );

/** A gateway into an account whose role refuses the AssumeRole: every call fails with that error. */
export const refusingIam = (accountId: string, clock: () => Date): InMemoryIam =>
  new InMemoryIam({
    account: { accountId, partition: 'aws', rootMfaActive: false, users: [] },
    clock,
    beforeCall: () => Promise.reject(sampleAssumeRoleDenied(accountId)),
  });

export interface SampleAccounts {
  readonly accounts: AwsAccounts;
  /** acme-prod: the home account, reached with the ambient credentials. */
  readonly prod: InMemoryIam;
  readonly staging: InMemoryIam;
  readonly sandbox: InMemoryIam;
}

/** The three sample accounts; the options as createSampleIam takes them, for acme-prod. */
export function createSampleAccounts(
  clock: () => Date,
  options: Pick<SampleIamOptions, 'reportPendingPolls' | 'freshReports'> = {},
): SampleAccounts {
  const prod = createSampleIam(clock, options);
  const staging = new InMemoryIam({ account: stagingAccount(clock()), clock });
  const sandbox = refusingIam(SAMPLE_SANDBOX_ACCOUNT_ID, clock);
  const accounts = fixedAccounts([
    { iam: prod, accountId: SAMPLE_ACCOUNT_ID },
    {
      iam: staging,
      accountId: SAMPLE_STAGING_ACCOUNT_ID,
      name: SAMPLE_STAGING_ACCOUNT_NAME,
      via: sampleRoleArn(SAMPLE_STAGING_ACCOUNT_ID),
    },
    {
      iam: sandbox,
      accountId: SAMPLE_SANDBOX_ACCOUNT_ID,
      name: SAMPLE_SANDBOX_ACCOUNT_NAME,
      via: sampleRoleArn(SAMPLE_SANDBOX_ACCOUNT_ID),
    },
  ]);
  return { accounts, prod, staging, sandbox };
}
