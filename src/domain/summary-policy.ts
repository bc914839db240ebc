/** Whether a run's summary is worth a message in the security channel. */
export type SummaryWhen = 'always' | 'changes';

export interface SummaryFacts {
  readonly newFindings: number;
  readonly fixed: number;
  readonly newlyEscalated: number;
  readonly failedDms: number;
  /** Users in status error or problems the scan reported differ from the previous scan's. */
  readonly errorsChanged: boolean;
  /** Root has no MFA now and had it (or was unknown) in the previous completed scan. */
  readonly rootNewlyUnprotected: boolean;
  /**
   * Offenders with nobody to nudge that the channel has not been told about within the nudge
   * interval: the channel is their owner, so they must not go silent between other changes.
   */
  readonly unownedDue: number;
  /** The previous summary never reached the channel, so what it said is still unsaid. */
  readonly previousSummaryFailed: boolean;
}

export const shouldPostSummary = (when: SummaryWhen, facts: SummaryFacts): boolean =>
  when === 'always' ||
  facts.newFindings > 0 ||
  facts.fixed > 0 ||
  facts.newlyEscalated > 0 ||
  facts.failedDms > 0 ||
  facts.errorsChanged ||
  facts.rootNewlyUnprotected ||
  facts.unownedDue > 0 ||
  facts.previousSummaryFailed;

/** What a run's summary is decided on: each completed account's own facts, and the accounts that failed. */
export interface RunSummaryFacts {
  /** One per completed account, each compared only with that account's previous completed scan. */
  readonly accounts: readonly SummaryFacts[];
  readonly failedAccounts: number;
}

/**
 * One summary per run: posted when any account has something to say, and always when an account
 * failed, since nobody else hears of it.
 */
export const shouldPostRunSummary = (when: SummaryWhen, facts: RunSummaryFacts): boolean =>
  when === 'always' || facts.failedAccounts > 0 || facts.accounts.some((account) => shouldPostSummary(when, account));
