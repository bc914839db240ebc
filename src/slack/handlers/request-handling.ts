/**
 * What happens to a request once Slack has its ack, whichever way it came (Bolt over HTTP or Socket
 * Mode, or a test calling it in process): the organization check first, then the service, then the
 * answer, to the person only. The listeners in register-handlers.ts only read the payload.
 */
import type { RequestOrigin } from '../../domain/organization';
import { describeError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logging';
import type { ButtonClick } from '../../services/finding-click';
import type { AdmitRequest } from '../../services/organization-check';
import {
  APPROVE_REMOVAL_ACTION_ID,
  DENY_REMOVAL_ACTION_ID,
  RECHECK_ACTION_ID,
  REQUEST_REMOVAL_ACTION_ID,
  SHOW_STEPS_ACTION_ID,
} from '../blocks/action-ids';
import type { SlackMessage } from '../blocks/block-kit';
import type { InteractionServices } from './interaction-services';
import { type Replier, replierFor, type ReplyTo } from './replier';
import { createResponseUrls } from './response-urls';

/** The buttons answered with a message (or by updating the message they are on: null). */
export const BUTTON_SERVICES: Readonly<
  Record<string, (services: InteractionServices, click: ButtonClick) => Promise<SlackMessage | null>>
> = {
  [RECHECK_ACTION_ID]: (services, click) => services.recheck(click),
  [REQUEST_REMOVAL_ACTION_ID]: (services, click) => services.requestRemoval(click),
  [APPROVE_REMOVAL_ACTION_ID]: (services, click) => services.approveRemoval(click),
  [DENY_REMOVAL_ACTION_ID]: (services, click) => services.denyRemoval(click),
};

export interface CommandRequest {
  readonly origin: RequestOrigin;
  readonly text: string;
  readonly replyTo: ReplyTo;
}

export interface ButtonRequest {
  readonly origin: RequestOrigin;
  readonly actionId: string;
  /** Null when the click carried no button value. */
  readonly click: ButtonClick | null;
  readonly replyTo: ReplyTo;
}

export interface StepsRequest {
  readonly origin: RequestOrigin;
  /** Null when the click carried no button value. */
  readonly value: string | null;
  readonly triggerId: string;
  readonly replyTo: ReplyTo;
}

export interface RequestHandling {
  /** `/mfa-status <text>`. */
  command(request: CommandRequest): Promise<void>;
  /** A Recheck, Remove, Approve or Deny click. */
  button(request: ButtonRequest): Promise<void>;
  /** Show CLI steps: the modal is the answer. */
  showSteps(request: StepsRequest): Promise<void>;
  /** The App Home tab was opened. */
  homeOpened(origin: RequestOrigin): Promise<void>;
}

/** One per process: the response_urls it was given are counted across requests (Slack's retries share one). */
export const createRequestHandling = (
  services: InteractionServices,
  logger: Logger,
  clock: Pick<Clock, 'now'>,
): RequestHandling => {
  const replies = {
    responseUrls: createResponseUrls(clock),
    dm: (userId: string, message: SlackMessage) => services.sendDm(userId, message),
    logger,
  };

  /**
   * The organization check, then the work. A refused request is answered in place only (no DM to
   * another organization's person); anything the work throws becomes an answer they can act on.
   */
  const handle = async (
    what: string,
    origin: RequestOrigin,
    request: AdmitRequest,
    replier: Replier,
    work: () => Promise<void>,
  ): Promise<void> => {
    let admitted = false;
    try {
      const refusal = await services.admit(origin, request);
      if (refusal !== null) {
        await replier.answerWithoutDm(refusal);
        return;
      }
      admitted = true;
      await work();
    } catch (error) {
      logger.error(`${what} failed`, { error: describeError(error) });
      const reply = services.failureReply(error);
      await (admitted ? replier.answer(reply) : replier.answerWithoutDm(reply));
    }
  };

  return {
    command: async ({ origin, text, replyTo }) => {
      const replier = replierFor(replies, replyTo);
      await handle('/mfa-status', origin, { kind: 'command', text }, replier, async () => {
        const reply = await services.status(origin.userId, text);
        await replier.answer(reply.message);
        // A scan's outcome goes by DM (the service sends it); waiting keeps the request's work together.
        if (reply.followUp !== null) await reply.followUp;
      });
    },

    button: async ({ origin, actionId, click, replyTo }) => {
      const replier = replierFor(replies, replyTo);
      const run = BUTTON_SERVICES[actionId];
      await handle(actionId, origin, { kind: 'button', actionId }, replier, async () => {
        if (click === null || run === undefined) {
          logger.warn('a button click without a value was ignored', { actionId, user: origin.userId });
          return;
        }
        const reply = await run(services, click);
        if (reply !== null) await replier.answer(reply);
      });
    },

    showSteps: async ({ origin, value, triggerId, replyTo }) => {
      const replier = replierFor(replies, replyTo);
      await handle('Show CLI steps', origin, { kind: 'button', actionId: SHOW_STEPS_ACTION_ID }, replier, async () => {
        if (value === null) {
          logger.warn('a button click without a value was ignored', {
            actionId: SHOW_STEPS_ACTION_ID,
            user: origin.userId,
          });
          return;
        }
        await services.showSteps({ userId: origin.userId, value, triggerId });
      });
    },

    homeOpened: async (origin) => {
      try {
        // Refused and audited, and nothing is published: App Home has no place for an answer.
        if ((await services.admit(origin, { kind: 'event', type: 'app_home_opened' })) !== null) return;
        await services.publishHome(origin.userId);
      } catch (error) {
        logger.error('could not publish the App Home', { user: origin.userId, error: describeError(error) });
      }
    },
  };
};
