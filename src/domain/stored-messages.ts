/** The Slack messages the bot sent (or failed to send), as the notification store keeps them. */

/** An IAM user a Slack message is about. `findingId` is null for users without an open finding. */
export interface MessageSubject {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly findingId: number | null;
}

export type SlackMessageKind = 'nudge' | 'summary';

export type MessageOutcome =
  | { readonly status: 'sent'; readonly channel: string; readonly ts: string }
  | { readonly status: 'failed'; readonly error: string };

export interface SlackMessageRecord {
  readonly kind: SlackMessageKind;
  /** The scan the message reports on; null for messages outside a scan. */
  readonly scanId: number | null;
  readonly accountId: string | null;
  /** The Slack user ID a nudge is for, or the channel ID a summary goes to. */
  readonly recipient: string;
  readonly outcome: MessageOutcome;
  readonly at: Date;
  /** The users the message covers, in the order it shows them. */
  readonly subjects: readonly MessageSubject[];
}

export interface StoredSlackMessage extends SlackMessageRecord {
  readonly id: number;
}
