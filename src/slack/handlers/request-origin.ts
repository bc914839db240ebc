import type { BlockAction, SlashCommand } from '@slack/bolt';

import type { RequestOrigin } from '../../domain/organization';

/**
 * Where the person behind a request comes from, read from the fields Slack documents for each kind
 * of request. Only the acting user's own team counts (not the workspace the request passed
 * through): in a channel shared over Slack Connect that is another organization's.
 */
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A slash command: `team_id` (and `enterprise_id` in Enterprise Grid). */
export const commandOrigin = (command: Pick<SlashCommand, 'user_id' | 'team_id' | 'enterprise_id'>): RequestOrigin => ({
  userId: command.user_id,
  teamId: text(command.team_id),
  enterpriseId: text(command.enterprise_id),
});

/** A button click: `user.team_id` (and the payload's enterprise in Enterprise Grid). */
export const actionOrigin = (body: Pick<BlockAction, 'user' | 'team' | 'enterprise'>): RequestOrigin => ({
  userId: body.user.id,
  teamId: text(body.user.team_id),
  enterpriseId: text(body.enterprise?.id) ?? text(body.team?.enterprise_id),
});

/** An Events API callback: the event's `user_team`, else the envelope's `team_id` (and its `enterprise_id`). */
export const eventOrigin = (
  body: { readonly team_id?: unknown; readonly enterprise_id?: unknown },
  event: { readonly user: string; readonly user_team?: unknown },
): RequestOrigin => ({
  userId: event.user,
  teamId: text(event.user_team) ?? text(body.team_id),
  enterpriseId: text(body.enterprise_id),
});
