import type { AuditAction } from '../domain/audit';
import { parseFindingRef } from '../domain/notifications';
import type { AccountRef, Owner } from '../domain/types';
import { describeError } from '../errors';
import type { FindingRecord } from '../ports';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { checkUserLive, type CheckUserDeps, type LiveCheck } from './check-user';
import type { InteractionDeps, InteractionSettings } from './interaction-deps';
import { recordAudit } from './record-audit';
import { lookupViewer, mayActOn } from './viewer';

export interface ButtonClick {
  readonly userId: string;
  readonly value: string;
  /** The message the button is on; null when it is not a message (App Home, a modal). */
  readonly message: { readonly channel: string; readonly ts: string } | null;
}

export const liveDeps = (deps: InteractionDeps): CheckUserDeps => ({
  iam: deps.iam,
  clock: deps.clock,
  ownersFile: deps.ownersFile,
  openFindings: (accountId: string) => deps.scans.openFindings(accountId),
});

/** The owner who may act on the finding's user: the live one, else (user gone) the last one stored. */
const ownerFor = (deps: InteractionDeps, finding: FindingRecord, live: LiveCheck): Owner | null => {
  if (live.kind === 'checked' && live.result.userId === finding.userId) return live.result.owner;
  const stored = deps.scans.userResults(finding.accountId).find((r) => r.userName === finding.userName && r.userId === finding.userId);
  return stored?.owner ?? null;
};

/** The finding a button points at, when it is of the account the bot watches. */
const resolveFinding = (deps: InteractionDeps, value: string, account: AccountRef): FindingRecord | null => {
  const id = parseFindingRef(value);
  const finding = id === null ? null : deps.notifications.finding(id);
  return finding !== null && finding.accountId === account.accountId ? finding : null;
};

export type FindingClick =
  | { readonly kind: 'allowed'; readonly account: AccountRef; readonly finding: FindingRecord; readonly live: LiveCheck }
  | { readonly kind: 'answered'; readonly reply: SlackMessage };

/**
 * What a Recheck or a "Remove console access…" click is about, and whether the clicker may act:
 * the finding in the button (of this account only), its user checked live, and the owner or an
 * approver. A refusal is audited under `action` and changes nothing else.
 */
export const authorizeFindingClick = async (
  deps: InteractionDeps,
  settings: InteractionSettings,
  click: ButtonClick,
  action: Extract<AuditAction, 'recheck' | 'removal_request'>,
): Promise<FindingClick> => {
  const answered = (reply: SlackMessage): FindingClick => ({ kind: 'answered', reply });
  const refuse = (accountId: string, userName: string | null, detail: string, reply: SlackMessage): FindingClick => {
    recordAudit(deps, { at: deps.clock.now(), actor: click.userId, action, accountId, userName, outcome: 'refused', detail, requestId: null });
    return answered(reply);
  };
  let account: AccountRef;
  try {
    account = await deps.account();
  } catch (error) {
    return answered(buildNotice({ kind: 'error', error: describeError(error) }));
  }
  const finding = resolveFinding(deps, click.value, account);
  if (finding === null) return refuse(account.accountId, null, 'unknown button value', buildNotice({ kind: 'unknown_button' }));

  let live: LiveCheck;
  try {
    live = await checkUserLive(liveDeps(deps), settings.policy, account, finding.userName);
  } catch (error) {
    return answered(buildNotice({ kind: 'error', error: describeError(error) }));
  }
  const owner = ownerFor(deps, finding, live);
  const lookup = lookupViewer(deps.slack, deps.logger, click.userId);
  const allowed = owner === null ? settings.approvers.includes(click.userId) : await mayActOn(settings.approvers, lookup, owner);
  if (!allowed) {
    const what = action === 'recheck' ? 'recheck' : 'request_removal';
    return refuse(account.accountId, finding.userName, 'not the owner or an approver', buildNotice({ kind: 'not_allowed', action: what }));
  }
  return { kind: 'allowed', account, finding, live };
};
