import { fixedAccounts } from '../../src/adapters/fixed-accounts';
import { noOwnersFile, ownersSourceFromYaml } from '../../src/adapters/memory/fixed-owners-source';
import { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { SAMPLE_ACCOUNT_ALIAS, SAMPLE_ACCOUNT_ID, sampleAccount } from '../../src/adapters/memory/sample-account';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { silentLogger } from '../../src/adapters/stderr-logger';
import { accountLabel } from '../../src/domain/account-label';
import { AppError } from '../../src/errors';
import type { OwnersSource } from '../../src/ports/owners';
import { runScan, type RunScanResult, type RunScanSettings } from '../../src/services/run-scan';
import { createFakeClock } from '../support/fake-clock';
import { onlyAccount } from '../support/run-results';

const NOW = new Date('2026-11-28T14:00:00Z');
const SETTINGS: RunScanSettings = {
  gracePeriodHours: 24,
  exemptTagKey: 'mfa-exempt',
  ownerTagKeys: ['slack-owner'],
  reopenWindowDays: 7,
  concurrency: 2,
  reportTimeoutMs: 60_000,
  leaseTtlMs: 60_000,
  accountConcurrency: 2,
};

const scanWith = async (
  options: { denyAlias?: boolean; noAlias?: boolean; owners?: OwnersSource; name?: string } = {},
) => {
  const clock = createFakeClock(NOW);
  const sample = sampleAccount(NOW);
  const iam = new InMemoryIam({
    account: options.noAlias === true ? { ...sample.account, alias: null } : sample.account,
    clock: () => clock.now(),
    reportSnapshot: sample.reportSnapshot,
  });
  if (options.denyAlias === true) {
    iam.failWith(
      'listAccountAliases',
      new AppError('iam_access_denied', 'AWS denied iam:ListAccountAliases (AccessDenied).'),
    );
  }
  const stores = createSqliteStores(openDatabase(':memory:'), () => undefined);
  const result = await runScan(
    {
      accounts: fixedAccounts([{ iam, ...(options.name === undefined ? {} : { name: options.name }) }]),
      ...stores,
      clock,
      logger: silentLogger,
      owners: options.owners ?? noOwnersFile,
      holder: 'me',
    },
    SETTINGS,
  );
  return { iam, stores, result };
};

const completed = (result: RunScanResult) => onlyAccount(result).scan;

describe('the account alias in a scan', () => {
  it('is read once, carried on the account and stored with the scan', async () => {
    const { iam, stores, result } = await scanWith();
    const scan = completed(result);
    expect(scan.account).toEqual({
      accountId: SAMPLE_ACCOUNT_ID,
      partition: 'aws',
      alias: SAMPLE_ACCOUNT_ALIAS,
      name: null,
    });
    expect(iam.calls.filter((c) => c.operation === 'listAccountAliases')).toHaveLength(1);
    expect(scan.issues.map((i) => i.code)).not.toContain('alias_unreadable');
    expect(await stores.scans.accountNames(SAMPLE_ACCOUNT_ID)).toEqual({ alias: SAMPLE_ACCOUNT_ALIAS, name: null });
  });

  it('AccessDenied on ListAccountAliases: the scan completes without an alias and records the issue once', async () => {
    const { stores, result } = await scanWith({ denyAlias: true });
    const scan = completed(result);
    expect(scan.account.alias).toBeNull();
    const aliasIssues = scan.issues.filter((i) => i.code === 'alias_unreadable');
    expect(aliasIssues).toHaveLength(1);
    expect(aliasIssues[0]?.message).toContain('iam:ListAccountAliases');
    expect(scan.users.length).toBeGreaterThan(0);
    expect(await stores.scans.accountNames(SAMPLE_ACCOUNT_ID)).toEqual({ alias: null, name: null });
  });

  describe('alias-scoped owners-file keys', () => {
    const owners = ownersSourceFromYaml(
      `users:\n  ${SAMPLE_ACCOUNT_ALIAS}/frank: U0FRANK0001\n  other-alias/bob: U0NOTBOB001\n`,
      'test owners file',
    );

    it('match the account by the alias the scan read', async () => {
      const scan = completed((await scanWith({ owners })).result);
      const frank = scan.users.find((u) => u.userName === 'frank');
      expect(frank?.owner).toMatchObject({ kind: 'slack', value: 'U0FRANK0001' });
      // Another alias's key is not this account's.
      expect(scan.users.find((u) => u.userName === 'bob')?.owner.value).not.toBe('U0NOTBOB001');
    });

    it('match nothing when the alias could not be read', async () => {
      const scan = completed((await scanWith({ owners, denyAlias: true })).result);
      expect(scan.users.find((u) => u.userName === 'frank')?.owner).toMatchObject({ kind: 'unowned' });
    });
  });

  describe("the organization's name for the account", () => {
    const owners = ownersSourceFromYaml('users:\n  acme-org-name/frank: U0FRANK0001\n', 'test owners file');

    it('is carried and stored as the name, never as the alias, and labels an account without an alias', async () => {
      const { stores, result } = await scanWith({ noAlias: true, name: 'acme-org-name' });
      const { account, issues } = completed(result);
      expect(account).toEqual({ accountId: SAMPLE_ACCOUNT_ID, partition: 'aws', alias: null, name: 'acme-org-name' });
      expect(accountLabel(account)).toBe(`acme-org-name (${SAMPLE_ACCOUNT_ID})`);
      expect(issues.map((i) => i.code)).not.toContain('alias_unreadable');
      expect(await stores.scans.accountNames(SAMPLE_ACCOUNT_ID)).toEqual({ alias: null, name: 'acme-org-name' });
    });

    it('gives way to the IAM alias in the label, and is kept beside it', async () => {
      const { stores, result } = await scanWith({ name: 'acme-org-name' });
      const { account } = completed(result);
      expect(accountLabel(account)).toBe(`${SAMPLE_ACCOUNT_ALIAS} (${SAMPLE_ACCOUNT_ID})`);
      expect(await stores.scans.accountNames(SAMPLE_ACCOUNT_ID)).toEqual({
        alias: SAMPLE_ACCOUNT_ALIAS,
        name: 'acme-org-name',
      });
    });

    it.each([
      ['the account has no alias', { noAlias: true }],
      ['the alias could not be read', { denyAlias: true }],
      ['the account has an alias too', {}],
    ])(
      'is not matched by alias-scoped owners keys when %s: names are not unique in an organization',
      async (_label, how) => {
        const scan = completed((await scanWith({ ...how, owners, name: 'acme-org-name' })).result);
        expect(scan.users.find((u) => u.userName === 'frank')?.owner).toMatchObject({ kind: 'unowned' });
      },
    );
  });
});
