/**
 * createAwsAccounts over real SDK clients whose `send` is stubbed per class (aws-sdk-client-mock):
 * IAM and STS answer as the account whose credentials the calling client resolves, the way a
 * signed request would reach it, so assumed roles, their refresh and their failures are exercised
 * for real (the credential provider runs; only the wire is replaced).
 */
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import {
  type AccountState,
  type AccountStatus,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
// The STS client fromTemporaryCredentials makes its AssumeRole calls with.
import { AssumeRoleCommand, STSClient as AssumeRoleStsClient } from '@aws-sdk/nested-clients/sts';
import { mockClient } from 'aws-sdk-client-mock';

import { type AwsAccountsOptions, createAwsAccounts } from '../../../src/adapters/aws/aws-accounts';
import { createAccountsFromConfig } from '../../../src/app';
import { readScanConfig } from '../../../src/config/scan-config';
import type { AccountsSetting } from '../../../src/domain/account-entries';
import { appErrorOf } from './mocked-gateway';

const AMBIENT = '999988887777';
const PROD = '111122223333';
const STAGING = '444455556666';
const DENIED = '777788889999';
const roleArn = (accountId: string, name = 'mfa-guard-scanner') => `arn:aws:iam::${accountId}:role/${name}`;
const role = (accountId: string) => ({ roleArn: roleArn(accountId), accountId, partition: 'aws' }) as const;

const AMBIENT_KEY = 'AKIDAMBIENTTEST';
const HOUR = 3_600_000;

const awsError = (name: string, message = name) =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: {} });

/** The account whose credentials a client signs with: the ambient key, or `ASIA<account>-<n>` from AssumeRole. */
const accountOfKey = (accessKeyId: string): string =>
  accessKeyId === AMBIENT_KEY ? AMBIENT : (/^ASIA(\d{12})-\d+$/.exec(accessKeyId)?.[1] ?? 'unknown');

interface ClientLike {
  readonly config: { readonly credentials: () => Promise<{ readonly accessKeyId: string }> };
}
const keyOf = async (getClient: () => unknown): Promise<string> =>
  (await (getClient() as ClientLike).config.credentials()).accessKeyId;

const mocks = () => ({
  iam: mockClient(IAMClient),
  sts: mockClient(STSClient),
  assume: mockClient(AssumeRoleStsClient),
  organizations: mockClient(OrganizationsClient),
});

interface World extends ReturnType<typeof mocks> {
  /** The access key each IAM ListUsers call was signed with, in order. */
  readonly signedWith: string[];
  /** How long the credentials AssumeRole hands out last. */
  lifetimeMs: number;
}

let world: World;

