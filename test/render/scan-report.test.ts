import type { AccountScan } from '../../src/domain/scan';
import type { UserResult } from '../../src/domain/types';
import { renderRunReport } from '../../src/render/run-report';
import { runToJson } from '../../src/render/scan-json';
import { renderScanSummary, renderUserTable } from '../../src/render/scan-report';
import { runOf } from '../support/run-results';
import { FIXTURE_NOW, userResult } from '../support/user-result';

const NOW = FIXTURE_NOW;
const DAY = 86_400_000;

const user = userResult;

const scanOf = (users: UserResult[], extra: Partial<AccountScan> = {}): AccountScan => ({
  account: { accountId: '111122223333', partition: 'aws', alias: null },
  startedAt: NOW,
  finishedAt: new Date(NOW.getTime() + 2500),
  strategy: { name: 'credential-report', reason: 'report read' },
  reportGeneratedAt: new Date(NOW.getTime() - 3 * 3_600_000),
  root: { accountId: '111122223333', mfaActive: true, source: 'report' },
  users,
  counts: { non_compliant: 1, grace: 0, exempt: 1, error: 0, compliant: 1, no_console: 0 },
  opened: [],
  closed: [],
  escalationSince: new Map(),
  issues: [],
  knownOwnerIds: [],
  ...extra,
});

describe('renderUserTable', () => {
  it('lists the most severe first and says how long a finding has been open', () => {
    const table = renderUserTable(
      [
        user('zed', 'compliant'),
        user('amy', 'exempt', { reason: 'kiosk' }),
        user('bob', 'non_compliant', {
          nonCompliantSince: new Date(NOW.getTime() - 8 * DAY),
          owner: { kind: 'slack', value: 'U0BOB12345', source: 'tag:slack-owner' },
        }),
        user('new', 'non_compliant', { nonCompliantSince: NOW }),
      ],
      NOW,
    );
    const rows = table.split('\n').slice(2);
    expect(rows.map((r) => r.split(/\s+/)[2])).toEqual(['bob', 'new', 'amy', 'zed']);
    expect(rows[0]).toContain('U0BOB12345 (tag:slack-owner)');
    expect(rows[0]).toContain('no MFA for 8 d');
    expect(rows[1]).toContain('(new finding)');
    expect(rows[2]).toContain('exempt: kiosk');
    // Tags are not read for compliant users, so their owner is not claimed to be "unowned".
    expect(rows[3]).toMatch(/zed\s+-\s+console password with MFA/);
  });

  it('strips control characters from text that came from tags or AWS', () => {
    const table = renderUserTable([user('amy', 'exempt', { reason: 'ok\u001b[31m\u0007red' })], NOW);
    // Newlines between rows are ours; nothing else below U+0020 may reach the terminal.
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(table).toContain('ok [31m red');
  });

  it('cuts very long reasons', () => {
    const table = renderUserTable([user('err', 'error', { reason: 'x'.repeat(500) })], NOW);
    expect(table).toContain('…');
    expect(table.split('\n')[2]?.length).toBeLessThan(200);
  });
});

