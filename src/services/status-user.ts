/**
 * `/mfa-status <name>` and `/mfa-status <alias-or-id>/<name>`: one IAM user, in the account picked,
 * or in the one account stored data places the name in, checked live there with that account's
 * credentials. A name stored in several accounts is answered from stored data alone (each account
 * where the asker may see it, with the command that picks it); a name no scan has seen is checked
 * live in each covered account for approvers, and answered as always for anyone else.
 */
import type { LabelledAccount } from '../domain/account-label';
import { checkFailedWords, resultForViewer } from '../domain/error-detail';
import type { Notice } from '../domain/interaction-messages';
import { findingRef, userRef } from '../domain/notifications';
import type { OwnersFile } from '../domain/owners';
import type { AccountRef, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { AwsAccounts } from '../ports/accounts';
import type { Logger } from '../ports/logging';
import type { ScanStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildUserAccountsMessage } from '../slack/blocks/user-accounts-message';
import { buildUserCheckMessage } from '../slack/blocks/user-check-message';
import { notCoveredWords, reachAccount, type Reached } from './account-ref';
import { checkUserLive, type LiveCheck } from './check-user';
import { type LiveCheckDeps, liveDeps, openFindingOf } from './finding-click';
import type { InteractionSettings } from './interaction-settings';
import type { LiveCheckLimiter } from './live-check-limiter';
import { liveCheckConfirms, type StoredOwner, storedOwnerByName, storedOwnerOf } from './owner-on-record';
import { recordAudit } from './record-audit';
import type { AuditSink } from './refusal-audit';
import type { StatusViewDeps } from './status-views';
import { type ViewerDeps, type ViewerLookup, viewerOwns } from './viewer';

export interface StatusUserDeps extends StatusViewDeps, LiveCheckDeps, ViewerDeps {
  readonly findings: StatusViewDeps['findings'] & LiveCheckDeps['findings'];
  readonly scans: StatusViewDeps['scans'] & Pick<ScanStore, 'usersNamed'>;
  /** A lookup acts in its user's account, with that account's credentials. */
  readonly accounts: Pick<AwsAccounts, 'home' | 'target'>;
  readonly logger: Logger;
  readonly audit: AuditSink;
  readonly liveChecks: LiveCheckLimiter;
}

export interface UserLookup {
  readonly userName: string;
  /** The account as typed after `/mfa-status` and before `/`; null for a bare name. */
  readonly account: string | null;
  readonly didYouMean: string | null;
}

export interface Asker {
  readonly userId: string;
  readonly approver: boolean;
  readonly lookup: ViewerLookup;
}

type Settings = Pick<InteractionSettings, 'policy' | 'removalEnabled'>;

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account a typed id or alias names: an id as it is, an alias as the latest scans stored it (any
 * case), else an organization's name that only one scanned account has (names may repeat; an
 * ambiguous one names none).
 */
const pickedAccount = async (deps: Pick<StatusUserDeps, 'scans'>, typed: string): Promise<string | null> => {
  if (ACCOUNT_ID.test(typed)) return typed;
  const wanted = typed.toLowerCase();
  const scanned = await deps.scans.scannedAccounts();
  const byAlias = scanned.find((a) => a.alias?.toLowerCase() === wanted);
  if (byAlias !== undefined) return byAlias.accountId;
  const [byName, ...sameName] = scanned.filter((a) => a.name?.toLowerCase() === wanted);
  return sameName.length === 0 ? (byName?.accountId ?? null) : null;
};

const unknownAccountWords = (typed: string): string =>
  `mfa-guard knows no AWS account "${typed}". Give the account's 12-digit id, or the alias its latest scan read (or its organization's name, if no other account has it), then /, then the IAM user name (such as 111122223333/jane.doe).`;

