/**
 * How many live IAM checks people may start from Slack: a sliding window of one minute, per Slack
 * user and in total. The scan shares the account's IAM request rate, so a person (or a script)
 * sending `/mfa-status <user>` in a loop must not starve it. Pure: the caller keeps the state and
 * passes `now`.
 */

export const RATE_WINDOW_MS = 60_000;

export interface LiveCheckLimits {
  /** Live checks one Slack user may start per minute (approvers are held only to the total). */
  readonly perUserPerMinute: number;
  /** Live checks everyone together may start per minute. */
  readonly perMinute: number;
}

/** When each counted check started (ms since the epoch), oldest first: in total and per Slack user. */
export interface RateState {
  readonly total: readonly number[];
  readonly byUser: ReadonlyMap<string, readonly number[]>;
}

export const EMPTY_RATE_STATE: RateState = { total: [], byUser: new Map() };

export type RateDecision =
  | { readonly kind: 'allowed'; readonly state: RateState }
  /** Nothing was counted; `retryAt` is when a check by this person would be allowed again. */
  | { readonly kind: 'limited'; readonly retryAt: Date; readonly state: RateState };

const recent = (starts: readonly number[], now: number): number[] =>
  starts.filter((at) => at > now - RATE_WINDOW_MS && at <= now);

/** When a window holding `starts` (oldest first) has room for one more, or null when it has room now. */
const roomAt = (starts: readonly number[], limit: number): number | null => {
  if (starts.length < limit) return null;
  // The (length - limit + 1)-th oldest must leave the window first.
  const leaving = starts[starts.length - limit];
  return leaving === undefined ? null : leaving + RATE_WINDOW_MS;
};

/**
 * Counts one live check by `slackId` if both windows have room; an approver's counts only in the
 * total. Checks that leave the window are forgotten, and so are people with none left, so the
 * state stays as small as the last minute's traffic.
 */
export const takeLiveCheck = (
  state: RateState,
  who: { readonly slackId: string; readonly approver: boolean },
  limits: LiveCheckLimits,
  now: Date,
): RateDecision => {
  const at = now.getTime();
  const total = recent(state.total, at);
  const byUser = new Map<string, number[]>();
  for (const [slackId, starts] of state.byUser) {
    const kept = recent(starts, at);
    if (kept.length > 0) byUser.set(slackId, kept);
  }
  const own = byUser.get(who.slackId) ?? [];
  const waits = [
    roomAt(total, limits.perMinute),
    ...(who.approver ? [] : [roomAt(own, limits.perUserPerMinute)]),
  ].filter((w): w is number => w !== null);
  if (waits.length > 0) {
    return { kind: 'limited', retryAt: new Date(Math.max(...waits)), state: { total, byUser } };
  }
  if (!who.approver) byUser.set(who.slackId, [...own, at]);
  return { kind: 'allowed', state: { total: [...total, at], byUser } };
};
