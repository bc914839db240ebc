/**
 * IAM-like throttling for the fake AWS endpoint: `ratePerSecond` tokens a second, at most `burst`
 * saved up. Pure: the caller passes the time, so tests need no clock.
 */
export interface TokenBucketSettings {
  readonly ratePerSecond: number;
  readonly burst: number;
}

export interface TokenBucket {
  /** Takes one token at `nowMs` when there is one; false means the call is throttled. */
  take(nowMs: number): boolean;
}

export const createTokenBucket = ({ ratePerSecond, burst }: TokenBucketSettings, startMs: number): TokenBucket => {
  let tokens = burst;
  let last = startMs;
  return {
    take(nowMs) {
      // A clock that goes backwards (it should not) never mints tokens.
      tokens = Math.min(burst, tokens + (Math.max(0, nowMs - last) / 1000) * ratePerSecond);
      last = Math.max(last, nowMs);
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
};
