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
  /**
   * The scan the message reports on; for a message about several accounts of a run, the scan of
   * the one that started first (its start is when the message counts as sent for nudge cadence).
   * Null for messages outside a scan.
   */
  readonly scanId: number | null;
  /**
   * The account the message is about; null when it is about several (a run's summary, a DM to an
   * owner of users in several accounts: its subjects carry each user's account) or none is known.
   */
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
