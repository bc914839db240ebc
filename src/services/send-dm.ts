import { describeError } from '../errors';
import type { Logger } from '../ports/logging';
import type { SlackGateway } from '../ports/slack';
import type { SlackMessage } from '../slack/blocks/block-kit';

/**
 * A DM to one person (conversations.open, then chat.postMessage): where an answer goes when there
 * is no response_url to use (a click in App Home, a scan's outcome, a response_url used up or too
 * old). It is a courtesy, not the action: a failure is logged and the flow goes on.
 */
export const sendDm = async (
  deps: { readonly slack: SlackGateway; readonly logger: Logger },
  userId: string,
  message: SlackMessage,
): Promise<boolean> => {
  try {
    const channel = await deps.slack.openDm(userId);
    await deps.slack.postMessage(channel, message);
    return true;
  } catch (error) {
    deps.logger.warn('could not DM a person', { recipient: userId, error: describeError(error) });
    return false;
  }
};