export const answerUserLookup = async (
  deps: StatusUserDeps,
  settings: Settings,
  asker: Asker,
  command: UserLookup,
): Promise<SlackMessage> => {
  const { userName, didYouMean } = command;
  const { approver, lookup } = asker;
  const notice = (n: Notice): SlackMessage => buildNotice(n);
  const audited = async (accountId: string | null, detail: string): Promise<void> =>
    recordAudit(deps, {
      at: deps.clock.now(),
      actor: asker.userId,
      action: 'status_user',
      outcome: 'refused',
      accountId,
      userName,
      detail,
      requestId: null,
    });
  // Same answer whether the user exists or not: someone who is not its owner learns nothing.
  const refuse = async (accountId: string | null, detail: string): Promise<SlackMessage> => {
    await audited(accountId, detail);
    return notice({ kind: 'not_yours', userName, didYouMean });
  };
  const failed = (error: unknown): SlackMessage => {
    deps.logger.warn('a live check for /mfa-status failed', {
      user: asker.userId,
      userName,
      error: describeError(error),
    });
    return notice({ kind: 'error', error: approver ? describeError(error) : checkFailedWords(userName) });
  };
  const limited = async (): Promise<SlackMessage | null> => {
    const take = deps.liveChecks.take(asker.userId, approver);
    if (take.kind !== 'limited') return null;
    await audited(null, 'rate limited: too many live checks');
    return notice({ kind: 'rate_limited', retryAt: take.retryAt, now: deps.clock.now() });
  };
  const reach = async (accountId: string): Promise<Reached | SlackMessage> => {
    let reached;
    try {
      reached = await reachAccount(deps, accountId);
    } catch (error) {
      return failed(error);
    }
    if (reached !== null) return reached;
    await audited(accountId, `AWS account ${accountId} is not covered`);
    return notice({ kind: 'error', error: notCoveredWords(accountId) });
  };

  // Read once: the same copy decides who may look and evaluates the user live.
  const { ownersFile } = await deps.owners.current();

  /** Today's lookup, in one account: who may look decided from stored records before any AWS call. */
  const checkIn = async (accountId: string): Promise<SlackMessage> => {
    let stored: StoredOwner | null = null;
    if (!approver) {
      stored = await storedOwnerByName(deps, ownersFile, accountId, userName);
      if (stored === null) return refuse(accountId, 'no record names its owner (approvers only)');
      if (!(await viewerOwns(lookup, stored.owner))) return refuse(accountId, 'not the owner or an approver');
    }
    const reached = await reach(accountId);
    if (!('iam' in reached)) return reached;
    const over = await limited();
    if (over !== null) return over;
    let live: LiveCheck;
    try {
      live = await checkUserLive(liveDeps(deps, reached.iam, ownersFile), settings.policy, reached.account, userName);
    } catch (error) {
      return failed(error);
    }
    if (live.kind === 'not_found') return notice({ kind: 'no_such_user', userName, didYouMean });
    if (stored !== null && !(await liveCheckConfirms(lookup, stored, accountId, live)))
      return refuse(accountId, 'not the owner (the live check found another owner or user)');
    return checkedAnswer(deps, settings, ownersFile, reached.account, live, approver);
  };

  if (command.account !== null) {
    const accountId = await pickedAccount(deps, command.account);
    if (accountId === null) return notice({ kind: 'error', error: unknownAccountWords(command.account) });
    return checkIn(accountId);
  }

  const stored = await deps.scans.usersNamed(userName);
  const places = [...new Set(stored.map((r) => r.accountId))];
  const [only] = places;
  if (only !== undefined && places.length === 1) return checkIn(only);
  if (places.length > 1) return listStored(deps, ownersFile, asker, stored, refuse);
  if (!approver) {
    // A name no scan has seen: as always, the owners file alone may name the asker its owner.
    let home;
    try {
      home = (await deps.accounts.home()).accountId;
    } catch (error) {
      return failed(error);
    }
    return checkIn(home);
  }
  return checkEverywhere(deps, settings, ownersFile, command, { limited, failed });
};

