import type { AccountSummaryInput, StatusUser } from '../../../src/domain/interaction-messages';
import { buildAccountSummaryMessage } from '../../../src/slack/blocks/account-summary-message';
import { HOSTILE, longNames, NOW } from './fixtures';
import { buttons, COMPLETED_SCAN, moreCount, nonCompliant, problems, textOf, unescaped } from './interaction-fixtures';

const COUNTS = { non_compliant: 200, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 };

const summary = (offenders: readonly StatusUser[], extra: Partial<AccountSummaryInput> = {}) =>
  buildAccountSummaryMessage({
    overview: { accountId: '111122223333', alias: null, counts: COUNTS },
    lastScan: COMPLETED_SCAN,
    offenders,
    now: NOW,
    ...extra,
  });

const owned = (name: string, owner: { kind: 'slack' | 'email'; value: string }, days = 3): StatusUser => {
  const base = nonCompliant(name, days);
  return { ...base, result: { ...base.result, owner: { ...owner, source: 'tag:owner' } } };
};

describe('buildAccountSummaryMessage', () => {
  it('gives the counts per status and the last scan', () => {
    const message = summary([]);
    const fields = message.blocks.flatMap((b) => (b.type === 'section' ? (b.fields ?? []).map((f) => f.text) : []));
    expect(fields).toEqual([
      '*Without MFA*\n200',
      '*In grace period*\n1',
      '*Exempt*\n2',
      '*Could not check*\n1',
      '*With MFA*\n5',
      '*No console password*\n4',
    ]);
    expect(textOf(message)).toContain('Last scan: 2026-11-28 13:00 UTC, completed.');
    expect(textOf(message)).toContain('No IAM user in this account can sign in to the AWS Console without MFA.');
    expect(problems(message)).toEqual([]);
  });

  it.each([
    [{ kind: 'slack' as const, value: 'U0OWNER1' }, 'owner <@U0OWNER1>'],
    [{ kind: 'slack' as const, value: 'U1> <!channel' }, 'owner U1&gt; &lt;!channel'],
    [{ kind: 'email' as const, value: 'a&b@example.com' }, 'owner a&amp;b@example.com'],
  ])('one line per offender: name, since, owner (%#)', (owner, words) => {
    const text = textOf(summary([owned('alice', owner)]));
    expect(text).toContain(`• \`alice\`: no MFA since 2026-11-25 14:00 UTC (3 days), ${words}`);
  });

  it('says so when a user has no owner', () => {
    expect(textOf(summary([nonCompliant('bob')]))).toContain('owner no owner set');
  });

  it.each([
    [
      '200 users with 64-character names',
      longNames(200).map((n) => owned(n, { kind: 'email', value: `${n}@example.com` })),
    ],
    [
      '200 hostile names',
      longNames(200).map((n) =>
        owned(`${HOSTILE}${n}`.slice(0, 64), { kind: 'email', value: `${HOSTILE}${'&'.repeat(150)}` }),
      ),
    ],
  ])('%s: cut to fit, with the right "…and N more"', (_what, offenders) => {
    const message = summary(offenders);
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
    const text = textOf(message);
    const shown = (text.match(/^• /gm) ?? []).length;
    expect(shown).toBeGreaterThan(5);
    expect(moreCount(text)).toBe(200 - shown);
    expect(buttons(message)).toEqual([]);
  });

  it('escapes the fallback text', () => {
    const message = summary([], { overview: { accountId: '<!channel>', alias: '<!here>', counts: COUNTS } });
    expect(message.text).toContain('&lt;!channel&gt;');
    expect(unescaped(message)).toEqual([]);
  });
});
