import type { MessageUser } from '../../../src/domain/notifications';
import { buildRemediation } from '../../../src/domain/remediation';
import type { Partition } from '../../../src/domain/types';
import type {
  ActionsBlock,
  Block,
  ButtonElement,
  SectionBlock,
  SlackMessage,
} from '../../../src/slack/blocks/block-kit';
import { BLOCKS_TEXT_BUDGET, blocksTextLength } from '../../../src/slack/blocks/limits';
import { buildCompactNudgeMessage, buildNudgeMessage, fitNudgeUsers } from '../../../src/slack/blocks/nudge-message';
import { blocksTextLength as independentTextLength } from '../../support/block-kit-limits';
import { DAY, HOSTILE, longNames, messageUsers, NOW, nudgeInput, offender } from './fixtures';
import { allStrings, limitProblems, unescapedProblems } from './limits-check';

const nudge = (users: readonly MessageUser[], extra: Parameters<typeof nudgeInput>[1] = {}) =>
  buildNudgeMessage(nudgeInput(users, extra));

const actionsBlocks = (message: SlackMessage): ActionsBlock[] =>
  message.blocks.filter((b): b is ActionsBlock => b.type === 'actions');

/** Compact users: one section each, with Recheck as its button. */
const compactSections = (message: SlackMessage): SectionBlock[] =>
  message.blocks.filter((b): b is SectionBlock => b.type === 'section' && b.accessory !== undefined);

/** Every Recheck button in the message, full cards and compact users alike, in order. */
const rechecks = (message: SlackMessage): ButtonElement[] =>
  message.blocks.flatMap((b) => {
    if (b.type === 'actions') return b.elements.filter((el) => el.action_id === 'mfa_recheck');
    return b.type === 'section' && b.accessory?.action_id === 'mfa_recheck' ? [b.accessory] : [];
  });

const blockText = (block: Block): string =>
  block.type === 'section' ? [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text)].join('\n') : '';

const allText = (message: SlackMessage): string => message.blocks.map(blockText).join('\n');

const codeBlocks = (message: SlackMessage): string[] =>
  [...allText(message).matchAll(/```([\s\S]*?)```/g)].map((m) => m[1] ?? '');

const moreCount = (text: string): number | null => {
  const match = /and (\d+) more — use \/mfa-status/.exec(text);
  return match ? Number(match[1]) : null;
};

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

const hostileUsers = (): MessageUser[] =>
  [HOSTILE, `${HOSTILE}${'&'.repeat(300)}`, 'alice', '```` `` ` *bold* _it_'].map((name, i) => ({
    user: offender(name, 400, { owner: { kind: 'slack', value: HOSTILE, source: 'tag:owner' }, reason: HOSTILE }),
    ref: `finding:${i + 1}`,
  }));

/** The worst valid IAM names: 64 characters (IAM's maximum) of what grows most when escaped, URL-encoded or quoted. */
const WORST_64 = ['&'.repeat(64), '+'.repeat(64), '@'.repeat(64), `<&>${'&'.repeat(61)}`, ...longNames(1)];

const hostile64 = (count: number): MessageUser[] =>
  messageUsers(longNames(count).map((n) => `<&>${n}`.slice(0, 64).replace(/z/g, '&')));

describe('buildNudgeMessage stays within every Slack limit', () => {
  it.each([
    ['1 user', messageUsers(['alice'])],
    ['5 users', messageUsers(['a', 'b', 'c', 'd', 'e'])],
    ['7 users', messageUsers(['a', 'b', 'c', 'd', 'e', 'f', 'g'])],
    ['30 users', messageUsers(Array.from({ length: 30 }, (_, i) => `user-${i}`))],
    ['30 users with 64-character names', messageUsers(longNames(30))],
    ['200 users with 64-character names', messageUsers(longNames(200))],
    ['hostile names', hostileUsers()],
    ['200 hostile 64-character names', hostile64(200)],
    ...WORST_64.map((name): [string, MessageUser[]] => [
      `200 users, the first named ${name}`,
      [...messageUsers([name]), ...messageUsers(longNames(199))],
    ]),
    ['no users', []],
  ])('%s', (_what, users) => {
    for (const removalEnabled of [true, false]) {
      const message = nudge(users, { removalEnabled });
      // Includes Slack's limit on the text of all blocks together (msg_blocks_too_long).
      expect(limitProblems(message)).toEqual([]);
      expect(unescapedProblems(message)).toEqual([]);
      // Our own budget, with its margin under Slack's ~12,000, measured by both counters.
      expect(blocksTextLength(message.blocks)).toBe(independentTextLength(message.blocks));
      expect(blocksTextLength(message.blocks)).toBeLessThanOrEqual(BLOCKS_TEXT_BUDGET);
      // Every user shown has exactly one Recheck, in the given order; the rest are counted.
      expect(rechecks(message).map((b) => b.value)).toEqual(users.slice(0, message.shownUsers).map((u) => u.ref));
      expect(actionsBlocks(message)).toHaveLength(message.fullUsers);
      expect(compactSections(message)).toHaveLength(message.shownUsers - message.fullUsers);
      expect(moreCount(allText(message)) ?? 0).toBe(users.length - message.shownUsers);
      if (users.length > 0) expect(message.fullUsers).toBeGreaterThan(0);
    }
  });
});

