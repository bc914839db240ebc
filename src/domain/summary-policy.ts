/** Whether a scan's summary is worth a message in the security channel. */
export type SummaryWhen = 'always' | 'changes';

export interface SummaryFacts {
  readonly newFindings: number;
  readonly fixed: number;
  readonly newlyEscalated: number;
  readonly failedDms: number;
  /** Users in status error and problems the scan reported: someone has to look at them. */
  readonly errors: number;
  /** Root has no MFA now and had it (or was unknown) in the previous completed scan. */
  readonly rootNewlyUnprotected: boolean;
}

export const shouldPostSummary = (when: SummaryWhen, facts: SummaryFacts): boolean =>
  when === 'always' ||
  facts.newFindings > 0 ||
  facts.fixed > 0 ||
  facts.newlyEscalated > 0 ||
  facts.failedDms > 0 ||
  facts.errors > 0 ||
  facts.rootNewlyUnprotected;
