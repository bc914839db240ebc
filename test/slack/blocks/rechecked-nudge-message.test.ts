import type { RecheckedNudgeInput, RecheckedUser } from '../../../src/domain/interaction-messages';
import type { MessageUser } from '../../../src/domain/notifications';
import type { FindingCloseReason } from '../../../src/domain/types';
import { buildRecheckedNudgeMessage } from '../../../src/slack/blocks/rechecked-nudge-message';
import { ACCOUNT, HOSTILE, longNames, messageUsers, NOW } from './fixtures';
import { buttons, moreCount, problems, textOf, unescaped } from './interaction-fixtures';

const CHECKED = new Date('2026-11-28T13:55:00Z');

const rechecked = (users: readonly RecheckedUser[], extra: Partial<RecheckedNudgeInput> = {}) =>
  buildRecheckedNudgeMessage({ groups: [{ account: ACCOUNT, users }], removalEnabled: true, now: NOW, ...extra });

const open = (user: MessageUser, checkedAt: Date | null = CHECKED): RecheckedUser => ({
  kind: 'open',
  user,
  checkedAt,
});
const closed = (userName: string, reason: FindingCloseReason, at: Date | null = CHECKED): RecheckedUser => ({
  kind: 'closed',
  userName,
  reason,
  at,
});
const failed = (user: MessageUser, reason: string): RecheckedUser => ({
  kind: 'error',
  user,
  reason,
  checkedAt: CHECKED,
});

const [alice, bob, carol] = messageUsers(['alice', 'bob', 'carol']) as [MessageUser, MessageUser, MessageUser];

describe('buildRecheckedNudgeMessage', () => {
  it('an open user keeps its entry and buttons, with when it was checked', () => {
    const message = rechecked([open(alice)]);
    const text = textOf(message);
    expect(text).toContain('Checked at 2026-11-28 13:55 UTC: still no MFA.');
    expect(text).toContain('*Enable MFA in the console:*');
    expect(text).not.toContain('aws iam');
    expect(buttons(message).map((b) => [b.action_id, b.value])).toEqual([
      ['mfa_recheck', 'finding:1'],
      ['mfa_request_removal', 'finding:1'],
      ['mfa_show_steps', 'finding:1'],
    ]);
    expect(problems(message)).toEqual([]);
  });

  it('an open user not just checked has no "checked at" note', () => {
    expect(textOf(rechecked([open(alice, null)]))).not.toContain('Checked at');
  });

  it('respects removalEnabled=false', () => {
    expect(buttons(rechecked([open(alice)], { removalEnabled: false })).map((b) => b.action_id)).toEqual([
      'mfa_recheck',
      'mfa_show_steps',
    ]);
  });

  it('a user that could not be checked keeps its entry, with why, escaped', () => {
    const message = rechecked([failed(alice, 'Throttling <!channel> & co')]);
    const text = textOf(message);
    expect(text).toContain('Could not be checked at 2026-11-28 13:55 UTC:* Throttling &lt;!channel&gt; &amp; co');
    expect(text).toContain('*Enable MFA in the console:*');
    expect(buttons(message).map((b) => b.value)).toEqual(['finding:1', 'finding:1', 'finding:1']);
    expect(unescaped(message)).toEqual([]);
  });

  it.each<[FindingCloseReason, string]>([
    ['fixed', '✅ `bob` is fixed: it has MFA now or no console password (2026-11-28 13:55 UTC).'],
    ['deleted', '✅ `bob` was deleted (2026-11-28 13:55 UTC).'],
    ['replaced', '✅ `bob` was deleted and recreated'],
    ['exempted', '✅ `bob` is exempt now (2026-11-28 13:55 UTC).'],
    ['in_grace', '✅ `bob` is in its grace period (2026-11-28 13:55 UTC).'],
  ])('a closed user (%s) is one line without buttons', (reason, line) => {
    const message = rechecked([open(alice), closed('bob', reason)]);
    expect(textOf(message)).toContain(line);
    expect(buttons(message).map((b) => b.value)).toEqual(['finding:1', 'finding:1', 'finding:1']);
    expect(textOf(message)).not.toContain('IAM user `bob`');
  });

  it('when every user is closed: "All fixed — thank you" and no buttons at all', () => {
    const message = rechecked([closed('alice', 'fixed'), closed('bob', 'deleted', null)]);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'All fixed — thank you', emoji: true },
    });
    expect(message.text).toContain('All fixed — thank you');
    expect(buttons(message)).toEqual([]);
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(textOf(message)).toContain('✅ `bob` was deleted.');
    expect(problems(message)).toEqual([]);
  });

  it('says how many still need fixing', () => {
    const message = rechecked([open(alice), open(bob), closed('carol', 'fixed')]);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Your AWS IAM users need MFA' } });
    expect(textOf(message)).toContain('You own 2 IAM users');
    expect(message.text).toContain('2 IAM users of yours');
    expect(message.text).toContain('1 done');
  });

  it('keeps the order of the open users', () => {
    const message = rechecked([open(carol), closed('x', 'fixed'), open(alice), failed(bob, 'x')]);
    expect(
      buttons(message)
        .filter((b) => b.action_id === 'mfa_recheck')
        .map((b) => b.value),
    ).toEqual(['finding:3', 'finding:1', 'finding:2']);
  });

  it.each([
    ['200 open users with 64-character names', messageUsers(longNames(200)).map((u) => open(u))],
    [
      '200 open hostile 64-character names',
      messageUsers(longNames(200).map((n) => `${HOSTILE}${n}`.slice(0, 64))).map((u) => open(u)),
    ],
    [
      '100 open, 100 failed with long reasons',
      messageUsers(longNames(200)).map((u, i) => (i % 2 === 0 ? open(u) : failed(u, `${HOSTILE}${'&'.repeat(2000)}`))),
    ],
  ])('%s: within limits, with the right "…and N more"', (_what, users) => {
    const message = rechecked(users);
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
    const shown = buttons(message).filter((b) => b.action_id === 'mfa_recheck').length;
    expect(shown).toBeGreaterThan(3);
    expect(moreCount(textOf(message))).toBe(200 - shown);
  });

  it('200 closed users: within limits, counted', () => {
    const message = rechecked(longNames(200).map((n) => closed(`${HOSTILE}${n}`.slice(0, 64), 'fixed')));
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
    const text = textOf(message);
    const shown = (text.match(/✅/g) ?? []).length;
    expect(moreCount(text)).toBe(200 - shown);
    expect(buttons(message)).toEqual([]);
  });

  it('100 closed and 100 open: the closed lines stay short and the entries keep their room', () => {
    const users = [
      ...longNames(100).map((n) => closed(n, 'fixed')),
      ...messageUsers(longNames(100)).map((u) => open(u)),
    ];
    const message = rechecked(users);
    expect(problems(message)).toEqual([]);
    expect(message.blocks.filter((b) => b.type === 'actions').length).toBeGreaterThanOrEqual(1);
  });
});
