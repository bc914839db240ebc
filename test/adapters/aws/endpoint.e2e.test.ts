/**
 * No mocks: real SDK clients talk HTTP to local stand-ins for IAM and STS. Proves that
 * AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL_STS (iamEndpoint / stsEndpoint) reach the wire, that
 * requests are signed for the right service, and how real Query-protocol responses decode.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type AwsClients, createAwsClients, createAwsIamGateway } from '../../../src/adapters/aws/iam-gateway';
import { appErrorOf } from './mocked-gateway';

interface SeenRequest {
  readonly method: string | undefined;
  readonly action: string | null;
  readonly userName: string | null;
  readonly authorization: string;
}

type Responder = (action: string | null) => { status: number; xml: string };

interface FakeService {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
};

const startFakeService = async (respond: Responder): Promise<FakeService> => {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void readBody(req).then((body) => {
      const params = new URLSearchParams(body);
      const action = params.get('Action');
      seen.push({
        method: req.method,
        action,
        userName: params.get('UserName'),
        authorization: req.headers.authorization ?? '',
      });
      const { status, xml } = respond(action);
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const { port }: AddressInfo = address;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};

const CSV = 'user,arn,password_enabled\njürgen,arn:aws:iam::123456789012:user/jürgen,true\n';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const meta = '<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>';

const iamResponder: Responder = (action) => {
  switch (action) {
    case 'ListUsers':
      return {
        status: 200,
        xml: `<ListUsersResponse xmlns="${IAM_NS}"><ListUsersResult><IsTruncated>false</IsTruncated><Users><member>
<UserId>AIDAJURGEN</UserId><Path>/staff/</Path><UserName>jürgen</UserName>
<Arn>arn:aws:iam::123456789012:user/staff/jürgen</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate>
<PasswordLastUsed>2024-06-01T00:00:00Z</PasswordLastUsed></member></Users></ListUsersResult>${meta}</ListUsersResponse>`,
      };
    case 'GetCredentialReport':
      return {
        status: 200,
        xml: `<GetCredentialReportResponse xmlns="${IAM_NS}"><GetCredentialReportResult>
<Content>${Buffer.from(CSV, 'utf8').toString('base64')}</Content><ReportFormat>text/csv</ReportFormat>
<GeneratedTime>2024-06-02T10:00:00Z</GeneratedTime></GetCredentialReportResult>${meta}</GetCredentialReportResponse>`,
      };
    default:
      return {
        status: 403,
        xml: `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code>
<Message>User: arn:aws:iam::123456789012:user/scanner is not authorized to perform: iam:${action ?? '?'}</Message>
</Error><RequestId>req-denied</RequestId></ErrorResponse>`,
      };
  }
};

const stsResponder: Responder = (action) =>
  action === 'GetCallerIdentity'
    ? {
        status: 200,
        xml: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws-us-gov:iam::123456789012:user/scanner</Arn><UserId>AIDASCANNER</UserId><Account>123456789012</Account>
</GetCallerIdentityResult>${meta}</GetCallerIdentityResponse>`,
      }
    : { status: 400, xml: '<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>' };

const credentials = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'not-a-real-secret' };

describe('AWS endpoint overrides, end to end over HTTP', () => {
  let iamService: FakeService;
  let stsService: FakeService;
  let clients: AwsClients;

  beforeAll(async () => {
    iamService = await startFakeService(iamResponder);
    stsService = await startFakeService(stsResponder);
    clients = createAwsClients({
      region: 'us-east-1',
      iamEndpoint: iamService.url,
      stsEndpoint: stsService.url,
      maxAttempts: 1,
      credentials,
    });
  });

  afterAll(async () => {
    clients.iam.destroy();
    clients.sts.destroy();
    await Promise.all([iamService.close(), stsService.close()]);
  });

  it('sends IAM calls to iamEndpoint and STS calls to stsEndpoint, signed for each service', async () => {
    const gateway = createAwsIamGateway(clients);

    await expect(gateway.listUsers()).resolves.toEqual([
      {
        userName: 'jürgen',
        userId: 'AIDAJURGEN',
        arn: 'arn:aws:iam::123456789012:user/staff/jürgen',
        path: '/staff/',
        createDate: new Date('2024-01-02T03:04:05Z'),
        passwordLastUsed: new Date('2024-06-01T00:00:00Z'),
      },
    ]);
    await expect(gateway.getCallerIdentity()).resolves.toEqual({
      accountId: '123456789012',
      arn: 'arn:aws-us-gov:iam::123456789012:user/scanner',
      partition: 'aws-us-gov',
    });

    expect(iamService.seen.map((r) => [r.method, r.action])).toEqual([['POST', 'ListUsers']]);
    expect(stsService.seen.map((r) => [r.method, r.action])).toEqual([['POST', 'GetCallerIdentity']]);
    expect(iamService.seen[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\/\d{8}\/us-east-1\/iam\/aws4_request/,
    );
    expect(stsService.seen[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\/\d{8}\/us-east-1\/sts\/aws4_request/,
    );
  });

  it('gets the credential report text exactly once-decoded from the real base64 wire format', async () => {
    const report = await createAwsIamGateway(clients).getCredentialReport();

    expect(report).toEqual({ content: CSV, generatedAt: new Date('2024-06-02T10:00:00Z') });
  });

  it('maps a real AccessDenied error response', async () => {
    const error = await appErrorOf(createAwsIamGateway(clients).getLoginProfile('jürgen'));

    expect(error.code).toBe('iam_access_denied');
    expect(error.message).toContain('AWS denied iam:GetLoginProfile for user jürgen (AccessDenied).');
    expect(error.message).toContain('is not authorized to perform: iam:GetLoginProfile');
  });

  it('reports an unreachable endpoint as a network problem', async () => {
    const closed = await startFakeService(iamResponder);
    await closed.close();
    const unreachable = createAwsClients({ region: 'us-east-1', iamEndpoint: closed.url, maxAttempts: 1, credentials });
    try {
      const error = await appErrorOf(createAwsIamGateway(unreachable).listUsers());
      expect(error.code).toBe('iam_unexpected');
      expect(error.message).toContain('could not reach AWS for iam:ListUsers (ECONNREFUSED)');
      expect(error.hint).toContain('AWS_ENDPOINT_URL_IAM');
    } finally {
      unreachable.iam.destroy();
      unreachable.sts.destroy();
    }
  });
});

describe('throttling over HTTP (the SDK retry layer, which aws-sdk-client-mock bypasses)', () => {
  const throttled = {
    status: 400,
    xml: `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-throttled</RequestId></ErrorResponse>`,
  };

  it.each([
    [3, 1, 'resolves'],
    [1, 1, 'iam_throttled'],
    [2, 5, 'iam_throttled'],
  ])(
    'maxAttempts %i with %i throttled answer(s) first: %s',
    async (maxAttempts, throttledAnswers, expected) => {
      let left = throttledAnswers;
      const service = await startFakeService((action) => {
        if (left > 0) {
          left -= 1;
          return throttled;
        }
        return iamResponder(action);
      });
      const throttledClients = createAwsClients({
        region: 'us-east-1',
        iamEndpoint: service.url,
        maxAttempts,
        credentials,
      });
      try {
        const call = createAwsIamGateway(throttledClients).listUsers();
        if (expected === 'resolves') {
          await expect(call).resolves.toHaveLength(1);
          expect(service.seen).toHaveLength(throttledAnswers + 1);
        } else {
          const error = await appErrorOf(call);
          expect(error.code).toBe(expected);
          expect(error.message).toContain('AWS kept throttling iam:ListUsers');
          expect(service.seen).toHaveLength(maxAttempts);
        }
      } finally {
        throttledClients.iam.destroy();
        throttledClients.sts.destroy();
        await service.close();
      }
    },
    30_000,
  );
});

describe('DeleteLoginProfile over HTTP', () => {
  const iamErrorXml = (status: number, code: string, message: string) => ({
    status,
    xml: `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-x</RequestId></ErrorResponse>`,
  });

  const withService = async (answer: Responder, test: (service: FakeService, clients: AwsClients) => Promise<void>) => {
    const service = await startFakeService(answer);
    const stsService = await startFakeService(stsResponder);
    const deleteClients = createAwsClients({
      region: 'us-east-1',
      iamEndpoint: service.url,
      stsEndpoint: stsService.url,
      maxAttempts: 1,
      credentials,
    });
    try {
      await test(service, deleteClients);
    } finally {
      deleteClients.iam.destroy();
      deleteClients.sts.destroy();
      await Promise.all([service.close(), stsService.close()]);
    }
  };

  it('goes to AWS_ENDPOINT_URL_IAM (iamEndpoint) with the user name, signed for IAM', async () => {
    const answer: Responder = (action) =>
      action === 'DeleteLoginProfile'
        ? { status: 200, xml: `<DeleteLoginProfileResponse xmlns="${IAM_NS}">${meta}</DeleteLoginProfileResponse>` }
        : iamResponder(action);

    await withService(answer, async (service, deleteClients) => {
      await expect(createAwsIamGateway(deleteClients).deleteLoginProfile('jürgen')).resolves.toBe('deleted');

      expect(service.seen.map((r) => [r.method, r.action, r.userName])).toEqual([
        ['POST', 'DeleteLoginProfile', 'jürgen'],
      ]);
      expect(service.seen[0]?.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDTESTONLY\/\d{8}\/us-east-1\/iam\/aws4_request/,
      );
    });
  });

  it('answers not_found for a real NoSuchEntity error response', async () => {
    const answer: Responder = () => iamErrorXml(404, 'NoSuchEntity', 'Login Profile for User jürgen cannot be found.');

    await withService(answer, async (service, deleteClients) => {
      await expect(createAwsIamGateway(deleteClients).deleteLoginProfile('jürgen')).resolves.toBe('not_found');
      expect(service.seen).toHaveLength(1);
    });
  });

  it('maps a real EntityTemporarilyUnmodifiable error response to a retry-later error', async () => {
    const answer: Responder = () =>
      iamErrorXml(409, 'EntityTemporarilyUnmodifiable', 'Login Profile for User jürgen cannot be modified right now.');

    await withService(answer, async (_service, deleteClients) => {
      const error = await appErrorOf(createAwsIamGateway(deleteClients).deleteLoginProfile('jürgen'));
      expect(error.code).toBe('iam_throttled');
      expect(error.message).toContain('IAM refused iam:DeleteLoginProfile for user jürgen for now');
      expect(error.message).toContain('cannot be modified right now');
    });
  });

  it('maps a real AccessDenied error response and hints at the exemption deny', async () => {
    await withService(iamResponder, async (_service, deleteClients) => {
      const error = await appErrorOf(createAwsIamGateway(deleteClients).deleteLoginProfile('jürgen'));
      expect(error.code).toBe('iam_access_denied');
      expect(error.message).toContain('AWS denied iam:DeleteLoginProfile for user jürgen (AccessDenied).');
      expect(error.hint).toContain('mfa-exempt');
    });
  });
});
