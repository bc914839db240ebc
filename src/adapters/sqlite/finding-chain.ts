import type Database from 'better-sqlite3';

import type { NewFinding } from '../../domain/types';
import { AppError } from '../../errors';
import { toIso } from './row-reader';

// Only a fixed finding of the same IAM user in the same account can be continued.
const SELECT_CHAIN_START = `
SELECT chain_started_at FROM findings
WHERE id = @id AND account_id = @account_id AND user_id = @user_id AND close_reason = 'fixed'`;

/**
 * Checks, inside the caller's transaction, the chain of a finding about to be opened: one that
 * starts a chain starts it when it opens; one that continues a chain names a fixed finding of the
 * same account and IAM user and carries that one's chain start. A finding chained to another user
 * would make escalation count from someone else's history, so it is refused (throws).
 */
export const prepareCheckChain = (db: Database.Database): ((finding: NewFinding) => void) => {
  const selectChainStart = db.prepare(SELECT_CHAIN_START).pluck();
  return (finding) => {
    const expected: unknown =
      finding.reopensId === null
        ? toIso(finding.openedAt)
        : selectChainStart.get({ id: finding.reopensId, account_id: finding.accountId, user_id: finding.userId });
    if (expected === toIso(finding.chainStartedAt)) return;
    const continues = finding.reopensId === null ? 'starts a chain' : `continues finding ${finding.reopensId}`;
    throw new AppError(
      'database_error',
      `The scan of account ${finding.accountId} opens a finding of user "${finding.userName}" (${finding.userId}) that ${continues}, but ` +
        (typeof expected === 'string'
          ? `says its chain started ${toIso(finding.chainStartedAt)} instead of ${expected}`
          : 'that is no finding of the same user closed as fixed') +
        '; nothing of this scan was saved.',
      { hint: 'This is a bug in mfa-guard; please report it.' },
    );
  };
};
