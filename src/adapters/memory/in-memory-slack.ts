/**
 * A Slack workspace in memory, for the demo: a directory of people and channels, and every message
 * the bot sends kept in order. No token, no network.
 */
import { AppError } from '../../errors';
import type { BotIdentity, ChannelAccess, PostedMessage, SlackGateway, SlackUser } from '../../ports';
import type { SlackMessage } from '../../slack/blocks/block-kit';

export interface MemorySlackUser extends SlackUser {
  readonly email?: string;
}

export interface MemorySlackChannel {
  readonly id: string;
  readonly name: string;
  readonly isMember: boolean;
}

export interface MemorySlackPost {
  readonly channel: string;
  readonly ts: string;
  readonly message: SlackMessage;
}

export class InMemorySlack implements SlackGateway {
  readonly posts: MemorySlackPost[] = [];
  private nextTs = 1;
  private readonly dms = new Map<string, string>();

  constructor(
    private readonly users: readonly MemorySlackUser[],
    private readonly channels: readonly MemorySlackChannel[],
    private readonly bot: BotIdentity = { botUserId: 'U0MFAGUARD1', botId: 'B0MFAGUARD1', botName: 'mfa-guard', teamId: 'T0DEMO00001' },
  ) {}

  identify(): Promise<BotIdentity> {
    return Promise.resolve(this.bot);
  }

  channelAccess(channelId: string): Promise<ChannelAccess> {
    const channel = this.channels.find((c) => c.id === channelId);
    if (channel === undefined) return Promise.resolve({ kind: 'not_found' });
    return Promise.resolve(channel.isMember ? { kind: 'ok', name: channel.name } : { kind: 'not_member', name: channel.name });
  }

  findUserByEmail(email: string): Promise<SlackUser | null> {
    const lower = email.toLowerCase();
    return Promise.resolve(this.users.find((u) => u.email?.toLowerCase() === lower) ?? null);
  }

  findUserById(userId: string): Promise<SlackUser | null> {
    return Promise.resolve(this.users.find((u) => u.id === userId) ?? null);
  }

  openDm(userId: string): Promise<string> {
    const user = this.users.find((u) => u.id === userId);
    if (user === undefined || user.deleted || user.isBot) {
      return Promise.reject(new AppError('slack_user_unreachable', `Slack refused conversations.open: ${userId} cannot receive DMs.`));
    }
    const channel = `D${userId.slice(1)}`;
    this.dms.set(channel, userId);
    return Promise.resolve(channel);
  }

  /** The Slack user a DM channel opened by openDm belongs to. */
  dmUser(channel: string): string | undefined {
    return this.dms.get(channel);
  }

  postMessage(channel: string, message: SlackMessage): Promise<PostedMessage> {
    const ts = `1700000000.${String(this.nextTs++).padStart(6, '0')}`;
    this.posts.push({ channel, ts, message });
    return Promise.resolve({ channel, ts });
  }

  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void> {
    const index = this.posts.findIndex((p) => p.channel === channel && p.ts === ts);
    if (index < 0) return Promise.reject(new AppError('slack_error', `Slack refused chat.update: message_not_found (${channel} ${ts}).`));
    this.posts[index] = { channel, ts, message };
    return Promise.resolve();
  }
}
