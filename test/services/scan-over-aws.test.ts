import {
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

import { createAwsIamGateway } from '../../src/adapters/aws/iam-gateway';
import { silentLogger } from '../../src/adapters/stderr-logger';
import { EMPTY_OWNERS_FILE } from '../../src/domain/owners';
import type { UserResult } from '../../src/domain/types';
import { scanAccount } from '../../src/services/scan-account';
import { createFakeClock } from '../support/fake-clock';

// The scan service over the real AWS adapter, with the SDK's `send` stubbed by aws-sdk-client-mock:
// the exception paths that change what the scan reports.

const NOW = new Date('2026-11-28T14:00:00Z');
const REPORT_AT = new Date('2026-11-28T11:00:00Z');
const OLD = new Date('2025-01-01T00:00:00Z');
const ACCOUNT = '123456789012';

const awsError = (name: string, message = name) =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: {} });
const throttling = () => awsError('Throttling', 'Rate exceeded');
const accessDenied = (action: string) =>
  awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/scanner is not authorized to perform: ${action}`);

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active';
const row = (name: string, password: boolean, mfa: boolean) =>
  `${name},arn:aws:iam::${ACCOUNT}:user/${name},${OLD.toISOString().replace('.000Z', '+00:00')},${password},N/A,N/A,N/A,${mfa}`;

const setup = (options: { maxAttempts?: number } = {}) => {
  const credentials = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'not-a-real-secret' };
  const iam = new IAMClient({
    region: 'us-east-1',
    credentials,
    maxAttempts: options.maxAttempts ?? 1,
    retryMode: 'standard',
  });
  const sts = new STSClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
  const iamMock = mockClient(iam);
  const stsMock = mockClient(sts);
  stsMock
    .on(GetCallerIdentityCommand)
    .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/scanner`, UserId: 'AIDASCANNER' });
  iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1 } });
  iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-prod'], IsTruncated: false });
  iamMock.on(ListUserTagsCommand).resolves({ Tags: [], IsTruncated: false });
  const users = (...names: string[]) =>
    iamMock.on(ListUsersCommand).resolves({
      Users: names.map((n) => ({
        UserName: n,
        UserId: `AIDA${n.toUpperCase()}`,
        Arn: `arn:aws:iam::${ACCOUNT}:user/${n}`,
        Path: '/',
        CreateDate: OLD,
      })),
      IsTruncated: false,
    });
  const report = (...rows: string[]) =>
    iamMock.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(
        [HEADER, row('<root_account>', false, true).replace(',false,', ',not_supported,'), ...rows].join('\n'),
      ),
      GeneratedTime: REPORT_AT,
      ReportFormat: 'text/csv',
    });
  const live = (name: string, hasPassword: boolean, mfaDevices: number) => {
    if (hasPassword)
      iamMock
        .on(GetLoginProfileCommand, { UserName: name })
        .resolves({ LoginProfile: { UserName: name, CreateDate: OLD } });
    else
      iamMock
        .on(GetLoginProfileCommand, { UserName: name })
        .rejects(
          new NoSuchEntityException({ message: `Login Profile for User ${name} cannot be found.`, $metadata: {} }),
        );
    iamMock.on(ListMFADevicesCommand, { UserName: name }).resolves({
      MFADevices: Array.from({ length: mfaDevices }, (_, i) => ({
        UserName: name,
        SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/${name}-${i}`,
        EnableDate: OLD,
      })),
      IsTruncated: false,
    });
  };
  const run = () =>
    scanAccount(
      {
        iam: createAwsIamGateway({ iam, sts }),
        clock: createFakeClock(NOW),
        logger: silentLogger,
        ownersFile: EMPTY_OWNERS_FILE,
        openFindings: async () => [],
        lastFixed: async () => [],
        keepAlive: async () => {},
      },
      {
        gracePeriodHours: 24,
        exemptTagKey: 'mfa-exempt',
        ownerTagKeys: ['slack-owner'],
        reopenWindowDays: 7,
        concurrency: 4,
        reportTimeoutMs: 10_000,
      },
    );
  return { iamMock, stsMock, users, report, live, run };
};

const byName = (users: readonly UserResult[]) => new Map(users.map((u) => [u.userName, u]));
const liveCallsFor = (mock: ReturnType<typeof setup>['iamMock'], name: string) =>
  [...mock.commandCalls(GetLoginProfileCommand), ...mock.commandCalls(ListMFADevicesCommand)].filter(
    (c) => c.args[0].input.UserName === name,
  ).length;

describe('scan over the AWS adapter', () => {
  it('never reports a user from a stale report: an offender in the report is re-checked live', async () => {
    const { iamMock, users, report, live, run } = setup();
    users('fixed-since', 'still-bad', 'fine');
    report(row('fixed-since', true, false), row('still-bad', true, false), row('fine', true, true));
    live('fixed-since', true, 1); // enabled MFA after the report was generated
    live('still-bad', true, 0);
    const scan = await run();
    const result = byName(scan.users);
    expect(result.get('fixed-since')).toMatchObject({ status: 'compliant', source: 'live' });
    expect(result.get('still-bad')).toMatchObject({ status: 'non_compliant', source: 'live' });
    expect(result.get('fine')).toMatchObject({ status: 'compliant', source: 'report', checkedAt: REPORT_AT });
    expect(liveCallsFor(iamMock, 'fine')).toBe(0);
    expect(scan.strategy.name).toBe('credential-report');
  });

  it('removed the password after the report: NoSuchEntity from GetLoginProfile means no console', async () => {
    const { users, report, live, run } = setup();
    users('was-bad');
    report(row('was-bad', true, false));
    live('was-bad', false, 0);
    expect(byName((await run()).users).get('was-bad')).toMatchObject({ status: 'no_console', source: 'live' });
  });

  it('checks users missing from the report (created after it) live', async () => {
    const { iamMock, users, report, live, run } = setup();
    users('old', 'newbie');
    report(row('old', false, false));
    live('newbie', true, 0);
    const result = byName((await run()).users);
    expect(result.get('old')).toMatchObject({ status: 'no_console', source: 'report' });
    expect(result.get('newbie')).toMatchObject({ status: 'non_compliant', source: 'live' });
    expect(liveCallsFor(iamMock, 'newbie')).toBe(2);
  });

  it('checks a user whose report row cannot be trusted (unquoted comma in the name) live', async () => {
    const { users, report, live, run } = setup();
    users('a,b', 'ok');
    report(
      `a,b,arn:aws:iam::${ACCOUNT}:user/a,b,${OLD.toISOString()},false,N/A,N/A,N/A,false`,
      row('ok', false, false),
    );
    live('a,b', true, 0);
    const scan = await run();
    expect(byName(scan.users).get('a,b')).toMatchObject({ status: 'non_compliant', source: 'live' });
    expect(scan.issues.map((i) => i.code)).toEqual(['report_row_untrusted']);
  });

  it('falls back to per-user checks when GenerateCredentialReport is denied', async () => {
    const { iamMock, users, live, run } = setup();
    iamMock.on(GenerateCredentialReportCommand).rejects(accessDenied('iam:GenerateCredentialReport'));
    users('alice', 'bob');
    live('alice', true, 0);
    live('bob', true, 2);
    const scan = await run();
    expect(scan.strategy).toEqual({
      name: 'per-user',
      reason: expect.stringContaining('iam:GenerateCredentialReport'),
    });
    expect(scan.users.map((u) => [u.userName, u.status, u.source])).toEqual([
      ['alice', 'non_compliant', 'live'],
      ['bob', 'compliant', 'live'],
    ]);
    expect(scan.root).toEqual({ accountId: ACCOUNT, mfaActive: true, source: 'live' });
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
  });

  it('falls back when GetCredentialReport is denied', async () => {
    const { iamMock, users, live, run } = setup();
    iamMock.on(GetCredentialReportCommand).rejects(accessDenied('iam:GetCredentialReport'));
    users('alice');
    live('alice', true, 0);
    expect((await run()).strategy.name).toBe('per-user');
  });

  it("one user failing (AccessDenied) becomes that user's error; the scan goes on", async () => {
    const { iamMock, users, report, live, run } = setup();
    users('locked', 'alice', 'bob');
    report(row('locked', true, false), row('alice', true, false), row('bob', true, false));
    iamMock.on(GetLoginProfileCommand, { UserName: 'locked' }).rejects(accessDenied('iam:GetLoginProfile'));
    live('alice', true, 0);
    live('bob', true, 1);
    const result = byName((await run()).users);
    expect(result.get('locked')).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AWS denied iam:GetLoginProfile for user locked'),
    });
    expect(result.get('alice')?.status).toBe('non_compliant');
    expect(result.get('bob')?.status).toBe('compliant');
  });

  it('throttling that outlasts the retries fails only that user', async () => {
    const { iamMock, users, report, live, run } = setup({ maxAttempts: 1 });
    users('busy', 'alice');
    report(row('busy', true, false), row('alice', true, false));
    live('alice', true, 0);
    iamMock.on(GetLoginProfileCommand, { UserName: 'busy' }).rejects(throttling());
    const result = byName((await run()).users);
    expect(result.get('busy')).toMatchObject({ status: 'error', reason: expect.stringContaining('throttling') });
    expect(result.get('alice')?.status).toBe('non_compliant');
  });

  // That the SDK retries throttling at all is shown over HTTP in test/adapters/aws/endpoint.e2e.test.ts:
  // aws-sdk-client-mock stubs `send`, below the retry middleware.

  it('a user whose tags cannot be read is an error, not a guess about exemption', async () => {
    const { iamMock, users, report, live, run } = setup();
    users('alice');
    report(row('alice', true, false));
    live('alice', true, 0);
    iamMock.on(ListUserTagsCommand, { UserName: 'alice' }).rejects(accessDenied('iam:ListUserTags'));
    expect(byName((await run()).users).get('alice')).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('iam:ListUserTags'),
    });
  });

  it('an identity failure stops the scan: nothing is reported about anyone', async () => {
    const { stsMock, users, run } = setup();
    users('alice');
    stsMock
      .on(GetCallerIdentityCommand)
      .rejects(awsError('ExpiredToken', 'The security token included in the request is expired'));
    await expect(run()).rejects.toMatchObject({
      code: 'iam_access_denied',
      message: expect.stringContaining('sts:GetCallerIdentity'),
    });
  });

  it('a ListUsers failure stops the scan', async () => {
    const { iamMock, report, run } = setup();
    report(row('alice', true, false));
    iamMock.on(ListUsersCommand).rejects(accessDenied('iam:ListUsers'));
    await expect(run()).rejects.toMatchObject({
      code: 'iam_access_denied',
      message: expect.stringContaining('iam:ListUsers'),
    });
  });
});
