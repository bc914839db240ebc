/**
 * createAwsAccounts against the local AWS-compatible endpoint (test/support/fake-aws-http.ts): real
 * SDK clients, real AssumeRole and ListAccounts over HTTP, each account answering from its own
 * users according to the credentials that signed the request.
 */
import { type AwsAccountsOptions, createAwsAccounts } from '../../../src/adapters/aws/aws-accounts';
import type { AccountsSetting } from '../../../src/domain/account-entries';
import { FAKE_AMBIENT_ACCOUNT, type FakeAws, startFakeAws } from '../../support/fake-aws-http';
import { appErrorOf } from './mocked-gateway';

const PROD = '111122223333';
const STAGING = '444455556666';
const REFUSING = '777788889999';
const roleArn = (accountId: string) => `arn:aws:iam::${accountId}:role/mfa-guard-scanner`;
const role = (accountId: string) => ({ roleArn: roleArn(accountId), accountId, partition: 'aws' }) as const;
const user = (name: string) => ({ name, created: '2024-01-01T00:00:00Z', password: true, mfa: 0 });

describe('many accounts over HTTP', () => {
  let aws: FakeAws;

  beforeEach(async () => {
    aws = await startFakeAws([user('alice')], {
      accounts: [
        { accountId: PROD, users: [user('bob'), user('shared')], alias: 'acme-prod', name: 'Production' },
        { accountId: STAGING, users: [user('carol'), user('shared')], name: 'Staging' },
        { accountId: REFUSING, users: [user('dave')], name: 'Locked', refuseAssumeRole: true },
        { accountId: '123412341234', users: [], name: 'Gone', state: 'SUSPENDED' },
      ],
    });
  });

  afterEach(async () => {
    await aws.close();
  });

  const accountsFor = (accounts: AccountsSetting, extra: Partial<AwsAccountsOptions> = {}) =>
    createAwsAccounts({
      accounts,
      region: 'us-east-1',
      iamEndpoint: aws.url,
      stsEndpoint: aws.url,
      organizationsEndpoint: aws.url,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDAMBIENTE2E', secretAccessKey: 'not-a-real-secret' },
      ...extra,
    });

  it('reaches two accounts through their roles, each seeing its own users, and one refusing', async () => {
    const accounts = accountsFor(
      { kind: 'roles', entries: [role(PROD), role(STAGING), role(REFUSING), 'self'], exclude: [] },
      { externalId: 'ext-e2e' },
    );
    const [prod, staging, refusing, self] = await accounts.targets();

    const names = async (promise: Promise<{ userName: string }[]> | undefined) =>
      (await (promise ?? Promise.resolve([]))).map((u) => u.userName);
    await expect(names(prod?.iam.listUsers())).resolves.toEqual(['bob', 'shared']);
    await expect(names(staging?.iam.listUsers())).resolves.toEqual(['carol', 'shared']);
    await expect(names(self?.iam.listUsers())).resolves.toEqual(['alice']);
    await expect(prod?.iam.listAccountAliases()).resolves.toEqual(['acme-prod']);
    await expect(prod?.iam.getCallerIdentity()).resolves.toEqual({
      accountId: PROD,
      arn: `arn:aws:sts::${PROD}:assumed-role/mfa-guard-scanner/mfa-guard`,
      partition: 'aws',
    });
    const [shared] = (await prod?.iam.listUsers()) ?? [];
    const [, sharedInStaging] = (await staging?.iam.listUsers()) ?? [];
    expect(shared?.userId).not.toBe(sharedInStaging?.userId);

    const error = await appErrorOf(refusing?.iam.listUsers() ?? Promise.resolve());
    expect(error.code).toBe('iam_assume_role_failed');
    expect(error.message).toContain(roleArn(REFUSING));
    expect(error.message).toContain('is not authorized to perform: sts:AssumeRole');

    expect(aws.calls.filter((c) => c.action === 'AssumeRole')).toEqual([
      expect.objectContaining({ roleArn: roleArn(PROD), roleSessionName: 'mfa-guard', externalId: 'ext-e2e' }),
      expect.objectContaining({ roleArn: roleArn(STAGING), roleSessionName: 'mfa-guard', externalId: 'ext-e2e' }),
      expect.objectContaining({ roleArn: roleArn(REFUSING), roleSessionName: 'mfa-guard', externalId: 'ext-e2e' }),
    ]);
    // Every AssumeRole is made with the ambient credentials; each account's IAM calls with its own.
    expect(aws.actionsIn(FAKE_AMBIENT_ACCOUNT).filter((a) => a === 'AssumeRole')).toHaveLength(3);
    expect(aws.actionsIn(PROD)).toEqual(['ListUsers', 'ListAccountAliases', 'GetCallerIdentity', 'ListUsers']);
    expect(aws.actionsIn(REFUSING)).toEqual([]);
  });

  it('scans the organization: every page, active accounts only, the ambient one with its own credentials', async () => {
    const accounts = accountsFor({ kind: 'organization', roleName: 'mfa-guard-scanner', exclude: [STAGING] });
    const targets = await accounts.targets();

    expect(targets.map((t) => [t.accountId, t.name, t.via])).toEqual([
      [PROD, 'Production', roleArn(PROD)],
      [FAKE_AMBIENT_ACCOUNT, 'Management', 'ambient credentials'],
      [REFUSING, 'Locked', roleArn(REFUSING)],
    ]);
    expect(aws.actions.filter((a) => a === 'ListAccounts')).toHaveLength(3);
    const names = await Promise.all(
      targets.map((t) =>
        t.iam.listUsers().then(
          (users) => users.map((u) => u.userName),
          (error: unknown) => (error as { code: string }).code,
        ),
      ),
    );
    expect(names).toEqual([['bob', 'shared'], ['alice'], 'iam_assume_role_failed']);
  });

  it('reports a ListAccounts refusal with where it works', async () => {
    await aws.close();
    aws = await startFakeAws([user('alice')], { deny: ['ListAccounts'] });
    const error = await appErrorOf(
      accountsFor({ kind: 'organization', roleName: 'mfa-guard-scanner', exclude: [] }).targets(),
    );
    expect(error.code).toBe('organization_list_failed');
    expect(error.message).toContain('AccessDeniedException');
    expect(error.hint).toContain('management account');
  });

  it('assumes roles with the default credential chain when no credentials are given', async () => {
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDFROMENVIRONMENT';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'not-a-real-secret';
    try {
      const { credentials: _none, ...withoutCredentials } = {
        accounts: { kind: 'roles', entries: [role(PROD), role(STAGING)], exclude: [] } satisfies AccountsSetting,
        region: 'us-east-1',
        iamEndpoint: aws.url,
        stsEndpoint: aws.url,
        maxAttempts: 1,
        credentials: undefined,
      };
      const targets = await createAwsAccounts(withoutCredentials).targets();
      await Promise.all(targets.map((t) => t.iam.listUsers()));
      expect(
        aws.calls
          .filter((c) => c.action === 'AssumeRole')
          .map((c) => c.roleArn)
          .sort(),
      ).toEqual([roleArn(PROD), roleArn(STAGING)]);
      expect(aws.actionsIn(PROD)).toEqual(['ListUsers']);
      expect(aws.actionsIn(STAGING)).toEqual(['ListUsers']);
    } finally {
      for (const [name, value] of [
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('assumes the role again when its credentials near their end', async () => {
    const start = Date.parse('2026-11-28T14:00:00Z');
    jest.useFakeTimers({
      now: start,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      const target = await accountsFor({ kind: 'roles', entries: [role(PROD)], exclude: [] }).target(PROD);
      await target?.iam.listUsers();
      jest.setSystemTime(start + 20 * 60_000);
      await target?.iam.listUsers();
      jest.setSystemTime(start + 57 * 60_000);
      await target?.iam.listUsers();

      expect(aws.actions).toEqual(['AssumeRole', 'ListUsers', 'ListUsers', 'AssumeRole', 'ListUsers']);
      expect(aws.actionsIn(PROD)).toEqual(['ListUsers', 'ListUsers', 'ListUsers']);
    } finally {
      jest.useRealTimers();
    }
  });
});
