import type { AccountNames } from './account-label';
import type { StatusCounts } from './types';

/**
 * An account as its latest completed scan left it: what `/mfa-status` resolves an alias with and
 * lists per account, without asking AWS (nor listing an organization) per command. Its alias and
 * the organization's name are those that scan read: outside text, escaped by whoever shows them.
 */
export interface ScannedAccount extends AccountNames {
  readonly accountId: string;
  readonly finishedAt: Date;
  readonly counts: StatusCounts;
}