describe('a DM for the owner of 50 users with 64-character names', () => {
  it('stays within 4,000 characters of block text, buttons and confirm dialogs included, and counts the rest', () => {
    const users = messageUsers(longNames(50));
    for (const removalEnabled of [true, false]) {
      const message = nudge(users, { removalEnabled });
      expect(independentTextLength(message.blocks)).toBeLessThanOrEqual(4000);
      expect(limitProblems(message)).toEqual([]);
      expect(message.fullUsers).toBeGreaterThanOrEqual(1);
      expect(message.shownUsers).toBeGreaterThan(message.fullUsers);
      expect(moreCount(allText(message))).toBe(50 - message.shownUsers);
    }
  });
});

describe('the first user always gets a full entry', () => {
  it.each(WORST_64)(
    'even named %s (64 characters, the most IAM allows): the console fix and all three buttons',
    (name) => {
      expect(name).toHaveLength(64);
      for (const users of [messageUsers([name]), [...messageUsers([name]), ...messageUsers(longNames(199))]]) {
        const message = nudge(users);
        expect(message.fullUsers).toBeGreaterThanOrEqual(1);
        expect(actionsBlocks(message)[0]?.elements.map((b) => [b.action_id, b.value])).toEqual([
          ['mfa_recheck', 'finding:1'],
          ['mfa_request_removal', 'finding:1'],
          ['mfa_show_steps', 'finding:1'],
        ]);
        const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: name });
        const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        expect(allText(message)).toContain(
          `<${escape(r.enableMfa.consoleUrl)}|Open ${escape(name)} in the IAM console>`,
        );
        // The commands are one click away (Show CLI steps), never in the DM.
        expect(codeBlocks(message)).toEqual([]);
        expect(limitProblems(message)).toEqual([]);
      }
    },
  );

  it('a name longer than IAM allows (so no real user) is cut rather than break the limits', () => {
    const message = nudge([{ user: offender(`${HOSTILE}${'&'.repeat(4000)}`), ref: 'finding:1' }]);
    expect(limitProblems(message)).toEqual([]);
    expect(unescapedProblems(message)).toEqual([]);
    expect(independentTextLength(message.blocks)).toBeLessThanOrEqual(4000);
    expect(message.shownUsers).toBe(1);
    expect(rechecks(message).map((b) => b.value)).toEqual(['finding:1']);
  });
});

