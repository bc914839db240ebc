import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createTokenBucket, type TokenBucket, type TokenBucketSettings } from './token-bucket';

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
 *
 * For `npm run bench`: `latencyMs` delays every answer, `throttle` gives each account a token
 * bucket for its IAM calls (STS and Organizations are not IAM's quota) answering IAM's own
 * `Throttling` error once empty, and `reportShowsMfa` makes the credential report tell the truth
 * about MFA. ListUsers pages like IAM (MaxItems, default 100; Marker).
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
  /** Milliseconds every answer waits before it is sent (default 0). */
  readonly latencyMs?: number;
  /** Each account's IAM calls go through its own token bucket; none when unset. */
  readonly throttle?: TokenBucketSettings;
  /** The credential report shows each user's real MFA (default: MFA off for everyone). */
  readonly reportShowsMfa?: boolean;
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
  /** Answered with IAM's Throttling error instead. */
  readonly throttled?: boolean;
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
  /** Built on first use: a 5,000-user account is asked for users by name thousands of times. */
  byName?: ReadonlyMap<string, FakeUser>;
  reportBase64?: string;
}

const accountState = (
  accountId: string,
  users: readonly FakeUser[],
  alias: string | null,
  deny: readonly string[] | undefined,
  userIdPrefix: string,
): AccountState => ({ accountId, users, alias, denied: new Set(deny ?? []), userIdPrefix });

// IAM's answer when an account's request rate is over its quota (HTTP 400, Sender, code Throttling).
const THROTTLED = {
  status: 400,
  body: `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-throttled</RequestId></ErrorResponse>`,
};
// STS, Organizations and the calls that touch no IAM quota of the account.
const UNTHROTTLED_ACTIONS = new Set(['GetCallerIdentity', 'AssumeRole']);
const DEFAULT_LIST_USERS_PAGE = 100;

const reportCsv = (accountId: string, users: readonly FakeUser[], reportMfa: (u: FakeUser) => boolean): string =>
  [
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active',
    `<root_account>,arn:aws:iam::${accountId}:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true`,
    ...users.map(
      (u) =>
        `${u.name},arn:aws:iam::${accountId}:user/${u.name},${u.created.replace('Z', '+00:00')},${u.password},N/A,N/A,N/A,${reportMfa(u)}`,
    ),
  ].join('\n');

const respond = (
  account: AccountState,
  form: URLSearchParams,
  callerArn: string,
  reportShowsMfa: boolean,
): { status: number; body: string } => {
  const { accountId, users, denied } = account;
  const action = form.get('Action') ?? '';
  if (denied.has(action))
    return { status: 403, body: fail('AccessDenied', `not authorized to perform: iam:${action}`) };
  account.byName ??= new Map(users.map((u) => [u.name, u]));
  const user = account.byName.get(form.get('UserName') ?? '');
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
      // Unless told otherwise, the report claims every user has MFA off: the scan must confirm each one live.
      account.reportBase64 ??= Buffer.from(reportCsv(accountId, users, (u) => reportShowsMfa && u.mfa > 0)).toString(
        'base64',
      );
      return {
        status: 200,
        body: ok(
          action,
          `<Content>${account.reportBase64}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-28T11:00:00Z</GeneratedTime>`,
        ),
      };
    }
    case 'ListUsers': {
      const start = Number(form.get('Marker') ?? 0);
      const end = start + Number(form.get('MaxItems') ?? DEFAULT_LIST_USERS_PAGE);
      const more =
        end < users.length
          ? `<IsTruncated>true</IsTruncated><Marker>${end}</Marker>`
          : '<IsTruncated>false</IsTruncated>';
      return { status: 200, body: ok(action, `${more}<Users>${users.slice(start, end).map(member).join('')}</Users>`) };
    }
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
  const ambient = accountState(FAKE_AMBIENT_ACCOUNT, users, 'acme-staging', options.deny, 'AIDA');
  const others = new Map((options.accounts ?? []).map((account) => [account.accountId, account]));
  const states = new Map<string, AccountState>(
    [...others.values()].map((account) => [
      account.accountId,
      accountState(account.accountId, account.users, account.alias ?? null, account.deny, `AIDA${account.accountId}`),
    ]),
  );
  const buckets = new Map<string, TokenBucket>();
  const throttles = (accountId: string, action: string): boolean => {
    if (options.throttle === undefined || UNTHROTTLED_ACTIONS.has(action)) return false;
    let bucket = buckets.get(accountId);
    if (bucket === undefined) {
      bucket = createTokenBucket(options.throttle, Date.now());
      buckets.set(accountId, bucket);
    }
    return !bucket.take(Date.now());
  };
  const latencyMs = options.latencyMs ?? 0;
  const send = (res: ServerResponse, status: number, contentType: string, body: string): void => {
    const write = (): void => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    };
    if (latencyMs > 0) setTimeout(write, latencyMs);
    else write();
  };
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
        send(res, status, 'application/x-amz-json-1.1', body);
        return;
      }
      const form = new URLSearchParams(text);
      const action = form.get('Action') ?? '?';
      const throttled = throttles(account.accountId, action);
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
        ...(throttled ? { throttled } : {}),
      });
      const { status, body } = throttled
        ? THROTTLED
        : action === 'AssumeRole'
          ? assumeRole(form, others, issue(form), options.credentialLifetimeSeconds ?? 3600)
          : respond(
              account,
              form,
              signer?.callerArn ?? `arn:aws:iam::${account.accountId}:user/scanner`,
              options.reportShowsMfa ?? false,
            );
      send(res, status, 'text/xml', body);
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
