import type { StatusCounts } from './types';

/**
 * An account as its latest completed scan left it: what `/mfa-status` resolves an alias with and
 * lists per account, without asking AWS (nor listing an organization) per command.
 */
export interface ScannedAccount {
  readonly accountId: string;
  /** The alias that scan read; null when it read none. Outside text: escaped by whoever shows it. */
  readonly alias: string | null;
  readonly finishedAt: Date;
  readonly counts: StatusCounts;
}
