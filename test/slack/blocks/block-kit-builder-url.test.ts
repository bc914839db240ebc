import type { SlackMessage } from '../../../src/slack/blocks/block-kit';
import { blockKitBuilderUrl } from '../../../src/slack/blocks/block-kit-builder-url';
import { buildNudgeMessage } from '../../../src/slack/blocks/nudge-message';
import { HOSTILE, messageUsers, nudgeInput } from './fixtures';

const PREFIX = 'https://app.slack.com/block-kit-builder/#';

describe('blockKitBuilderUrl', () => {
  it('puts the URL-encoded {"blocks": …} after the fragment mark', () => {
    const message: SlackMessage = {
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi & <b>', verbatim: true } }],
    };
    expect(blockKitBuilderUrl(message)).toBe(
      `${PREFIX}%7B%22blocks%22%3A%5B%7B%22type%22%3A%22section%22%2C%22text%22%3A%7B%22type%22%3A%22mrkdwn%22%2C%22text%22%3A%22Hi%20%26%20%3Cb%3E%22%2C%22verbatim%22%3Atrue%7D%7D%5D%7D`,
    );
  });

  it('round-trips a whole nudge, and nothing in it can end the URL early', () => {
    const message = buildNudgeMessage(nudgeInput(messageUsers(['alice', HOSTILE]), { ownerSlackId: 'U1' }));
    const url = blockKitBuilderUrl(message);
    expect(url.startsWith(PREFIX)).toBe(true);
    const fragment = url.slice(PREFIX.length);
    expect(fragment).not.toMatch(/[\s#"<>]/);
    expect(JSON.parse(decodeURIComponent(fragment))).toEqual({ blocks: JSON.parse(JSON.stringify(message.blocks)) });
  });
});
