import type { RespondArguments, RespondFn } from '@slack/bolt';

import type { SlackMessage } from '../blocks/block-kit';

/** A reply only the person who asked sees; it never replaces the message they clicked in. */
export const ephemeral = (message: SlackMessage): RespondArguments => ({
  response_type: 'ephemeral',
  replace_original: false,
  text: message.text,
  blocks: [...message.blocks],
});

/** Bolt's respond() for a request, sending only ephemeral replies; undefined where Bolt gives none (a click in a view). */
export const ephemeralRespond = (
  respond: RespondFn | undefined,
): ((message: SlackMessage) => Promise<unknown>) | undefined =>
  respond === undefined ? undefined : (message) => respond(ephemeral(message));
