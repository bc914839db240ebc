import { type FakeSlack, startFakeSlack } from '../support/fake-slack-api';

const TOKEN = 'xoxb-test-token';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

const asRecord = (value: unknown): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) throw new Error(`not an object: ${String(value)}`);
  return Object.fromEntries(Object.entries(value));
};

const read = async (res: Response): Promise<Answer> => {
  const text = await res.text();
  let body: Record<string, unknown> = { raw: text };
  try {
    body = asRecord(JSON.parse(text));
  } catch {
    // not JSON: keep the raw text
  }
  return { status: res.status, headers: res.headers, body };
};

/** A form POST, the way @slack/web-api sends it. */
const post = async (
  slack: FakeSlack,
  method: string,
  form: Record<string, string> = {},
  auth: { bearer?: string } = { bearer: TOKEN },
): Promise<Answer> =>
  read(
    await fetch(`${slack.url}${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(auth.bearer === undefined ? {} : { authorization: `Bearer ${auth.bearer}` }),
      },
      body: new URLSearchParams(form).toString(),
    }),
  );

const postJson = async (slack: FakeSlack, method: string, body: Record<string, unknown>): Promise<Answer> =>
  read(
    await fetch(`${slack.url}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    }),
  );

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const message = (channel: string, blocks: unknown[] = [section('hello')], text = 'hello') => ({
  channel,
  text,
  blocks: JSON.stringify(blocks),
});

