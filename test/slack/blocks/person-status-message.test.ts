import type { PersonStatusInput, StatusUser } from '../../../src/domain/interaction-messages';
import { buildPersonStatusMessage } from '../../../src/slack/blocks/person-status-message';
import { HOSTILE, longNames, NOW } from './fixtures';
import {
  buttons,
  COMPLETED_SCAN,
  moreCount,
  nonCompliant,
  problems,
  statusUser,
  textOf,
  unescaped,
} from './interaction-fixtures';

const BOB = 'U0BOB12345';

const personStatus = (users: readonly StatusUser[], extra: Partial<PersonStatusInput> = {}) =>
  buildPersonStatusMessage({
    slackId: BOB,
    users,
    lastScan: COMPLETED_SCAN,
    emailUnknown: false,
    ownerUnknown: false,
    now: NOW,
    ...extra,
  });

describe('buildPersonStatusMessage', () => {
  it('names the person and lists their users, most urgent first as given', () => {
    const message = personStatus([nonCompliant('bob'), statusUser('bob-old', 'compliant')]);
    const text = textOf(message);
    expect(text).toContain(`*IAM users of <@${BOB}> (2)*`);
    expect(text).toContain('1 IAM user needs MFA');
    expect([...text.matchAll(/• \S+ `([^`]+)`/g)].map((m) => m[1])).toEqual(['bob', 'bob-old']);
    expect(message.text).toContain(`IAM users of <@${BOB}>: 2 users, 1 without MFA`);
    expect(buttons(message)).toEqual([]);
    expect(problems(message)).toEqual([]);
  });

  it.each([
    ['after a scan', COMPLETED_SCAN, false, 'mfa-guard has no IAM user on record for'],
    ['before any scan: no all-clear', null, false, 'No scan has finished yet'],
    ['with the email unknown: says so instead', COMPLETED_SCAN, true, 'not a member of this workspace'],
  ] as const)('an empty list %s', (_label, lastScan, emailUnknown, says) => {
    const message = personStatus([], { lastScan, emailUnknown });
    expect(textOf(message)).toContain(says);
    expect(problems(message)).toEqual([]);
  });

  it('warns under a list that may be missing users', () => {
    const text = textOf(personStatus([nonCompliant('bob')], { emailUnknown: true, ownerUnknown: true }));
    expect(text).toContain('`bob`');
    expect(text).toContain('no record of who owns them');
    expect(text).toContain('are not listed');
  });

  it('a Slack ID that is not one is escaped, never a mention', () => {
    const message = personStatus([], { slackId: HOSTILE });
    expect(unescaped(message)).toEqual([]);
    expect(textOf(message)).not.toContain('<!channel>');
  });

  it('200 hostile 64-character names: cut to fit, with the right "…and N more"', () => {
    const users = longNames(200).map((n, i) => nonCompliant(`${HOSTILE}${n}`.slice(0, 64), i));
    const message = personStatus(users);
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
    const text = textOf(message);
    const shown = (text.match(/^• /gm) ?? []).length;
    expect(shown).toBeGreaterThan(5);
    expect(moreCount(text)).toBe(200 - shown);
    expect(text).toContain('Last scan:');
  });
});
