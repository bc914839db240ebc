/**
 * Every exception each command documents (the @throws list in the SDK's
 * dist-types/commands/*Command.d.ts for 3.1169.0), plus the errors AWS returns for any API.
 */
import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  DeleteLoginProfileCommand,
  EntityTemporarilyUnmodifiableException,
  GenerateCredentialReportCommand,
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
import { ExpiredTokenException, GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';

import type { AppErrorCode } from '../../../src/errors';
import type { IamGateway } from '../../../src/ports/iam';
import { appErrorOf, mockedGateway } from './mocked-gateway';

type Mocks = Omit<ReturnType<typeof mockedGateway>, 'gateway'>;

interface Operation {
  readonly action: string;
  readonly userName?: string;
  readonly invoke: (gateway: IamGateway) => Promise<unknown>;
  readonly reject: (mocks: Mocks, error: Error) => void;
}

const OPERATIONS = {
  getCallerIdentity: {
    action: 'sts:GetCallerIdentity',
    invoke: (g) => g.getCallerIdentity(),
    reject: (m, e) => m.stsMock.on(GetCallerIdentityCommand).rejects(e),
  },
  generateCredentialReport: {
    action: 'iam:GenerateCredentialReport',
    invoke: (g) => g.generateCredentialReport(),
    reject: (m, e) => m.iamMock.on(GenerateCredentialReportCommand).rejects(e),
  },
  getCredentialReport: {
    action: 'iam:GetCredentialReport',
    invoke: (g) => g.getCredentialReport(),
    reject: (m, e) => m.iamMock.on(GetCredentialReportCommand).rejects(e),
  },
  listUsers: {
    action: 'iam:ListUsers',
    invoke: (g) => g.listUsers(),
    reject: (m, e) => m.iamMock.on(ListUsersCommand).rejects(e),
  },
  getUser: {
    action: 'iam:GetUser',
    userName: 'alice',
    invoke: (g) => g.getUser('alice'),
    reject: (m, e) => m.iamMock.on(GetUserCommand).rejects(e),
  },
  getLoginProfile: {
    action: 'iam:GetLoginProfile',
    userName: 'alice',
    invoke: (g) => g.getLoginProfile('alice'),
    reject: (m, e) => m.iamMock.on(GetLoginProfileCommand).rejects(e),
  },
  listMfaDevices: {
    action: 'iam:ListMFADevices',
    userName: 'alice',
    invoke: (g) => g.listMfaDevices('alice'),
    reject: (m, e) => m.iamMock.on(ListMFADevicesCommand).rejects(e),
  },
  listUserTags: {
    action: 'iam:ListUserTags',
    userName: 'alice',
    invoke: (g) => g.listUserTags('alice'),
    reject: (m, e) => m.iamMock.on(ListUserTagsCommand).rejects(e),
  },
  getAccountSummary: {
    action: 'iam:GetAccountSummary',
    invoke: (g) => g.getAccountSummary(),
    reject: (m, e) => m.iamMock.on(GetAccountSummaryCommand).rejects(e),
  },
  listAccountAliases: {
    action: 'iam:ListAccountAliases',
    invoke: (g) => g.listAccountAliases(),
    reject: (m, e) => m.iamMock.on(ListAccountAliasesCommand).rejects(e),
  },
  deleteLoginProfile: {
    action: 'iam:DeleteLoginProfile',
    userName: 'alice',
    invoke: (g) => g.deleteLoginProfile('alice'),
    reject: (m, e) => m.iamMock.on(DeleteLoginProfileCommand).rejects(e),
  },
} satisfies Record<string, Operation>;

type OperationName = keyof typeof OPERATIONS;
const OPERATION_NAMES = Object.keys(OPERATIONS).filter((name): name is OperationName => name in OPERATIONS);

const meta = { message: 'from AWS', $metadata: { httpStatusCode: 400, requestId: 'req-1' } };
const iamError =
  (name: string, fault: 'client' | 'server' = 'client') =>
  () =>
    new IAMServiceException({ name, $fault: fault, ...meta });
const stsError = (name: string) => () => new STSServiceException({ name, $fault: 'client', ...meta });

const noSuchEntity = () => new NoSuchEntityException(meta);
const serviceFailure = () => new ServiceFailureException(meta);

/** An AppErrorCode the call fails with, or the value it resolves to instead of failing. */
type Expected = AppErrorCode | { readonly resolves: unknown };
const NULL = { resolves: null };
const NOT_FOUND = { resolves: 'not_found' };

const DOCUMENTED: ReadonlyArray<readonly [OperationName, string, () => Error, Expected]> = [
  ['getCallerIdentity', 'STSServiceException (unmodelled)', stsError('SomethingNew'), 'iam_unexpected'],

  ['generateCredentialReport', 'LimitExceededException', () => new LimitExceededException(meta), 'iam_limit_exceeded'],
  ['generateCredentialReport', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['generateCredentialReport', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  [
    'getCredentialReport',
    'CredentialReportExpiredException',
    () => new CredentialReportExpiredException(meta),
    'iam_report_expired',
  ],
  [
    'getCredentialReport',
    'CredentialReportNotPresentException',
    () => new CredentialReportNotPresentException(meta),
    'iam_report_not_present',
  ],
  [
    'getCredentialReport',
    'CredentialReportNotReadyException',
    () => new CredentialReportNotReadyException(meta),
    'iam_report_not_ready',
  ],
  ['getCredentialReport', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['getCredentialReport', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  ['listUsers', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['listUsers', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  ['getUser', 'NoSuchEntityException', noSuchEntity, NULL],
  ['getUser', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['getUser', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  ['getLoginProfile', 'NoSuchEntityException', noSuchEntity, NULL],
  ['getLoginProfile', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['getLoginProfile', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  ['listMfaDevices', 'NoSuchEntityException', noSuchEntity, 'iam_no_such_entity'],
  ['listMfaDevices', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['listMfaDevices', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  ['listUserTags', 'NoSuchEntityException', noSuchEntity, 'iam_no_such_entity'],
  ['listUserTags', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['listUserTags', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  ['getAccountSummary', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['getAccountSummary', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  ['listAccountAliases', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['listAccountAliases', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],

  // Retrying later works, as after throttling: same code, so the same retry handling applies.
  [
    'deleteLoginProfile',
    'EntityTemporarilyUnmodifiableException',
    () => new EntityTemporarilyUnmodifiableException(meta),
    'iam_throttled',
  ],
  [
    'deleteLoginProfile',
    'EntityTemporarilyUnmodifiable (wire code)',
    iamError('EntityTemporarilyUnmodifiable'),
    'iam_throttled',
  ],
  ['deleteLoginProfile', 'LimitExceededException', () => new LimitExceededException(meta), 'iam_limit_exceeded'],
  ['deleteLoginProfile', 'NoSuchEntityException', noSuchEntity, NOT_FOUND],
  ['deleteLoginProfile', 'ServiceFailureException', serviceFailure, 'iam_service_failure'],
  ['deleteLoginProfile', 'IAMServiceException (unmodelled)', iamError('SomethingNew'), 'iam_unexpected'],
];

const withCode =
  (code: string, message = 'from node') =>
  () =>
    Object.assign(new Error(message), { code });
const named =
  (name: string, message = 'from the SDK') =>
  () =>
    Object.assign(new Error(message), { name });

/** Errors any IAM/STS call can hit whatever its model says: auth, throttling, validation, network. */
const CROSS_CUTTING: ReadonlyArray<readonly [string, () => Error, AppErrorCode]> = [
  ['AccessDenied', iamError('AccessDenied'), 'iam_access_denied'],
  ['AccessDeniedException', iamError('AccessDeniedException'), 'iam_access_denied'],
  ['UnauthorizedOperation', iamError('UnauthorizedOperation'), 'iam_access_denied'],
  ['ExpiredToken', iamError('ExpiredToken'), 'iam_access_denied'],
  ['ExpiredTokenException (STS model)', () => new ExpiredTokenException(meta), 'iam_access_denied'],
  ['InvalidClientTokenId', iamError('InvalidClientTokenId'), 'iam_access_denied'],
  ['SignatureDoesNotMatch', iamError('SignatureDoesNotMatch'), 'iam_access_denied'],
  [
    'CredentialsProviderError',
    named('CredentialsProviderError', 'Could not load credentials from any providers'),
    'iam_access_denied',
  ],
  ['Throttling', iamError('Throttling'), 'iam_throttled'],
  ['ThrottlingException', iamError('ThrottlingException'), 'iam_throttled'],
  ['RequestLimitExceeded', iamError('RequestLimitExceeded'), 'iam_throttled'],
  ['TooManyRequestsException', iamError('TooManyRequestsException'), 'iam_throttled'],
  ['LimitExceeded', iamError('LimitExceeded'), 'iam_limit_exceeded'],
  ['ServiceFailure (wire code)', iamError('ServiceFailure', 'server'), 'iam_service_failure'],
  ['NoSuchEntity (wire code)', iamError('NoSuchEntity'), 'iam_no_such_entity'],
  ['InvalidInput', iamError('InvalidInput'), 'iam_invalid_request'],
  ['InvalidInputException', iamError('InvalidInputException'), 'iam_invalid_request'],
  ['ValidationError', iamError('ValidationError'), 'iam_invalid_request'],
  ['ECONNREFUSED', withCode('ECONNREFUSED'), 'iam_unexpected'],
  ['ENOTFOUND', withCode('ENOTFOUND'), 'iam_unexpected'],
  ['TimeoutError', named('TimeoutError'), 'iam_unexpected'],
  ['a plain Error', () => new Error('weird'), 'iam_unexpected'],
];

/** Operations for which NoSuchEntity is an answer, not an error. */
const ANSWER_ON_MISSING = { getUser: null, getLoginProfile: null, deleteLoginProfile: 'not_found' } as const;
const answersOnMissing = (name: string): name is keyof typeof ANSWER_ON_MISSING => name in ANSWER_ON_MISSING;

describe('documented exceptions of each command', () => {
  it.each(DOCUMENTED)('%s: %s', async (operationName, _label, makeError, expected) => {
    const operation: Operation = OPERATIONS[operationName];
    const { gateway, ...mocks } = mockedGateway();
    const thrown = makeError();
    operation.reject(mocks, thrown);

    if (typeof expected === 'object') {
      await expect(operation.invoke(gateway)).resolves.toBe(expected.resolves);
      return;
    }
    const error = await appErrorOf(operation.invoke(gateway));
    expect(error.code).toBe(expected);
    expect(error.message).toContain(operation.action);
    if (operation.userName !== undefined) expect(error.message).toContain(operation.userName);
    expect(error.hint).toEqual(expect.any(String));
    expect(error.cause).toBe(thrown);
  });

  it('covers every operation of the port', () => {
    expect(new Set(DOCUMENTED.map(([name]) => name))).toEqual(new Set(OPERATION_NAMES));
  });
});

describe('errors any call can hit', () => {
  const rows = OPERATION_NAMES.flatMap((operationName) =>
    CROSS_CUTTING.filter(([label]) => !(answersOnMissing(operationName) && label.startsWith('NoSuchEntity'))).map(
      ([label, makeError, expected]) => [operationName, label, makeError, expected] as const,
    ),
  );

  it.each(rows)('%s: %s', async (operationName, _label, makeError, expected) => {
    const operation: Operation = OPERATIONS[operationName];
    const { gateway, ...mocks } = mockedGateway();
    const thrown = makeError();
    operation.reject(mocks, thrown);

    const error = await appErrorOf(operation.invoke(gateway));
    expect(error.code).toBe(expected);
    expect(error.message).toContain(operation.action);
    if (operation.userName !== undefined) expect(error.message).toContain(`for user ${operation.userName}`);
    expect(error.cause).toBe(thrown);
  });

  it.each(Object.entries(ANSWER_ON_MISSING))(
    '%s also answers %p for the NoSuchEntity wire code',
    async (name, answer) => {
      if (!answersOnMissing(name)) throw new Error(`unknown operation ${name}`);
      const operation: Operation = OPERATIONS[name];
      const { gateway, ...mocks } = mockedGateway();
      operation.reject(mocks, iamError('NoSuchEntity')());

      await expect(operation.invoke(gateway)).resolves.toBe(answer);
    },
  );
});
