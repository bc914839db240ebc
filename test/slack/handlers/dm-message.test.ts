import { readDmMessage } from '../../../src/slack/handlers/dm-message';

const BOT_USER = 'UBOT0001';
const person = {
  type: 'message',
  channel_type: 'im',
  channel: 'DU012ABCDEF',
  user: 'U012ABCDEF',
  text: 'done',
  ts: '1700000000.000100',
  event_ts: '1700000000.000100',
};

describe('readDmMessage: only a person writing in the bot’s DM is answered', () => {
  it('reads who wrote what where, and the event_id', () => {
    expect(readDmMessage(person, 'Ev1', BOT_USER)).toEqual({
      kind: 'message',
      message: { eventId: 'Ev1', userId: 'U012ABCDEF', channel: 'DU012ABCDEF', text: 'done' },
    });
  });

  it('a message with no text (files only) is read as empty text', () => {
    const { text: _text, ...noText } = person;
    expect(readDmMessage(noText, 'Ev1', BOT_USER)).toMatchObject({ kind: 'message', message: { text: '' } });
  });

  it.each<[string, unknown, unknown]>([
    [
      'an edit',
      { ...person, subtype: 'message_changed', user: undefined, message: { ...person, text: 'fixed' } },
      'Ev1',
    ],
    ['a deletion', { ...person, subtype: 'message_deleted', user: undefined }, 'Ev1'],
    ['a join', { ...person, subtype: 'channel_join' }, 'Ev1'],
    ['a bot_message', { ...person, subtype: 'bot_message', bot_id: 'B0OTHER' }, 'Ev1'],
    ['a file share', { ...person, subtype: 'file_share' }, 'Ev1'],
    ['a thread broadcast', { ...person, subtype: 'thread_broadcast' }, 'Ev1'],
    ["another app's bot (bot_id, no subtype)", { ...person, user: 'U0OTHERBOT', bot_id: 'B0OTHER' }, 'Ev1'],
    ["the bot's own message", { ...person, user: BOT_USER }, 'Ev1'],
    ['a channel message', { ...person, channel_type: 'channel', channel: 'C0SECURITY01' }, 'Ev1'],
    ['a group DM', { ...person, channel_type: 'mpim' }, 'Ev1'],
    ['no channel_type', { ...person, channel_type: undefined }, 'Ev1'],
    ['no sender', { ...person, user: undefined }, 'Ev1'],
    ['no channel', { ...person, channel: undefined }, 'Ev1'],
    ['no event_id', person, undefined],
    ['another event type', { ...person, type: 'app_mention' }, 'Ev1'],
    ['not an object', 'done', 'Ev1'],
  ])('%s is ignored', (_label, event, eventId) => {
    expect(readDmMessage(event, eventId, BOT_USER)).toMatchObject({ kind: 'ignored', why: expect.any(String) });
  });
});
