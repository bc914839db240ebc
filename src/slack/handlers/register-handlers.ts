import type { App, BlockAction } from '@slack/bolt';

import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logging';
import { SHOW_STEPS_ACTION_ID } from '../blocks/action-ids';
import { buttonClick } from './button-click';
import { registerDmListener } from './dm-listener';
import { ephemeralRespond } from './ephemeral';
import type { InteractionServices } from './interaction-services';
import { BUTTON_SERVICES, createRequestHandling } from './request-handling';
import { actionOrigin, commandOrigin, eventOrigin } from './request-origin';

export const STATUS_COMMAND = '/mfa-status';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Every listener acknowledges first (Slack wants an answer within 3 seconds, whatever IAM is doing),
 * then reads the payload and hands it to request-handling.ts, which checks the organization, calls
 * a service and answers (through response_url, or by DM where there is none or it is spent).
 */
export const registerHandlers = (
  app: App,
  services: InteractionServices,
  logger: Logger,
  clock: Pick<Clock, 'now'>,
): void => {
  const handling = createRequestHandling(services, logger, clock);

  app.command(STATUS_COMMAND, async ({ ack, command, respond }) => {
    await ack();
    await handling.command({
      origin: commandOrigin(command),
      text: command.text,
      replyTo: { userId: command.user_id, responseUrl: text(command.response_url), respond: ephemeralRespond(respond) },
    });
  });

  for (const actionId of Object.keys(BUTTON_SERVICES)) {
    app.action<BlockAction>(actionId, async ({ ack, body, respond }) => {
      await ack();
      await handling.button({
        origin: actionOrigin(body),
        actionId,
        click: buttonClick(body),
        replyTo: { userId: body.user.id, responseUrl: text(body.response_url), respond: ephemeralRespond(respond) },
      });
    });
  }

  // Its own listener: it needs the click's trigger_id, and the modal is the answer.
  app.action<BlockAction>(SHOW_STEPS_ACTION_ID, async ({ ack, body, respond }) => {
    await ack();
    await handling.showSteps({
      origin: actionOrigin(body),
      value: buttonClick(body)?.value ?? null,
      triggerId: body.trigger_id,
      replyTo: { userId: body.user.id, responseUrl: text(body.response_url), respond: ephemeralRespond(respond) },
    });
  });

  registerDmListener(app, services, logger);

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    await handling.homeOpened(eventOrigin(body, event));
  });
};
