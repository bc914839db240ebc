/** The pure arithmetic of `npm run bench`: percentiles, the throttle's floor, the targets. */

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
};

/** The least time `calls` take through a bucket of `ratePerSecond` (the calls ÷ rate). */
export const throttleFloorSeconds = (calls: number, ratePerSecond: number): number => calls / ratePerSecond;

/** The budget of IAM calls for one account read through the credential report. */
export const reportStrategyCallBudget = (users: number, reportPolls: number, checkedLive: number): number =>
  5 + Math.ceil(users / 1000) + reportPolls + 3 * checkedLive;

/**
 * The least time Slack's rate tiers allow for these calls: each Tier 3 method (users.lookupByEmail,
 * conversations.open) about 50 a minute per workspace, each Tier 4 method (users.info) about 100,
 * and about one chat.postMessage a second per channel (so the busiest channel decides).
 */
export const slackFloorSeconds = (counts: {
  readonly tier3PerMethod: readonly number[];
  readonly tier4PerMethod: readonly number[];
  readonly postsPerChannel: readonly number[];
}): number =>
  Math.max(
    0,
    ...counts.tier3PerMethod.map((n) => (n / 50) * 60),
    ...counts.tier4PerMethod.map((n) => (n / 100) * 60),
    ...counts.postsPerChannel,
  );

/** The first-scan budget: 2 calls per owner with findings, 1 lookup per owner, 1 summary. */
export const slackFirstScanBudget = (ownersWithFindings: number, ownersLookedUp: number): number =>
  2 * ownersWithFindings + ownersLookedUp + 1;

export type TargetState = 'met' | 'missed' | 'estimated' | 'none';

export interface Figure {
  readonly scenario: string;
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  /** The target it is held against, as text (e.g. "≤ 200"), when it has one. */
  readonly target?: string;
  /** True when the target is met; undefined without a target. */
  readonly met?: boolean;
  /** Scaled or computed rather than measured: never fails the bench. */
  readonly estimated?: boolean;
}

export const targetState = (figure: Figure): TargetState => {
  if (figure.met === undefined) return 'none';
  if (figure.estimated === true) return 'estimated';
  return figure.met ? 'met' : 'missed';
};

/** The bench fails only on a measured figure that missed its target. */
export const missedTargets = (figures: readonly Figure[]): Figure[] =>
  figures.filter((figure) => targetState(figure) === 'missed');
