import type { App } from '@slack/bolt';

import { describeError } from '../../errors';
import type { Logger } from '../../ports/logging';
import { readDmMessage } from './dm-message';
import type { InteractionServices } from './interaction-services';
import { eventOrigin } from './request-origin';

/**
 * `message.im`: what people write to the bot in its DM. Bolt acknowledges events before any
 * listener runs; this one reads the event, drops what is not a person writing in a DM, and hands
 * the rest to the service, which answers in the DM (there is no response_url for events).
 */
export const registerDmListener = (app: App, services: InteractionServices, logger: Logger): void => {
  app.event('message', async ({ event, body, context }) => {
    const read = readDmMessage(event, body.event_id, context.botUserId);
    if (read.kind === 'ignored') {
      logger.debug('a message event was ignored', { why: read.why, eventId: body.event_id });
      return;
    }
    try {
      // Another organization's person is refused (and audited) before anything is read or checked.
      const userTeam = 'user_team' in event ? event.user_team : undefined;
      const origin = eventOrigin(body, { user: read.message.userId, user_team: userTeam });
      if ((await services.admit(origin, { kind: 'event', type: 'message.im' })) !== null) return;
      await services.dmReply(read.message);
    } catch (error) {
      logger.error('answering a message in the DM failed', { user: read.message.userId, error: describeError(error) });
    }
  });
};
