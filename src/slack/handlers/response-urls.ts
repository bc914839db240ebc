import type { Clock } from '../../ports/clock';

/** Slack: a response_url may be used at most 5 times. */
export const RESPONSE_URL_MAX_USES = 5;
/**
 * Slack: a response_url works for 30 minutes. We stop at 25: Slack made it a little before the
 * request reached us, and a POST started at minute 29 may land after 30.
 */
export const RESPONSE_URL_MAX_AGE_MS = 25 * 60_000;
/**
 * How long the uses of a response_url are remembered for requests still to come with it. Slack
 * re-sends a request within minutes, never half an hour later; a request already here keeps its
 * count however long its work takes.
 */
const REMEMBER_MS = 2 * 60 * 60_000;

/** One request's response_url. */
export interface ResponseUrl {
  /**
   * Takes one use when the URL has one left and is at most 25 minutes old; false means answer
   * some other way (a DM). Checked and counted with nothing awaited in between, so two answers at
   * once cannot both take the 5th use.
   */
  take(): boolean;
}

/**
 * The response_urls this process has been given: when each first arrived and how often it was
 * used. One URL can come with several requests (Slack's retries re-send it), so uses are counted
 * per URL, not per request.
 */
export interface ResponseUrls {
  /** The response_url of a request that just arrived; a retry shares the first arrival's count and age. */
  arrived(url: string): ResponseUrl;
}

interface Entry {
  readonly arrivedAt: number;
  uses: number;
}

export const createResponseUrls = (clock: Pick<Clock, 'now'>): ResponseUrls => {
  const urls = new Map<string, Entry>();
  return {
    arrived: (url) => {
      const arrivedAt = clock.now().getTime();
      for (const [known, entry] of urls) if (arrivedAt - entry.arrivedAt > REMEMBER_MS) urls.delete(known);
      const entry = urls.get(url) ?? { arrivedAt, uses: 0 };
      urls.set(url, entry);
      return {
        take: () => {
          const age = clock.now().getTime() - entry.arrivedAt;
          if (entry.uses >= RESPONSE_URL_MAX_USES || age > RESPONSE_URL_MAX_AGE_MS) return false;
          entry.uses += 1;
          return true;
        },
      };
    },
  };
};
