/**
 * The bundled sample account that `npm run demo` and the CLI end-to-end tests scan. One user per
 * case the scan has to get right; SAMPLE_EXPECTED_STATUSES is the answer key (grace period 24 h,
 * exempt tag key `mfa-exempt`, owners file SAMPLE_OWNERS_FILE_YAML).
 */
import { virtualMfaSerial } from '../../domain/partition';
import type { UserStatus } from '../../domain/types';
import { AppError } from '../../errors';
import { InMemoryIam, type MemoryAccount, type MemoryUser, type ReportSnapshot } from './in-memory-iam';

export const SAMPLE_ACCOUNT_ID = '111122223333';
export const SAMPLE_ACCOUNT_ALIAS = 'acme-prod';
export const SAMPLE_REPORT_AGE_HOURS = 3;

// users: comes last, so tests can append entries to it.
export const SAMPLE_OWNERS_FILE_YAML = `# Who owns which IAM user in the sample accounts. Exact names win over globs; a key scoped to an
# account (id/name) wins over an unscoped one.
accounts:
  "444455556666": U0PLATFORM1        # owns acme-staging's users nobody else claims
users:
  alice: U012ABCDEF                  # exact user name -> Slack user ID
  "444455556666/alice": U0BOB12345   # alice in acme-staging is another IAM user: bob's
  "svc-*": platform@example.com      # glob -> email
  breakglass:
    owner: U0SECURITY1
    exempt: "Break-glass account; password sealed in the office safe"
`;

export const SAMPLE_EXPECTED_STATUSES: Readonly<Record<string, UserStatus>> = {
  carol: 'compliant', // virtual MFA device
  erin: 'compliant', // FIDO security key only
  bob: 'non_compliant', // owner from tag slack-owner
  frank: 'non_compliant', // no owner anywhere
  'dana@example.com': 'non_compliant', // owner from the user name
  alice: 'non_compliant', // owner from the owners file (exact)
  'svc-deploy': 'non_compliant', // owner from the owners file (glob svc-*)
  gina: 'grace', // created 3.5 h ago
  breakglass: 'exempt', // exempted by the owners file
  kiosk: 'exempt', // exempted by tag mfa-exempt
  'svc-ci': 'no_console', // access keys only
  jules: 'compliant', // report says no MFA; added a device after the report
  ivan: 'grace', // created after the report: only live calls know about him
  'flaky-user': 'error', // ListMFADevices is denied (applySampleFailures)
};

export const SAMPLE_FLAKY_USER = 'flaky-user';

export interface SampleAccount {
  readonly account: MemoryAccount;
  readonly reportSnapshot: ReportSnapshot;
}

const HOUR_MS = 60 * 60 * 1000;

