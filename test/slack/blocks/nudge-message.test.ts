import type { MessageUser, NudgeMessageInput } from '../../../src/domain/notifications';
import { buildRemediation } from '../../../src/domain/remediation';
import type { Partition } from '../../../src/domain/types';
import type { ActionsBlock, Block, SlackMessage } from '../../../src/slack/blocks/block-kit';
import { buildNudgeMessage, fitNudgeUsers } from '../../../src/slack/blocks/nudge-message';
import { ACCOUNT, DAY, HOSTILE, NOW, longNames, messageUsers, offender } from './fixtures';
import { allStrings, limitProblems, unescapedProblems } from './limits-check';

const nudge = (users: readonly MessageUser[], extra: Partial<NudgeMessageInput> = {}) =>
  buildNudgeMessage({ account: ACCOUNT, ownerSlackId: 'U0OWNER1', users, now: NOW, removalEnabled: true, ...extra });

const actionsBlocks = (message: SlackMessage): ActionsBlock[] =>
  message.blocks.filter((b): b is ActionsBlock => b.type === 'actions');

const blockText = (block: Block): string =>
  block.type === 'section' ? [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text)].join('\n') : '';

const allText = (message: SlackMessage): string => message.blocks.map(blockText).join('\n');

const codeBlocks = (message: SlackMessage): string[] => [...allText(message).matchAll(/```([\s\S]*?)```/g)].map((m) => m[1] ?? '');

const moreCount = (text: string): number | null => {
  const match = /and (\d+) more — use \/mfa-status/.exec(text);
  return match ? Number(match[1]) : null;
};

const hostileUsers = (): MessageUser[] =>
  [HOSTILE, `${HOSTILE}${'&'.repeat(300)}`, 'alice', '```` `` ` *bold* _it_'].map((name, i) => ({
    user: offender(name, 400, { owner: { kind: 'slack', value: HOSTILE, source: 'tag:owner' }, reason: HOSTILE }),
    ref: `finding:${i + 1}`,
  }));

describe('buildNudgeMessage stays within every Slack limit', () => {
  it.each([
    ['1 user', messageUsers(['alice'])],
    ['7 users', messageUsers(['a', 'b', 'c', 'd', 'e', 'f', 'g'])],
    ['200 users with 64-character names', messageUsers(longNames(200))],
    ['hostile names', hostileUsers()],
    ['200 hostile 64-character names', messageUsers(longNames(200).map((n) => `<&>${n}`.slice(0, 64).replace(/z/g, '&')))],
    ['no users', []],
  ])('%s', (_what, users) => {
    for (const removalEnabled of [true, false]) {
      const message = nudge(users, { removalEnabled });
      expect(limitProblems(message)).toEqual([]);
      expect(unescapedProblems(message)).toEqual([]);
      expect(message.shownUsers).toBeLessThanOrEqual(users.length);
      expect(actionsBlocks(message)).toHaveLength(message.shownUsers);
    }
  });
});

