/**
 * The top of the run's summary: for a run of one account its counts and root warning, as it always
 * read; for a run of several, the accounts that failed (each with what to do), the run in numbers,
 * one line per account with findings (cut with a count) and the accounts whose root has no MFA.
 * Also the run as the rest of the summary reads it (`Run`): which account a user is in.
 */
import { emptyCounts } from '../../domain/counts';
import type { AccountRunLine, ScanSummaryInput } from '../../domain/notifications';
import { type AccountRef, type StatusCounts, USER_STATUSES } from '../../domain/types';
import type { Block, Mrkdwn, SectionBlock } from './block-kit';
import { failedAccountLine, failedAccountsMoreText } from './failed-account-line';
import { FIELD_TEXT_MAX, HEADER_TEXT_MAX, SECTION_TEXT_MAX, truncateMrkdwn } from './limits';
import { accountMrkdwn, escapeMrkdwn } from './mrkdwn';
import { listSections, mrkdwn, plainText, section } from './text-objects';
import { elapsedWords, isoMinute, plural } from './words';

const e = escapeMrkdwn;

const field = (label: string, value: number): Mrkdwn => mrkdwn(truncateMrkdwn(`*${label}*\n${value}`, FIELD_TEXT_MAX));

/** The run as the summary reads it: its one account alone, or several (and failed ones). */
export interface Run {
  readonly input: ScanSummaryInput;
  /** The one completed account when the run covered only it: the summary then reads as it always did. */
  readonly only: AccountRunLine | null;
  readonly accountOf: (accountId: string) => AccountRef;
  /** " in `alias` (`id`)" after a user in a run of several accounts; nothing in a run of one. */
  readonly where: (accountId: string) => string;
}

export const runOf = (input: ScanSummaryInput): Run => {
  const [first] = input.accounts;
  const only = input.accounts.length === 1 && input.failedAccounts.length === 0 ? (first ?? null) : null;
  const refs = new Map(input.accounts.map((line) => [line.account.accountId, line.account] as const));
  const partition = first?.account.partition ?? 'aws';
  const accountOf = (accountId: string): AccountRef => refs.get(accountId) ?? { accountId, partition, alias: null };
  return {
    input,
    only,
    accountOf,
    where: (accountId) => (only === null ? ` in ${accountMrkdwn(accountOf(accountId))}` : ''),
  };
};

export const addCounts = (lines: readonly AccountRunLine[]): StatusCounts => {
  const total = emptyCounts();
  for (const line of lines) for (const status of USER_STATUSES) total[status] += line.counts[status];
  return total;
};

const scannedOf = (counts: StatusCounts): number => USER_STATUSES.reduce((sum, status) => sum + counts[status], 0);
export const sumOf = (lines: readonly AccountRunLine[], pick: (line: AccountRunLine) => number): number =>
  lines.reduce((sum, line) => sum + pick(line), 0);

const countsSection = (run: Run, line: AccountRunLine): SectionBlock => {
  const { counts } = line;
  const scanned = scannedOf(counts);
  const duration = elapsedWords(line.finishedAt.getTime() - line.startedAt.getTime());
  return {
    type: 'section',
    text: mrkdwn(
      truncateMrkdwn(
        `Scan of AWS account ${accountMrkdwn(line.account)} (${e(line.account.partition)}) ` +
          `started ${isoMinute(line.startedAt)}, took ${duration}.`,
        SECTION_TEXT_MAX,
      ),
    ),
    fields: [
      field('Users scanned', scanned),
      field('Console users', scanned - counts.no_console),
      field('Non-compliant', counts.non_compliant),
      field('New since last scan', line.newSinceLastScan),
      field('Reopened since last scan', run.input.reopened.length),
      field('Fixed since last scan', line.fixedSinceLastScan),
      field('In grace period', counts.grace),
      field('Exempt', counts.exempt),
      field('Could not check', counts.error),
    ],
  };
};

/** The whole run in numbers, for a run of several accounts (at most 10 fields). */
const runCountsSection = (input: ScanSummaryInput): SectionBlock => {
  const counts = addCounts(input.accounts);
  const duration = elapsedWords(input.finishedAt.getTime() - input.startedAt.getTime());
  const accounts = input.accounts.length + input.failedAccounts.length;
  return {
    type: 'section',
    text: mrkdwn(`Scan of ${plural(accounts, 'AWS account')} started ${isoMinute(input.startedAt)}, took ${duration}.`),
    fields: [
      field('Accounts scanned', input.accounts.length),
      field('Accounts failed', input.failedAccounts.length),
      field('Users scanned', scannedOf(counts)),
      field('Non-compliant', counts.non_compliant),
      field(
        'New since last scan',
        sumOf(input.accounts, (l) => l.newSinceLastScan),
      ),
      field('Reopened since last scan', input.reopened.length),
      field(
        'Fixed since last scan',
        sumOf(input.accounts, (l) => l.fixedSinceLastScan),
      ),
      field('In grace period', counts.grace),
      field('Exempt', counts.exempt),
      field('Could not check', counts.error),
    ],
  };
};