export function sampleAccount(now: Date): SampleAccount {
  const hoursAgo = (hours: number): Date => new Date(now.getTime() - hours * HOUR_MS);
  const daysAgo = (days: number): Date => hoursAgo(days * 24);
  const virtualMfa = (userName: string, enableDate: Date): MemoryUser['mfaDevices'][number] => ({
    serialNumber: virtualMfaSerial('aws', SAMPLE_ACCOUNT_ID, userName),
    kind: 'virtual',
    enableDate,
  });
  let nextId = 1;
  const user = (
    fields: Omit<MemoryUser, 'userId' | 'mfaDevices'> & Partial<Pick<MemoryUser, 'mfaDevices'>>,
  ): MemoryUser => ({
    // Shaped like real IAM user ids: AIDA + 17 upper-case alphanumerics.
    userId: `AIDAEXAMPLE${String(nextId++).padStart(10, '0')}`,
    mfaDevices: [],
    ...fields,
  });

  const reportAt = hoursAgo(SAMPLE_REPORT_AGE_HOURS);
  const julesAtReport = user({
    userName: 'jules',
    createDate: daysAgo(40),
    passwordLastUsed: daysAgo(2),
    loginProfile: true,
    tags: { 'slack-owner': 'U0JULES0001' },
  });

  const inReport: MemoryUser[] = [
    user({
      userName: 'carol',
      createDate: daysAgo(400),
      passwordLastUsed: hoursAgo(20),
      loginProfile: true,
      mfaDevices: [virtualMfa('carol', daysAgo(399))],
    }),
    user({
      userName: 'erin',
      path: '/engineering/',
      createDate: daysAgo(250),
      passwordLastUsed: daysAgo(1),
      loginProfile: true,
      mfaDevices: [
        {
          serialNumber: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:u2f/user/erin/yubikey-EXAMPLE1234567890`,
          kind: 'security-key',
          enableDate: daysAgo(200),
        },
      ],
    }),
    user({
      userName: 'bob',
      createDate: daysAgo(120),
      passwordLastUsed: daysAgo(3),
      loginProfile: true,
      tags: { 'slack-owner': 'U0BOB12345', team: 'payments' },
    }),
    user({ userName: 'frank', createDate: daysAgo(700), passwordLastUsed: null, loginProfile: true }),
    user({ userName: 'dana@example.com', createDate: daysAgo(60), passwordLastUsed: daysAgo(10), loginProfile: true }),
    user({ userName: 'alice', createDate: daysAgo(90), passwordLastUsed: hoursAgo(30), loginProfile: true }),
    user({ userName: 'svc-deploy', createDate: daysAgo(300), passwordLastUsed: daysAgo(45), loginProfile: true }),
    user({ userName: 'gina', createDate: hoursAgo(3.5), passwordLastUsed: null, loginProfile: true }),
    user({ userName: 'breakglass', createDate: daysAgo(900), passwordLastUsed: null, loginProfile: true }),
    user({
      userName: 'kiosk',
      createDate: daysAgo(500),
      passwordLastUsed: hoursAgo(5),
      loginProfile: true,
      tags: { 'mfa-exempt': 'Shared reception kiosk, console locked to the office IP; replaced by SSO in Q3' },
    }),
    user({ userName: 'svc-ci', createDate: daysAgo(365), loginProfile: false }),
    julesAtReport,
    user({ userName: SAMPLE_FLAKY_USER, createDate: daysAgo(30), passwordLastUsed: daysAgo(7), loginProfile: true }),
  ];
  const julesNow: MemoryUser = { ...julesAtReport, mfaDevices: [virtualMfa('jules', hoursAgo(1))] };
  const ivan = user({ userName: 'ivan', createDate: hoursAgo(1), passwordLastUsed: null, loginProfile: true });

  return {
    account: {
      accountId: SAMPLE_ACCOUNT_ID,
      partition: 'aws',
      alias: SAMPLE_ACCOUNT_ALIAS,
      rootMfaActive: false,
      rootCreateDate: daysAgo(1000),
      rootPasswordLastUsed: daysAgo(14),
      users: [...inReport.map((u) => (u.userName === 'jules' ? julesNow : u)), ivan],
    },
    reportSnapshot: { generatedAt: reportAt, users: inReport },
  };
}

/** The failures the demo and the end-to-end tests both inject, so they agree on the `error` user. */
export function applySampleFailures(iam: InMemoryIam): void {
  iam.failWith(
    'listMfaDevices',
    new AppError('iam_access_denied', `IAM ListMFADevices for user '${SAMPLE_FLAKY_USER}' was denied.`, {
      hint: `Allow iam:ListMFADevices on arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/${SAMPLE_FLAKY_USER} for the scanner, and check no SCP or permissions boundary denies it.`,
    }),
    { userName: SAMPLE_FLAKY_USER },
  );
}

export interface SampleIamOptions {
  readonly failures?: boolean;
  readonly reportPendingPolls?: number;
  /**
   * true: every credential report is generated from the users as they are then, not the
   * 3-hour-old one, so a user changed later (the playground's buttons) shows in the next scan.
   */
  readonly freshReports?: boolean;
}

/**
 * The sample account as a ready gateway: 3-hour-old report (unless `freshReports`), sample failures
 * applied unless `failures: false`; `reportPendingPolls` makes the report take that many polls to be ready.
 */
export function createSampleIam(clock: () => Date, options: SampleIamOptions = {}): InMemoryIam {
  const sample = sampleAccount(clock());
  const iam = new InMemoryIam({
    account: sample.account,
    clock,
    ...(options.freshReports === true ? {} : { reportSnapshot: sample.reportSnapshot }),
    reportPendingPolls: options.reportPendingPolls ?? 0,
  });
  if (options.failures !== false) applySampleFailures(iam);
  return iam;
}
