import type { RespondArguments } from '@slack/bolt';

import type { SlackMessage } from '../blocks/block-kit';

/** A reply only the person who asked sees; it never replaces the message they clicked in. */
export const ephemeral = (message: SlackMessage): RespondArguments => ({
  response_type: 'ephemeral',
  replace_original: false,
  text: message.text,
  blocks: [...message.blocks],
});
