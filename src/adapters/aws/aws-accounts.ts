/**
 * The accounts the bot covers, over AWS: the ambient credentials' account, a list of roles to
 * assume (AWS_ACCOUNTS), or an organization's active accounts (AWS_ORGANIZATION_ROLE_NAME).
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

import type { AccountsSetting, RoleEntry } from '../../domain/account-entries';
import { isAccountId, roleArnFor } from '../../domain/account-entries';
import { AppError } from '../../errors';
import type { AccountTarget, AwsAccounts } from '../../ports/accounts';
import type { IamGateway } from '../../ports/iam';
import { ambientAccount } from '../fixed-accounts';
import { createRoleGateway, type RoleOptions } from './assumed-role';
import { createAwsClients, createOrganizationsClient } from './clients';
import { createAwsIamGateway } from './iam-gateway';
import { listActiveAccounts } from './organization-accounts';

export interface AwsAccountsOptions extends RoleOptions {
  readonly accounts: AccountsSetting;
  /** AWS_ENDPOINT_URL_ORGANIZATIONS. */
  readonly organizationsEndpoint?: string | undefined;
}

const AMBIENT_VIA = 'ambient credentials';

interface Reach {
  readonly ambient: AccountTarget;
  readonly home: AwsAccounts['home'];
  /** One gateway per role, made on first use and kept, so its refreshing credentials are reused. */
  readonly role: (roleArn: string, accountId: string, name: string | null) => AccountTarget;
}

const reach = (options: AwsAccountsOptions): Reach => {
  const iam = createAwsIamGateway(createAwsClients(options));
  // The ambient account's identity, asked once; a failure is not remembered.
  const ambient = ambientAccount(iam);
  const gateways = new Map<string, IamGateway>();
  // One ambient credential chain behind every AssumeRole (it remembers what it found until it
  // nears expiry), instead of one chain per account each asking the instance metadata again.
  const roleOptions = { ...options, credentials: options.credentials ?? fromNodeProviderChain() };
  return {
    ambient: { accountId: null, name: null, via: AMBIENT_VIA, iam },
    home: () => ambient.home(),
    role: (roleArn, accountId, name) => {
      let gateway = gateways.get(roleArn);
      if (gateway === undefined) {
        gateway = createRoleGateway(roleArn, roleOptions);
        gateways.set(roleArn, gateway);
      }
      return { accountId, name, via: roleArn, iam: gateway };
    },
  };
};

/** AWS_ACCOUNTS / AWS_ACCOUNTS_FILE: the listed accounts in the listed order, `self` where it is listed. */
const roleAccounts = (paths: Reach, setting: Extract<AccountsSetting, { kind: 'roles' }>): AwsAccounts => {
  const excluded = new Set(setting.exclude);
  const roles = setting.entries.filter((entry): entry is RoleEntry => entry !== 'self');
  const selfListed = setting.entries.includes('self');
  const roleTarget = (entry: RoleEntry): AccountTarget => paths.role(entry.roleArn, entry.accountId, null);
  return {
    targets: async () => {
      // The ambient account's id, when `self` needs it: to exclude it, or to refuse scanning it twice.
      // Unknown when GetCallerIdentity fails: then `self` is kept and fails on its own in the scan.
      const selfId =
        selfListed && (excluded.size > 0 || roles.length > 0)
          ? await paths.home().then(
              (home) => home.accountId,
              () => null,
            )
          : null;
      if (selfId !== null && roles.some((entry) => entry.accountId === selfId)) {
        throw new AppError(
          'config_invalid',
          `The account list (AWS_ACCOUNTS or AWS_ACCOUNTS_FILE) names the ambient account ${selfId} twice: as self and through a role.`,
          { hint: 'List it once: self scans it with the ambient credentials, a role ARN through that role.' },
        );
      }
      return setting.entries.flatMap((entry) => {
        if (entry === 'self') return selfId !== null && excluded.has(selfId) ? [] : [paths.ambient];
        return excluded.has(entry.accountId) ? [] : [roleTarget(entry)];
      });
    },
    target: async (accountId) => {
      if (excluded.has(accountId)) return null;
      const role = roles.find((entry) => entry.accountId === accountId);
      if (role !== undefined) return roleTarget(role);
      if (selfListed && (await paths.home()).accountId === accountId) return paths.ambient;
      return null;
    },
    home: paths.home,
  };
};

/**
 * AWS_ORGANIZATION_ROLE_NAME: the organization's active accounts, ordered by id, listed again for
 * every scan. The ambient account is scanned with its own credentials; every other account through
 * `arn:<partition>:iam::<id>:role/<roleName>`, in the ambient credentials' partition.
 */
const organizationAccounts = (
  paths: Reach,
  setting: Extract<AccountsSetting, { kind: 'organization' }>,
  options: AwsAccountsOptions,
): AwsAccounts => {
  const excluded = new Set(setting.exclude);
  const organizations = createOrganizationsClient(options);
  // The names from the last listing, for targets asked for between scans; a click never lists again.
  let names = new Map<string, string | null>();
  const targetFor = async (accountId: string, name: string | null): Promise<AccountTarget> => {
    const { accountId: ambientId, partition } = await paths.home();
    if (accountId === ambientId) return { ...paths.ambient, accountId, name };
    return paths.role(roleArnFor(partition, accountId, setting.roleName), accountId, name);
  };
  return {
    targets: async () => {
      await paths.home();
      const listed = await listActiveAccounts(organizations);
      names = new Map(listed.map((account) => [account.accountId, account.name]));
      const kept = listed
        .filter((account) => !excluded.has(account.accountId))
        .sort((a, b) => a.accountId.localeCompare(b.accountId));
      return Promise.all(kept.map((account) => targetFor(account.accountId, account.name)));
    },
    target: async (accountId) =>
      !isAccountId(accountId) || excluded.has(accountId) ? null : targetFor(accountId, names.get(accountId) ?? null),
    home: paths.home,
  };
};

/** The accounts `options.accounts` names, each reached with its own credentials. */
export const createAwsAccounts = (options: AwsAccountsOptions): AwsAccounts => {
  const { accounts } = options;
  switch (accounts.kind) {
    case 'ambient':
      return ambientAccount(createAwsIamGateway(createAwsClients(options)));
    case 'roles':
      return roleAccounts(reach(options), accounts);
    case 'organization':
      return organizationAccounts(reach(options), accounts, options);
  }
};
