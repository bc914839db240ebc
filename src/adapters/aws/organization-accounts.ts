import { type Account, ListAccountsCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';

import { organizationListError } from './error-mapping';
import { collectMarkerPages } from './paginate';

/** One account of the organization that a scan covers. */
export interface OrganizationAccount {
  readonly accountId: string;
  /** The organization's name for it: text from outside, escaped by whoever shows it. */
  readonly name: string | null;
}

const CONTEXT = { action: 'organizations:ListAccounts' } as const;

// `Status` is being retired in favour of `State`: read it only from an answer that has no `State`.
const isActive = (account: Account): boolean => (account.State ?? account.Status) === 'ACTIVE';

/**
 * Every ACTIVE account of the organization, all pages, in the order AWS lists them. Throws an
 * `organization_list_failed` AppError, whose hint says where ListAccounts works, when it cannot.
 */
export const listActiveAccounts = async (client: OrganizationsClient): Promise<OrganizationAccount[]> => {
  const accounts = await collectMarkerPages(CONTEXT, async (token) => {
    let page;
    try {
      page = await client.send(new ListAccountsCommand({ NextToken: token }));
    } catch (error) {
      throw organizationListError(error);
    }
    return { items: page.Accounts ?? [], isTruncated: page.NextToken !== undefined, marker: page.NextToken };
  });
  return accounts.flatMap((account) =>
    account.Id === undefined || !isActive(account) ? [] : [{ accountId: account.Id, name: account.Name ?? null }],
  );
};