describe('cutting the list', () => {
  it.each([1, 2, 5, 7, 12, 30, 200])(
    '%i users: full cards first, then compact users, then "and N more"; all accounted for',
    (count) => {
      const users = messageUsers(longNames(count));
      const message = nudge(users);
      const { shownUsers, fullUsers } = message;
      expect(fullUsers).toBeGreaterThan(0);
      expect(fitNudgeUsers(nudgeInput(users))).toBe(shownUsers);
      // Full cards are the first users, compact sections the next ones.
      expect(actionsBlocks(message).map((b) => b.elements[0]?.value)).toEqual(
        users.slice(0, fullUsers).map((u) => u.ref),
      );
      expect(compactSections(message).map((b) => b.accessory?.value)).toEqual(
        users.slice(fullUsers, shownUsers).map((u) => u.ref),
      );
      const more = moreCount(allText(message)) ?? 0;
      expect(fullUsers + (shownUsers - fullUsers) + more).toBe(count);
      const last = message.blocks[message.blocks.length - 1];
      if (more === 0) {
        expect(shownUsers).toBe(count);
      } else {
        expect(last?.type).toBe('section');
        expect(moreCount(blockText(last ?? { type: 'divider' }))).toBe(more);
        // The list is cut only when the budget is really used up.
        expect(blocksTextLength(message.blocks)).toBeGreaterThan(BLOCKS_TEXT_BUDGET - 500);
      }
    },
  );

  it('5 ordinary users are all shown (most in full, the rest compact) without "and N more"', () => {
    const message = nudge(messageUsers(Array.from({ length: 5 }, (_, i) => `user-${i}`)));
    expect(message.shownUsers).toBe(5);
    expect(message.fullUsers).toBeGreaterThanOrEqual(3);
    expect(moreCount(allText(message))).toBeNull();
  });

  it('10 ordinary users: a few in full, most of the rest compact, and a count', () => {
    const message = nudge(messageUsers(Array.from({ length: 10 }, (_, i) => `user-${i}`)));
    expect(message.fullUsers).toBeGreaterThanOrEqual(2);
    expect(message.shownUsers).toBeGreaterThanOrEqual(7);
    expect(moreCount(allText(message)) ?? 0).toBe(10 - message.shownUsers);
  });

  it('shows two ordinary users both in full', () => {
    const message = nudge(messageUsers(['alice', 'bob']));
    expect(message.fullUsers).toBe(2);
    expect(compactSections(message)).toEqual([]);
  });

  it('keeps the given order, full and compact alike', () => {
    const names = ['zed', 'amy', 'bob', 'cy', 'dan', 'eve', 'fay'];
    const message = nudge(messageUsers(names));
    expect(message.shownUsers).toBe(names.length);
    const order = [...allText(message).matchAll(/\*IAM user `([^`]+)`\*/g)].map((m) => m[1]);
    expect(order).toEqual(names);
  });
});

describe('compact users', () => {
  const users = messageUsers(Array.from({ length: 30 }, (_, i) => `user-${i}`));
  const message = nudge(users);
  const compact = compactSections(message);

  it('have Recheck as the section button, with the same action_id and finding ref as a full card', () => {
    expect(compact.length).toBeGreaterThan(0);
    compact.forEach((section, i) => {
      const user = users[message.fullUsers + i];
      expect(section.accessory).toEqual({
        type: 'button',
        action_id: 'mfa_recheck',
        text: { type: 'plain_text', text: 'Recheck', emoji: true },
        value: user?.ref,
      });
    });
  });

  it('say who, for how long, and link to the user in the IAM console, in one section', () => {
    const first = users[message.fullUsers];
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: first?.user.userName ?? '' });
    expect(compact[0]?.text?.text).toBe(
      `*IAM user \`${first?.user.userName}\`*: console password without MFA for *3 days*. <${r.enableMfa.consoleUrl}|Open it in the IAM console>`,
    );
  });

  it('come after a line saying how to fix them and where their steps and buttons are', () => {
    const index = message.blocks.findIndex((b) => b === compact[0]);
    expect(blockText(message.blocks[index - 1] ?? { type: 'divider' })).toBe(
      '*More of your IAM users without MFA.* Fix each one the same way, in the IAM console; ' +
        '`/mfa-status &lt;iam-user-name&gt;` shows its steps and buttons.',
    );
  });
});

describe('why it matters', () => {
  it.each([1, 2, 30])('is said once for %i user(s), in words that fit every user, and the risk with it', (count) => {
    const users = messageUsers(Array.from({ length: count }, (_, i) => `user-${i}`));
    const text = allText(nudge(users));
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'user-0' });
    const generic = r.whyItMatters.replace('user-0', count === 1 ? 'This IAM user' : 'Each of these IAM users');
    expect(occurrences(text, `*Why it matters:* ${generic}`)).toBe(1);
    expect(occurrences(text, `*Risk:* ${r.risk}`)).toBe(1);
    expect(occurrences(text, 'MFA adds a second factor')).toBe(1);
    // It comes before the first user.
    expect(text.indexOf('*Why it matters:*')).toBeLessThan(text.indexOf('*IAM user `user-0`*'));
  });

  it("keeps the Panther policy's point: a leaked password alone is not enough with MFA", () => {
    expect(allText(nudge(messageUsers(['alice', 'bob'])))).toContain(
      'Each of these IAM users can sign in to the AWS Console with a password alone. MFA adds a second factor to the login: ' +
        'if the password is leaked, an attacker still cannot sign in without the one-time code from the MFA device.',
    );
  });

  it('is left out when there is nobody to fix', () => {
    expect(allText(nudge([]))).not.toContain('Why it matters');
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

describe('the entry of one user', () => {
  it('is one line (who, where, how long), then the console link and its three steps', () => {
    const message = nudge([{ user: offender('alice', 3), ref: 'finding:9' }]);
    const text = allText(message);
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'alice' });
    const entry = [
      '*IAM user `alice`* in AWS account `111122223333`: console password without MFA for *3 days*.',
      `*Enable MFA in the console:* <${r.enableMfa.consoleUrl}|Open alice in the IAM console>`,
      ...r.enableMfa.consoleSteps.map((step, i) => `${i + 1}. ${step}`),
    ].join('\n');
    expect(text).toContain(entry);
    expect(text).toContain(r.whyItMatters.replace('alice', 'This IAM user'));
    expect(text).toContain(r.risk);
  });

  it('keeps the AWS CLI out of the DM: no command, no secret-file warning', () => {
    const message = nudge(messageUsers(['alice', 'bob']));
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'alice' });
    expect(codeBlocks(message)).toEqual([]);
    expect(allText(message)).not.toContain('aws iam');
    expect(allText(message)).not.toContain(r.enableMfa.secretWarning);
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

  it.each<[string, Partition, string]>([
    ['alice', 'aws', 'console.aws.amazon.com'],
    ['a.b@example.com', 'aws-us-gov', 'console.amazonaws-us-gov.com'],
    ['-dash', 'aws-cn', 'console.amazonaws.cn'],
    ['svc+ci=x,y', 'aws', 'console.aws.amazon.com'],
  ])('links %s in %s to its own console', (userName, partition, host) => {
    const message = nudge([{ user: offender(userName), ref: 'finding:1' }], {
      account: { accountId: '111122223333', partition, alias: null },
    });
    const r = buildRemediation({ accountId: '111122223333', partition, userName });
    expect(r.enableMfa.consoleUrl).toContain(host);
    expect(allText(message)).toContain(`<${r.enableMfa.consoleUrl}|Open ${userName} in the IAM console>`);
  });

  it('is under 1,000 characters for an ordinary name, buttons and confirm dialog included', () => {
    const one = nudge(messageUsers(['alice']));
    const two = nudge(messageUsers(['alice', 'bob']));
    expect(independentTextLength(two.blocks) - independentTextLength(one.blocks)).toBeLessThan(1000);
  });
});

