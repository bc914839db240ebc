/**
 * The playground's Slack stand-in refuses what Slack refuses, by Slack's error codes, and the
 * independent checker in test/support agrees with every refusal.
 */
import { type SlackStandIn, startSlackStandIn } from '../../src/playground/slack-stand-in';
import { blockKitProblems } from '../support/block-kit-limits';
import { createFakeClock } from '../support/fake-clock';

const ALICE = { id: 'U012ABCDEF', name: 'Alice', email: 'alice@example.com' };
let standIn: SlackStandIn;
let clock: ReturnType<typeof createFakeClock>;

beforeEach(async () => {
  clock = createFakeClock(new Date('2026-11-30T12:00:00Z'));
  standIn = await startSlackStandIn({
    users: [ALICE],
    channels: [{ id: 'C0SECURITY01', name: 'security-alerts' }],
    clock,
  });
});
afterEach(() => standIn.close());

const call = async (method: string, params: Record<string, unknown>, token = standIn.botToken) => {
  const body = new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  const res = await fetch(`${standIn.url}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return (await res.json()) as { ok: boolean; error?: string };
};

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });

describe('chat.postMessage', () => {
  test.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), 'invalid_blocks'],
    ['a section over 3000 characters', [section('x'.repeat(3001))], 'invalid_blocks'],
    [
      'a header over 150 characters',
      [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      'invalid_blocks',
    ],
    [
      'a button label over 75 characters',
      [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
        },
      ],
      'invalid_blocks',
    ],
    [
      'more than 11,000 characters of block text in all',
      Array.from({ length: 4 }, () => section('y'.repeat(2900))),
      'msg_blocks_too_long',
    ],
    ['an unknown block type', [{ type: 'image' }], 'invalid_blocks'],
  ])('refuses %s, as the independent checker does', async (_name, blocks, error) => {
    expect(await call('chat.postMessage', { channel: 'C0SECURITY01', text: 'x', blocks })).toMatchObject({
      ok: false,
      error,
    });
    expect(blockKitProblems(blocks, 'x')).not.toEqual([]);
    expect(standIn.messages()).toEqual([]);
    expect(standIn.refusals()).toHaveLength(1);
  });

  test('takes a message within the limits, and refuses a wrong token or an unknown channel', async () => {
    const blocks = [section('*ok*')];
    expect(await call('chat.postMessage', { channel: 'C0SECURITY01', text: 'x', blocks })).toMatchObject({ ok: true });
    expect(blockKitProblems(blocks, 'x')).toEqual([]);
    expect(await call('chat.postMessage', { channel: 'C0NOWHERE', text: 'x' })).toMatchObject({
      error: 'channel_not_found',
    });
    expect(await call('chat.postMessage', { channel: 'C0SECURITY01', text: 'x' }, 'xoxb-wrong')).toMatchObject({
      error: 'invalid_auth',
    });
    expect(standIn.messages()).toHaveLength(1);
  });
});

describe('response_urls and trigger_ids', () => {
  const respond = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (res) => ({ status: res.status, text: await res.text() }),
    );

  test('a response_url answers 5 times, only the person who asked sees the answers, then it is used up', async () => {
    const url = standIn.responseUrl({ userId: ALICE.id, channel: standIn.dmChannel(ALICE.id), messageId: null });
    for (let i = 0; i < 5; i += 1)
      expect(await respond(url, { response_type: 'ephemeral', text: `answer ${i}` })).toEqual({
        status: 200,
        text: 'ok',
      });
    expect(await respond(url, { text: 'one too many' })).toEqual({ status: 404, text: 'used_url' });
    expect(standIn.messages().map((m) => [m.visibleTo, m.text])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [ALICE.id, `answer ${i}`]),
    );
  });

  test("a response_url is dead 30 minutes later on the playground's clock", async () => {
    const url = standIn.responseUrl({ userId: ALICE.id, channel: standIn.dmChannel(ALICE.id), messageId: null });
    clock.advance(30 * 60_000 + 1);
    expect(await respond(url, { text: 'late' })).toEqual({ status: 404, text: 'expired_url' });
  });

  test('a trigger_id opens one modal, once, for the person it was given to', async () => {
    const trigger = standIn.triggerId(ALICE.id);
    const view = { type: 'modal', title: { type: 'plain_text', text: 'AWS CLI steps' }, blocks: [section('x')] };
    expect(await call('views.open', { trigger_id: trigger, view })).toMatchObject({ ok: true });
    expect(standIn.modal(ALICE.id)?.view).toEqual(view);
    expect(await call('views.open', { trigger_id: trigger, view })).toMatchObject({ error: 'exchanged_trigger_id' });
    expect(await call('views.open', { trigger_id: 'made-up', view })).toMatchObject({ error: 'invalid_trigger_id' });
    const long = { ...view, title: { type: 'plain_text', text: 't'.repeat(25) } };
    expect(await call('views.open', { trigger_id: standIn.triggerId(ALICE.id), view: long })).toMatchObject({
      error: 'invalid_arguments',
    });
  });
});
