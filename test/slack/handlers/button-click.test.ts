import type { BlockAction } from '@slack/bolt';

import { buttonClick } from '../../../src/slack/handlers/button-click';

const BUTTON = {
  type: 'button',
  action_id: 'mfa_recheck',
  block_id: 'b',
  action_ts: '1.2',
  text: { type: 'plain_text', text: 'Recheck' },
} as const;

/** A block_actions body as Slack sends it (view clicks carry no response_url; Bolt's type wants a string). */
const body = (container: Record<string, unknown>, value: string | null = 'finding:7'): BlockAction => ({
  type: 'block_actions',
  user: { id: 'U1', username: 'u1', team_id: 'T1' },
  team: { id: 'T1', domain: 'example' },
  actions: [value === null ? BUTTON : { ...BUTTON, value }],
  container,
  token: 'verification-token',
  response_url: '',
  trigger_id: '1.2.abc',
  api_app_id: 'A1',
});

describe('buttonClick', () => {
  it.each<[string, BlockAction, { channel: string; ts: string } | null]>([
    [
      'a message the bot posted',
      body({ type: 'message', channel_id: 'D1', message_ts: '100.1', is_ephemeral: false }),
      { channel: 'D1', ts: '100.1' },
    ],
    // chat.update cannot change an ephemeral message: the click is answered with a new reply instead.
    ['an ephemeral reply', body({ type: 'message', channel_id: 'D1', message_ts: '100.1', is_ephemeral: true }), null],
    ['App Home', body({ type: 'view', view_id: 'V1' }), null],
  ])('a click in %s', (_where, payload, message) => {
    expect(buttonClick(payload)).toEqual({ userId: 'U1', value: 'finding:7', message });
  });

  it('a click without a value is nothing to act on', () => {
    expect(buttonClick(body({ type: 'view', view_id: 'V1' }, null))).toBeNull();
  });
});
