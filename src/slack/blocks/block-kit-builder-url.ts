import type { SlackMessage } from './block-kit';

/**
 * A link that opens the message in Slack's Block Kit Builder, the format Slack's own docs use:
 * the URL-encoded `{"blocks":[…]}` after `#`. The builder shows the blocks without sending anything.
 */
export const blockKitBuilderUrl = (message: SlackMessage): string =>
  `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify({ blocks: message.blocks }))}`;
