import type { DmRecheckLine } from '../../../src/domain/dm-reply';
import { buildDmHelpMessage, buildDmRecheckMessage } from '../../../src/slack/blocks/dm-reply-message';
import { blocksTextLength as independentTextLength } from '../../support/block-kit-limits';
import { userResult } from '../../support/user-result';
import { HOSTILE, NOW } from './fixtures';
import { buttons, problems, textOf, unescaped } from './interaction-fixtures';

/** The longest IAM user name (64), all of it characters that grow when escaped. */
const NAME_64 = `${HOSTILE}${'&'.repeat(64 - HOSTILE.length)}`;
const LONG_ERROR = `${HOSTILE}${'&'.repeat(5000)}`;

/** Every kind of line, about `name`, with `reason` wherever a reason goes. */
const everyLine = (name: string, reason: string): DmRecheckLine[] => [
  { kind: 'closed', userName: name, reason: 'fixed' },
  { kind: 'closed', userName: name, reason: 'deleted' },
  { kind: 'closed', userName: name, reason: 'replaced' },
  { kind: 'closed', userName: name, reason: 'exempted' },
  { kind: 'closed', userName: name, reason: 'in_grace' },
  { kind: 'still_open', userName: name },
  { kind: 'error', userName: name, reason },
  { kind: 'checked', result: userResult(name, 'exempt', { reason }) },
  { kind: 'not_yours', userName: name },
  { kind: 'unknown', userName: name },
  { kind: 'rate_limited', userName: name, retryAt: new Date(NOW.getTime() + 30_000) },
];

const rechecked = (lines: readonly DmRecheckLine[], more = 0, nudgeUpdated = true) =>
  buildDmRecheckMessage({ kind: 'rechecked', lines, more, nudgeUpdated, now: NOW });

describe('the answer to "done"', () => {
  it('one line per user, in order, each saying what became of it', () => {
    const text = textOf(
      rechecked([
        { kind: 'closed', userName: 'alice', reason: 'fixed' },
        { kind: 'still_open', userName: 'bob' },
        { kind: 'error', userName: 'carol', reason: 'the security team can see why' },
        { kind: 'closed', userName: 'dave', reason: 'deleted' },
      ]),
    );
    expect(text.split('\n')).toEqual([
      '*Rechecked your IAM users just now* (4 users):',
      ':white_check_mark: `alice` is fixed: it has MFA now or no console password. Its finding is closed.',
      ':red_circle: `bob`: still needs MFA (a console password without MFA).',
      ':warning: `carol`: could not be checked (the security team can see why). Nothing was changed; try again in a few minutes.',
      ':white_check_mark: `dave` was deleted. Its finding is closed.',
      'The message about them above is updated too.',
    ]);
  });

  it('says how many were left out, and where to see them', () => {
    const text = textOf(rechecked([{ kind: 'still_open', userName: 'bob' }], 5, false));
    expect(text).toContain('…and 5 more IAM users of yours not rechecked: at most 10 per message.');
    expect(text).toContain('Run `/mfa-status` to see them all');
    expect(text).not.toContain('updated');
  });

  it.each([
    ['no_scan', 'No scan has finished yet'],
    ['no_findings', 'nothing to recheck'],
  ] as const)('nothing to recheck (%s)', (why, says) => {
    expect(textOf(buildDmRecheckMessage({ kind: 'nothing', why }))).toContain(says);
  });

  it.each([
    ['ordinary names', 'alice', 'AccessDenied'],
    ['hostile 64-character names and 5,000-character errors', NAME_64, LONG_ERROR],
  ])('ten users of every kind of line stay within the 4,000-character budget, escaped (%s)', (_label, name, reason) => {
    const lines = everyLine(name, reason);
    const ten = [...lines, ...lines].slice(0, 10);
    for (const message of [rechecked(ten, 99), rechecked(lines)]) {
      expect(problems(message)).toEqual([]);
      expect(unescaped(message)).toEqual([]);
      expect(buttons(message)).toEqual([]);
      expect(independentTextLength(message.blocks)).toBeLessThanOrEqual(4000);
    }
    // All ten lines fit: none is left out to keep the message short.
    expect(textOf(rechecked(ten, 99))).not.toContain('left out');
  });
});

describe('the help', () => {
  it('says what the bot is, why it wrote, what to type and click, and where to ask', () => {
    const text = textOf(buildDmHelpMessage({ securityChannel: 'C0SECURITY01', removalEnabled: true }));
    expect(text).toContain('*mfa-guard* makes sure every AWS IAM user who can sign in to the AWS console');
    expect(text).toContain('It writes to you here when an IAM user it has on record as yours');
    for (const word of ['`done`', '`fixed`', '`recheck`', '`check again`', '`mfa enabled`', '`status`', '`help`']) {
      expect(text).toContain(word);
    }
    expect(text).toContain('*Recheck*');
    expect(text).toContain('*Show CLI steps*');
    expect(text).toContain('*Remove console access…*');
    expect(text).toContain('Ask your security team in <#C0SECURITY01>.');
  });

  it('names no removal when it is turned off, and never turns a bad channel setting into markup', () => {
    const message = buildDmHelpMessage({ securityChannel: HOSTILE, removalEnabled: false });
    expect(textOf(message)).not.toContain('Remove console access');
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
  });
});
