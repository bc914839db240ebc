import { aliasFromList } from '../domain/account-label';
import type { AccountRef } from '../domain/types';
import { describeError } from '../errors';
import type { IamGateway } from '../ports/iam';
import type { Logger } from '../ports/logging';
import type { ScanStore } from '../ports/stores';

export interface AccountOnceDeps {
  readonly iam: Pick<IamGateway, 'getCallerIdentity' | 'listAccountAliases'>;
  readonly scans: Pick<ScanStore, 'accountAlias'>;
  readonly logger: Logger;
}

/**
 * The AWS account behind the IAM credentials, asked once; a failure is not remembered. Its alias is
 * read once too: when it cannot be read (AccessDenied, say) the alias the last scan stored is shown
 * instead, and IAM is asked again next time, so one hiccup does not hide the alias for good.
 */
export const accountOnce = (deps: AccountOnceDeps): (() => Promise<AccountRef>) => {
  let known: AccountRef | null = null;
  return async () => {
    if (known !== null) return known;
    const identity = await deps.iam.getCallerIdentity();
    try {
      const alias = aliasFromList(await deps.iam.listAccountAliases());
      known = { accountId: identity.accountId, partition: identity.partition, alias };
      return known;
    } catch (error) {
      deps.logger.warn('account alias unreadable; showing the one the last scan stored', {
        reason: describeError(error),
      });
      const alias = await deps.scans.accountAlias(identity.accountId);
      return { accountId: identity.accountId, partition: identity.partition, alias };
    }
  };
};