describe('renderScanSummary', () => {
  it.each([
    [{ accountId: '111122223333', mfaActive: false, source: 'live' as const }, 'Root account: MFA NOT enabled'],
    [{ accountId: '111122223333', mfaActive: true, source: 'report' as const }, 'Root account: MFA enabled'],
    [null, 'Root account: MFA could not be checked'],
  ])('reports root %j', (root, line) => {
    expect(renderScanSummary(scanOf([], { root }))).toContain(line);
  });

  it('gives the account, strategy, counts, new and fixed, and every issue', () => {
    const text = renderScanSummary(
      scanOf([user('a', 'non_compliant')], {
        opened: [
          {
            accountId: '111122223333',
            userName: 'a',
            userId: 'AIDAA',
            openedAt: NOW,
            reopensId: null,
            chainStartedAt: NOW,
          },
        ],
        closed: [
          {
            id: 1,
            accountId: '111122223333',
            userName: 'b',
            userId: 'AIDAB',
            openedAt: NOW,
            closedAt: NOW,
            closeReason: 'fixed',
            reopensId: null,
            chainStartedAt: NOW,
          },
          {
            id: 2,
            accountId: '111122223333',
            userName: 'c',
            userId: 'AIDAC',
            openedAt: NOW,
            closedAt: NOW,
            closeReason: 'deleted',
            reopensId: null,
            chainStartedAt: NOW,
          },
        ],
        issues: [{ code: 'report_row_untrusted', message: 'Credential report line 7 was not trusted' }],
      }),
    );
    expect(text).toContain('Account 111122223333 [aws], scanned 2026-11-28 14:00Z in 2.5 s');
    expect(text).toContain('Strategy: credential-report (report read); report generated 2026-11-28 11:00Z');
    expect(text).toContain('1 users: 1 non_compliant, 0 grace, 1 exempt, 0 error, 1 compliant, 0 no_console');
    expect(text).toContain('Since the last scan: 1 new offender(s), 1 fixed');
    expect(text).toContain('Note: Credential report line 7 was not trusted');
  });

  it('counts a reopened finding apart from the new ones and names its user', () => {
    const text = renderScanSummary(
      scanOf([user('a', 'non_compliant'), user('b', 'non_compliant')], {
        opened: [
          {
            accountId: '111122223333',
            userName: 'a',
            userId: 'AIDAA',
            openedAt: NOW,
            reopensId: null,
            chainStartedAt: NOW,
          },
          {
            accountId: '111122223333',
            userName: 'b\u001b[2J',
            userId: 'AIDAB',
            openedAt: NOW,
            reopensId: 3,
            chainStartedAt: new Date(NOW.getTime() - 9 * DAY),
          },
        ],
      }),
    );
    expect(text).toContain('Since the last scan: 1 new offender(s), 1 reopened (MFA on only briefly: b [2J), 0 fixed');
  });
});

const SAVED = { scanId: 1, opened: [], closed: [], open: [] };

/** The JSON of a run of this one account. */
const scanToJson = (scan: AccountScan, generatedAt: Date) => runToJson(runOf(scan, SAVED), generatedAt);

describe('runToJson of one account', () => {
  it('keeps nulls and turns dates into ISO strings', () => {
    const doc = scanToJson(
      scanOf([user('g', 'grace', { graceUntil: new Date(NOW.getTime() + DAY) })], {
        root: null,
        reportGeneratedAt: null,
      }),
      NOW,
    );
    expect(doc.rootAccounts).toEqual([{ accountId: '111122223333', mfaActive: null }]);
    expect(doc.accounts).toEqual([
      {
        accountId: '111122223333',
        partition: 'aws',
        alias: null,
        name: null,
        reportGeneratedAt: null,
        outcome: 'completed',
        error: null,
        strategy: { name: 'credential-report', reason: 'report read' },
      },
    ]);
    expect(doc.strategy).toEqual({ name: 'credential-report', reason: 'report read' });
    expect(doc.users[0]).toEqual({
      accountId: '111122223333',
      userName: 'g',
      userId: 'AIDAG',
      arn: 'arn:aws:iam::111122223333:user/g',
      status: 'grace',
      source: 'live',
      checkedAt: NOW.toISOString(),
      createdAt: '2025-01-01T00:00:00.000Z',
      passwordLastUsed: null,
      nonCompliantSince: null,
      escalationSince: null,
      owner: { kind: 'unowned', value: null, source: 'none' },
      reason: null,
      graceUntil: new Date(NOW.getTime() + DAY).toISOString(),
    });
    expect(doc.summary).toMatchObject({ total: 1, new: 0, reopened: 0, fixed: 0 });
  });

  it("gives each user the start of its finding's chain, and counts reopened findings apart from new ones", () => {
    const chainStart = new Date(NOW.getTime() - 9 * DAY);
    const doc = scanToJson(
      scanOf(
        [
          user('fresh', 'non_compliant', { nonCompliantSince: NOW }),
          user('again', 'non_compliant', { nonCompliantSince: NOW }),
          user('fine', 'compliant'),
        ],
        {
          opened: [
            {
              accountId: '111122223333',
              userName: 'fresh',
              userId: 'AIDAFRESH',
              openedAt: NOW,
              reopensId: null,
              chainStartedAt: NOW,
            },
            {
              accountId: '111122223333',
              userName: 'again',
              userId: 'AIDAAGAIN',
              openedAt: NOW,
              reopensId: 4,
              chainStartedAt: chainStart,
            },
          ],
          escalationSince: new Map([
            ['fresh', NOW],
            ['again', chainStart],
          ]),
        },
      ),
      NOW,
    );
    expect(doc.summary).toMatchObject({ new: 1, reopened: 1 });
    const byName = new Map(doc.users.map((u) => [u.userName, u]));
    expect(byName.get('again')).toMatchObject({
      nonCompliantSince: NOW.toISOString(),
      escalationSince: chainStart.toISOString(),
    });
    expect(byName.get('fresh')).toMatchObject({
      nonCompliantSince: NOW.toISOString(),
      escalationSince: NOW.toISOString(),
    });
    expect(byName.get('fine')).toMatchObject({ nonCompliantSince: null, escalationSince: null });
  });
});