describe('buttons', () => {
  it('Recheck, Remove console access… and Show CLI steps carry the finding ref, in that order', () => {
    const [actions] = actionsBlocks(nudge([{ user: offender('alice'), ref: 'finding:42' }]));
    const [recheck, remove, steps] = actions?.elements ?? [];
    expect(steps).toEqual({
      type: 'button',
      action_id: 'mfa_show_steps',
      text: { type: 'plain_text', text: 'Show CLI steps', emoji: true },
      value: 'finding:42',
    });
    expect(recheck).toMatchObject({
      action_id: 'mfa_recheck',
      value: 'finding:42',
      text: { type: 'plain_text', text: 'Recheck' },
    });
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
    actions.forEach((a) => expect(a.elements.map((e) => e.action_id)).toEqual(['mfa_recheck', 'mfa_show_steps']));
    expect(JSON.stringify(message)).not.toContain('mfa_request_removal');
  });

  it('the confirm dialog stays short with a long hostile name', () => {
    // 64 characters, IAM's most; escaped they are well over the 120 the dialog allows for the name.
    const [actions] = actionsBlocks(nudge([{ user: offender(`${HOSTILE}${'&'.repeat(28)}`), ref: 'finding:1' }]));
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

describe('the compact form (what the DM falls back to when Slack refuses the full one)', () => {
  const compact = (users: readonly MessageUser[], extra: Parameters<typeof nudgeInput>[1] = {}) =>
    buildCompactNudgeMessage(nudgeInput(users, extra));

  it('is one line per user with the console link, then the count, with no buttons and no steps', () => {
    const message = compact([
      { user: offender('alice', 3), ref: 'finding:1' },
      { user: offender('bob', 0, { nonCompliantSince: null }), ref: 'finding:2' },
    ]);
    const r = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'alice' });
    const b = buildRemediation({ accountId: '111122223333', partition: 'aws', userName: 'bob' });
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section']);
    expect(blockText(message.blocks[2] ?? { type: 'divider' })).toBe(
      [
        '*Your IAM users without MFA (2)*',
        `• \`alice\`: no MFA for 3 days — <${r.enableMfa.consoleUrl}|open it in the IAM console>`,
        `• \`bob\`: no MFA found in the last scan — <${b.enableMfa.consoleUrl}|open it in the IAM console>`,
      ].join('\n'),
    );
    expect(allText(message)).toContain('/mfa-status &lt;iam-user-name&gt;');
    expect(rechecks(message)).toEqual([]);
    expect([message.shownUsers, message.fullUsers]).toEqual([2, 0]);
    expect(message.text).toBe(nudge(messageUsers(['alice', 'bob'])).text);
  });

  it.each([
    ['50 users with 64-character names', messageUsers(longNames(50))],
    ['200 hostile 64-character names', hostile64(200)],
    ['one user', messageUsers(['alice'])],
  ])('%s: within 4,000 characters, every line accounted for', (_what, users) => {
    const message = compact(users);
    expect(limitProblems(message)).toEqual([]);
    expect(unescapedProblems(message)).toEqual([]);
    expect(independentTextLength(message.blocks)).toBeLessThanOrEqual(4000);
    const lines = allText(message)
      .split('\n')
      .filter((l) => l.startsWith('• '));
    expect(lines).toHaveLength(message.shownUsers);
    expect(moreCount(allText(message)) ?? 0).toBe(users.length - message.shownUsers);
  });
});
