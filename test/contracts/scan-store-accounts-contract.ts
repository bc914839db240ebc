import { ACCOUNT_A, ACCOUNT_B, accountScan, at, user } from './fixtures';
import type { StoreFactory } from './store-factory';
import { storesFor } from './store-factory';

const ACCOUNT_C = '333333333333';

/** The ScanStore queries across accounts (what /mfa-status lists and resolves), through the port only. */
export function describeScanStoreAccountsContract(adapterName: string, open: StoreFactory): void {
  describe(`ScanStore contract, across accounts: ${adapterName}`, () => {
    const storesOf = storesFor(open);

    describe('scannedAccounts', () => {
      it('is empty before any completed scan, failed scans included', async () => {
        const { scans } = await storesOf();
        expect(await scans.scannedAccounts()).toEqual([]);
        await scans.saveFailedScan({
          accountId: ACCOUNT_A,
          startedAt: at(0),
          finishedAt: at(1),
          strategy: null,
          error: 'AccessDenied',
        });
        await scans.saveFailedScan({
          accountId: null,
          startedAt: at(2),
          finishedAt: at(3),
          strategy: null,
          error: 'x',
        });
        expect(await scans.scannedAccounts()).toEqual([]);
      });

      it('answers each account once, as its latest completed scan left it, by account id', async () => {
        const { scans } = await storesOf();
        const aliceB = user({
          userName: 'alice',
          accountId: ACCOUNT_B,
          status: 'non_compliant',
          nonCompliantSince: at(0),
        });
        await scans.saveScan(
          accountScan({ accountId: ACCOUNT_B, alias: 'old-dev', startedAt: at(0), finishedAt: at(1) }),
        );
        await scans.saveScan(
          accountScan({ accountId: ACCOUNT_A, alias: 'acme-prod', name: 'Acme', startedAt: at(2), finishedAt: at(3) }),
        );
        await scans.saveScan(
          accountScan({
            accountId: ACCOUNT_B,
            alias: 'acme-dev',
            startedAt: at(4),
            finishedAt: at(5),
            users: [aliceB],
          }),
        );
        // A later failed scan of B changes nothing: its latest completed scan still speaks for it.
        await scans.saveFailedScan({
          accountId: ACCOUNT_B,
          startedAt: at(6),
          finishedAt: at(7),
          strategy: null,
          error: 'AccessDenied',
        });

        const accounts = await scans.scannedAccounts();
        expect(accounts.map((a) => [a.accountId, a.alias, a.name, a.finishedAt.toISOString()])).toEqual([
          [ACCOUNT_A, 'acme-prod', 'Acme', at(3).toISOString()],
          [ACCOUNT_B, 'acme-dev', null, at(5).toISOString()],
        ]);
        expect(accounts[1]?.counts.non_compliant).toBe(1);
        expect(accounts[0]?.counts.non_compliant).toBe(0);
      });

      it('keeps a null alias or name and outside text as they came', async () => {
        const { scans } = await storesOf();
        await scans.saveScan(accountScan({ accountId: ACCOUNT_A, alias: null, name: '<@U1> & `y`' }));
        await scans.saveScan(accountScan({ accountId: ACCOUNT_C, alias: '<!channel> & `x`' }));
        expect((await scans.scannedAccounts()).map((a) => [a.alias, a.name])).toEqual([
          [null, '<@U1> & `y`'],
          ['<!channel> & `x`', null],
        ]);
      });
    });

    describe('usersNamed', () => {
      it('finds the name in every account, whatever its case, by account id, and nothing else', async () => {
        const { scans } = await storesOf();
        await scans.saveScan(
          accountScan({
            accountId: ACCOUNT_C,
            users: [user({ accountId: ACCOUNT_C, userName: 'Alice', userId: 'AIDAALICEC' })],
          }),
        );
        await scans.saveScan(
          accountScan({
            accountId: ACCOUNT_A,
            users: [user({ userName: 'alice', userId: 'AIDAALICEA' }), user({ userName: 'alice2' })],
          }),
        );
        await scans.saveScan(
          accountScan({ accountId: ACCOUNT_B, users: [user({ accountId: ACCOUNT_B, userName: 'bob' })] }),
        );

        expect((await scans.usersNamed('ALICE')).map((u) => [u.accountId, u.userName, u.userId])).toEqual([
          [ACCOUNT_A, 'alice', 'AIDAALICEA'],
          [ACCOUNT_C, 'Alice', 'AIDAALICEC'],
        ]);
        expect(await scans.usersNamed('carol')).toEqual([]);
        // Not a pattern: SQL wildcards match only themselves.
        expect(await scans.usersNamed('alic%')).toEqual([]);
        expect(await scans.usersNamed('alice_')).toEqual([]);
      });

      it('answers the state as the latest scan left it: a user gone from an account is gone', async () => {
        const { scans } = await storesOf();
        await scans.saveScan(
          accountScan({ accountId: ACCOUNT_B, users: [user({ accountId: ACCOUNT_B, userName: 'dave' })] }),
        );
        await scans.saveScan(accountScan({ accountId: ACCOUNT_B, users: [] }));
        expect(await scans.usersNamed('dave')).toEqual([]);
      });
    });
  });
}