describe('a run over several accounts', () => {
  const B = '444455556666';
  const prod = scanOf([user('alice', 'non_compliant', { nonCompliantSince: NOW })], {
    account: { accountId: '111122223333', partition: 'aws', alias: 'acme-prod' },
    issues: [{ code: 'root_check_failed', message: 'root unknown' }],
  });
  const staging = scanOf(
    [
      user('alice', 'non_compliant', { accountId: B, userId: 'AIDAB', nonCompliantSince: NOW }),
      user('bob', 'compliant', { accountId: B, userId: 'AIDABOB' }),
    ],
    {
      // An organization member without an IAM alias: its organization's name labels it.
      account: { accountId: B, partition: 'aws', alias: null, name: 'acme-staging' },
      strategy: { name: 'per-user', reason: 'report denied' },
      reportGeneratedAt: null,
      root: { accountId: B, mfaActive: false, source: 'live' },
      counts: { non_compliant: 1, grace: 0, exempt: 0, error: 0, compliant: 1, no_console: 0 },
    },
  );
  const run = {
    runId: 7,
    startedAt: NOW,
    finishedAt: NOW,
    accounts: [
      {
        outcome: 'failed' as const,
        failure: {
          accountId: '777788889999',
          alias: null,
          name: 'acme-sandbox',
          via: 'arn:aws:iam::777788889999:role/mfa-guard-scanner',
          code: 'iam_access_denied',
          message: 'AWS denied sts:AssumeRole (AccessDenied).',
          hint: 'Deploy the member role.',
          scanId: 3,
          startedAt: NOW,
          finishedAt: NOW,
        },
      },
      { outcome: 'completed' as const, scan: prod, saved: SAVED },
      { outcome: 'completed' as const, scan: staging, saved: { ...SAVED, scanId: 2 } },
    ],
  };

  it('JSON: mixed strategy, every account with its outcome, users and summary across the completed ones', () => {
    const doc = runToJson(run, NOW);
    expect(doc.strategy.name).toBe('mixed');
    expect(doc.strategy.reason).toContain('444455556666 per-user');
    expect(doc.accounts).toEqual([
      {
        accountId: '777788889999',
        partition: null,
        alias: 'acme-sandbox',
        name: 'acme-sandbox',
        reportGeneratedAt: null,
        outcome: 'failed',
        error: {
          code: 'iam_access_denied',
          message: 'AWS denied sts:AssumeRole (AccessDenied).',
          hint: 'Deploy the member role.',
        },
        strategy: null,
      },
      expect.objectContaining({
        accountId: '111122223333',
        alias: 'acme-prod',
        name: null,
        outcome: 'completed',
        error: null,
      }),
      expect.objectContaining({
        accountId: B,
        alias: 'acme-staging',
        name: 'acme-staging',
        outcome: 'completed',
        strategy: { name: 'per-user', reason: 'report denied' },
        reportGeneratedAt: null,
      }),
    ]);
    expect(doc.users.map((u) => `${u.accountId}/${u.userName}`)).toEqual([
      '111122223333/alice',
      `${B}/alice`,
      `${B}/bob`,
    ]);
    expect(doc.summary).toMatchObject({ non_compliant: 2, compliant: 2, exempt: 1, total: 3 });
    expect(doc.rootAccounts).toEqual([
      { accountId: '111122223333', mfaActive: true },
      { accountId: B, mfaActive: false },
    ]);
    expect(doc.issues).toEqual([
      { accountId: '111122223333', code: 'root_check_failed', message: 'root unknown', userName: null },
    ]);
  });

  it('terminal: the failed account first with what to do, then users qualified by account', () => {
    const text = renderRunReport(run);
    const failedAt = text.indexOf('FAILED acme-sandbox (777788889999)');
    expect(failedAt).toBeGreaterThanOrEqual(0);
    expect(text).toContain('What to do: Deploy the member role.');
    expect(failedAt).toBeLessThan(text.indexOf('acme-prod (111122223333)'));
    expect(text).toContain(`acme-staging (${B})  alice`);
    expect(text).toContain('Run: 3 accounts, 2 scanned, 1 failed.');
  });
});
