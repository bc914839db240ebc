import type { DmMessage } from '../../services/dm-reply';

export type ReadDm =
  { readonly kind: 'message'; readonly message: DmMessage } | { readonly kind: 'ignored'; readonly why: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * A `message` event worth answering: a person writing in their DM with the bot. Bots (this one
 * included: `bot_id`, or the bot's own user ID) are never answered, so two bots cannot talk to each
 * other for ever; nor is anything with a subtype (edits, deletions, joins, bot messages, file
 * shares: none is a person writing anew), nor anything outside the bot's DMs. Only the sender,
 * the channel and the text are read.
 */
export const readDmMessage = (event: unknown, eventId: unknown, botUserId: string | undefined): ReadDm => {
  const ignored = (why: string): ReadDm => ({ kind: 'ignored', why });
  if (!isRecord(event) || event['type'] !== 'message') return ignored('not a message');
  const subtype = event['subtype'];
  if (subtype !== undefined) return ignored(`a message with subtype ${typeof subtype === 'string' ? subtype : '?'}`);
  if (event['bot_id'] !== undefined) return ignored('a message from a bot');
  const userId = text(event['user']);
  if (userId === null) return ignored('a message without a sender');
  if (userId === botUserId) return ignored("the bot's own message");
  if (event['channel_type'] !== 'im') return ignored("a message outside the bot's DMs");
  const channel = text(event['channel']);
  if (channel === null) return ignored('a message without a channel');
  const id = text(eventId);
  // Without its event_id a retry could not be told apart; Slack always sends one.
  if (id === null) return ignored('an event without an event_id');
  return {
    kind: 'message',
    message: { eventId: id, userId, channel, text: typeof event['text'] === 'string' ? event['text'] : '' },
  };
};
