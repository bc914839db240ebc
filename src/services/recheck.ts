import type { Notice, RecheckedUser } from '../domain/interaction-messages';
import { findingRef, parseFindingRef } from '../domain/notifications';
import type { AccountRef, FindingCloseReason, Owner, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { FindingRecord, MessageSubject, StoredSlackMessage } from '../ports';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildRecheckedNudgeMessage } from '../slack/blocks/rechecked-nudge-message';
import { checkUserLive, closureOf, type LiveCheck } from './check-user';
import type { InteractionDeps, InteractionSettings } from './interaction-deps';
import { recordAudit } from './record-audit';
import { lookupViewer, mayActOn } from './viewer';

export interface ButtonClick {
  readonly userId: string;
  readonly value: string;
  /** The message the button is on; null when it is not a message (App Home, a modal). */
  readonly message: { readonly channel: string; readonly ts: string } | null;
}

export const liveDeps = (deps: InteractionDeps) => ({
  iam: deps.iam,
  clock: deps.clock,
  ownersFile: deps.ownersFile,
  openFindings: (accountId: string) => deps.scans.openFindings(accountId),
});

/** The owner who may act on the finding's user: the live one, else (user gone) the last one stored. */
export const ownerFor = (deps: InteractionDeps, finding: FindingRecord, live: LiveCheck): Owner | null => {
  if (live.kind === 'checked' && live.result.userId === finding.userId) return live.result.owner;
  const stored = deps.scans.userResults(finding.accountId).find((r) => r.userName === finding.userName && r.userId === finding.userId);
  return stored?.owner ?? null;
};

/** The finding a button points at, when it is of the account the bot watches. */
export const resolveFinding = (deps: InteractionDeps, value: string, account: AccountRef): FindingRecord | null => {
  const id = parseFindingRef(value);
  const finding = id === null ? null : deps.notifications.finding(id);
  return finding !== null && finding.accountId === account.accountId ? finding : null;
};

/** One user of the stored DM as it now stands: live for the clicked one, stored for the others. */
const recheckedUser = (
  deps: InteractionDeps,
  subject: MessageSubject,
  clicked: { readonly findingId: number; readonly live: LiveCheck; readonly checkedAt: Date },
  stored: ReadonlyMap<string, UserResult>,
): RecheckedUser | null => {
  if (subject.findingId === null) return null;
  const finding = deps.notifications.finding(subject.findingId);
  if (finding === null) return null;
  if (finding.closedAt !== null && finding.closeReason !== null) {
    return { kind: 'closed', userName: finding.userName, reason: finding.closeReason, at: finding.closedAt };
  }
  const ref = findingRef(finding.id);
  if (finding.id === clicked.findingId && clicked.live.kind === 'checked') {
    const { result } = clicked.live;
    if (result.status === 'error') return { kind: 'error', user: { user: result, ref }, reason: result.reason ?? 'unknown error', checkedAt: clicked.checkedAt };
    return { kind: 'open', user: { user: result, ref }, checkedAt: clicked.checkedAt };
  }
  const user = stored.get(finding.userName);
  if (user === undefined || user.userId !== finding.userId) return null;
  return { kind: 'open', user: { user, ref }, checkedAt: null };
};

/** Re-renders a stored DM; false when it cannot (not a nudge, or Slack refused the update). */
const rerender = async (
  deps: InteractionDeps,
  settings: InteractionSettings,
  account: AccountRef,
  stored: StoredSlackMessage,
  where: { readonly channel: string; readonly ts: string },
  clicked: { readonly findingId: number; readonly live: LiveCheck; readonly checkedAt: Date },
): Promise<boolean> => {
  if (stored.kind !== 'nudge') return false;
  const states = new Map(deps.scans.userResults(account.accountId).map((r) => [r.userName, r] as const));
  const users = stored.subjects.flatMap((s) => recheckedUser(deps, s, clicked, states) ?? []);
  try {
    const message = buildRecheckedNudgeMessage({ account, users, removalEnabled: settings.removalEnabled, now: deps.clock.now() });
    await deps.slack.updateMessage(where.channel, where.ts, message);
    return true;
  } catch (error) {
    deps.logger.warn('could not update a DM after a Recheck', { channel: where.channel, error: describeError(error) });
    return false;
  }
};

/**
 * The Recheck button: checks the user live, closes its finding (and audits it) when it is fixed,
 * then re-renders the DM from what the bot stored about it. Returns a reply for the clicker only,
 * or null when the re-rendered DM is the answer.
 */
export const recheck = async (deps: InteractionDeps, settings: InteractionSettings, click: ButtonClick): Promise<SlackMessage | null> => {
  const notice = (n: Notice): SlackMessage => buildNotice(n);
  let account: AccountRef;
  try {
    account = await deps.account();
  } catch (error) {
    return notice({ kind: 'error', error: describeError(error) });
  }
  const finding = resolveFinding(deps, click.value, account);
  const base = { actor: click.userId, accountId: account.accountId, requestId: null } as const;
  if (finding === null) {
    recordAudit(deps, { ...base, at: deps.clock.now(), action: 'recheck', userName: null, outcome: 'refused', detail: 'unknown button value' });
    return notice({ kind: 'unknown_button' });
  }

  let live: LiveCheck;
  try {
    live = await checkUserLive(liveDeps(deps), settings.policy, account, finding.userName);
  } catch (error) {
    return notice({ kind: 'error', error: describeError(error) });
  }
  const owner = ownerFor(deps, finding, live);
  const lookup = lookupViewer(deps.slack, deps.logger, click.userId);
  if (owner === null ? !settings.approvers.includes(click.userId) : !(await mayActOn(settings.approvers, lookup, owner))) {
    recordAudit(deps, { ...base, at: deps.clock.now(), action: 'recheck', userName: finding.userName, outcome: 'refused', detail: 'not the owner or an approver' });
    return notice({ kind: 'not_allowed', action: 'recheck' });
  }

  const now = deps.clock.now();
  let closed: FindingCloseReason | null = null;
  if (finding.closedAt === null) {
    closed = closureOf({ accountId: finding.accountId, userName: finding.userName, userId: finding.userId, openedAt: finding.openedAt }, live, now);
    if (closed !== null && deps.findings.closeFinding(finding.id, closed, click.userId, now)) {
      recordAudit(deps, { ...base, at: now, action: 'finding_closed', userName: finding.userName, outcome: 'succeeded', detail: `closed by a Recheck: ${closed}` });
    }
  }
  if (live.kind === 'checked' && live.result.userId === finding.userId) deps.findings.saveLiveResult(live.result);

  const stored = click.message === null ? null : deps.notifications.messageAt(click.message.channel, click.message.ts);
  if (stored !== null && click.message !== null) {
    const done = await rerender(deps, settings, account, stored, click.message, { findingId: finding.id, live, checkedAt: now });
    if (done) return null;
  }
  if (live.kind === 'not_found' || live.result.userId !== finding.userId) return notice({ kind: 'user_gone', userName: finding.userName });
  return notice({ kind: 'recheck_result', result: live.result, closed });
};
