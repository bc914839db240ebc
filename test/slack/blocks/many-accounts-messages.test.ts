/**
 * The answers that span several AWS accounts: the per-account summary, a name found in several
 * accounts, the approvers' account counts, and users named with their account.
 */
import type { AccountOverview, StatusUser } from '../../../src/domain/interaction-messages';
import type { ScannedAccount } from '../../../src/domain/scanned-account';
import { overviewBlocks } from '../../../src/slack/blocks/account-overviews';
import { buildAccountsSummaryMessage } from '../../../src/slack/blocks/accounts-summary-message';
import { buildMyStatusMessage } from '../../../src/slack/blocks/my-status-message';
import { buildRecheckedNudgeMessage } from '../../../src/slack/blocks/rechecked-nudge-message';
import { buildUserAccountsMessage } from '../../../src/slack/blocks/user-accounts-message';
import { ACCOUNT, HOSTILE, NOW } from './fixtures';
import { COMPLETED_SCAN, moreCount, nonCompliant, problems, textOf, unescaped } from './interaction-fixtures';

const COUNTS = { non_compliant: 2, grace: 1, exempt: 0, error: 1, compliant: 3, no_console: 0 };

const accountId = (i: number): string => String(100000000000 + i);
const scanned = (i: number, alias: string | null = `acct-${i}`): ScannedAccount => ({
  accountId: accountId(i),
  alias,
  name: null,
  finishedAt: NOW,
  counts: COUNTS,
});
const inAccount = (user: StatusUser, i: number, alias: string | null = `acct-${i}`): StatusUser => ({
  ...user,
  result: { ...user.result, accountId: accountId(i) },
  account: { accountId: accountId(i), alias },
});

describe('buildAccountsSummaryMessage', () => {
  it('gives one line per account, then the offenders with their account', () => {
    const message = buildAccountsSummaryMessage({
      accounts: [scanned(1), scanned(2, null)],
      lastScan: COMPLETED_SCAN,
      offenders: [inAccount(nonCompliant('alice'), 1), inAccount(nonCompliant('alice'), 2, null)],
      now: NOW,
    });
    const text = textOf(message);
    expect(text).toContain('*AWS accounts (2)*');
    expect(text).toContain(
      '• `acct-1` (`100000000001`): 7 users, 2 without MFA, 1 in grace period, 1 could not be checked (scanned',
    );
    expect(text).toContain('• `100000000002`: 7 users, 2 without MFA');
    expect(text).toContain('• `alice` in `acct-1` (`100000000001`): no MFA since');
    expect(text).toContain('• `alice` in `100000000002`: no MFA since');
    expect(message.text).toBe('MFA status of 2 AWS accounts: 4 IAM users without MFA.');
    expect(problems(message)).toEqual([]);
  });

  it.each([
    [3, 0],
    [40, 0],
    [300, 500],
    [1000, 1000],
  ])('%i accounts and %i offenders are cut to fit, each list with its count', (accounts, offenders) => {
    const message = buildAccountsSummaryMessage({
      accounts: Array.from({ length: accounts }, (_, i) => scanned(i, `an-account-alias-that-is-rather-long-${i}`)),
      lastScan: COMPLETED_SCAN,
      offenders: Array.from({ length: offenders }, (_, i) => inAccount(nonCompliant(`user-${i}`), i % accounts)),
      now: NOW,
    });
    expect(problems(message)).toEqual([]);
    const text = textOf(message);
    const shownAccounts = (text.match(/ users?, \d+ without MFA/g) ?? []).length;
    expect(shownAccounts + Number(/…and (\d+) more accounts?\./.exec(text)?.[1] ?? 0)).toBe(accounts);
    if (offenders > 0) {
      const shownOffenders = (text.match(/: no MFA since/g) ?? []).length;
      expect(shownOffenders + (moreCount(text.slice(text.indexOf('IAM users without MFA'))) ?? 0)).toBe(offenders);
      expect(shownOffenders).toBeGreaterThan(0);
    }
  });

  it('escapes aliases and names that came from outside', () => {
    const message = buildAccountsSummaryMessage({
      accounts: [scanned(1, HOSTILE), scanned(2)],
      lastScan: COMPLETED_SCAN,
      offenders: [inAccount(nonCompliant(HOSTILE), 1, HOSTILE)],
      now: NOW,
    });
    expect(unescaped(message)).toEqual([]);
  });
});

