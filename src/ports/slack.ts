// The only port that may name Block Kit types: they are the plain data it carries to Slack.
import type { BotIdentity, ChannelAccess, PostedMessage, SlackUser } from '../domain/slack-records';
import type { HomeView, ModalView, SlackMessage } from '../slack/blocks/block-kit';

/**
 * The Slack Web API calls mfa-guard makes, all through SLACK_API_URL. Every method throws an
 * AppError with a `slack_*` code on failure; its message names the method and Slack's error code.
 */
export interface SlackGateway {
  /** auth.test */
  identify(): Promise<BotIdentity>;
  /** conversations.info */
  channelAccess(channelId: string): Promise<ChannelAccess>;
  /** users.lookupByEmail; null on users_not_found. */
  findUserByEmail(email: string): Promise<SlackUser | null>;
  /** users.info; null on user_not_found. */
  findUserById(userId: string): Promise<SlackUser | null>;
  /** conversations.open; the DM channel's ID. */
  openDm(userId: string): Promise<string>;
  /** chat.postMessage */
  postMessage(channel: string, message: SlackMessage): Promise<PostedMessage>;
  /** chat.update */
  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** views.publish: the user's App Home tab. */
  publishHome(userId: string, view: HomeView): Promise<void>;
  /** chat.getPermalink: a link people can open to a message. */
  permalink(channel: string, ts: string): Promise<string>;
  /**
   * views.open: a modal for the person who clicked; the view's ID. A trigger_id is good for 3
   * seconds and once, so this must be the first call a click makes.
   */
  openView(triggerId: string, view: ModalView): Promise<string>;
  /** views.update: replaces an open modal's content. */
  updateView(viewId: string, view: ModalView): Promise<void>;
}