describe('cutting the list', () => {
  it.each([1, 7, 12, 200])('%i users: the buttons cover the first shown users and "and N more" counts the rest', (count) => {
    const users = messageUsers(longNames(count));
    const message = nudge(users);
    const shown = message.shownUsers;
    expect(shown).toBeGreaterThan(0);
    expect(fitNudgeUsers({ account: ACCOUNT, ownerSlackId: 'U0OWNER1', users, now: NOW, removalEnabled: true })).toBe(shown);
    expect(actionsBlocks(message).map((b) => b.elements[0]?.value)).toEqual(users.slice(0, shown).map((u) => u.ref));
    const last = message.blocks[message.blocks.length - 1];
    if (shown === count) {
      expect(moreCount(allText(message))).toBeNull();
      expect(last?.type).toBe('actions');
    } else {
      expect(last?.type).toBe('section');
      expect(moreCount(blockText(last ?? { type: 'divider' }))).toBe(count - shown);
      // The list is cut only when the next card really would not fit.
      expect(message.blocks.length).toBeGreaterThan(44);
    }
  });

  it('shows a handful of ordinary users without cutting', () => {
    expect(nudge(messageUsers(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).shownUsers).toBe(7);
  });

  it('keeps the given order', () => {
    const message = nudge(messageUsers(['zed', 'amy', 'bob']));
    const order = [...allText(message).matchAll(/\*IAM user `([^`]+)`\*/g)].map((m) => m[1]);
    expect(order).toEqual(['zed', 'amy', 'bob']);
  });
});

describe('text fallback', () => {
  it('names the account and the users', () => {
    expect(nudge(messageUsers(['alice', 'bob'])).text).toBe(
      'You own 2 IAM users in AWS account 111122223333 that can sign in to the AWS Console without MFA: alice, bob.',
    );
  });

  it('counts the names that did not fit', () => {
    const names = longNames(200);
    const { text } = nudge(messageUsers(names));
    expect(text.length).toBeLessThan(4000);
    const listed = names.filter((n) => text.includes(n)).length;
    expect(listed).toBeGreaterThan(10);
    expect(moreCount(text)).toBe(200 - listed);
  });

  it('escapes names', () => {
    const { text } = nudge(hostileUsers());
    expect(text).toContain('&lt;!channel&gt; &lt;https://evil|click&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
  });
});

describe('the user card', () => {
  it('says how long, why it matters and where to click', () => {
    const text = allText(nudge([{ user: offender('alice', 3), ref: 'finding:9' }]));
    expect(text).toContain('*IAM user `alice`* in AWS account `111122223333` has had a console password without MFA for *3 days*.');
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'alice' });
    expect(text).toContain(r.whyItMatters);
    expect(text).toContain(r.risk);
    expect(text).toContain(`<${r.enableMfa.consoleUrl}|Open alice in the IAM console>`);
    r.enableMfa.consoleSteps.forEach((step) => expect(text).toContain(step));
    expect(text).toContain(r.enableMfa.seedStep);
    expect(text).toContain(r.enableMfa.secretWarning);
    expect(text).toContain(r.removeConsoleAccess.summary);
  });

  it.each([
    [0, 'found in this scan'],
    [30 * 60_000, 'for *30 minutes*'],
    [1 * 3_600_000, 'for *1 hour*'],
    [1 * DAY, 'for *1 day*'],
    [45 * DAY + 5 * 3_600_000, 'for *45 days*'],
  ])('non_compliant for %i ms reads "%s"', (ms, words) => {
    const since = ms === 0 ? null : new Date(NOW.getTime() - ms);
    const text = allText(nudge([{ user: offender('alice', 0, { nonCompliantSince: since }), ref: 'finding:1' }]));
    expect(text).toContain(`without MFA ${words}.`);
  });

  it.each<[string, Partition]>([
    ['alice', 'aws'],
    ['a.b@example.com', 'aws-us-gov'],
    ['-dash', 'aws-cn'],
    ['svc+ci=x,y', 'aws'],
  ])('the CLI commands for %s in %s are exactly those of buildRemediation', (userName, partition) => {
    const message = nudge([{ user: offender(userName), ref: 'finding:1' }], { account: { accountId: '111122223333', partition } });
    const r = buildRemediation({ accountId: '111122223333', partition, userName });
    expect(codeBlocks(message)).toEqual([
      r.enableMfa.createQrCode,
      r.enableMfa.createBase32,
      r.enableMfa.deleteStaleDevice,
      r.enableMfa.enable,
      r.removeConsoleAccess.command,
    ]);
  });

  it('every user of the owner gets their own commands', () => {
    const message = nudge(messageUsers(['alice', 'bob']));
    const blocks = codeBlocks(message);
    expect(blocks).toHaveLength(10);
    expect(blocks.filter((c) => c.includes('--user-name bob'))).toHaveLength(2);
  });
});

describe('buttons', () => {
  it('Recheck and Remove console access… carry the finding ref', () => {
    const [actions] = actionsBlocks(nudge([{ user: offender('alice'), ref: 'finding:42' }]));
    const [recheck, remove] = actions?.elements ?? [];
    expect(recheck).toMatchObject({ action_id: 'mfa_recheck', value: 'finding:42', text: { type: 'plain_text', text: 'Recheck' } });
    expect(recheck?.style).toBeUndefined();
    expect(remove).toMatchObject({
      action_id: 'mfa_request_removal',
      value: 'finding:42',
      style: 'danger',
      text: { text: 'Remove console access…' },
    });
    expect(remove?.confirm?.text.text).toContain("Ask an approver to remove alice's console password");
    expect(remove?.confirm?.confirm.text.length).toBeLessThanOrEqual(30);
    expect(remove?.confirm?.deny.text.length).toBeLessThanOrEqual(30);
  });

  it('removalEnabled=false drops the removal button', () => {
    const message = nudge(messageUsers(['alice', 'bob']), { removalEnabled: false });
    const actions = actionsBlocks(message);
    expect(actions).toHaveLength(2);
    actions.forEach((a) => expect(a.elements.map((e) => e.action_id)).toEqual(['mfa_recheck']));
    expect(JSON.stringify(message)).not.toContain('mfa_request_removal');
  });

  it('the confirm dialog stays short with a long hostile name', () => {
    const [actions] = actionsBlocks(nudge([{ user: offender(`${HOSTILE}${'&'.repeat(400)}`), ref: 'finding:1' }]));
    const confirm = actions?.elements[1]?.confirm;
    expect(confirm?.text.text.length).toBeLessThanOrEqual(300);
    expect(confirm?.text.text).toContain('&lt;!channel&gt;');
  });
});

describe('hostile input', () => {
  it('never reaches Slack unescaped', () => {
    const message = nudge(hostileUsers());
    const strings = allStrings(message);
    expect(strings.some((s) => s.includes('<!channel>'))).toBe(false);
    expect(strings.some((s) => s.includes('<https://evil'))).toBe(false);
    expect(strings.some((s) => s.includes('&lt;!channel&gt; &lt;https://evil|click&gt; &amp; co'))).toBe(true);
  });
});
