import { resultForViewer, WITHHELD_ERROR } from '../domain/error-detail';
import type { Notice, RecheckedUser } from '../domain/interaction-messages';
import { type AccountUsers, findingRef } from '../domain/notifications';
import type { MessageSubject, StoredSlackMessage } from '../domain/stored-messages';
import type { AccountRef, FindingCloseReason, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { FindingStore, NotificationStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildRecheckedNudgeMessage } from '../slack/blocks/rechecked-nudge-message';
import { accountRefOf } from './account-ref';
import { closureOf, type LiveCheck } from './check-user';
import {
  authorizeFindingClick,
  type ButtonClick,
  type ClickTarget,
  type FindingClick,
  type FindingClickDeps,
} from './finding-click';
import type { InteractionSettings } from './interaction-settings';
import { recordAudit } from './record-audit';

export interface RecheckDeps extends FindingClickDeps {
  readonly findings: Pick<FindingStore, 'open' | 'get' | 'recordedOwners' | 'saveLiveCheck'>;
  readonly notifications: Pick<NotificationStore, 'messageAt'>;
}

/** One user just checked live: what a re-rendered DM shows for it. */
export interface JustChecked {
  readonly live: LiveCheck;
  readonly checkedAt: Date;
  /** Only approvers are shown AWS error text. */
  readonly approver: boolean;
}

const stateKey = (accountId: string, userName: string): string => `${accountId}/${userName}`;

/** One user of the stored DM as it now stands: live for the users just checked (by finding id), stored for the others. */
const recheckedUser = async (
  deps: Pick<RecheckDeps, 'findings'>,
  subject: MessageSubject,
  checked: ReadonlyMap<number, JustChecked>,
  /** The stored state of each user the DM names, by stateKey. */
  stored: ReadonlyMap<string, UserResult>,
): Promise<RecheckedUser | null> => {
  if (subject.findingId === null) return null;
  const finding = await deps.findings.get(subject.findingId);
  if (finding === null) return null;
  if (finding.closedAt !== null && finding.closeReason !== null) {
    return {
      kind: 'closed',
      userName: finding.userName,
      accountId: finding.accountId,
      reason: finding.closeReason,
      at: finding.closedAt,
    };
  }
  const ref = findingRef(finding.id);
  const check = checked.get(finding.id);
  if (check !== undefined && check.live.kind === 'checked') {
    const { result } = check.live;
    if (result.status === 'error')
      return {
        kind: 'error',
        user: { user: result, ref },
        reason: check.approver ? (result.reason ?? 'unknown error') : WITHHELD_ERROR,
        checkedAt: check.checkedAt,
      };
    return { kind: 'open', user: { user: result, ref }, checkedAt: check.checkedAt };
  }
  const user = stored.get(stateKey(finding.accountId, finding.userName));
  if (user === undefined || user.userId !== finding.userId) return null;
  return { kind: 'open', user: { user, ref }, checkedAt: null };
};

/**
 * The stored DM's users grouped by account, in the order it showed them, each account labelled as
 * its latest scan read it (a DM covers an owner's users of every account).
 */
const storedGroups = async (
  deps: Pick<RecheckDeps, 'findings' | 'scans' | 'accounts'>,
  stored: StoredSlackMessage,
  checked: ReadonlyMap<number, JustChecked>,
): Promise<AccountUsers<RecheckedUser>[]> => {
  const groups: AccountUsers<RecheckedUser>[] = [];
  for (const accountId of new Set(stored.subjects.map((s) => s.accountId))) {
    const account = await accountRefOf(deps, accountId);
    // Only the users the DM names: an account may hold 5,000, and every Recheck renders this.
    const states = new Map<string, UserResult>();
    for (const subject of stored.subjects.filter((s) => s.accountId === accountId)) {
      for (const r of await deps.scans.usersNamed(subject.userName))
        if (r.accountId === accountId) states.set(stateKey(accountId, r.userName), r);
    }
    const users: RecheckedUser[] = [];
    for (const subject of stored.subjects.filter((s) => s.accountId === accountId)) {
      const user = await recheckedUser(deps, subject, checked, states);
      if (user !== null) users.push(user);
    }
    groups.push({ account, users });
  }
  return groups;
};

/**
 * Re-renders a stored DM with the users just checked (by finding id); false when it cannot (not a
 * sent nudge, or Slack refused the update).
 */
export const rerenderNudge = async (
  deps: Pick<RecheckDeps, 'findings' | 'scans' | 'slack' | 'clock' | 'logger' | 'accounts'>,
  settings: Pick<InteractionSettings, 'removalEnabled'>,
  stored: StoredSlackMessage,
  checked: ReadonlyMap<number, JustChecked>,
): Promise<boolean> => {
  if (stored.kind !== 'nudge' || stored.outcome.status !== 'sent') return false;
  const where = stored.outcome;
  let groups: AccountUsers<RecheckedUser>[];
  try {
    groups = await storedGroups(deps, stored, checked);
  } catch (error) {
    deps.logger.warn('could not read the accounts of a DM after a Recheck', { error: describeError(error) });
    return false;
  }
  try {
    const message = buildRecheckedNudgeMessage({
      groups,
      removalEnabled: settings.removalEnabled,
      now: deps.clock.now(),
    });
    await deps.slack.updateMessage(where.channel, where.ts, message);
    return true;
  } catch (error) {
    deps.logger.warn('could not update a DM after a Recheck', { channel: where.channel, error: describeError(error) });
    return false;
  }
};

/** Where a Recheck comes from: the button, or a reply in the DM ("done"); the audit says which. */
export type RecheckVia = 'button' | 'dm_reply';

/** A Recheck of one user: refused or failed (answered), or checked live and saved. */
export type RecheckedOne =
  | Extract<FindingClick, { kind: 'answered' }>
  | {
      readonly kind: 'checked';
      readonly account: AccountRef;
      readonly target: ClickTarget;
      readonly live: LiveCheck;
      readonly approver: boolean;
      /** Why the finding closes now, or null while it stays open (or was no longer open). */
      readonly closing: FindingCloseReason | null;
      readonly checkedAt: Date;
    };

/**
 * Rechecks the user a Recheck points at: decides whether the person may (authorizeFindingClick:
 * before any AWS call, then the live-check limits), checks it live, saves the result and closes its
 * finding when it is fixed, auditing both. The Recheck button and a "done" in the DM both run this.
 */
export const recheckUser = async (
  deps: RecheckDeps,
  settings: Pick<InteractionSettings, 'policy' | 'approvers'>,
  click: ButtonClick,
  via: RecheckVia,
): Promise<RecheckedOne> => {
  const checked = await authorizeFindingClick(deps, settings, click, 'recheck');
  if (checked.kind === 'answered') return checked;
  const { account, target, live, approver } = checked;
  const { finding } = target;
  const base = { actor: click.userId, accountId: account.accountId, requestId: null } as const;
  const from = via === 'dm_reply' ? ' (a reply in the DM)' : '';

  const now = deps.clock.now();
  const seen =
    live.kind === 'not_found'
      ? 'the user no longer exists'
      : live.result.userId === target.userId
        ? `status now ${live.result.status}`
        : 'the user was recreated';
  await recordAudit(deps, {
    ...base,
    at: now,
    action: 'recheck',
    userName: target.userName,
    outcome: 'succeeded',
    detail: `${seen}${from}`,
  });
  const closing = finding !== null && finding.closedAt === null ? closureOf(finding, live, now) : null;
  // The live result and the closure are saved together: a status view must never show a closed
  // finding's user as still failing, nor the reverse.
  const { closed } = await deps.findings.saveLiveCheck({
    result: live.kind === 'checked' && live.result.userId === target.userId ? live.result : null,
    // A check that could not vouch for the owner keeps the one on record (its finding's and the state's).
    ownerKnown: live.kind === 'checked' && live.ownerKnown,
    close:
      finding !== null && closing !== null
        ? { findingId: finding.id, reason: closing, closedBy: click.userId, at: now }
        : null,
  });
  if (finding !== null && closed) {
    await recordAudit(deps, {
      ...base,
      at: now,
      action: 'finding_closed',
      userName: finding.userName,
      outcome: 'succeeded',
      detail: `closed by a Recheck${from}: ${closing}`,
    });
  }
  return { kind: 'checked', account, target, live, approver, closing, checkedAt: now };
};

/**
 * The Recheck button: checks the user live, closes its finding (and audits it) when it is fixed,
 * then re-renders the DM from what the bot stored about it. Returns a reply for the clicker only,
 * or null when the re-rendered DM is the answer.
 */
export const recheck = async (
  deps: RecheckDeps,
  settings: Pick<InteractionSettings, 'policy' | 'approvers' | 'removalEnabled'>,
  click: ButtonClick,
): Promise<SlackMessage | null> => {
  const notice = (n: Notice): SlackMessage => buildNotice(n);
  const checked = await recheckUser(deps, settings, click, 'button');
  if (checked.kind === 'answered') return checked.reply;
  const { target, live, approver, closing, checkedAt } = checked;
  const { finding } = target;

  const stored =
    click.message === null ? null : await deps.notifications.messageAt(click.message.channel, click.message.ts);
  if (finding !== null && stored !== null) {
    const done = await rerenderNudge(deps, settings, stored, new Map([[finding.id, { live, checkedAt, approver }]]));
    if (done) return null;
  }
  if (live.kind === 'not_found' || live.result.userId !== target.userId)
    return notice({ kind: 'user_gone', userName: target.userName });
  return notice({ kind: 'recheck_result', result: resultForViewer(live.result, approver), closed: closing });
};
