import { describeError } from '../../errors';
import type { Logger } from '../../ports/logging';
import type { SlackMessage } from '../blocks/block-kit';
import type { ResponseUrls } from './response-urls';

/** An ephemeral reply through the request's response_url (Bolt's respond(), see ephemeral.ts). */
export type Respond = (message: SlackMessage) => Promise<unknown>;

export interface ReplierDeps {
  readonly responseUrls: ResponseUrls;
  /** A DM to the person (conversations.open, then chat.postMessage); a failure is logged, never thrown. */
  readonly dm: (userId: string, message: SlackMessage) => Promise<unknown>;
  readonly logger: Logger;
}

/** What a request from Slack carries to answer it with. */
export interface ReplyTo {
  readonly userId: string;
  /** Null for a click in a view (App Home, a modal): Slack sends none there, and Bolt gives no respond(). */
  readonly responseUrl: string | null;
  readonly respond: Respond | undefined;
}

/** How one request is answered; nothing it does throws. */
export interface Replier {
  /**
   * Answers the person only: ephemerally through the request's response_url while it has a use
   * left and is young enough (see response-urls.ts), else by DM. A click in App Home, a
   * response_url used up or too old, or one Slack refused, are all answered by DM.
   */
  answer(message: SlackMessage): Promise<void>;
  /** As `answer`, but never by DM: for someone mfa-guard starts no conversation with (another organization). */
  answerWithoutDm(message: SlackMessage): Promise<void>;
}

export const replierFor = (deps: ReplierDeps, request: ReplyTo): Replier => {
  const { logger } = deps;
  // Noted as the request arrives: a response_url's age counts from then, not from the first answer.
  const url = request.responseUrl === null ? null : deps.responseUrls.arrived(request.responseUrl);
  const respond = request.respond;

  /** True when the answer went through the response_url. */
  const viaResponseUrl = async (message: SlackMessage): Promise<boolean> => {
    if (url === null || respond === undefined) return false;
    if (!url.take()) {
      logger.info('a response_url was used up or too old; answering another way', { user: request.userId });
      return false;
    }
    try {
      await respond(message);
      return true;
    } catch (error) {
      logger.warn('could not answer a Slack request through its response_url', { error: describeError(error) });
      return false;
    }
  };

  return {
    answer: async (message) => {
      if (!(await viaResponseUrl(message))) await deps.dm(request.userId, message);
    },
    answerWithoutDm: async (message) => {
      if (!(await viaResponseUrl(message)))
        logger.info('a request could not be answered in place, and gets no DM', { user: request.userId });
    },
  };
};
