/**
 * Accounts given as gateways: the ambient credentials' account alone (no AWS_ACCOUNTS), the demo's
 * sample accounts, tests. The first entry is the home account, the one the ambient credentials reach.
 */
import type { Partition } from '../domain/types';
import type { AccountTarget, AwsAccounts } from '../ports/accounts';
import type { IamGateway } from '../ports/iam';
import { rememberOnce } from './remember-once';

export interface FixedAccount {
  readonly iam: IamGateway;
  /** When known without asking; otherwise GetCallerIdentity tells, once. */
  readonly accountId?: string;
  /** The organization's name for it, shown when it has no alias. */
  readonly name?: string;
  readonly via?: string;
}

export const fixedAccounts = (entries: readonly [FixedAccount, ...FixedAccount[]]): AwsAccounts => {
  const targets: AccountTarget[] = entries.map((entry, index) => ({
    accountId: entry.accountId ?? null,
    name: entry.name ?? null,
    via: entry.via ?? (index === 0 ? 'ambient credentials' : `account ${index + 1}`),
    iam: entry.iam,
  }));
  // Each entry's identity, asked once.
  const identities = targets.map((target) =>
    rememberOnce(async (): Promise<{ accountId: string; partition: Partition }> => {
      const { accountId, partition } = await target.iam.getCallerIdentity();
      return { accountId, partition };
    }),
  );
  const [home] = identities;
  if (home === undefined) throw new Error('fixedAccounts needs at least one account');
  return {
    targets: () => Promise.resolve(targets),
    target: async (accountId) => {
      for (const [index, target] of targets.entries()) {
        const id = target.accountId ?? (await identities[index]?.())?.accountId;
        if (id === accountId) return target;
      }
      return null;
    },
    home,
  };
};

/** The ambient credentials' account alone: what the bot covers without AWS_ACCOUNTS. */
export const ambientAccount = (iam: IamGateway): AwsAccounts => fixedAccounts([{ iam }]);
