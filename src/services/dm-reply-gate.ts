import { EMPTY_COOLDOWN, takeReply } from '../domain/reply-cooldown';
import type { Clock } from '../ports/clock';

/**
 * How many event_ids a process remembers. Slack retries an event it thinks went unanswered three
 * times within about six minutes (X-Slack-Retry-Num 1–3), so even at 25 messages a second this
 * covers the retry window; memory stays bounded whatever the traffic.
 */
export const SEEN_EVENTS_MAX = 10_000;

export type GateDecision = 'admitted' | 'duplicate' | 'too_soon';

/**
 * Which messages in the bot's DM get an answer, per process: each Slack event once (by event_id,
 * so a retry is dropped even while the first delivery is still being answered), and each person
 * at most once per REPLY_COOLDOWN_MS. Both live in memory: a second bot process (or a restart)
 * has its own, so at worst a retry that reaches another process is answered twice, which a
 * Recheck survives (its finding closes once).
 */
export interface DmReplyGate {
  admit(eventId: string, slackId: string): GateDecision;
}

export const createDmReplyGate = (clock: Pick<Clock, 'now'>, maxSeen = SEEN_EVENTS_MAX): DmReplyGate => {
  // A Set keeps insertion order, so the first entry is always the oldest one to forget.
  const seen = new Set<string>();
  let cooldown = EMPTY_COOLDOWN;
  return {
    admit: (eventId, slackId) => {
      if (seen.has(eventId)) return 'duplicate';
      seen.add(eventId);
      if (seen.size > maxSeen) {
        const oldest = seen.values().next();
        if (oldest.done !== true) seen.delete(oldest.value);
      }
      const decision = takeReply(cooldown, slackId, clock.now());
      cooldown = decision.state;
      return decision.kind === 'answer' ? 'admitted' : 'too_soon';
    },
  };
};
