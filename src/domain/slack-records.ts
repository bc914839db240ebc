/** What Slack answers, as the Slack port hands it over: plain data, no Web API types. */

/** A Slack user as the bot needs to know them: can a DM reach a person? */
export interface SlackUser {
  readonly id: string;
  readonly deleted: boolean;
  readonly isBot: boolean;
  /** profile.email (users:read.email); null when Slack does not show one. */
  readonly email: string | null;
}

export interface BotIdentity {
  readonly botUserId: string;
  /** The bot's B… id; Bolt uses it to ignore the bot's own events. */
  readonly botId: string;
  /** The bot's user name, for "/invite @name" hints. */
  readonly botName: string;
  readonly teamId: string;
}

/** Whether the bot can post to a channel, as conversations.info tells. */
export type ChannelAccess =
  | { readonly kind: 'ok'; readonly name: string }
  | { readonly kind: 'not_member'; readonly name: string }
  | { readonly kind: 'archived'; readonly name: string }
  | { readonly kind: 'not_found' };

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
}
