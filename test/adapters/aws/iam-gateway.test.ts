import {
  DeleteLoginProfileCommand,
  EntityTemporarilyUnmodifiableException,
  GenerateCredentialReportCommand,
  type GenerateCredentialReportCommandOutput,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMServiceException,
  LimitExceededException,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

import { appErrorOf, mockedGateway } from './mocked-gateway';

const created = new Date('2024-01-02T03:04:05Z');
const lastUsed = new Date('2024-06-01T00:00:00Z');
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const awsUser = (name: string, extra: { PasswordLastUsed?: Date } = {}) => ({
  UserName: name,
  UserId: `AIDA${name.toUpperCase()}`,
  Arn: `arn:aws:iam::123456789012:user/${name}`,
  Path: '/',
  CreateDate: created,
  ...extra,
});

describe('createAwsIamGateway', () => {
  describe('getCallerIdentity', () => {
    it.each([
      ['arn:aws:iam::123456789012:user/scanner', 'aws'],
      ['arn:aws-us-gov:sts::123456789012:assumed-role/mfa-guard/session', 'aws-us-gov'],
      ['arn:aws-cn:iam::123456789012:root', 'aws-cn'],
    ])('reads the partition from %s', async (arn, partition) => {
      const { gateway, stsMock } = mockedGateway();
      stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: arn, UserId: 'AIDAX' });

      await expect(gateway.getCallerIdentity()).resolves.toEqual({ accountId: '123456789012', arn, partition });
    });

    it.each(['arn:aws-iso:iam::123456789012:user/x', 'not-an-arn'])(
      'rejects a caller ARN in an unknown partition: %s',
      async (arn) => {
        const { gateway, stsMock } = mockedGateway();
        stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: arn });

        const error = await appErrorOf(gateway.getCallerIdentity());
        expect(error.code).toBe('iam_unexpected');
        expect(error.message).toContain('sts:GetCallerIdentity');
      },
    );

    it.each([
      ['Account', { Arn: 'arn:aws:iam::123456789012:user/x' }],
      ['Arn', { Account: '123456789012' }],
    ])('fails when %s is missing', async (field, response) => {
      const { gateway, stsMock } = mockedGateway();
      stsMock.on(GetCallerIdentityCommand).resolves(response);

      const error = await appErrorOf(gateway.getCallerIdentity());
      expect(error.code).toBe('iam_unexpected');
      expect(error.message).toContain(field);
    });
  });

  describe('generateCredentialReport', () => {
    it.each(['STARTED', 'INPROGRESS', 'COMPLETE'] as const)('returns state %s', async (state) => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(GenerateCredentialReportCommand).resolves({ State: state });

      await expect(gateway.generateCredentialReport()).resolves.toBe(state);
    });

    it.each([
      ['missing', undefined],
      ['unknown', 'FAILED'],
    ])('rejects a %s state', async (_label, state) => {
      const { gateway, iamMock } = mockedGateway();
      const response: GenerateCredentialReportCommandOutput = { $metadata: {} };
      // The SDK types only allow known states; a newer IAM could still send another one.
      Reflect.set(response, 'State', state);
      iamMock.on(GenerateCredentialReportCommand).resolves(response);

      expect((await appErrorOf(gateway.generateCredentialReport())).code).toBe('iam_unexpected');
    });
  });

  describe('getCredentialReport', () => {
    it('decodes the already-decoded bytes as UTF-8 and keeps non-ASCII names intact', async () => {
      const csv = 'user,arn,password_enabled\njürgen,arn:aws:iam::123456789012:user/jürgen,true\nzoë,arn:x,false\n';
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(GetCredentialReportCommand)
        .resolves({ Content: utf8(csv), GeneratedTime: created, ReportFormat: 'text/csv' });

      await expect(gateway.getCredentialReport()).resolves.toEqual({ content: csv, generatedAt: created });
    });

    it('does not base64-decode a second time', async () => {
      // "dXNlcg==" is valid base64 for "user": a double decode would turn the text into "user".
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(GetCredentialReportCommand).resolves({ Content: utf8('dXNlcg=='), GeneratedTime: created });

      const report = await gateway.getCredentialReport();
      expect(report.content).toBe('dXNlcg==');
      expect(report.content).not.toBe(Buffer.from('dXNlcg==', 'base64').toString('utf8'));
    });

    it('strips a UTF-8 byte order mark', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(GetCredentialReportCommand).resolves({ Content: utf8('\uFEFFuser,arn\n'), GeneratedTime: created });

      expect((await gateway.getCredentialReport()).content).toBe('user,arn\n');
    });

    it('refuses bytes that are not UTF-8 instead of mangling names', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(GetCredentialReportCommand)
        .resolves({ Content: Uint8Array.of(0x6a, 0xfc, 0x72), GeneratedTime: created });

      const error = await appErrorOf(gateway.getCredentialReport());
      expect(error.code).toBe('iam_unexpected');
      expect(error.message).toContain('UTF-8');
    });

    it.each([
      ['Content', { GeneratedTime: created }],
      ['GeneratedTime', { Content: utf8('user\n') }],
    ])('fails when %s is missing', async (field, response) => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(GetCredentialReportCommand).resolves(response);

      const error = await appErrorOf(gateway.getCredentialReport());
      expect(error.code).toBe('iam_unexpected');
      expect(error.message).toContain(field);
    });
  });

  describe('listUsers', () => {
    it('follows every page and maps the users', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(ListUsersCommand)
        .resolvesOnce({ Users: [awsUser('alice', { PasswordLastUsed: lastUsed })], IsTruncated: true, Marker: 'm1' })
        .resolvesOnce({ Users: [awsUser('bob')], IsTruncated: true, Marker: 'm2' })
        .resolvesOnce({ Users: [awsUser('carol')], IsTruncated: false });

      const users = await gateway.listUsers();

      expect(users.map((u) => u.userName)).toEqual(['alice', 'bob', 'carol']);
      expect(users[0]).toEqual({
        userName: 'alice',
        userId: 'AIDAALICE',
        arn: 'arn:aws:iam::123456789012:user/alice',
        path: '/',
        createDate: created,
        passwordLastUsed: lastUsed,
      });
      expect(users[1]?.passwordLastUsed).toBeNull();
      const markers = iamMock.commandCalls(ListUsersCommand).map((call) => call.args[0].input.Marker);
      expect(markers).toEqual([undefined, 'm1', 'm2']);
    });

    it('maps an error on a later page', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(ListUsersCommand)
        .resolvesOnce({ Users: [awsUser('alice')], IsTruncated: true, Marker: 'm1' })
        .rejectsOnce(new ServiceFailureException({ message: 'boom', $metadata: {} }));

      const error = await appErrorOf(gateway.listUsers());
      expect(error.code).toBe('iam_service_failure');
      expect(error.message).toContain('iam:ListUsers');
    });

    it.each([
      ['a truncated page has no Marker', [{ Users: [], IsTruncated: true }]],
      [
        'a Marker repeats',
        [
          { Users: [], IsTruncated: true, Marker: 'm1' },
          { Users: [], IsTruncated: true, Marker: 'm1' },
        ],
      ],
    ])('fails instead of looping or dropping users when %s', async (_label, pages) => {
      const { gateway, iamMock } = mockedGateway();
      const stub = iamMock.on(ListUsersCommand);
      for (const page of pages) stub.resolvesOnce(page);
      stub.resolves({ Users: [awsUser('never-reached')], IsTruncated: false });

      expect((await appErrorOf(gateway.listUsers())).code).toBe('iam_unexpected');
    });

    it('fails on a user without a required field', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(ListUsersCommand)
        .resolves({ Users: [{ ...awsUser('alice'), UserId: undefined }], IsTruncated: false });

      const error = await appErrorOf(gateway.listUsers());
      expect(error.code).toBe('iam_unexpected');
      expect(error.message).toContain('UserId');
    });
  });

  describe('getUser', () => {
    it('maps the user', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(GetUserCommand, { UserName: 'alice' }).resolves({ User: awsUser('alice') });

      await expect(gateway.getUser('alice')).resolves.toMatchObject({ userName: 'alice', passwordLastUsed: null });
    });
  });

  describe('getLoginProfile', () => {
    it.each([
      [true, true],
      [false, false],
      [undefined, false],
    ])('maps PasswordResetRequired %s to %s', async (flag, expected) => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(GetLoginProfileCommand, { UserName: 'alice' })
        .resolves({ LoginProfile: { UserName: 'alice', CreateDate: created, PasswordResetRequired: flag } });

      await expect(gateway.getLoginProfile('alice')).resolves.toEqual({
        createDate: created,
        passwordResetRequired: expected,
      });
    });

    it('fails when the response has no LoginProfile', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(GetLoginProfileCommand).resolves({});

      expect((await appErrorOf(gateway.getLoginProfile('alice'))).code).toBe('iam_unexpected');
    });
  });

  describe('listMfaDevices', () => {
    it('returns every kind of device from every page', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(ListMFADevicesCommand)
        .resolvesOnce({
          MFADevices: [
            { UserName: 'alice', SerialNumber: 'arn:aws:iam::123456789012:mfa/alice-phone', EnableDate: created },
          ],
          IsTruncated: true,
          Marker: 'm1',
        })
        .resolvesOnce({
          MFADevices: [
            { UserName: 'alice', SerialNumber: 'GAHT12345678', EnableDate: created },
            {
              UserName: 'alice',
              SerialNumber: 'arn:aws:iam::123456789012:u2f/user/alice/yubikey-ABC',
              EnableDate: undefined,
            },
          ],
          IsTruncated: false,
        });

      await expect(gateway.listMfaDevices('alice')).resolves.toEqual([
        { serialNumber: 'arn:aws:iam::123456789012:mfa/alice-phone', enableDate: created },
        { serialNumber: 'GAHT12345678', enableDate: created },
        { serialNumber: 'arn:aws:iam::123456789012:u2f/user/alice/yubikey-ABC', enableDate: null },
      ]);
      const inputs = iamMock.commandCalls(ListMFADevicesCommand).map((call) => call.args[0].input);
      expect(inputs.map((input) => [input.UserName, input.Marker])).toEqual([
        ['alice', undefined],
        ['alice', 'm1'],
      ]);
    });

    it('returns an empty list for a user without devices', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(ListMFADevicesCommand).resolves({ MFADevices: [], IsTruncated: false });

      await expect(gateway.listMfaDevices('bob')).resolves.toEqual([]);
    });

    it('maps an error on the second page with the user name', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(ListMFADevicesCommand)
        .resolvesOnce({ MFADevices: [], IsTruncated: true, Marker: 'm1' })
        .rejectsOnce(
          new NoSuchEntityException({ message: 'The user with name alice cannot be found.', $metadata: {} }),
        );

      const error = await appErrorOf(gateway.listMfaDevices('alice'));
      expect(error.code).toBe('iam_no_such_entity');
      expect(error.message).toContain('iam:ListMFADevices for user alice');
    });
  });

  describe('listUserTags', () => {
    it('merges every page into one record', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(ListUserTagsCommand)
        .resolvesOnce({ Tags: [{ Key: 'owner', Value: 'U123' }], IsTruncated: true, Marker: 'm1' })
        .resolvesOnce({
          Tags: [
            { Key: 'team', Value: 'platform' },
            { Key: '__proto__', Value: 'odd but legal' },
          ],
          IsTruncated: false,
        });

      const tags = await gateway.listUserTags('alice');

      expect(tags).toEqual({ owner: 'U123', team: 'platform', ['__proto__']: 'odd but legal' });
      expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
      expect(Object.keys(tags)).toEqual(['owner', 'team', '__proto__']);
      expect(iamMock.commandCalls(ListUserTagsCommand).map((call) => call.args[0].input.Marker)).toEqual([
        undefined,
        'm1',
      ]);
    });
  });

  describe('getAccountSummary', () => {
    it.each([
      [1, true],
      [0, false],
    ])('AccountMFAEnabled %s means %s', async (value, expected) => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Users: 3, AccountMFAEnabled: value } });

      await expect(gateway.getAccountSummary()).resolves.toEqual({ accountMfaEnabled: expected });
    });

    it.each([
      ['SummaryMap', {}],
      ['AccountMFAEnabled', { SummaryMap: { Users: 3 } }],
    ])('fails rather than guess when %s is missing', async (field, response) => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(GetAccountSummaryCommand).resolves(response);

      const error = await appErrorOf(gateway.getAccountSummary());
      expect(error.code).toBe('iam_unexpected');
      expect(error.message).toContain(field);
    });
  });

  describe('listAccountAliases', () => {
    it('answers the alias, none when the account has none', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(ListAccountAliasesCommand)
        .resolvesOnce({ AccountAliases: ['acme-prod'] })
        .resolvesOnce({ AccountAliases: [] });

      await expect(gateway.listAccountAliases()).resolves.toEqual(['acme-prod']);
      await expect(gateway.listAccountAliases()).resolves.toEqual([]);
    });

    it('follows every page', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(ListAccountAliasesCommand)
        .resolvesOnce({ AccountAliases: ['a-one'], IsTruncated: true, Marker: 'm1' })
        .resolvesOnce({ AccountAliases: ['a-two'], IsTruncated: false });

      await expect(gateway.listAccountAliases()).resolves.toEqual(['a-one', 'a-two']);
      expect(iamMock.commandCalls(ListAccountAliasesCommand).map((call) => call.args[0].input.Marker)).toEqual([
        undefined,
        'm1',
      ]);
    });

    it('fails rather than guess when AccountAliases is missing', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(ListAccountAliasesCommand).resolves({});

      const error = await appErrorOf(gateway.listAccountAliases());
      expect(error.code).toBe('iam_unexpected');
      expect(error.message).toContain('AccountAliases');
    });

    it('maps AccessDenied to iam_access_denied naming the action', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(ListAccountAliasesCommand).rejects(
        new IAMServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          message: 'not authorized',
          $metadata: { httpStatusCode: 403 },
        }),
      );

      const error = await appErrorOf(gateway.listAccountAliases());
      expect(error.code).toBe('iam_access_denied');
      expect(error.message).toContain('iam:ListAccountAliases');
      expect(error.hint).toContain('iam:ListAccountAliases');
    });
  });

  describe('a signal on the calls a removal makes', () => {
    const deadline = () => {
      const controller = new AbortController();
      return { signal: controller.signal, abort: () => controller.abort(new Error('no answer within 30 seconds')) };
    };

    it('sends nothing once the signal has aborted', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(DeleteLoginProfileCommand).resolves({});
      const { signal, abort } = deadline();
      abort();

      const error = await appErrorOf(gateway.deleteLoginProfile('alice', { signal }));
      expect(error.code).toBe('iam_timeout');
      expect(error.message).toBe(
        'mfa-guard stopped waiting for iam:DeleteLoginProfile for user alice: no answer within 30 seconds.',
      );
      expect(error.hint).toContain('check the user before acting on it again');
      expect(iamMock.calls()).toHaveLength(0);
    });

    it.each([
      ['getUser', 'iam:GetUser'],
      ['getLoginProfile', 'iam:GetLoginProfile'],
      ['listMfaDevices', 'iam:ListMFADevices'],
      ['listUserTags', 'iam:ListUserTags'],
      ['deleteLoginProfile', 'iam:DeleteLoginProfile'],
    ] as const)('stops waiting for %s when the signal aborts, whatever the SDK is doing', async (method, action) => {
      const { gateway, iamMock } = mockedGateway();
      // AWS never answers (a dead connection, or a retry back-off).
      iamMock.onAnyCommand().callsFake(() => new Promise(() => undefined));
      const { signal, abort } = deadline();
      const call = appErrorOf(gateway[method]('alice', { signal }));
      abort();

      const error = await call;
      expect(error.code).toBe('iam_timeout');
      expect(error.message).toContain(`${action} for user alice: no answer within 30 seconds`);
      expect(iamMock.calls()).toHaveLength(1);
    });

    it('answers as usual while the signal has not aborted', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(DeleteLoginProfileCommand).resolves({});
      await expect(gateway.deleteLoginProfile('alice', deadline())).resolves.toBe('deleted');
    });
  });

  describe('deleteLoginProfile', () => {
    it('deletes the console password of exactly the named user', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(DeleteLoginProfileCommand).resolves({});

      await expect(gateway.deleteLoginProfile('alice+ops@example.com')).resolves.toBe('deleted');
      expect(iamMock.commandCalls(DeleteLoginProfileCommand).map((call) => call.args[0].input)).toEqual([
        { UserName: 'alice+ops@example.com' },
      ]);
      expect(iamMock.calls()).toHaveLength(1);
    });

    it('answers not_found when IAM says there is no login profile', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock
        .on(DeleteLoginProfileCommand)
        .rejects(
          new NoSuchEntityException({ message: 'Login Profile for User alice cannot be found.', $metadata: {} }),
        );

      await expect(gateway.deleteLoginProfile('alice')).resolves.toBe('not_found');
      expect(iamMock.commandCalls(DeleteLoginProfileCommand)).toHaveLength(1);
    });

    it('says a denial may be the exemption guard of the README policy', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(DeleteLoginProfileCommand).rejects(
        new IAMServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          message:
            'User: arn:aws:iam::123456789012:user/mfa-guard is not authorized to perform: iam:DeleteLoginProfile on ' +
            'resource: user alice with an explicit deny in an identity-based policy',
          $metadata: { httpStatusCode: 403 },
        }),
      );

      const error = await appErrorOf(gateway.deleteLoginProfile('alice'));
      expect(error.code).toBe('iam_access_denied');
      expect(error.message).toMatch(
        /^AWS denied iam:DeleteLoginProfile for user alice \(AccessDenied\)\. AWS said: ".*explicit deny/,
      );
      expect(error.hint).toContain('Grant iam:DeleteLoginProfile');
      expect(error.hint).toContain('README');
      expect(error.hint).toContain('mfa-exempt');
      expect(error.hint).toContain('EXEMPT_TAG_KEY');
    });

    it('asks to retry in a few minutes while IAM is still changing the user', async () => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(DeleteLoginProfileCommand).rejects(
        new EntityTemporarilyUnmodifiableException({
          message: 'Login Profile for User alice cannot be modified while login profile is being created.',
          $metadata: {},
        }),
      );

      const error = await appErrorOf(gateway.deleteLoginProfile('alice'));
      expect(error.code).toBe('iam_throttled');
      expect(error.message).toContain(
        'IAM refused iam:DeleteLoginProfile for user alice for now: the entity is temporarily unmodifiable ' +
          '(EntityTemporarilyUnmodifiableException).',
      );
      expect(error.message).toContain('cannot be modified while login profile is being created');
      expect(error.hint).toContain('console password was just set or changed');
      expect(error.hint).toContain('retry in a few minutes');
    });

    const throttling = new IAMServiceException({
      name: 'Throttling',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: {},
    });
    const limit = new LimitExceededException({ message: 'limit', $metadata: {} });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });

    it.each([
      [
        'throttling',
        throttling,
        'iam_throttled',
        'AWS kept throttling iam:DeleteLoginProfile for user alice (Throttling)',
      ],
      [
        'an account limit',
        limit,
        'iam_limit_exceeded',
        'AWS refused iam:DeleteLoginProfile for user alice because an IAM limit',
      ],
      [
        'a network failure',
        refused,
        'iam_unexpected',
        'could not reach AWS for iam:DeleteLoginProfile for user alice (ECONNREFUSED)',
      ],
    ])('names the action and the user on %s', async (_label, thrown, code, message) => {
      const { gateway, iamMock } = mockedGateway();
      iamMock.on(DeleteLoginProfileCommand).rejects(thrown);

      const error = await appErrorOf(gateway.deleteLoginProfile('alice'));
      expect(error.code).toBe(code);
      expect(error.message).toContain(message);
      expect(error.hint).not.toContain('credential report');
    });
  });
});
