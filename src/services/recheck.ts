import type { Notice, RecheckedUser } from '../domain/interaction-messages';
import { findingRef } from '../domain/notifications';
import type { AccountRef, FindingCloseReason, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { MessageSubject, StoredSlackMessage } from '../ports';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildRecheckedNudgeMessage } from '../slack/blocks/rechecked-nudge-message';
import { closureOf, type LiveCheck } from './check-user';
import { authorizeFindingClick, type ButtonClick } from './finding-click';
import type { InteractionDeps, InteractionSettings } from './interaction-deps';
import { recordAudit } from './record-audit';

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
  const checked = await authorizeFindingClick(deps, settings, click, 'recheck');
  if (checked.kind === 'answered') return checked.reply;
  const { account, target, live } = checked;
  const { finding } = target;
  const base = { actor: click.userId, accountId: account.accountId, requestId: null } as const;

  const now = deps.clock.now();
  const seen = live.kind === 'not_found' ? 'the user no longer exists' : live.result.userId === target.userId ? `status now ${live.result.status}` : 'the user was recreated';
  recordAudit(deps, { ...base, at: now, action: 'recheck', userName: target.userName, outcome: 'succeeded', detail: seen });
  let closed: FindingCloseReason | null = null;
  if (finding !== null && finding.closedAt === null) {
    closed = closureOf({ accountId: finding.accountId, userName: finding.userName, userId: finding.userId, openedAt: finding.openedAt }, live, now);
    if (closed !== null && deps.findings.closeFinding(finding.id, closed, click.userId, now)) {
      recordAudit(deps, { ...base, at: now, action: 'finding_closed', userName: finding.userName, outcome: 'succeeded', detail: `closed by a Recheck: ${closed}` });
    }
  }
  if (live.kind === 'checked' && live.result.userId === target.userId) deps.findings.saveLiveResult(live.result);

  const stored = click.message === null ? null : deps.notifications.messageAt(click.message.channel, click.message.ts);
  if (finding !== null && stored !== null && click.message !== null) {
    const done = await rerender(deps, settings, account, stored, click.message, { findingId: finding.id, live, checkedAt: now });
    if (done) return null;
  }
  if (live.kind === 'not_found' || live.result.userId !== target.userId) return notice({ kind: 'user_gone', userName: target.userName });
  return notice({ kind: 'recheck_result', result: live.result, closed });
};
