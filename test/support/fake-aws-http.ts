import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small AWS-compatible IAM + STS endpoint (Query protocol, XML) on 127.0.0.1, for running the
 * real CLI and SDK against AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL_STS. It answers exactly the
 * actions the scan needs; anything else is AccessDenied, like a least-privilege role.
 */
export interface FakeUser {
  readonly name: string;
  readonly created: string;
  readonly password: boolean;
  readonly mfa: number;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface FakeAws {
  readonly url: string;
  readonly actions: string[];
  close(): Promise<void>;
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const ACCOUNT = '210987654321';

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ok = (action: string, result: string): string =>
  `<${action}Response xmlns="${IAM_NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`;
const fail = (code: string, message: string): string =>
  `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`;

const reportCsv = (users: readonly FakeUser[], reportMfa: (u: FakeUser) => boolean): string =>
  [
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active',
    `<root_account>,arn:aws:iam::${ACCOUNT}:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true`,
    ...users.map(
      (u) =>
        `${u.name},arn:aws:iam::${ACCOUNT}:user/${u.name},${u.created.replace('Z', '+00:00')},${u.password},N/A,N/A,N/A,${reportMfa(u)}`,
    ),
  ].join('\n');

const respond = (
  users: readonly FakeUser[],
  form: URLSearchParams,
  denied: ReadonlySet<string>,
): { status: number; body: string } => {
  const action = form.get('Action') ?? '';
  if (denied.has(action))
    return { status: 403, body: fail('AccessDenied', `not authorized to perform: iam:${action}`) };
  const user = users.find((u) => u.name === form.get('UserName'));
  const member = (u: FakeUser) =>
    `<member><UserId>AIDA${u.name.toUpperCase().replace(/[^A-Z0-9]/g, '')}</UserId><Path>/</Path><UserName>${esc(u.name)}</UserName><Arn>arn:aws:iam::${ACCOUNT}:user/${esc(u.name)}</Arn><CreateDate>${u.created}</CreateDate></member>`;
  switch (action) {
    case 'GetCallerIdentity':
      return {
        status: 200,
        body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/scanner</Arn><UserId>AIDASCANNER</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      };
    case 'GenerateCredentialReport':
      return { status: 200, body: ok(action, '<State>COMPLETE</State>') };
    case 'GetCredentialReport': {
      // The report claims every user has MFA off: the scan must confirm each one live.
      const csv = reportCsv(users, () => false);
      return {
        status: 200,
        body: ok(
          action,
          `<Content>${Buffer.from(csv).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-28T11:00:00Z</GeneratedTime>`,
        ),
      };
    }
    case 'ListUsers':
      return {
        status: 200,
        body: ok(action, `<IsTruncated>false</IsTruncated><Users>${users.map(member).join('')}</Users>`),
      };
    case 'GetLoginProfile':
      if (!user?.password)
        return {
          status: 404,
          body: fail('NoSuchEntity', `Login Profile for User ${form.get('UserName') ?? ''} cannot be found.`),
        };
      return {
        status: 200,
        body: ok(
          action,
          `<LoginProfile><UserName>${esc(user.name)}</UserName><CreateDate>${user.created}</CreateDate><PasswordResetRequired>false</PasswordResetRequired></LoginProfile>`,
        ),
      };
    case 'ListMFADevices': {
      if (!user) return { status: 404, body: fail('NoSuchEntity', 'no such user') };
      const devices = Array.from(
        { length: user.mfa },
        (_, i) =>
          `<member><UserName>${esc(user.name)}</UserName><SerialNumber>arn:aws:iam::${ACCOUNT}:mfa/${esc(user.name)}-${i}</SerialNumber><EnableDate>${user.created}</EnableDate></member>`,
      );
      return {
        status: 200,
        body: ok(action, `<IsTruncated>false</IsTruncated><MFADevices>${devices.join('')}</MFADevices>`),
      };
    }
    case 'ListUserTags': {
      if (!user) return { status: 404, body: fail('NoSuchEntity', 'no such user') };
      const tags = Object.entries(user.tags ?? {}).map(
        ([k, v]) => `<member><Key>${esc(k)}</Key><Value>${esc(v)}</Value></member>`,
      );
      return { status: 200, body: ok(action, `<IsTruncated>false</IsTruncated><Tags>${tags.join('')}</Tags>`) };
    }
    case 'ListAccountAliases':
      return {
        status: 200,
        body: ok(
          action,
          '<IsTruncated>false</IsTruncated><AccountAliases><member>acme-staging</member></AccountAliases>',
        ),
      };
    case 'GetAccountSummary':
      return {
        status: 200,
        body: ok(action, '<SummaryMap><entry><key>AccountMFAEnabled</key><value>1</value></entry></SummaryMap>'),
      };
    default:
      return { status: 403, body: fail('AccessDenied', `not authorized to perform: iam:${action}`) };
  }
};

export const startFakeAws = async (
  users: readonly FakeUser[],
  options: { deny?: readonly string[] } = {},
): Promise<FakeAws> => {
  const actions: string[] = [];
  const denied = new Set(options.deny ?? []);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      actions.push(form.get('Action') ?? '?');
      const { status, body } = respond(users, form, denied);
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake AWS endpoint has no TCP port');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}`,
    actions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
