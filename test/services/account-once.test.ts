import { silentLogger } from '../../src/adapters/stderr-logger';
import { AppError } from '../../src/errors';
import { accountOnce } from '../../src/services/account-once';

const identity = { accountId: '111122223333', partition: 'aws' as const, arn: 'arn:aws:iam::111122223333:user/x' };

describe('accountOnce', () => {
  it('asks IAM for the identity and the alias once', async () => {
    let calls = 0;
    const account = accountOnce({
      iam: { getCallerIdentity: async () => identity, listAccountAliases: async () => (calls++, ['acme-prod']) },
      scans: { accountAlias: async () => 'stored-alias' },
      logger: silentLogger,
    });
    expect(await account()).toEqual({ accountId: '111122223333', partition: 'aws', alias: 'acme-prod' });
    await account();
    expect(calls).toBe(1);
  });

  it('shows the alias the last scan stored when IAM denies it, and asks again next time', async () => {
    let denied = true;
    const account = accountOnce({
      iam: {
        getCallerIdentity: async () => identity,
        listAccountAliases: async () => {
          if (denied) throw new AppError('iam_access_denied', 'AWS denied iam:ListAccountAliases.');
          return [];
        },
      },
      scans: { accountAlias: async (id) => (id === '111122223333' ? 'acme-prod' : null) },
      logger: silentLogger,
    });
    expect((await account()).alias).toBe('acme-prod');
    denied = false;
    expect((await account()).alias).toBeNull();
  });
});
