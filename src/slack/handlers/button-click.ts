import type { BlockAction } from '@slack/bolt';

import type { ButtonClick } from '../../services/finding-click';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Who clicked which button where. Only the button's value and the message it sits on are read;
 * the rest of the payload (the message's text and blocks) is never trusted. A click in an
 * ephemeral message (a reply to /mfa-status) is on no message the bot can change: chat.update
 * cannot touch an ephemeral message, so such a click is answered with a new reply instead.
 */
export const buttonClick = (body: BlockAction): ButtonClick | null => {
  const action = body.actions[0];
  const value = action !== undefined && action.type === 'button' ? text(action.value) : null;
  if (value === null) return null;
  const channel = text(body.container['channel_id']) ?? text(body.channel?.id);
  const ts = text(body.container['message_ts']) ?? text(body.message?.ts);
  const onMessage =
    body.container['type'] === 'message' && body.container['is_ephemeral'] !== true && channel !== null && ts !== null;
  return { userId: body.user.id, value, message: onMessage ? { channel, ts } : null };
};