const ROOT_ADVICE =
  'Anyone with the root password can do anything in the account. Sign in as root and assign an MFA device ' +
  '(IAM console → "Security credentials" of the root user).';

const rootSection = (account: AccountRef): SectionBlock =>
  section(`:rotating_light: *The root user of AWS account ${accountMrkdwn(account)} has no MFA.* ${ROOT_ADVICE}`);

/** Most characters the accounts whose root has no MFA may take in a run of several. */
const ROOT_ACCOUNTS_MAX = 600;

const rootsSection = (accounts: readonly AccountRef[]): SectionBlock[] => {
  const [first] = accounts;
  if (first === undefined) return [];
  if (accounts.length === 1) return [rootSection(first)];
  const shown: string[] = [];
  for (const account of accounts) {
    const next = [...shown, accountMrkdwn(account)].join(', ');
    if (next.length > ROOT_ACCOUNTS_MAX) break;
    shown.push(accountMrkdwn(account));
  }
  const rest = accounts.length - shown.length;
  return [
    section(
      `:rotating_light: *The root user has no MFA in ${accounts.length} AWS accounts:* ${shown.join(', ')}` +
        `${rest > 0 ? ` and ${rest} more` : ''}. ${ROOT_ADVICE}`,
    ),
  ];
};

/** Most sections and characters the failed accounts and the per-account lines may each take. */
const ACCOUNT_LIST_MAX_BLOCKS = 2;
const FAILED_MAX_CHARS = 900;
const ACCOUNT_LINES_MAX_CHARS = 900;

const accountsMoreText = (notShown: number): string =>
  `…and ${notShown} more accounts with findings — use /mfa-status summary`;

const failedAccountsBlocks = (input: ScanSummaryInput): SectionBlock[] =>
  input.failedAccounts.length === 0
    ? []
    : listSections({
        title: `:warning: *${plural(input.failedAccounts.length, 'AWS account')} could not be scanned* — their findings stay as they were and nobody was DMed about them`,
        lines: input.failedAccounts.map(failedAccountLine),
        maxBlocks: ACCOUNT_LIST_MAX_BLOCKS,
        maxChars: FAILED_MAX_CHARS,
        more: failedAccountsMoreText,
      }).blocks;

const hasFindings = (line: AccountRunLine): boolean =>
  line.counts.non_compliant > 0 || line.newSinceLastScan > 0 || line.fixedSinceLastScan > 0;

const accountLine = (line: AccountRunLine): string =>
  `• ${accountMrkdwn(line.account)}: ${plural(scannedOf(line.counts), 'user')}, ` +
  `${line.counts.non_compliant} non-compliant (${line.newSinceLastScan} new, ${line.fixedSinceLastScan} fixed)`;

/** Most non-compliant first, so a cut list drops the quietest accounts. */
const byWeight = (a: AccountRunLine, b: AccountRunLine): number =>
  b.counts.non_compliant - a.counts.non_compliant || b.newSinceLastScan - a.newSinceLastScan;

const accountLinesBlocks = (input: ScanSummaryInput): SectionBlock[] => {
  const lines = input.accounts.filter(hasFindings).sort(byWeight);
  const quiet = input.accounts.length - lines.length;
  const title =
    `*Accounts with findings (${lines.length} of ${input.accounts.length} scanned)*` +
    (quiet > 0 ? ` — ${quiet} with none` : '');
  return listSections({
    title,
    lines: lines.map(accountLine),
    maxBlocks: ACCOUNT_LIST_MAX_BLOCKS,
    maxChars: ACCOUNT_LINES_MAX_CHARS,
    more: accountsMoreText,
  }).blocks;
};

/** The top of the message: the one account's counts, or the run's, failed accounts and per-account lines. */
export const headBlocks = (run: Run): Block[] => {
  const header: Block = { type: 'header', text: plainText('MFA scan summary', HEADER_TEXT_MAX) };
  const { input, only } = run;
  if (only !== null)
    return [header, countsSection(run, only), ...(only.rootWithoutMfa ? [rootSection(only.account)] : [])];
  return [
    header,
    ...failedAccountsBlocks(input),
    runCountsSection(input),
    ...(input.accounts.length === 0 ? [] : accountLinesBlocks(input)),
    ...rootsSection(input.accounts.filter((line) => line.rootWithoutMfa).map((line) => line.account)),
  ];
};
