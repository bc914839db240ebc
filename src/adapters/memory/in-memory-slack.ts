/**
 * A Slack workspace in memory, for the demo and unit tests: a directory of people and channels,
 * every message the bot sends and every App Home it publishes, kept in order. No token, no network.
 */
import type { BotIdentity, ChannelAccess, PostedMessage, SlackUser } from '../../domain/slack-records';
import { AppError } from '../../errors';
import type { SlackGateway } from '../../ports/slack';
import type { HomeView, ModalView, SlackMessage } from '../../slack/blocks/block-kit';

/**
 * A directory entry; `email` may be left out for a user Slack shows no email for, `teamId` for a
 * member of the bot's own workspace (another team's user is someone from Slack Connect).
 */
export interface MemorySlackUser extends Omit<SlackUser, 'email' | 'teamId' | 'enterpriseId'> {
  readonly email?: string | null;
  readonly teamId?: string;
  readonly enterpriseId?: string | null;
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

export interface MemoryHomeView {
  readonly userId: string;
  readonly view: HomeView;
}

/** An open modal: the trigger_id it was opened with and its content now (views.update replaces it). */
export interface MemoryModal {
  readonly viewId: string;
  readonly triggerId: string;
  view: ModalView;
}

/** Where permalink() points: a stable, obviously fake address. */
export const MEMORY_PERMALINK_BASE = 'https://slack.example/archives/';

export class InMemorySlack implements SlackGateway {
  readonly posts: MemorySlackPost[] = [];
  /** Every views.publish, oldest first: a user's current Home is their latest entry. */
  readonly homeViews: MemoryHomeView[] = [];
  /** Every modal opened, oldest first, as it is now. */
  readonly modals: MemoryModal[] = [];
  private nextTs = 1;
  private readonly dms = new Map<string, string>();

  constructor(
    private readonly users: readonly MemorySlackUser[],
    private readonly channels: readonly MemorySlackChannel[],
    private readonly bot: BotIdentity = {
      botUserId: 'U0MFAGUARD1',
      botId: 'B0MFAGUARD1',
      botName: 'mfa-guard',
      teamId: 'T0DEMO00001',
      enterpriseId: null,
      enterpriseInstall: false,
    },
  ) {}

  identify(): Promise<BotIdentity> {
    return Promise.resolve(this.bot);
  }

  channelAccess(channelId: string): Promise<ChannelAccess> {
    const channel = this.channels.find((c) => c.id === channelId);
    if (channel === undefined) return Promise.resolve({ kind: 'not_found' });
    return Promise.resolve(
      channel.isMember ? { kind: 'ok', name: channel.name } : { kind: 'not_member', name: channel.name },
    );
  }

  /** As Slack does, a deactivated account is not found by its email (users_not_found). */
  findUserByEmail(email: string): Promise<SlackUser | null> {
    const lower = email.toLowerCase();
    return Promise.resolve(this.toSlackUser(this.users.find((u) => !u.deleted && u.email?.toLowerCase() === lower)));
  }

  findUserById(userId: string): Promise<SlackUser | null> {
    return Promise.resolve(this.toSlackUser(this.users.find((u) => u.id === userId)));
  }

  /** A directory entry as the gateway answers it: exactly the SlackUser fields, email null when absent. */
  private toSlackUser(user: MemorySlackUser | undefined): SlackUser | null {
    if (user === undefined) return null;
    return {
      id: user.id,
      deleted: user.deleted,
      isBot: user.isBot,
      email: user.email ?? null,
      teamId: user.teamId ?? this.bot.teamId,
      enterpriseId: user.enterpriseId ?? this.bot.enterpriseId,
    };
  }

  openDm(userId: string): Promise<string> {
    const user = this.users.find((u) => u.id === userId);
    if (user === undefined || user.deleted || user.isBot) {
      return Promise.reject(
        new AppError('slack_user_unreachable', `Slack refused conversations.open: ${userId} cannot receive DMs.`),
      );
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
    if (index < 0)
      return Promise.reject(
        new AppError('slack_error', `Slack refused chat.update: message_not_found (${channel} ${ts}).`),
      );
    this.posts[index] = { channel, ts, message };
    return Promise.resolve();
  }

  publishHome(userId: string, view: HomeView): Promise<void> {
    if (!this.users.some((u) => u.id === userId)) {
      return Promise.reject(
        new AppError(
          'slack_user_unreachable',
          `Slack refused views.publish for ${userId}: user_not_found — no such Slack user.`,
        ),
      );
    }
    this.homeViews.push({ userId, view });
    return Promise.resolve();
  }

  /** Any trigger_id opens one modal; the HTTP fake in test/support is the one that checks their age. */
  openView(triggerId: string, view: ModalView): Promise<string> {
    if (this.modals.some((m) => m.triggerId === triggerId)) {
      return Promise.reject(new AppError('slack_error', 'Slack refused views.open: exchanged_trigger_id.'));
    }
    const viewId = `V${String(this.modals.length + 1).padStart(8, '0')}`;
    this.modals.push({ viewId, triggerId, view });
    return Promise.resolve(viewId);
  }

  updateView(viewId: string, view: ModalView): Promise<void> {
    const modal = this.modals.find((m) => m.viewId === viewId);
    if (modal === undefined)
      return Promise.reject(new AppError('slack_error', 'Slack refused views.update: not_found.'));
    modal.view = view;
    return Promise.resolve();
  }

  /** The Home last published for a user, if any. */
  homeOf(userId: string): HomeView | undefined {
    return this.homeViews.filter((h) => h.userId === userId).at(-1)?.view;
  }

  /**
   * Any channel and ts get a link, posted here or not, so services can be tested with messages
   * they did not post through this instance (the HTTP fake in test/support is the strict one).
   */
  permalink(channel: string, ts: string): Promise<string> {
    return Promise.resolve(`${MEMORY_PERMALINK_BASE}${channel}/p${ts.replace('.', '')}`);
  }
}
