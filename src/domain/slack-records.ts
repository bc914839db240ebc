/** What Slack answers, as the Slack port hands it over: plain data, no Web API types. */

/** A Slack user as the bot needs to know them: can a DM reach a person? */
export interface SlackUser {
  readonly id: string;
  readonly deleted: boolean;
  readonly isBot: boolean;
  /** profile.email (users:read.email); null when Slack does not show one. */
  readonly email: string | null;
  /** The user's own workspace (team_id); another team's user (Slack Connect) is not a member here. */
  readonly teamId: string | null;
  /** The Enterprise Grid organization the user belongs to (enterprise_user.enterprise_id), if any. */
  readonly enterpriseId: string | null;
}

export interface BotIdentity {
  readonly botUserId: string;
  /** The bot's B… id; Bolt uses it to ignore the bot's own events. */
  readonly botId: string;
  /** The bot's user name, for "/invite @name" hints. */
  readonly botName: string;
  /** The workspace the bot is installed in (auth.test team_id). */
  readonly teamId: string;
  /** The Enterprise Grid organization (auth.test enterprise_id); null outside one. */
  readonly enterpriseId: string | null;
  /** Installed for the whole organization (auth.test is_enterprise_install), not one workspace. */
  readonly enterpriseInstall: boolean;
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
