import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small AWS-compatible IAM + STS + Organizations endpoint on 127.0.0.1, for running the real CLI
 * and SDK against AWS_ENDPOINT_URL_IAM / _STS / _ORGANIZATIONS (all three may be the same URL). It
 * answers exactly the actions the scan needs; anything else is AccessDenied, like a least-privilege
 * role.
 *
 * Accounts: the ambient one (210987654321, alias acme-staging, the `users` given) answers any
 * credentials it did not issue itself. With `accounts`, sts:AssumeRole into
 * `arn:aws:iam::<id>:role/<any name>` hands out credentials whose access key id names that account
 * (`ASIA<id>X<n>`), and every IAM/STS request signed with them (Credential= in the Authorization
 * header) is answered from that account's own users. organizations:ListAccounts (awsJson1_1,
 * X-Amz-Target AWSOrganizationsV20161128.ListAccounts) lists the ambient account and every
 * account given, `organizationPageSize` a page.
 */
export interface FakeUser {
  readonly name: string;
  readonly created: string;
  readonly password: boolean;
  readonly mfa: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/** One more account, reached through AssumeRole from the ambient credentials. */
export interface FakeAccount {
  readonly accountId: string;
  readonly users: readonly FakeUser[];
  /** Its IAM account alias; none when unset. */
  readonly alias?: string;
  /** Its name in the organization (ListAccounts). */
  readonly name?: string;
  /** Its `State` in ListAccounts; ACTIVE when unset. */
  readonly state?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
  /** Its role's trust policy refuses the ambient credentials: AssumeRole answers AccessDenied. */
  readonly refuseAssumeRole?: boolean;
  /** IAM/STS actions denied in this account, like `deny` for the ambient one. */
  readonly deny?: readonly string[];
}

export interface FakeAwsOptions {
  /** Actions the ambient account denies (e.g. GenerateCredentialReport, ListAccounts). */
  readonly deny?: readonly string[];
  readonly accounts?: readonly FakeAccount[];
  /** Accounts per ListAccounts page (default 2, so that paging is exercised). */
  readonly organizationPageSize?: number;
  /** How long AssumeRole credentials last (default 3600). */
  readonly credentialLifetimeSeconds?: number;
}

/** One request, attributed to the account whose credentials signed it. */
export interface FakeAwsCall {
  readonly accountId: string;
  readonly action: string;
  readonly userName: string | null;
  /** For AssumeRole: what was asked. */
  readonly roleArn?: string | null;
  readonly roleSessionName?: string | null;
  readonly externalId?: string | null;
}

export interface FakeAws {
  readonly url: string;
  /** Every action, in order, whichever account it reached. */
  readonly actions: string[];
  readonly calls: FakeAwsCall[];
  /** The actions that reached `accountId`, in order. */
  actionsIn(accountId: string): string[];
  close(): Promise<void>;
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const FAKE_AMBIENT_ACCOUNT = '210987654321';

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ok = (action: string, result: string): string =>
  `<${action}Response xmlns="${IAM_NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`;
const fail = (code: string, message: string): string =>
  `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`;

/** The IAM state of one account the fake serves. */
interface AccountState {
  readonly accountId: string;
  readonly users: readonly FakeUser[];
  readonly alias: string | null;
  readonly denied: ReadonlySet<string>;
  /** UserIds are unique across accounts in AWS; so they are here. */
  readonly userIdPrefix: string;
}

const reportCsv = (accountId: string, users: readonly FakeUser[], reportMfa: (u: FakeUser) => boolean): string =>
  [
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active',
    `<root_account>,arn:aws:iam::${accountId}:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true`,
    ...users.map(
      (u) =>
        `${u.name},arn:aws:iam::${accountId}:user/${u.name},${u.created.replace('Z', '+00:00')},${u.password},N/A,N/A,N/A,${reportMfa(u)}`,
    ),
  ].join('\n');

const respond = (account: AccountState, form: URLSearchParams, callerArn: string): { status: number; body: string } => {
  const { accountId, users, denied } = account;
  const action = form.get('Action') ?? '';
  if (denied.has(action))
    return { status: 403, body: fail('AccessDenied', `not authorized to perform: iam:${action}`) };
  const user = users.find((u) => u.name === form.get('UserName'));
  const member = (u: FakeUser) =>
    `<member><UserId>${account.userIdPrefix}${u.name.toUpperCase().replace(/[^A-Z0-9]/g, '')}</UserId><Path>/</Path><UserName>${esc(u.name)}</UserName><Arn>arn:aws:iam::${accountId}:user/${esc(u.name)}</Arn><CreateDate>${u.created}</CreateDate></member>`;
  switch (action) {
    case 'GetCallerIdentity':
      return {
        status: 200,
        body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${callerArn}</Arn><UserId>AIDASCANNER</UserId><Account>${accountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      };
    case 'GenerateCredentialReport':
      return { status: 200, body: ok(action, '<State>COMPLETE</State>') };
    case 'GetCredentialReport': {
      // The report claims every user has MFA off: the scan must confirm each one live.
      const csv = reportCsv(accountId, users, () => false);
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
          `<member><UserName>${esc(user.name)}</UserName><SerialNumber>arn:aws:iam::${accountId}:mfa/${esc(user.name)}-${i}</SerialNumber><EnableDate>${user.created}</EnableDate></member>`,
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
    case 'ListAccountAliases': {
      const aliases = account.alias === null ? '' : `<member>${esc(account.alias)}</member>`;
      return {
        status: 200,
        body: ok(action, `<IsTruncated>false</IsTruncated><AccountAliases>${aliases}</AccountAliases>`),
      };
    }
    case 'GetAccountSummary':
      return {
        status: 200,
        body: ok(action, '<SummaryMap><entry><key>AccountMFAEnabled</key><value>1</value></entry></SummaryMap>'),
      };
    default:
      return { status: 403, body: fail('AccessDenied', `not authorized to perform: iam:${action}`) };
  }
};

const assumeRole = (
  form: URLSearchParams,
  accounts: ReadonlyMap<string, FakeAccount>,
  issue: (accountId: string) => string,
  lifetimeSeconds: number,
): { status: number; body: string } => {
  const roleArn = form.get('RoleArn') ?? '';
  const accountId = /^arn:aws:iam::(\d{12}):role\/.+$/.exec(roleArn)?.[1];
  const target = accountId === undefined ? undefined : accounts.get(accountId);
  if (accountId === undefined || target === undefined || target.refuseAssumeRole === true) {
    return {
      status: 403,
      body: fail(
        'AccessDenied',
        `User: arn:aws:iam::${FAKE_AMBIENT_ACCOUNT}:user/scanner is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      ).replace(IAM_NS, STS_NS),
    };
  }
  const expiration = new Date(Date.now() + lifetimeSeconds * 1000).toISOString();
  const session = form.get('RoleSessionName') ?? '';
  const roleName = roleArn.split(':role/')[1]?.split('/').pop() ?? '';
  return {
    status: 200,
    body: `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><Credentials><AccessKeyId>${issue(accountId)}</AccessKeyId><SecretAccessKey>fake-secret</SecretAccessKey><SessionToken>fake-session-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${accountId}:assumed-role/${esc(roleName)}/${esc(session)}</Arn><AssumedRoleId>AROA${accountId}:${esc(session)}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>req-assume</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  };
};

const ORGANIZATIONS_TARGET = 'AWSOrganizationsV20161128.';

const listAccounts = (
  body: string,
  listed: readonly { id: string; name: string; state: string }[],
  pageSize: number,
  denied: boolean,
): { status: number; body: string } => {
  if (denied) {
    return {
      status: 400,
      body: JSON.stringify({
        __type: 'AccessDeniedException',
        Message: 'You don\u2019t have permissions to access this resource.',
      }),
    };
  }
  const input = (body === '' ? {} : JSON.parse(body)) as { NextToken?: string };
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  const page = listed.slice(start, start + pageSize);
  const next = start + pageSize < listed.length ? String(start + pageSize) : undefined;
  return {
    status: 200,
    body: JSON.stringify({
      Accounts: page.map((a) => ({
        Id: a.id,
        Arn: `arn:aws:organizations::${FAKE_AMBIENT_ACCOUNT}:account/o-fake/${a.id}`,
        Email: `aws+${a.id}@example.com`,
        Name: a.name,
        State: a.state,
        JoinedMethod: 'CREATED',
        JoinedTimestamp: 1_700_000_000,
      })),
      ...(next === undefined ? {} : { NextToken: next }),
    }),
  };
};

const accessKeyOf = (authorization: string | undefined): string | null =>
  /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1] ?? null;

export const startFakeAws = async (users: readonly FakeUser[], options: FakeAwsOptions = {}): Promise<FakeAws> => {
  const actions: string[] = [];
  const calls: FakeAwsCall[] = [];
  const ambient: AccountState = {
    accountId: FAKE_AMBIENT_ACCOUNT,
    users,
    alias: 'acme-staging',
    denied: new Set(options.deny ?? []),
    userIdPrefix: 'AIDA',
  };
  const others = new Map((options.accounts ?? []).map((account) => [account.accountId, account]));
  const states = new Map<string, AccountState>(
    [...others.values()].map((account) => [
      account.accountId,
      {
        accountId: account.accountId,
        users: account.users,
        alias: account.alias ?? null,
        denied: new Set(account.deny ?? []),
        userIdPrefix: `AIDA${account.accountId}`,
      },
    ]),
  );
  // The access keys AssumeRole handed out, and the account and caller each stands for.
  const issued = new Map<string, { accountId: string; callerArn: string }>();
  const issue =
    (form: URLSearchParams) =>
    (accountId: string): string => {
      const key = `ASIA${accountId}X${issued.size + 1}`;
      const roleName = (form.get('RoleArn') ?? '').split(':role/')[1]?.split('/').pop() ?? '';
      issued.set(key, {
        accountId,
        callerArn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${form.get('RoleSessionName') ?? ''}`,
      });
      return key;
    };
  const listed = [
    { id: FAKE_AMBIENT_ACCOUNT, name: 'Management', state: 'ACTIVE' },
    ...[...others.values()].map((a) => ({
      id: a.accountId,
      name: a.name ?? `account ${a.accountId}`,
      state: a.state ?? 'ACTIVE',
    })),
  ];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const key = accessKeyOf(req.headers.authorization);
      const signer = key === null ? undefined : issued.get(key);
      const account = signer === undefined ? ambient : (states.get(signer.accountId) ?? ambient);
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string' && target.startsWith(ORGANIZATIONS_TARGET)) {
        const action = target.slice(ORGANIZATIONS_TARGET.length);
        actions.push(action);
        calls.push({ accountId: account.accountId, action, userName: null });
        const { status, body } =
          action === 'ListAccounts'
            ? listAccounts(text, listed, options.organizationPageSize ?? 2, account.denied.has(action))
            : { status: 400, body: JSON.stringify({ __type: 'AccessDeniedException', Message: `not ${action}` }) };
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(body);
        return;
      }
      const form = new URLSearchParams(text);
      const action = form.get('Action') ?? '?';
      actions.push(action);
      calls.push({
        accountId: account.accountId,
        action,
        userName: form.get('UserName'),
        ...(action === 'AssumeRole'
          ? {
              roleArn: form.get('RoleArn'),
              roleSessionName: form.get('RoleSessionName'),
              externalId: form.get('ExternalId'),
            }
          : {}),
      });
      const { status, body } =
        action === 'AssumeRole'
          ? assumeRole(form, others, issue(form), options.credentialLifetimeSeconds ?? 3600)
          : respond(account, form, signer?.callerArn ?? `arn:aws:iam::${account.accountId}:user/scanner`);
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
    calls,
    actionsIn: (accountId) => calls.filter((call) => call.accountId === accountId).map((call) => call.action),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
