import type { App, BlockAction, RespondFn } from '@slack/bolt';

import { describeError } from '../../errors';
import type { Logger } from '../../ports/logging';
import type { ButtonClick } from '../../services/finding-click';
import {
  APPROVE_REMOVAL_ACTION_ID,
  DENY_REMOVAL_ACTION_ID,
  RECHECK_ACTION_ID,
  REQUEST_REMOVAL_ACTION_ID,
  SHOW_STEPS_ACTION_ID,
} from '../blocks/action-ids';
import type { SlackMessage } from '../blocks/block-kit';
import { buttonClick } from './button-click';
import { registerDmListener } from './dm-listener';
import { ephemeral } from './ephemeral';
import type { InteractionServices } from './interaction-services';

export const STATUS_COMMAND = '/mfa-status';

/**
 * Sends a reply to the person only; a reply that cannot be sent is logged, never thrown. A click in
 * a view (App Home, a modal) carries no response_url, so Bolt gives no respond() there.
 */
const answer = async (respond: RespondFn | undefined, message: SlackMessage, logger: Logger): Promise<void> => {
  if (respond === undefined) {
    logger.info('a request without a response_url (a click in a view) got no reply', { text: message.text });
    return;
  }
  try {
    await respond(ephemeral(message));
  } catch (error) {
    logger.warn('could not answer a Slack request through its response_url', { error: describeError(error) });
  }
};

/** Runs the work after the ack; anything it throws becomes a reply the person can act on. */
const guarded = async (
  respond: RespondFn | undefined,
  services: InteractionServices,
  logger: Logger,
  what: string,
  work: () => Promise<void>,
): Promise<void> => {
  try {
    await work();
  } catch (error) {
    logger.error(`${what} failed`, { error: describeError(error) });
    await answer(respond, services.failureReply(error), logger);
  }
};

/**
 * Every listener acknowledges first (Slack wants an answer within 3 seconds, whatever IAM is doing),
 * then calls a service and answers through response_url or the Web API.
 */
export const registerHandlers = (app: App, services: InteractionServices, logger: Logger): void => {
  app.command(STATUS_COMMAND, async ({ ack, command, respond }) => {
    await ack();
    await guarded(respond, services, logger, STATUS_COMMAND, async () => {
      const reply = await services.status(command.user_id, command.text);
      await answer(respond, reply.message, logger);
      if (reply.followUp !== null) await answer(respond, await reply.followUp, logger);
    });
  });

  const button = (actionId: string, run: (click: ButtonClick) => Promise<SlackMessage | null>): void => {
    app.action<BlockAction>(actionId, async ({ ack, body, respond }) => {
      await ack();
      await guarded(respond, services, logger, actionId, async () => {
        const click = buttonClick(body);
        if (click === null) {
          logger.warn('a button click without a value was ignored', { actionId, user: body.user.id });
          return;
        }
        const reply = await run(click);
        if (reply !== null) await answer(respond, reply, logger);
      });
    });
  };
  button(RECHECK_ACTION_ID, (click) => services.recheck(click));
  button(REQUEST_REMOVAL_ACTION_ID, (click) => services.requestRemoval(click));
  button(APPROVE_REMOVAL_ACTION_ID, (click) => services.approveRemoval(click));
  button(DENY_REMOVAL_ACTION_ID, (click) => services.denyRemoval(click));

  // Its own listener: it needs the click's trigger_id, and the modal is the answer.
  app.action<BlockAction>(SHOW_STEPS_ACTION_ID, async ({ ack, body, respond }) => {
    await ack();
    await guarded(respond, services, logger, SHOW_STEPS_ACTION_ID, async () => {
      const click = buttonClick(body);
      if (click === null) {
        logger.warn('a button click without a value was ignored', {
          actionId: SHOW_STEPS_ACTION_ID,
          user: body.user.id,
        });
        return;
      }
      await services.showSteps({ userId: click.userId, value: click.value, triggerId: body.trigger_id });
    });
  });

  registerDmListener(app, services, logger);

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    try {
      await services.publishHome(event.user);
    } catch (error) {
      logger.error('could not publish the App Home', { user: event.user, error: describeError(error) });
    }
  });
};
