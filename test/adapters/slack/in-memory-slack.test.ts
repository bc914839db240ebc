import { InMemorySlack, MEMORY_PERMALINK_BASE } from '../../../src/adapters/memory/in-memory-slack';
import { createSampleSlack } from '../../../src/adapters/memory/sample-slack';
import { AppError } from '../../../src/errors';
import type { HomeView, ModalView } from '../../../src/slack/blocks/block-kit';

// The demo's and unit tests' stand-in for the Web API gateway (its HTTP twin is tested in web-api-gateway.test.ts).
const slack = (): InMemorySlack =>
  new InMemorySlack(
    [
      { id: 'UALICE', deleted: false, isBot: false, email: 'alice@example.com' },
      { id: 'UNOMAIL', deleted: false, isBot: false },
      { id: 'UNULL', deleted: false, isBot: false, email: null },
      { id: 'UGONE', deleted: true, isBot: false, email: 'gone@example.com' },
      { id: 'UGUEST', deleted: false, isBot: false, email: 'guest@partner.example', teamId: 'TPARTNER' },
    ],
    [{ id: 'CSEC', name: 'security', isMember: true }],
  );

/** What every member of the bot's own workspace (the in-memory default, T0DEMO00001) answers besides id and email. */
const OWN = { deleted: false, isBot: false, teamId: 'T0DEMO00001', enterpriseId: null } as const;

const home = (text: string): HomeView => ({
  type: 'home',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }],
});

describe('InMemorySlack', () => {
  it.each([
    ['UALICE', { ...OWN, id: 'UALICE', email: 'alice@example.com' }],
    ['UNOMAIL', { ...OWN, id: 'UNOMAIL', email: null }],
    ['UNULL', { ...OWN, id: 'UNULL', email: null }],
    // Someone from Slack Connect: their own team, not the bot's.
    ['UGUEST', { ...OWN, id: 'UGUEST', email: 'guest@partner.example', teamId: 'TPARTNER' }],
    ['UNOPE', null],
  ])(
    'findUserById(%s) answers exactly the SlackUser fields, email null when absent, the bot team unless told',
    async (id, expected) => {
      await expect(slack().findUserById(id)).resolves.toEqual(expected);
    },
  );

  it('finds users by email, ignoring case, with their email', async () => {
    await expect(slack().findUserByEmail('ALICE@example.com')).resolves.toEqual({
      ...OWN,
      id: 'UALICE',
      email: 'alice@example.com',
    });
  });

  it('does not find a deactivated user by email, as Slack does (users_not_found); by ID it shows deleted', async () => {
    await expect(slack().findUserByEmail('gone@example.com')).resolves.toBeNull();
    await expect(slack().findUserById('UGONE')).resolves.toMatchObject({ id: 'UGONE', deleted: true });
  });

  it('opens a modal once per trigger_id, and updates it by its view id', async () => {
    const s = slack();
    const modal = (text: string): ModalView => ({
      type: 'modal',
      title: { type: 'plain_text', text: 'Steps' },
      close: { type: 'plain_text', text: 'Close' },
      blocks: home(text).blocks,
    });
    const viewId = await s.openView('T1', modal('loading'));
    await expect(s.openView('T1', modal('again'))).rejects.toMatchObject({
      message: expect.stringContaining('exchanged_trigger_id'),
    });
    await s.updateView(viewId, modal('steps'));
    await expect(s.updateView('VNOPE', modal('x'))).rejects.toBeInstanceOf(AppError);
    expect(s.modals).toEqual([{ viewId, triggerId: 'T1', view: modal('steps') }]);
  });

  it("records published Home views, latest last, and tells a user's current Home", async () => {
    const s = slack();
    await s.publishHome('UALICE', home('first'));
    await s.publishHome('UNOMAIL', home('other'));
    await s.publishHome('UALICE', home('second'));
    expect(s.homeViews.map((h) => h.userId)).toEqual(['UALICE', 'UNOMAIL', 'UALICE']);
    expect(s.homeOf('UALICE')).toEqual(home('second'));
    expect(s.homeOf('UNULL')).toBeUndefined();
  });

  it('refuses a Home for an unknown user, as Slack does', async () => {
    const s = slack();
    await expect(s.publishHome('UNOPE', home('x'))).rejects.toMatchObject({ code: 'slack_user_unreachable' });
    await expect(s.publishHome('UNOPE', home('x'))).rejects.toBeInstanceOf(AppError);
    expect(s.homeViews).toEqual([]);
  });

  it('links to a message with a stable fake https URL', async () => {
    const s = slack();
    const { channel, ts } = await s.postMessage('CSEC', { text: 'hi', blocks: [] });
    const link = await s.permalink(channel, ts);
    expect(link).toBe(`${MEMORY_PERMALINK_BASE}CSEC/p${ts.replace('.', '')}`);
    expect(link).toMatch(/^https:\/\/slack\.example\/archives\/CSEC\/p\d+$/);
    await expect(s.permalink(channel, ts)).resolves.toBe(link);
  });

  it('gives the sample workspace users their emails', async () => {
    await expect(createSampleSlack().findUserById('U012ABCDEF')).resolves.toMatchObject({ email: 'alice@example.com' });
  });
});