/** The answer to a live check of a user the asker may see: its card, with buttons while it needs fixing. */
const checkedAnswer = async (
  deps: StatusUserDeps,
  settings: Settings,
  ownersFile: OwnersFile,
  account: AccountRef,
  live: Extract<LiveCheck, { kind: 'checked' }>,
  approver: boolean,
): Promise<SlackMessage> => {
  // A check that could not vouch for the owner shows the one on record, not its fallback.
  const onRecord = live.ownerKnown
    ? null
    : await storedOwnerOf(deps, ownersFile, { ...live.result, accountId: account.accountId });
  const result = resultForViewer({ ...live.result, owner: onRecord ?? live.result.owner }, approver);
  const open = await openFindingOf(deps.findings, account.accountId, live.result.userName, live.result.userId);
  // Without an open finding (it became non-compliant after the last scan) the buttons name the user and its account.
  const ref =
    open !== null ? findingRef(open.id) : userRef(account.accountId, live.result.userId, live.result.userName);
  return buildUserCheckMessage({
    account,
    result,
    ref: live.result.status === 'non_compliant' ? ref : null,
    removalEnabled: settings.removalEnabled,
    now: deps.clock.now(),
  });
};

/** A name stored in several accounts: each account where the asker may see it, from stored data, no AWS call. */
const listStored = async (
  deps: StatusUserDeps,
  ownersFile: OwnersFile,
  asker: Asker,
  stored: readonly UserResult[],
  refuse: (accountId: string | null, detail: string) => Promise<SlackMessage>,
): Promise<SlackMessage> => {
  const places: { account: LabelledAccount; result: UserResult }[] = [];
  for (const result of stored) {
    if (!asker.approver) {
      const owner = await storedOwnerByName(deps, ownersFile, result.accountId, result.userName);
      if (owner === null || !(await viewerOwns(asker.lookup, owner.owner))) continue;
    }
    const account = { accountId: result.accountId, ...(await deps.scans.accountNames(result.accountId)) };
    places.push({ account, result: resultForViewer(result, asker.approver) });
  }
  const [first] = stored;
  if (first === undefined || places.length === 0)
    return refuse(null, `not the owner or an approver in any of the ${stored.length} accounts with the name`);
  return buildUserAccountsMessage({ userName: first.userName, places, source: 'stored', now: deps.clock.now() });
};

/**
 * A name no scan has seen, for an approver: checked live in each covered account, which here means
 * every account with a stored completed scan plus the home account (so no command lists an
 * organization); one account failing never stops the others.
 */
const checkEverywhere = async (
  deps: StatusUserDeps,
  settings: Settings,
  ownersFile: OwnersFile,
  command: UserLookup,
  answers: {
    readonly limited: () => Promise<SlackMessage | null>;
    readonly failed: (error: unknown) => SlackMessage;
  },
): Promise<SlackMessage> => {
  const { userName, didYouMean } = command;
  let home;
  try {
    home = (await deps.accounts.home()).accountId;
  } catch (error) {
    return answers.failed(error);
  }
  const covered = [...new Set([...(await deps.scans.scannedAccounts()).map((a) => a.accountId), home])].sort();
  // One live check per command, as always: each account is asked once, and each has its own IAM rate.
  const over = await answers.limited();
  if (over !== null) return over;
  const found: { account: AccountRef; live: Extract<LiveCheck, { kind: 'checked' }> }[] = [];
  const unchecked: LabelledAccount[] = [];
  let firstError: unknown = null;
  for (const accountId of covered) {
    let label: LabelledAccount = { accountId, alias: null };
    try {
      const reached = await reachAccount(deps, accountId);
      if (reached === null) continue;
      label = reached.account;
      const live = await checkUserLive(
        liveDeps(deps, reached.iam, ownersFile),
        settings.policy,
        reached.account,
        userName,
      );
      if (live.kind === 'checked') found.push({ account: reached.account, live });
    } catch (error) {
      deps.logger.warn('a live check for /mfa-status failed in one account', {
        accountId,
        userName,
        error: describeError(error),
      });
      firstError ??= error;
      unchecked.push(label);
    }
  }
  const [one] = found;
  if (one === undefined) {
    return firstError === null
      ? buildNotice({ kind: 'no_such_user', userName, didYouMean })
      : answers.failed(firstError);
  }
  // A lookup that could not check every account says so, rather than read as the whole answer.
  if (found.length === 1 && unchecked.length === 0)
    return checkedAnswer(deps, settings, ownersFile, one.account, one.live, true);
  return buildUserAccountsMessage({
    userName: one.live.result.userName,
    places: found.map(({ account, live }) => ({ account, result: live.result })),
    source: 'live',
    unchecked,
    now: deps.clock.now(),
  });
};