beforeEach(() => {
  let issued = 0;
  const w: World = {
    ...mocks(),
    signedWith: [],
    lifetimeMs: HOUR,
  };
  w.assume.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }, getClient) => {
    // AssumeRole itself is made with the ambient credentials.
    if ((await keyOf(getClient)) !== AMBIENT_KEY) throw new Error('AssumeRole signed with the wrong credentials');
    const accountId = input.RoleArn.split(':')[4] ?? '';
    if (accountId === DENIED) {
      throw awsError(
        'AccessDenied',
        `User: arn:aws:iam::${AMBIENT}:user/scanner is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
      );
    }
    issued += 1;
    return {
      Credentials: {
        AccessKeyId: `ASIA${accountId}-${issued}`,
        SecretAccessKey: 'not-a-real-secret',
        SessionToken: 'not-a-real-token',
        Expiration: new Date(Date.now() + w.lifetimeMs),
      },
    };
  });
  w.sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
    const accountId = accountOfKey(await keyOf(getClient));
    return { Account: accountId, Arn: `arn:aws:iam::${accountId}:user/scanner`, UserId: 'AIDASCANNER' };
  });
  w.iam.on(ListUsersCommand).callsFake(async (_input, getClient) => {
    const key = await keyOf(getClient);
    w.signedWith.push(key);
    const accountId = accountOfKey(key);
    return {
      Users: [
        {
          UserName: `user-of-${accountId}`,
          UserId: `AIDA${accountId}`,
          Arn: `arn:aws:iam::${accountId}:user/user-of-${accountId}`,
          Path: '/',
          CreateDate: new Date('2024-01-01T00:00:00Z'),
        },
      ],
      IsTruncated: false,
    };
  });
  world = w;
});

afterEach(() => {
  world.iam.restore();
  world.sts.restore();
  world.assume.restore();
  world.organizations.restore();
  jest.useRealTimers();
});

const accountsFor = (accounts: AccountsSetting, extra: Partial<AwsAccountsOptions> = {}) =>
  createAwsAccounts({
    accounts,
    region: 'eu-west-1',
    stsEndpoint: 'http://127.0.0.1:4566',
    maxAttempts: 1,
    credentials: { accessKeyId: AMBIENT_KEY, secretAccessKey: 'not-a-real-secret' },
    ...extra,
  });

const userNames = async (accounts: ReturnType<typeof accountsFor>) =>
  Promise.all(
    (await accounts.targets()).map(async (target) => (await target.iam.listUsers()).map((user) => user.userName)),
  );

const assumeInputs = () => world.assume.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);

describe('the ambient account alone', () => {
  it('has one target, reached with the ambient credentials', async () => {
    const accounts = accountsFor({ kind: 'ambient' });
    const targets = await accounts.targets();
    expect(targets.map((t) => [t.accountId, t.via])).toEqual([[null, 'ambient credentials']]);
    await expect(userNames(accounts)).resolves.toEqual([[`user-of-${AMBIENT}`]]);
    await expect(accounts.home()).resolves.toEqual({ accountId: AMBIENT, partition: 'aws' });
    expect(assumeInputs()).toEqual([]);
  });
});

describe('a role list', () => {
  const list: AccountsSetting = { kind: 'roles', entries: [role(PROD), 'self', role(STAGING)], exclude: [] };

  it('scans each listed account in the listed order, self with the ambient credentials', async () => {
    const accounts = accountsFor(list, { externalId: 'ext-7f3c2a' });
    const targets = await accounts.targets();

    expect(targets.map((t) => [t.accountId, t.name, t.via])).toEqual([
      [PROD, null, roleArn(PROD)],
      [null, null, 'ambient credentials'],
      [STAGING, null, roleArn(STAGING)],
    ]);
    await expect(userNames(accounts)).resolves.toEqual([
      [`user-of-${PROD}`],
      [`user-of-${AMBIENT}`],
      [`user-of-${STAGING}`],
    ]);
    expect(assumeInputs()).toEqual([
      { RoleArn: roleArn(PROD), RoleSessionName: 'mfa-guard', ExternalId: 'ext-7f3c2a' },
      { RoleArn: roleArn(STAGING), RoleSessionName: 'mfa-guard', ExternalId: 'ext-7f3c2a' },
    ]);
  });

  it('sends no ExternalId when none is set, and AssumeRole goes through AWS_REGION and AWS_ENDPOINT_URL_STS', async () => {
    const endpoints: unknown[] = [];
    world.assume.on(AssumeRoleCommand).callsFake(async (_input, getClient) => {
      const { config } = getClient() as {
        config: { region: () => Promise<string>; endpoint?: () => Promise<unknown> };
      };
      endpoints.push([await config.region(), await config.endpoint?.()]);
      return {
        Credentials: {
          AccessKeyId: `ASIA${PROD}-1`,
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(Date.now() + HOUR),
        },
      };
    });
    const target = await accountsFor(list).target(PROD);
    await target?.iam.listUsers();

    expect(assumeInputs()).toEqual([{ RoleArn: roleArn(PROD), RoleSessionName: 'mfa-guard' }]);
    expect(endpoints).toEqual([
      ['eu-west-1', expect.objectContaining({ protocol: 'http:', hostname: '127.0.0.1', port: 4566 })],
    ]);
  });

  it('answers target(id) with the listed account, self by its identity, and null for any other', async () => {
    const accounts = accountsFor(list);
    await expect(accounts.target(STAGING)).resolves.toMatchObject({ accountId: STAGING, via: roleArn(STAGING) });
    await expect(accounts.target(AMBIENT)).resolves.toMatchObject({ via: 'ambient credentials' });
    await expect(accounts.target('123456789012')).resolves.toBeNull();
    await expect(
      accountsFor({ kind: 'roles', entries: [role(PROD)], exclude: [] }).target(AMBIENT),
    ).resolves.toBeNull();
  });

  it('keeps one gateway per account: one AssumeRole for its IAM and STS clients, scans and clicks alike', async () => {
    const accounts = accountsFor(list);
    const [first] = await accounts.targets();
    const again = await accounts.target(PROD);

    expect(again?.iam).toBe(first?.iam);
    await first?.iam.listUsers();
    await again?.iam.getCallerIdentity();
    await (await accounts.targets())[0]?.iam.listUsers();
    expect(assumeInputs()).toHaveLength(1);
  });

  it('drops excluded accounts, self included once its id is known', async () => {
    const accounts = accountsFor({ ...list, exclude: [AMBIENT, STAGING] });
    expect((await accounts.targets()).map((t) => t.via)).toEqual([roleArn(PROD)]);
    await expect(accounts.target(STAGING)).resolves.toBeNull();
    await expect(accounts.target(AMBIENT)).resolves.toBeNull();
  });

  it('refuses to scan the ambient account twice, as self and through a role', async () => {
    const accounts = accountsFor({ kind: 'roles', entries: ['self', role(AMBIENT)], exclude: [] });
    const error = await appErrorOf(accounts.targets());
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(`names the ambient account ${AMBIENT} twice`);
  });

  it('keeps self when its id cannot be asked: it then fails on its own, not the whole list', async () => {
    world.sts.on(GetCallerIdentityCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const accounts = accountsFor({ kind: 'roles', entries: ['self', role(PROD)], exclude: [AMBIENT] });
    expect((await accounts.targets()).map((t) => t.via)).toEqual(['ambient credentials', roleArn(PROD)]);
  });

  it('an account whose role refuses AssumeRole fails with a clear error; the others still answer', async () => {
    const accounts = accountsFor({ kind: 'roles', entries: [role(PROD), role(DENIED), 'self'], exclude: [] });
    const [prod, denied, self] = await accounts.targets();

    const error = await appErrorOf(denied?.iam.listUsers() ?? Promise.resolve());
    expect(error.code).toBe('iam_assume_role_failed');
    expect(error.message).toContain(`mfa-guard could not assume the role ${roleArn(DENIED)}`);
    expect(error.message).toContain('AWS denied sts:AssumeRole (AccessDenied)');
    expect(error.hint).toContain('trust policy');
    expect(error.hint).toContain('AWS_EXTERNAL_ID');
    expect(error.hint).toContain('deploy/member-role.yaml');
    expect(error.message).not.toContain('not-a-real-secret');
    // The STS side of the same account fails the same way.
    await expect(denied?.iam.getCallerIdentity()).rejects.toMatchObject({ code: 'iam_assume_role_failed' });

    await expect(prod?.iam.listUsers()).resolves.toEqual([expect.objectContaining({ userName: `user-of-${PROD}` })]);
    await expect(self?.iam.listUsers()).resolves.toEqual([expect.objectContaining({ userName: `user-of-${AMBIENT}` })]);
  });

  it('tries AssumeRole again after a failure instead of remembering it', async () => {
    world.assume.on(AssumeRoleCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded'));
    const target = await accountsFor(list).target(PROD);

    await expect(target?.iam.listUsers()).rejects.toMatchObject({ code: 'iam_assume_role_failed' });
    world.assume.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: `ASIA${PROD}-9`,
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(Date.now() + HOUR),
      },
    });
    await expect(target?.iam.listUsers()).resolves.toHaveLength(1);
    expect(assumeInputs()).toHaveLength(2);
  });

  it('refreshes the credentials before they expire, mid-scan and hours later', async () => {
    const start = new Date('2026-11-28T14:00:00Z').getTime();
    // Only Date is faked: the SDK's timers and sockets run as usual.
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
    const target = await accountsFor(list).target(PROD);

    await target?.iam.listUsers(); // first AssumeRole; valid for an hour
    jest.setSystemTime(start + 30 * 60_000);
    await target?.iam.listUsers(); // still fresh: no AssumeRole
    await target?.iam.getCallerIdentity(); // the STS client shares the same credentials
    jest.setSystemTime(start + 56 * 60_000);
    await target?.iam.listUsers(); // four minutes left: refreshed first
    jest.setSystemTime(start + 5 * HOUR);
    await target?.iam.listUsers(); // a removal approved hours later

    expect(assumeInputs()).toHaveLength(3);
    expect(world.signedWith).toEqual([`ASIA${PROD}-1`, `ASIA${PROD}-1`, `ASIA${PROD}-2`, `ASIA${PROD}-3`]);
  });

  it('makes one AssumeRole for calls that need credentials at the same time', async () => {
    const target = await accountsFor(list).target(STAGING);
    await Promise.all([target?.iam.listUsers(), target?.iam.listUsers(), target?.iam.getCallerIdentity()]);
    expect(assumeInputs()).toHaveLength(1);
  });
});

describe('home', () => {
  it('asks GetCallerIdentity once, and again after a failure', async () => {
    world.sts.on(GetCallerIdentityCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded'));
    const accounts = accountsFor({ kind: 'roles', entries: [role(PROD)], exclude: [] });

    await expect(accounts.home()).rejects.toMatchObject({ code: 'iam_throttled' });
    world.sts.on(GetCallerIdentityCommand).resolves({
      Account: AMBIENT,
      Arn: `arn:aws-us-gov:iam::${AMBIENT}:user/scanner`,
      UserId: 'AIDASCANNER',
    });
    await expect(accounts.home()).resolves.toEqual({ accountId: AMBIENT, partition: 'aws-us-gov' });
    await expect(accounts.home()).resolves.toEqual({ accountId: AMBIENT, partition: 'aws-us-gov' });
    expect(world.sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(2);
  });
});

describe('an organization', () => {
  const organization = (exclude: string[] = []): AccountsSetting => ({
    kind: 'organization',
    roleName: 'security/mfa-guard-scanner',
    exclude,
  });
  const memberArn = (accountId: string) => roleArn(accountId, 'security/mfa-guard-scanner');
  const account = (Id: string, Name: string, state: { State?: AccountState; Status?: AccountStatus }) => ({
    Id,
    Name,
    Arn: `arn:aws:organizations::${AMBIENT}:account/o-abc/${Id}`,
    ...state,
  });

  beforeEach(() => {
    world.organizations
      .on(ListAccountsCommand)
      .resolvesOnce({
        Accounts: [
          account(STAGING, 'Staging <team>', { State: 'ACTIVE', Status: 'ACTIVE' }),
          account(AMBIENT, 'Management', { State: 'ACTIVE' }),
          account('222233334444', 'Suspended, old Status says active', { State: 'SUSPENDED', Status: 'ACTIVE' }),
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Accounts: [
          account(PROD, 'Production', { Status: 'ACTIVE' }),
          account('333344445555', 'Closing', { State: 'PENDING_CLOSURE' }),
          account('555566667777', 'Suspended by Status', { Status: 'SUSPENDED' }),
          account(DENIED, 'Locked down', { State: 'ACTIVE' }),
        ],
      });
  });

  it('lists every page, keeps ACTIVE accounts (State first, Status only without it), ordered by id', async () => {
    const accounts = accountsFor(organization());
    const targets = await accounts.targets();

    expect(targets.map((t) => [t.accountId, t.name, t.via])).toEqual([
      [PROD, 'Production', memberArn(PROD)],
      [STAGING, 'Staging <team>', memberArn(STAGING)],
      [DENIED, 'Locked down', memberArn(DENIED)],
      [AMBIENT, 'Management', 'ambient credentials'],
    ]);
    expect(world.organizations.commandCalls(ListAccountsCommand).map((c) => c.args[0].input)).toEqual([
      { NextToken: undefined },
      { NextToken: 'page-2' },
    ]);
    await expect(targets[0]?.iam.listUsers()).resolves.toEqual([
      expect.objectContaining({ userName: `user-of-${PROD}` }),
    ]);
    await expect(targets[3]?.iam.listUsers()).resolves.toEqual([
      expect.objectContaining({ userName: `user-of-${AMBIENT}` }),
    ]);
    await expect(targets[2]?.iam.listUsers()).rejects.toMatchObject({ code: 'iam_assume_role_failed' });
  });

  it('drops excluded accounts, the ambient one included', async () => {
    const accounts = accountsFor(organization([AMBIENT, STAGING]));
    expect((await accounts.targets()).map((t) => t.accountId)).toEqual([PROD, DENIED]);
  });

  it('answers target(id) without listing the organization again', async () => {
    const accounts = accountsFor(organization([STAGING]));

    await expect(accounts.target(PROD)).resolves.toMatchObject({ accountId: PROD, name: null, via: memberArn(PROD) });
    await expect(accounts.target(AMBIENT)).resolves.toMatchObject({ accountId: AMBIENT, via: 'ambient credentials' });
    await expect(accounts.target(STAGING)).resolves.toBeNull();
    await expect(accounts.target('not-an-id')).resolves.toBeNull();
    expect(world.organizations.commandCalls(ListAccountsCommand)).toHaveLength(0);

    await accounts.targets();
    await expect(accounts.target(PROD)).resolves.toMatchObject({ name: 'Production' });
    expect(world.organizations.commandCalls(ListAccountsCommand)).toHaveLength(2);
  });

  it('builds member role ARNs in the ambient credentials partition', async () => {
    world.sts.on(GetCallerIdentityCommand).resolves({
      Account: AMBIENT,
      Arn: `arn:aws-us-gov:iam::${AMBIENT}:user/scanner`,
      UserId: 'AIDASCANNER',
    });
    const target = await accountsFor(organization()).target(PROD);
    expect(target?.via).toBe(`arn:aws-us-gov:iam::${PROD}:role/security/mfa-guard-scanner`);
  });

  it.each([
    ['AccessDeniedException', 'You don’t have permissions to access this resource.'],
    ['AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.'],
  ])('turns %s from ListAccounts into organization_list_failed', async (name, message) => {
    world.organizations.on(ListAccountsCommand).rejects(awsError(name, message));
    const error = await appErrorOf(accountsFor(organization()).targets());

    expect(error.code).toBe('organization_list_failed');
    expect(error.message).toContain("mfa-guard could not list the organization's accounts");
    expect(error.message).toContain(name);
    expect(error.hint).toContain('management account');
    expect(error.hint).toContain('delegated administrator');
    expect(error.hint).toContain('organizations:ListAccounts');
  });

  it('names AWS_ENDPOINT_URL_ORGANIZATIONS when the endpoint cannot be reached', async () => {
    world.organizations
      .on(ListAccountsCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
    const error = await appErrorOf(accountsFor(organization()).targets());
    expect(error.code).toBe('organization_list_failed');
    expect(error.hint).toContain('AWS_ENDPOINT_URL_ORGANIZATIONS');
  });
});

describe('createAccountsFromConfig', () => {
  it('builds the accounts the settings name', async () => {
    const config = readScanConfig({ AWS_ACCOUNTS: `${roleArn(PROD)},self` });
    const targets = await createAccountsFromConfig(config).targets();
    expect(targets.map((t) => t.via)).toEqual([roleArn(PROD), 'ambient credentials']);
    expect(await createAccountsFromConfig(readScanConfig({})).targets()).toEqual([
      expect.objectContaining({ via: 'ambient credentials' }),
    ]);
  });

  it('sends ListAccounts to AWS_REGION and AWS_ENDPOINT_URL_ORGANIZATIONS', async () => {
    const seen: unknown[] = [];
    world.organizations.on(ListAccountsCommand).callsFake(async (_input, getClient) => {
      const { config } = getClient() as {
        config: { region: () => Promise<string>; endpoint?: () => Promise<unknown> };
      };
      seen.push([await config.region(), await config.endpoint?.()]);
      return { Accounts: [] };
    });
    const accounts = createAwsAccounts({
      accounts: { kind: 'organization', roleName: 'mfa-guard-scanner', exclude: [] },
      region: 'eu-central-1',
      organizationsEndpoint: 'http://127.0.0.1:4599',
      maxAttempts: 1,
      credentials: { accessKeyId: AMBIENT_KEY, secretAccessKey: 'not-a-real-secret' },
    });
    await expect(accounts.targets()).resolves.toEqual([]);
    expect(seen).toEqual([['eu-central-1', expect.objectContaining({ hostname: '127.0.0.1', port: 4599 })]]);
  });
});
