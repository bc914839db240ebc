/**
 * The AWS account an interaction is about, looked up per account: its label from stored data (the
 * alias and the organization's name its latest completed scan read) and its partition from the home account, which every
 * covered account shares. What a request may do there is reached only through `accounts.target`.
 */
import type { AccountRef } from '../domain/types';
import type { AwsAccounts } from '../ports/accounts';
import type { IamGateway } from '../ports/iam';
import type { ScanStore } from '../ports/stores';

export interface AccountRefDeps {
  readonly accounts: Pick<AwsAccounts, 'home'>;
  readonly scans: Pick<ScanStore, 'accountNames'>;
}

/** The account as people see it; no IAM call besides the home account's identity, asked once. */
export const accountRefOf = async (deps: AccountRefDeps, accountId: string): Promise<AccountRef> => ({
  accountId,
  partition: (await deps.accounts.home()).partition,
  ...(await deps.scans.accountNames(accountId)),
});

export interface ReachDeps extends AccountRefDeps {
  readonly accounts: Pick<AwsAccounts, 'home' | 'target'>;
}

/** An account the bot covers, with the gateway that acts in it with its own credentials. */
export interface Reached {
  readonly account: AccountRef;
  readonly iam: IamGateway;
}

/**
 * The account and its gateway, or null when the bot does not cover it (any more: a database reused
 * after the accounts changed). Nothing may act in an account through another account's credentials.
 */
export const reachAccount = async (deps: ReachDeps, accountId: string): Promise<Reached | null> => {
  const target = await deps.accounts.target(accountId);
  return target === null ? null : { account: await accountRefOf(deps, accountId), iam: target.iam };
};

/** What a person is told when a request is about an account the bot does not cover. */
export const notCoveredWords = (accountId: string): string =>
  `mfa-guard does not cover AWS account ${accountId} any more, so it cannot act there. Nothing was changed; ask your security team if that account should be covered again.`;
