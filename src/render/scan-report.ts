import type { LabelledAccount } from '../domain/account-label';
import type { AccountScan } from '../domain/scan';
import { USER_STATUSES, type UserResult, type UserStatus } from '../domain/types';
import { accountTerminalText, humanDuration, isoMinute, renderTable, safeText, truncate } from './terminal-text';

const SEVERITY = { non_compliant: 0, error: 1, grace: 2, exempt: 3, compliant: 4, no_console: 5 } satisfies Record<
  UserStatus,
  number
>;

export const sortBySeverity = (users: readonly UserResult[]): UserResult[] =>
  [...users].sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status] || a.userName.localeCompare(b.userName));

const ownerText = (user: UserResult): string => {
  if (user.owner.kind !== 'unowned') return `${user.owner.value ?? ''} (${user.owner.source})`;
  // Tags are read only for offenders, so "unowned" would be a guess for everyone else.
  return user.status === 'compliant' || user.status === 'no_console' ? '-' : 'unowned';
};

const detail = (user: UserResult, now: Date): string => {
  switch (user.status) {
    case 'non_compliant':
      if (user.nonCompliantSince === null) return 'console password, no MFA';
      return now.getTime() - user.nonCompliantSince.getTime() < 60_000
        ? 'console password, no MFA (new finding)'
        : `console password, no MFA for ${humanDuration(now.getTime() - user.nonCompliantSince.getTime())}`;
    case 'grace':
      return user.graceUntil ? `new user; grace until ${isoMinute(user.graceUntil)}` : 'new user';
    case 'exempt':
      return `exempt: ${user.reason ?? ''}`;
    case 'error':
      return `could not check: ${user.reason ?? ''}`;
    case 'compliant':
      return 'console password with MFA';
    case 'no_console':
      return 'no console password';
  }
};

/** `accountOf`: each account as the scan read it (by its id alone when nothing more is known). */
export const renderUserTable = (
  users: readonly UserResult[],
  now: Date,
  accountOf: (accountId: string) => LabelledAccount = (accountId) => ({ accountId, alias: null }),
): string =>
  renderTable(
    ['STATUS', 'ACCOUNT', 'USER', 'OWNER', 'DETAIL', 'SOURCE'],
    sortBySeverity(users).map((user) => [
      user.status,
      accountTerminalText(accountOf(user.accountId)),
      safeText(user.userName),
      truncate(safeText(ownerText(user)), 48),
      truncate(safeText(detail(user, now)), 72),
      `${user.source} ${isoMinute(user.checkedAt)}`,
    ]),
  );

export const renderScanSummary = (scan: AccountScan): string => {
  const { account, counts, strategy } = scan;
  const reopened = scan.opened.filter((f) => f.reopensId !== null);
  // Named: these users turned MFA on only briefly, which is worth a look of its own.
  const reopenedText =
    reopened.length === 0
      ? ''
      : `${reopened.length} reopened (MFA on only briefly: ${reopened.map((f) => safeText(f.userName)).join(', ')}), `;
  const lines = [
    `Account ${accountTerminalText(account)} [${account.partition}], scanned ${isoMinute(scan.startedAt)} in ${((scan.finishedAt.getTime() - scan.startedAt.getTime()) / 1000).toFixed(1)} s`,
    `Strategy: ${strategy.name} (${safeText(strategy.reason)})${
      scan.reportGeneratedAt ? `; report generated ${isoMinute(scan.reportGeneratedAt)}` : ''
    }`,
    `${scan.users.length} users: ${USER_STATUSES.map((s) => `${counts[s]} ${s}`).join(', ')}`,
    `Since the last scan: ${scan.opened.length - reopened.length} new offender(s), ${reopenedText}${scan.closed.filter((c) => c.closeReason === 'fixed').length} fixed`,
  ];
  if (scan.root === null) lines.push('Root account: MFA could not be checked');
  else if (!scan.root.mfaActive) lines.push('Root account: MFA NOT enabled. This is a finding for the security team.');
  else lines.push('Root account: MFA enabled');
  for (const issue of scan.issues) lines.push(`Note: ${safeText(issue.message)}`);
  return lines.join('\n');
};
