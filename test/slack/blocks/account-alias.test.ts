/**
 * Every message that shows a user with its account shows the account's alias next to its id, and
 * the alias (outside text) is escaped like any other.
 */
import type { AccountRef } from '../../../src/domain/types';
import { buildAccountSummaryMessage } from '../../../src/slack/blocks/account-summary-message';
import { buildApprovalMessage } from '../../../src/slack/blocks/approval-message';
import { buildStepsView } from '../../../src/slack/blocks/cli-steps-view';
import { buildHomeView } from '../../../src/slack/blocks/home-view';
import { accountMrkdwn, accountText } from '../../../src/slack/blocks/mrkdwn';
import { buildMyStatusMessage } from '../../../src/slack/blocks/my-status-message';
import { buildCompactNudgeMessage, buildNudgeMessage } from '../../../src/slack/blocks/nudge-message';
import { buildRecheckedNudgeMessage } from '../../../src/slack/blocks/rechecked-nudge-message';
import { buildRemovalOutcomeMessage } from '../../../src/slack/blocks/removal-outcome-message';
import { buildScanSummaryMessage } from '../../../src/slack/blocks/scan-summary-message';
import { buildUserCheckMessage } from '../../../src/slack/blocks/user-check-message';
import { ACCOUNT, accountLine, messageUsers, NOW, nudgeInput, offender, summaryInput } from './fixtures';
import { COMPLETED_SCAN, nonCompliant, request } from './interaction-fixtures';
import { allStrings, limitProblems, unescapedProblems } from './limits-check';

const counts = { non_compliant: 3, grace: 1, exempt: 2, error: 1, compliant: 5, no_console: 4 };

const messages = (account: AccountRef) => {
  const overview = { accountId: account.accountId, alias: account.alias, counts };
  const nudge = nudgeInput(messageUsers(['alice', 'bob']), { account });
  return [
    ['nudge', buildNudgeMessage(nudge)],
    ['compact nudge', buildCompactNudgeMessage(nudge)],
    [
      'rechecked nudge',
      buildRecheckedNudgeMessage({ groups: [{ account, users: [] }], removalEnabled: true, now: NOW }),
    ],
    [
      'scan summary',
      buildScanSummaryMessage(summaryInput({ accounts: [accountLine({ account, rootWithoutMfa: true })] })),
    ],
    [
      '/mfa-status user',
      buildUserCheckMessage({ account, result: offender('alice'), ref: 'finding:1', removalEnabled: true, now: NOW }),
    ],
    [
      '/mfa-status mine',
      buildMyStatusMessage({
        users: [nonCompliant('alice')],
        lastScan: COMPLETED_SCAN,
        emailUnknown: false,
        ownerUnknown: false,
        overviews: [overview],
        now: NOW,
      }),
    ],
    [
      '/mfa-status summary',
      buildAccountSummaryMessage({ overview, lastScan: COMPLETED_SCAN, offenders: [nonCompliant('alice')], now: NOW }),
    ],
    [
      'App Home',
      buildHomeView({
        users: [nonCompliant('alice')],
        lastScan: COMPLETED_SCAN,
        emailUnknown: false,
        ownerUnknown: false,
        approver: { overviews: [overview], pending: [] },
        now: NOW,
      }),
    ],
    [
      'approval',
      buildApprovalMessage({
        request: request(),
        account,
        user: { status: 'non_compliant', passwordLastUsed: null, ownerSlackId: null, ownerText: 'someone' },
        now: NOW,
      }),
    ],
    ['removal outcome', buildRemovalOutcomeMessage({ request: request(), audience: 'requester', account })],
    ['CLI steps', buildStepsView({ kind: 'steps', account, userName: 'alice' })],
  ] as const;
};

const text = (message: unknown): string => allStrings(message).join('\n');

describe('the account alias in messages', () => {
  it('labels an account by alias and id, and by id alone without an alias', () => {
    expect(accountMrkdwn({ accountId: '111122223333', alias: 'acme-prod' })).toBe('`acme-prod` (`111122223333`)');
    expect(accountMrkdwn({ accountId: '111122223333', alias: null })).toBe('`111122223333`');
    expect(accountText({ accountId: '111122223333', alias: 'acme-prod' })).toBe('acme-prod (111122223333)');
  });

  it('escapes a hostile alias and keeps it inside its code span', () => {
    const label = accountMrkdwn({ accountId: '111122223333', alias: '<!channel>`*x*` & co' });
    expect(label).toBe("`&lt;!channel&gt;'*x*' &amp; co` (`111122223333`)");
    expect(accountText({ accountId: '1', alias: 'x'.repeat(500) }).length).toBeLessThan(80);
  });

  it.each(messages({ ...ACCOUNT, alias: 'acme-prod' }).map(([name, message]) => [name, message] as const))(
    '%s shows the alias next to the id',
    (_name, message) => {
      expect(text(message)).toContain('`acme-prod` (`111122223333`)');
    },
  );

  it.each(messages({ ...ACCOUNT, alias: '<!channel> & <https://evil|x>' }).map(([n, m]) => [n, m] as const))(
    '%s escapes the alias',
    (_name, message) => {
      expect(unescapedProblems(message)).toEqual([]);
      expect(limitProblems(message)).toEqual([]);
      expect(text(message)).toContain('&lt;!channel&gt; &amp; &lt;https://evil|x&gt;');
    },
  );

  it.each(messages(ACCOUNT).map(([n, m]) => [n, m] as const))(
    '%s shows the id alone without an alias',
    (_n, message) => {
      expect(text(message)).toContain('`111122223333`');
      expect(text(message)).not.toContain('(`111122223333`)');
    },
  );
});
