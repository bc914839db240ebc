import { resultForViewer, WITHHELD_ERROR } from '../domain/error-detail';
import type { Notice, RecheckedUser } from '../domain/interaction-messages';
import { findingRef } from '../domain/notifications';
import type { MessageSubject, StoredSlackMessage } from '../domain/stored-messages';
import type { AccountRef, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { FindingStore, NotificationStore } from '../ports/stores';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildRecheckedNudgeMessage } from '../slack/blocks/rechecked-nudge-message';
import { closureOf, type LiveCheck } from './check-user';
import { authorizeFindingClick, type ButtonClick, type FindingClickDeps } from './finding-click';
import type { InteractionSettings } from './interaction-settings';
import { recordAudit } from './record-audit';

export interface RecheckDeps extends FindingClickDeps {
  readonly findings: Pick<FindingStore, 'open' | 'get' | 'recordedOwners' | 'saveLiveCheck'>;
  readonly notifications: Pick<NotificationStore, 'messageAt'>;
}

type Clicked = {
  readonly findingId: number;
  readonly live: LiveCheck;
  readonly checkedAt: Date;
  /** Only approvers are shown AWS error text. */
  readonly approver: boolean;
};

/** One user of the stored DM as it now stands: live for the clicked one, stored for the others. */
const recheckedUser = async (
  deps: Pick<RecheckDeps, 'findings'>,
  subject: MessageSubject,
  clicked: Clicked,
  stored: ReadonlyMap<string, UserResult>,
): Promise<RecheckedUser | null> => {
  if (subject.findingId === null) return null;
  const finding = await deps.findings.get(subject.findingId);
  if (finding === null) return null;
  if (finding.closedAt !== null && finding.closeReason !== null) {
    return { kind: 'closed', userName: finding.userName, reason: finding.closeReason, at: finding.closedAt };
  }
  const ref = findingRef(finding.id);
  if (finding.id === clicked.findingId && clicked.live.kind === 'checked') {
    const { result } = clicked.live;
    if (result.status === 'error')
      return {
        kind: 'error',
        user: { user: result, ref },
        reason: clicked.approver ? (result.reason ?? 'unknown error') : WITHHELD_ERROR,
        checkedAt: clicked.checkedAt,
      };
    return { kind: 'open', user: { user: result, ref }, checkedAt: clicked.checkedAt };
  }
  const user = stored.get(finding.userName);
  if (user === undefined || user.userId !== finding.userId) return null;
  return { kind: 'open', user: { user, ref }, checkedAt: null };
};

/** Re-renders a stored DM; false when it cannot (not a nudge, or Slack refused the update). */
const rerender = async (
  deps: RecheckDeps,
  settings: Pick<InteractionSettings, 'removalEnabled'>,
  account: AccountRef,
  stored: StoredSlackMessage,
  where: { readonly channel: string; readonly ts: string },
  clicked: Clicked,
): Promise<boolean> => {
  if (stored.kind !== 'nudge') return false;
  const states = new Map((await deps.scans.userResults(account.accountId)).map((r) => [r.userName, r] as const));
  const users: RecheckedUser[] = [];
  for (const subject of stored.subjects) {
    const user = await recheckedUser(deps, subject, clicked, states);
    if (user !== null) users.push(user);
  }
  try {
    const message = buildRecheckedNudgeMessage({
      account,
      users,
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
  const checked = await authorizeFindingClick(deps, settings, click, 'recheck');
  if (checked.kind === 'answered') return checked.reply;
  const { account, target, live, approver } = checked;
  const { finding } = target;
  const base = { actor: click.userId, accountId: account.accountId, requestId: null } as const;

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
    detail: seen,
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
      detail: `closed by a Recheck: ${closing}`,
    });
  }

  const stored =
    click.message === null ? null : await deps.notifications.messageAt(click.message.channel, click.message.ts);
  if (finding !== null && stored !== null && click.message !== null) {
    const done = await rerender(deps, settings, account, stored, click.message, {
      findingId: finding.id,
      live,
      checkedAt: now,
      approver,
    });
    if (done) return null;
  }
  if (live.kind === 'not_found' || live.result.userId !== target.userId)
    return notice({ kind: 'user_gone', userName: target.userName });
  return notice({ kind: 'recheck_result', result: resultForViewer(live.result, approver), closed: closing });
};