describe('the fake Slack Web API', () => {
  let slack: FakeSlack;

  beforeEach(async () => {
    slack = await startFakeSlack();
    slack.addUser({ id: 'UALICE', email: 'alice@example.com' });
    slack.addUser({ id: 'UGONE', email: 'gone@example.com', deleted: true });
    slack.addUser({ id: 'UROBOT', isBot: true });
    slack.addChannel({ id: 'CSEC', name: 'security', isMember: true });
    slack.addChannel({ id: 'COUT', name: 'elsewhere', isMember: false });
    slack.addChannel({ id: 'COLD', name: 'old', isMember: true, isArchived: true });
  });

  afterEach(async () => {
    await slack.close();
  });

  describe('transport', () => {
    it('listens on 127.0.0.1 under a path prefix, with a base URL ending in /', () => {
      expect(slack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    });

    it('answers 404 outside the prefix, so a client that drops the path is caught', async () => {
      const res = await fetch(new URL('/auth.test', slack.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(404);
    });

    it.each<[string, { bearer?: string }, Record<string, string>, string]>([
      ['no token', {}, {}, 'not_authed'],
      ['a wrong bearer token', { bearer: 'xoxb-wrong' }, {}, 'invalid_auth'],
      ['a wrong form token', {}, { token: 'xoxb-wrong' }, 'invalid_auth'],
    ])('refuses %s', async (_name, auth, form, error) => {
      const answer = await post(slack, 'auth.test', form, auth);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ ok: false, error });
    });

    it('accepts the token as a form field too', async () => {
      expect((await post(slack, 'auth.test', { token: TOKEN }, {})).body).toMatchObject({ ok: true });
    });

    it('uses the configured token and bot identity', async () => {
      const other = await startFakeSlack({
        botToken: 'xoxb-other',
        botUserId: 'U9',
        botName: 'guard',
        teamId: 'T9',
        botId: 'B9',
      });
      try {
        expect((await post(other, 'auth.test')).body).toEqual({ ok: false, error: 'invalid_auth' });
        expect((await post(other, 'auth.test', {}, { bearer: 'xoxb-other' })).body).toMatchObject({
          ok: true,
          user_id: 'U9',
          user: 'guard',
          team_id: 'T9',
          bot_id: 'B9',
        });
      } finally {
        await other.close();
      }
    });

    it('answers unknown_method for a method it does not know', async () => {
      expect((await post(slack, 'admin.users.remove')).body).toEqual({ ok: false, error: 'unknown_method' });
    });

    it('accepts JSON bodies', async () => {
      expect((await postJson(slack, 'users.info', { user: 'UALICE' })).body).toMatchObject({
        ok: true,
        user: { id: 'UALICE' },
      });
    });
  });

  describe('recording', () => {
    it('records every call with its parsed parameters, blocks as JSON, and never the token', async () => {
      await post(slack, 'auth.test', { token: TOKEN }, {});
      await post(slack, 'conversations.open', { users: 'UALICE' });
      await post(slack, 'chat.postMessage', message('DUALICE'));

      expect(slack.calls.map((c) => c.method)).toEqual(['auth.test', 'conversations.open', 'chat.postMessage']);
      expect(slack.calls[0]?.params).toEqual({});
      expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
      expect(slack.callsTo('chat.postMessage')[0]?.params).toEqual({
        channel: 'DUALICE',
        text: 'hello',
        blocks: [section('hello')],
      });
      expect(slack.calls[0]?.at).toBeInstanceOf(Date);
      expect(JSON.stringify(slack.calls)).not.toContain(TOKEN);
    });

    it('records refused calls too, and reset() forgets calls but not state', async () => {
      await post(slack, 'auth.test', {}, { bearer: 'xoxb-wrong' });
      await post(slack, 'conversations.open', { users: 'UALICE' });
      expect(slack.calls).toHaveLength(2);

      slack.reset();
      expect(slack.calls).toHaveLength(0);
      expect((await post(slack, 'chat.postMessage', message('DUALICE'))).body).toMatchObject({ ok: true });
      expect(slack.calls).toHaveLength(1);
    });
  });

  describe('users', () => {
    it('looks users up by email, ignoring case', async () => {
      expect((await post(slack, 'users.lookupByEmail', { email: 'Alice@Example.com' })).body).toEqual({
        ok: true,
        user: expect.objectContaining({
          id: 'UALICE',
          deleted: false,
          is_bot: false,
          profile: { email: 'alice@example.com' },
        }),
      });
    });

    it('answers users_not_found for the email of a deactivated user, as Slack does; users.info still shows deleted: true', async () => {
      expect((await post(slack, 'users.lookupByEmail', { email: 'gone@example.com' })).body).toEqual({
        ok: false,
        error: 'users_not_found',
      });
      expect((await post(slack, 'users.info', { user: 'UGONE' })).body).toMatchObject({
        ok: true,
        user: { id: 'UGONE', deleted: true },
      });
    });

    it('answers users_not_found for an unknown email', async () => {
      expect((await post(slack, 'users.lookupByEmail', { email: 'nobody@example.com' })).body).toEqual({
        ok: false,
        error: 'users_not_found',
      });
    });

    it('answers users.info, and user_not_found for an unknown id', async () => {
      expect((await post(slack, 'users.info', { user: 'UROBOT' })).body).toMatchObject({
        ok: true,
        user: { id: 'UROBOT', is_bot: true },
      });
      expect((await post(slack, 'users.info', { user: 'UNOPE' })).body).toEqual({ ok: false, error: 'user_not_found' });
    });
  });

  describe('conversations', () => {
    it('opens a stable DM channel per user', async () => {
      const first = await post(slack, 'conversations.open', { users: 'UALICE' });
      const second = await post(slack, 'conversations.open', { users: 'UALICE' });
      expect(first.body).toMatchObject({ ok: true, already_open: false, channel: { id: 'DUALICE' } });
      expect(second.body).toMatchObject({ ok: true, already_open: true, channel: { id: 'DUALICE' } });
    });

    it.each([
      ['UNOPE', 'user_not_found'],
      ['UROBOT', 'cannot_dm_bot'],
      ['UGONE', 'user_disabled'],
    ])('refuses to open a DM with %s: %s', async (user, error) => {
      expect((await post(slack, 'conversations.open', { users: user })).body).toEqual({ ok: false, error });
    });

    it('refuses conversations.open without users', async () => {
      expect((await post(slack, 'conversations.open')).body).toEqual({ ok: false, error: 'users_list_not_supplied' });
    });

    it.each([
      ['CSEC', { id: 'CSEC', name: 'security', is_member: true, is_archived: false }],
      ['COUT', { id: 'COUT', name: 'elsewhere', is_member: false, is_archived: false }],
      ['COLD', { id: 'COLD', name: 'old', is_member: true, is_archived: true }],
    ])('describes channel %s', async (channel, expected) => {
      expect((await post(slack, 'conversations.info', { channel })).body).toEqual({
        ok: true,
        channel: expect.objectContaining(expected),
      });
    });

    it('answers channel_not_found for an unknown channel', async () => {
      expect((await post(slack, 'conversations.info', { channel: 'CNOPE' })).body).toEqual({
        ok: false,
        error: 'channel_not_found',
      });
    });
  });

  describe('chat.postMessage', () => {
    it('posts to an opened DM and to a channel the bot is in, with unique increasing ts', async () => {
      await post(slack, 'conversations.open', { users: 'UALICE' });
      const dm = await post(slack, 'chat.postMessage', message('DUALICE'));
      const channel = await post(slack, 'chat.postMessage', message('CSEC', [section('summary')], 'summary'));

      expect(dm.body).toMatchObject({ ok: true, channel: 'DUALICE', ts: '1700000000.000100' });
      expect(channel.body).toMatchObject({ ok: true, channel: 'CSEC', ts: '1700000000.000200' });
      expect(slack.posted).toEqual([
        { channel: 'DUALICE', text: 'hello', blocks: [section('hello')], ts: '1700000000.000100' },
        { channel: 'CSEC', text: 'summary', blocks: [section('summary')], ts: '1700000000.000200' },
      ]);
    });

    it.each([
      ['a DM that was never opened', 'DUALICE', 'channel_not_found'],
      ['an unknown channel', 'CNOPE', 'channel_not_found'],
      ['a channel the bot is not in', 'COUT', 'not_in_channel'],
      ['an archived channel', 'COLD', 'is_archived'],
    ])('refuses %s', async (_name, channel, error) => {
      expect((await post(slack, 'chat.postMessage', message(channel))).body).toEqual({ ok: false, error });
      expect(slack.posted).toEqual([]);
    });

    it('refuses a message without text and blocks', async () => {
      expect((await post(slack, 'chat.postMessage', { channel: 'CSEC' })).body).toEqual({
        ok: false,
        error: 'no_text',
      });
    });

    it('accepts text alone', async () => {
      expect((await post(slack, 'chat.postMessage', { channel: 'CSEC', text: 'hi' })).body).toMatchObject({ ok: true });
      expect(slack.posted[0]).toMatchObject({ text: 'hi', blocks: undefined });
    });

    it.each([
      ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), 'at most 50 blocks, got 51'],
      [
        'a 3001-character section',
        [section('x'.repeat(3001))],
        'at most 3000 characters, got 3001 [json-pointer:/blocks/0/text/text]',
      ],
      ['an unknown block type', [{ type: 'table' }], 'unknown block type "table"'],
    ])('rejects %s as invalid_blocks, saying why', async (_name, blocks, problem) => {
      const answer = await post(slack, 'chat.postMessage', message('CSEC', blocks));
      expect(answer.body).toEqual({
        ok: false,
        error: 'invalid_blocks',
        response_metadata: { messages: [expect.stringContaining(problem)] },
      });
      expect(slack.posted).toEqual([]);
    });

    // Each section is within its 3000; together they reach Slack's undocumented total (the fake refuses past 11,000).
    const blocksOfTotal = (total: number) => [
      ...Array.from({ length: 4 }, () => section('x'.repeat(2500))),
      section('x'.repeat(total - 10_000)),
    ];

    it('accepts blocks whose text adds up to exactly 11,000 characters', async () => {
      expect((await post(slack, 'chat.postMessage', message('CSEC', blocksOfTotal(11_000)))).body).toMatchObject({
        ok: true,
      });
      expect(slack.posted).toHaveLength(1);
    });

    it('rejects blocks whose text adds up to 11,001 characters as msg_blocks_too_long, posting nothing', async () => {
      const answer = await post(slack, 'chat.postMessage', message('CSEC', blocksOfTotal(11_001)));
      expect(answer.body).toEqual({
        ok: false,
        error: 'msg_blocks_too_long',
        response_metadata: {
          messages: [expect.stringContaining('at most 11000 characters, got 11001 [json-pointer:/blocks]')],
        },
      });
      expect(slack.posted).toEqual([]);
    });

    it('rejects blocks that are not JSON as invalid_blocks_format', async () => {
      expect((await post(slack, 'chat.postMessage', { channel: 'CSEC', text: 'x', blocks: '[{' })).body).toEqual({
        ok: false,
        error: 'invalid_blocks_format',
      });
    });

    it('rejects a text fallback over 4000 characters as msg_too_long', async () => {
      const answer = await post(slack, 'chat.postMessage', message('CSEC', [section('ok')], 'x'.repeat(4001)));
      expect(answer.body).toMatchObject({
        ok: false,
        error: 'msg_too_long',
        response_metadata: { messages: [expect.stringContaining('got 4001')] },
      });
    });

    it('validates JSON-body blocks too', async () => {
      const answer = await postJson(slack, 'chat.postMessage', {
        channel: 'CSEC',
        text: 'x',
        blocks: [section('x'.repeat(3001))],
      });
      expect(answer.body).toMatchObject({ ok: false, error: 'invalid_blocks' });
    });
  });

  describe('chat.update', () => {
    const postOne = async (): Promise<string> => {
      const ts = (await post(slack, 'chat.postMessage', message('CSEC'))).body.ts;
      if (typeof ts !== 'string') throw new Error('no ts');
      return ts;
    };

    it('replaces the text and blocks of a posted message', async () => {
      const ts = await postOne();
      const answer = await post(slack, 'chat.update', {
        channel: 'CSEC',
        ts,
        text: 'fixed',
        blocks: JSON.stringify([section('fixed')]),
      });
      expect(answer.body).toMatchObject({ ok: true, channel: 'CSEC', ts });
      expect(slack.posted).toEqual([{ channel: 'CSEC', ts, text: 'fixed', blocks: [section('fixed')] }]);
    });

    it('answers message_not_found for an unknown ts', async () => {
      await postOne();
      expect((await post(slack, 'chat.update', { channel: 'CSEC', ts: '1.2', text: 'x' })).body).toEqual({
        ok: false,
        error: 'message_not_found',
      });
    });

    it('answers msg_blocks_too_long for too much text in total and leaves the message alone', async () => {
      const ts = await postOne();
      const tooLong = Array.from({ length: 5 }, () => section('x'.repeat(2500)));
      const answer = await post(slack, 'chat.update', { ...message('CSEC', tooLong, 'changed'), ts });
      expect(answer.body).toMatchObject({ ok: false, error: 'msg_blocks_too_long' });
      expect(slack.posted[0]).toMatchObject({ text: 'hello', blocks: [section('hello')] });
    });

    it('validates the new blocks and leaves the message alone when they are over the limits', async () => {
      const ts = await postOne();
      const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
      const answer = await post(slack, 'chat.update', { ...message('CSEC', tooMany, 'changed'), ts });
      expect(answer.body).toMatchObject({ ok: false, error: 'invalid_blocks' });
      expect(slack.posted[0]).toMatchObject({ text: 'hello', blocks: [section('hello')] });
    });
  });

  describe('chat.update bookkeeping', () => {
    const postOne = async (channel = 'CSEC'): Promise<string> => {
      const ts = (await post(slack, 'chat.postMessage', message(channel))).body.ts;
      if (typeof ts !== 'string') throw new Error('no ts');
      return ts;
    };

    it('records each accepted update in order, and posted shows the latest version', async () => {
      const ts = await postOne();
      await post(slack, 'chat.update', { channel: 'CSEC', ts, text: 'one', blocks: JSON.stringify([section('one')]) });
      await post(slack, 'chat.update', { channel: 'CSEC', ts, text: 'two', blocks: JSON.stringify([section('two')]) });
      expect(slack.updates).toEqual([
        { channel: 'CSEC', ts, text: 'one', blocks: [section('one')] },
        { channel: 'CSEC', ts, text: 'two', blocks: [section('two')] },
      ]);
      expect(slack.posted).toEqual([{ channel: 'CSEC', ts, text: 'two', blocks: [section('two')] }]);
    });

    it('does not record a refused update', async () => {
      const ts = await postOne();
      await post(slack, 'chat.update', {
        channel: 'CSEC',
        ts,
        text: 'x',
        blocks: JSON.stringify([section('x'.repeat(3001))]),
      });
      await post(slack, 'chat.update', { channel: 'CSEC', ts: '1.2', text: 'x' });
      expect(slack.updates).toEqual([]);
      expect(slack.callsTo('chat.update')).toHaveLength(2);
    });

    it("keeps the message's blocks when an update leaves them out, as Slack documents", async () => {
      const ts = await postOne();
      await post(slack, 'chat.update', { channel: 'CSEC', ts, text: 'new text' });
      expect(slack.posted).toEqual([{ channel: 'CSEC', ts, text: 'new text', blocks: [section('hello')] }]);
      expect(slack.updates).toEqual([{ channel: 'CSEC', ts, text: 'new text', blocks: undefined }]);
    });
  });

  describe('chat.getPermalink', () => {
    it('links to a posted message in a channel and in a DM', async () => {
      const ts = (await post(slack, 'chat.postMessage', message('CSEC'))).body.ts;
      await post(slack, 'conversations.open', { users: 'UALICE' });
      const dmTs = (await post(slack, 'chat.postMessage', message('DUALICE'))).body.ts;
      expect(ts).toBe('1700000000.000100');

      expect(
        (await post(slack, 'chat.getPermalink', { channel: 'CSEC', message_ts: '1700000000.000100' })).body,
      ).toEqual({
        ok: true,
        channel: 'CSEC',
        permalink: 'https://fake.slack.test/archives/CSEC/p1700000000000100',
      });
      expect(
        (await post(slack, 'chat.getPermalink', { channel: 'DUALICE', message_ts: String(dmTs) })).body,
      ).toMatchObject({
        permalink: 'https://fake.slack.test/archives/DUALICE/p1700000000000200',
      });
    });

    it.each([
      ['a ts nothing was posted at', { channel: 'CSEC', message_ts: '1700000000.000999' }, 'message_not_found'],
      [
        'a message posted in another channel',
        { channel: 'COLD', message_ts: '1700000000.000100' },
        'message_not_found',
      ],
      ['no message_ts', { channel: 'CSEC' }, 'message_not_found'],
      ['an unknown channel', { channel: 'CNOPE', message_ts: '1700000000.000100' }, 'channel_not_found'],
      ['no channel', { message_ts: '1700000000.000100' }, 'channel_not_found'],
    ])('refuses %s', async (_name, form, error) => {
      await post(slack, 'chat.postMessage', message('CSEC'));
      expect((await post(slack, 'chat.getPermalink', form)).body).toEqual({ ok: false, error });
    });
  });

  describe('views.publish', () => {
    const home = (blocks: unknown[] = [section('your status')]) => ({ type: 'home', blocks });
    const publish = (view: unknown, userId = 'UALICE') =>
      post(slack, 'views.publish', { user_id: userId, view: typeof view === 'string' ? view : JSON.stringify(view) });

    it('publishes a Home view and records it, latest last', async () => {
      const first = await publish(home([section('first')]));
      await publish(home([section('second')]));
      expect(first.body).toMatchObject({ ok: true, view: { type: 'home', blocks: [section('first')] } });
      expect(slack.homeViews).toEqual([
        { userId: 'UALICE', view: home([section('first')]) },
        { userId: 'UALICE', view: home([section('second')]) },
      ]);
      expect(slack.callsTo('views.publish')[0]?.params).toEqual({ user_id: 'UALICE', view: home([section('first')]) });
    });

    it('accepts a view as a JSON body object too', async () => {
      expect((await postJson(slack, 'views.publish', { user_id: 'UALICE', view: home() })).body).toMatchObject({
        ok: true,
      });
      expect(slack.homeViews).toHaveLength(1);
    });

    const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));

    it('accepts 100 blocks, twice what a message may hold', async () => {
      expect((await publish(home(dividers(100)))).body).toMatchObject({ ok: true });
      expect(slack.homeViews).toHaveLength(1);
    });

    it('refuses 101 blocks as invalid_arguments, saying why, and records nothing', async () => {
      expect((await publish(home(dividers(101)))).body).toEqual({
        ok: false,
        error: 'invalid_arguments',
        response_metadata: { messages: ['[ERROR] must have at most 100 blocks, got 101 [json-pointer:/view/blocks]'] },
      });
      expect(slack.homeViews).toEqual([]);
    });

    it.each<[string, Record<string, string>, string, string | undefined]>([
      [
        'a view that is not a home',
        { user_id: 'UALICE', view: JSON.stringify({ type: 'modal', blocks: [] }) },
        'invalid_arguments',
        'must be home, got "modal" [json-pointer:/view/type]',
      ],
      [
        'a block over its limits',
        { user_id: 'UALICE', view: JSON.stringify(home([section('x'.repeat(3001))])) },
        'invalid_arguments',
        '[json-pointer:/view/blocks/0/text/text]',
      ],
      [
        'a view without blocks',
        { user_id: 'UALICE', view: JSON.stringify({ type: 'home' }) },
        'invalid_arguments',
        'is required [json-pointer:/view/blocks]',
      ],
      ['a view that is not JSON', { user_id: 'UALICE', view: '{' }, 'invalid_arguments', '[json-pointer:/view]'],
      ['no view', { user_id: 'UALICE' }, 'invalid_arguments', 'missing required field: view'],
      ['no user_id', { view: JSON.stringify(home()) }, 'invalid_arguments', 'missing required field: user_id'],
      ['an unknown user', { user_id: 'UNOPE', view: JSON.stringify(home()) }, 'user_not_found', undefined],
    ])('refuses %s', async (_name, form, error, problem) => {
      const answer = await post(slack, 'views.publish', form);
      expect(answer.body).toMatchObject({ ok: false, error });
      if (problem !== undefined)
        expect(answer.body).toEqual({
          ok: false,
          error,
          response_metadata: { messages: [expect.stringContaining(problem)] },
        });
      expect(slack.homeViews).toEqual([]);
    });

    it('refuses a view over 250 kB as view_too_large', async () => {
      // Within every block limit, too large in bytes: long block_ids add bytes, not text.
      const blocks = Array.from({ length: 100 }, (_, i) => ({
        type: 'section',
        block_id: `${i}-${'b'.repeat(250)}`,
        text: { type: 'mrkdwn', text: 'é'.repeat(1200) },
      }));
      expect((await publish(home(blocks))).body).toEqual({ ok: false, error: 'view_too_large' });
    });
  });

  describe('response_url', () => {
    const respondTo = async (
      url: string,
      body: unknown,
    ): Promise<{ status: number; text: string; contentType: string | null }> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
    };

    it('hands out a fresh URL on its own server each time', () => {
      const first = slack.responseUrl();
      const second = slack.responseUrl();
      expect(first).toMatch(new RegExp(`^${new URL(slack.url).origin.replace(/\./g, '\\.')}/respond/\\d+$`));
      expect(second).not.toBe(first);
    });

    it('answers 200 ok and records the JSON body, per URL', async () => {
      const url = slack.responseUrl();
      const other = slack.responseUrl();
      const body = { response_type: 'ephemeral', text: 'alice has no MFA', blocks: [section('alice')] };
      expect(await respondTo(url, body)).toEqual({ status: 200, text: 'ok', contentType: 'text/plain' });
      await respondTo(other, { replace_original: true, text: 'done' });
      expect(slack.responses).toEqual([
        { url, body },
        { url: other, body: { replace_original: true, text: 'done' } },
      ]);
      expect(slack.responsesTo(url)).toEqual([{ url, body }]);
      expect(slack.rejectedResponses).toEqual([]);
      // Not Web API calls.
      expect(slack.calls).toEqual([]);
    });

    it('accepts delete_original without any text', async () => {
      const url = slack.responseUrl();
      expect((await respondTo(url, { delete_original: true })).status).toBe(200);
    });

    it.each<[string, unknown, number, string]>([
      [
        '51 blocks',
        { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) },
        400,
        'invalid_blocks',
      ],
      ['a 3001-character section', { text: 'x', blocks: [section('x'.repeat(3001))] }, 400, 'invalid_blocks'],
      ['blocks as a string', { text: 'x', blocks: '[]' }, 400, 'invalid_blocks_format'],
      ['neither text nor blocks', { response_type: 'ephemeral' }, 400, 'no_text'],
      ['a text fallback over 4000 characters', { text: 'x'.repeat(4001) }, 400, 'msg_too_long'],
      ['a body that is not JSON', 'text=hi', 400, 'invalid_payload'],
    ])('refuses %s', async (_name, body, status, error) => {
      const url = slack.responseUrl();
      expect(await respondTo(url, body)).toMatchObject({ status, text: error });
      // Recorded all the same, and listed as refused.
      expect(slack.responsesTo(url)).toHaveLength(1);
      expect(slack.rejectedResponses).toEqual([
        { url, body: typeof body === 'string' ? { raw: body } : body, status, error },
      ]);
    });

    it('answers 404 to a URL it never handed out', async () => {
      const url = `${new URL(slack.url).origin}/respond/999`;
      expect(await respondTo(url, { text: 'hi' })).toMatchObject({ status: 404, text: 'unknown_response_url' });
      expect(slack.rejectedResponses).toEqual([
        { url, body: { text: 'hi' }, status: 404, error: 'unknown_response_url' },
      ]);
    });

    it('works 5 times, then answers used_url and records nothing more as accepted', async () => {
      const url = slack.responseUrl();
      for (let i = 1; i <= 5; i += 1) expect((await respondTo(url, { text: `answer ${i}` })).status).toBe(200);
      expect(await respondTo(url, { text: 'answer 6' })).toMatchObject({ status: 404, text: 'used_url' });
      expect(slack.rejectedResponses).toEqual([{ url, body: { text: 'answer 6' }, status: 404, error: 'used_url' }]);
      // Each URL counts on its own.
      expect((await respondTo(slack.responseUrl(), { text: 'another click' })).status).toBe(200);
    });

    it('counts only what it accepted: a refused answer leaves a use', async () => {
      const url = slack.responseUrl();
      expect((await respondTo(url, { response_type: 'ephemeral' })).status).toBe(400);
      for (let i = 1; i <= 5; i += 1) expect((await respondTo(url, { text: `answer ${i}` })).status).toBe(200);
    });

    it("works for 30 minutes of the fake's time, then answers expired_url", async () => {
      const url = slack.responseUrl();
      slack.advance(30 * 60_000);
      expect((await respondTo(url, { text: 'just in time' })).status).toBe(200);
      slack.advance(1);
      expect(await respondTo(url, { text: 'too late' })).toMatchObject({ status: 404, text: 'expired_url' });
      // A URL handed out now has its own 30 minutes.
      expect((await respondTo(slack.responseUrl(), { text: 'fresh' })).status).toBe(200);
    });

    it('is not forgotten by reset(), which forgets only calls', async () => {
      const url = slack.responseUrl();
      await respondTo(url, { text: 'hi' });
      await post(slack, 'chat.postMessage', message('CSEC'));
      await post(slack, 'views.publish', { user_id: 'UALICE', view: JSON.stringify({ type: 'home', blocks: [] }) });
      slack.reset();
      expect(slack.calls).toEqual([]);
      expect(slack.responses).toHaveLength(1);
      expect(slack.posted).toHaveLength(1);
      expect(slack.homeViews).toHaveLength(1);
      expect((await respondTo(url, { text: 'again' })).status).toBe(200);
    });
  });

  describe('views.open and views.update', () => {
    const modal = (text = 'Loading…') =>
      JSON.stringify({
        type: 'modal',
        title: { type: 'plain_text', text: 'AWS CLI steps' },
        close: { type: 'plain_text', text: 'Close' },
        blocks: [section(text)],
      });

    it('opens a modal with a trigger_id it handed out, once, and updates it by view id', async () => {
      const triggerId = slack.triggerId();
      expect(triggerId).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
      const opened = await post(slack, 'views.open', { trigger_id: triggerId, view: modal() });
      expect(opened.body).toMatchObject({ ok: true, view: { id: expect.any(String), type: 'modal' } });
      const id = String(asRecord(opened.body['view'])['id']);
      expect(await post(slack, 'views.open', { trigger_id: triggerId, view: modal() })).toMatchObject({
        body: { ok: false, error: 'exchanged_trigger_id' },
      });
      expect((await post(slack, 'views.update', { view_id: id, view: modal('The steps') })).body).toMatchObject({
        ok: true,
        view: { id },
      });
      expect(slack.modals).toHaveLength(1);
      expect(slack.modals[0]?.triggerId).toBe(triggerId);
      expect(slack.modals[0]?.versions.map((v) => JSON.stringify(v['blocks']))).toEqual([
        JSON.stringify([section('Loading…')]),
        JSON.stringify([section('The steps')]),
      ]);
      expect(slack.modals[0]?.view['blocks']).toEqual([section('The steps')]);
    });

    it("refuses a trigger_id older than 3 seconds of the fake's time as expired_trigger_id", async () => {
      const onTime = slack.triggerId();
      const late = slack.triggerId();
      slack.advance(3000);
      expect((await post(slack, 'views.open', { trigger_id: onTime, view: modal() })).body.ok).toBe(true);
      slack.advance(1);
      expect((await post(slack, 'views.open', { trigger_id: late, view: modal() })).body).toEqual({
        ok: false,
        error: 'expired_trigger_id',
      });
      expect(slack.modals).toHaveLength(1);
    });

    it('refuses a trigger_id it never handed out, and an unknown view id', async () => {
      expect((await post(slack, 'views.open', { trigger_id: '1.2.abc', view: modal() })).body).toEqual({
        ok: false,
        error: 'invalid_trigger_id',
      });
      expect((await post(slack, 'views.update', { view_id: 'VNOPE', view: modal() })).body).toEqual({
        ok: false,
        error: 'not_found',
      });
    });

    it('refuses a modal over its limits as invalid_arguments, saying why, and keeps the trigger_id unused', async () => {
      const triggerId = slack.triggerId();
      const tooLong = JSON.stringify({
        type: 'modal',
        title: { type: 'plain_text', text: 'x'.repeat(25) },
        blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })),
      });
      const answer = await post(slack, 'views.open', { trigger_id: triggerId, view: tooLong });
      expect(answer.body).toEqual({
        ok: false,
        error: 'invalid_arguments',
        response_metadata: {
          messages: [
            '[ERROR] must be at most 24 characters, got 25 [json-pointer:/view/title/text]',
            '[ERROR] must have at most 100 blocks, got 101 [json-pointer:/view/blocks]',
          ],
        },
      });
      expect((await post(slack, 'views.open', { trigger_id: triggerId, view: modal() })).body.ok).toBe(true);
    });
  });

  describe("the fake's clock", () => {
    it('starts at the real time and moves only when told', () => {
      const before = Date.now();
      const fresh = slack.now().getTime();
      expect(Math.abs(fresh - before)).toBeLessThan(60_000);
      slack.advance(90_000);
      expect(slack.now().getTime()).toBe(fresh + 90_000);
      expect(() => slack.advance(-1)).toThrow('not a duration');
    });
  });

  describe('failure injection', () => {
    it('fails the next calls with a Slack error, then recovers', async () => {
      slack.failNext('auth.test', 'account_inactive', 2);
      expect((await post(slack, 'auth.test')).body).toEqual({ ok: false, error: 'account_inactive' });
      expect((await post(slack, 'auth.test')).body).toEqual({ ok: false, error: 'account_inactive' });
      expect((await post(slack, 'auth.test')).body).toMatchObject({ ok: true });
    });

    it('only fails the named method', async () => {
      slack.failNext('chat.postMessage', 'fatal_error');
      expect((await post(slack, 'auth.test')).body).toMatchObject({ ok: true });
      expect((await post(slack, 'chat.postMessage', message('CSEC'))).body).toEqual({
        ok: false,
        error: 'fatal_error',
      });
    });

    it('answers 429 with Retry-After', async () => {
      slack.rateLimitNext('chat.postMessage', 7);
      const limited = await post(slack, 'chat.postMessage', message('CSEC'));
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect((await post(slack, 'chat.postMessage', message('CSEC'))).status).toBe(200);
    });

    it('answers an HTTP error status with a non-JSON body', async () => {
      slack.httpErrorNext('users.info', 503, 1);
      const answer = await post(slack, 'users.info', { user: 'UALICE' });
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ raw: 'fake HTTP 503' });
    });

    it('plays injected failures in order', async () => {
      slack.rateLimitNext('auth.test', 1);
      slack.failNext('auth.test', 'invalid_auth');
      expect((await post(slack, 'auth.test')).status).toBe(429);
      expect((await post(slack, 'auth.test')).body).toEqual({ ok: false, error: 'invalid_auth' });
      expect((await post(slack, 'auth.test')).body).toMatchObject({ ok: true });
    });

    it('changes no state when a call is failed on purpose', async () => {
      slack.failNext('conversations.open', 'fatal_error');
      slack.rateLimitNext('chat.postMessage', 1);
      await post(slack, 'conversations.open', { users: 'UALICE' });
      await post(slack, 'chat.postMessage', message('CSEC'));

      expect(slack.posted).toEqual([]);
      // The DM was not opened, so posting to it is still refused.
      expect((await post(slack, 'chat.postMessage', message('DUALICE'))).body).toEqual({
        ok: false,
        error: 'channel_not_found',
      });
      // The failed calls were recorded all the same.
      expect(slack.calls.map((c) => c.method)).toEqual(['conversations.open', 'chat.postMessage', 'chat.postMessage']);
    });
  });
});