describe('buildUserAccountsMessage', () => {
  const place = (i: number, alias: string | null = `acct-${i}`) => ({
    account: { accountId: accountId(i), alias },
    result: { ...nonCompliant('alice').result, accountId: accountId(i) },
  });

  it.each([
    ['stored', 'nothing was checked just now'],
    ['live', 'Checked just now'],
  ] as const)('from %s data: each account with the command that picks it', (source, words) => {
    const message = buildUserAccountsMessage({
      userName: 'alice',
      places: [place(1), place(2, null)],
      source,
      now: NOW,
    });
    const text = textOf(message);
    expect(text).toContain('*IAM user `alice` is in 2 AWS accounts*');
    expect(text).toContain(words);
    expect(text).toContain('• `acct-1` (`100000000001`): :red_circle:');
    expect(text).toContain('`/mfa-status 100000000001/alice`');
    expect(text).toContain('`/mfa-status 100000000002/alice`');
    expect(problems(message)).toEqual([]);
  });

  it('is cut to fit for very many accounts, and escapes outside text', () => {
    const places = Array.from({ length: 400 }, (_, i) => place(i, `${HOSTILE}-${i}`));
    const message = buildUserAccountsMessage({ userName: 'alice', places, source: 'stored', now: NOW });
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
    const text = textOf(message);
    const shown = (text.match(/\/mfa-status \d{12}\/alice/g) ?? []).length;
    expect(shown + (moreCount(text) ?? 0)).toBe(400);
  });
});

describe('the approvers’ account counts', () => {
  const overview = (i: number): AccountOverview => ({ accountId: accountId(i), alias: `acct-${i}`, counts: COUNTS });

  it.each([
    [0, ''],
    [1, '*AWS account `acct-0` (`100000000000`):* 2 need MFA'],
    [2, '*AWS accounts (2)*\n• `acct-0` (`100000000000`): 2 need MFA'],
  ])('%i accounts: %j', (count, start) => {
    const text = overviewBlocks(Array.from({ length: count }, (_, i) => overview(i)))
      .map((b) => b.text?.text ?? '')
      .join('\n');
    expect(text.startsWith(start)).toBe(true);
  });

  it('many accounts leave room for the person’s own users, and point to the summary', () => {
    const message = buildMyStatusMessage({
      users: Array.from({ length: 30 }, (_, i) => inAccount(nonCompliant(`user-${i}`), i)),
      lastScan: COMPLETED_SCAN,
      overviews: Array.from({ length: 200 }, (_, i) => overview(i)),
      emailUnknown: false,
      ownerUnknown: false,
      now: NOW,
    });
    expect(problems(message)).toEqual([]);
    const text = textOf(message);
    expect(text).toContain('`/mfa-status summary` shows every account.');
    expect(text).toContain('`user-0` in `acct-0` (`100000000000`)');
  });
});

describe('buildRecheckedNudgeMessage over several accounts', () => {
  const other = { accountId: '444455556666', partition: 'aws' as const, alias: HOSTILE };
  const open = (name: string, accountId: string) => {
    const { result, ref } = nonCompliant(name);
    return {
      kind: 'open' as const,
      user: { user: { ...result, accountId }, ref: ref ?? 'finding:1' },
      checkedAt: null,
    };
  };

  it('names each card and each done user with its own account, escaped', () => {
    const message = buildRecheckedNudgeMessage({
      groups: [
        { account: ACCOUNT, users: [open('bob', ACCOUNT.accountId)] },
        {
          account: other,
          users: [{ kind: 'closed', userName: 'alice', reason: 'fixed', at: NOW }, open('bob', other.accountId)],
        },
      ],
      removalEnabled: true,
      now: NOW,
    });
    const text = textOf(message);
    expect(text).toContain('You own 2 IAM users in 2 AWS accounts');
    expect(text).toContain(
      '`alice` in `&lt;!channel&gt; &lt;https://evil|click&gt; &amp; co` (`444455556666`) is fixed',
    );
    expect(text).toContain('*IAM user `bob`* in AWS account `111122223333`');
    expect(text).toContain('*IAM user `bob`* in AWS account `&lt;!channel&gt;');
    expect(message.text).toContain('2 IAM users of yours in 2 AWS accounts');
    expect(problems(message)).toEqual([]);
    expect(unescaped(message)).toEqual([]);
  });
});
