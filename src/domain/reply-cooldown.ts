/**
 * At most one answer per person per REPLY_COOLDOWN_MS to what they write in the bot's DM: a person
 * (or a script) sending ten messages in a second gets one answer, not ten, and ten live checks are
 * not started ten times. Messages in the window are dropped, not queued: a queue would answer them
 * late, all at once. Pure: the caller keeps the state and passes `now`.
 */

export const REPLY_COOLDOWN_MS = 5_000;

/** When each person was last answered (ms since the epoch), only for the last REPLY_COOLDOWN_MS. */
export type CooldownState = ReadonlyMap<string, number>;

export const EMPTY_COOLDOWN: CooldownState = new Map();

export type CooldownDecision =
  { readonly kind: 'answer'; readonly state: CooldownState } | { readonly kind: 'drop'; readonly state: CooldownState };

/** Within the window after `answeredAt`; a clock set back since then does not hold anyone back. */
const cooling = (answeredAt: number, now: number): boolean => now >= answeredAt && now - answeredAt < REPLY_COOLDOWN_MS;

/**
 * Whether `slackId` may be answered at `now`; answering counts from now. People whose window has
 * closed are forgotten, so the state stays as small as the last few seconds' traffic.
 */
export const takeReply = (state: CooldownState, slackId: string, now: Date): CooldownDecision => {
  const at = now.getTime();
  const kept = new Map([...state].filter(([, answeredAt]) => cooling(answeredAt, at)));
  if (kept.has(slackId)) return { kind: 'drop', state: kept };
  kept.set(slackId, at);
  return { kind: 'answer', state: kept };
};
