import { runCounts } from '../domain/completed-run';
import { checkFailedWords, resultForViewer } from '../domain/error-detail';
import type { Notice } from '../domain/interaction-messages';
import { findingRef, userRef } from '../domain/notifications';
import { isApprover } from '../domain/ownership';
import { parseStatusCommand } from '../domain/status-command';
import { describeError } from '../errors';
import type { Logger } from '../ports/logging';
import type { SlackGateway } from '../ports/slack';
import { buildAccountSummaryMessage } from '../slack/blocks/account-summary-message';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildMyStatusMessage } from '../slack/blocks/my-status-message';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildPersonStatusMessage } from '../slack/blocks/person-status-message';
import { buildUserCheckMessage } from '../slack/blocks/user-check-message';
import { checkUserLive } from './check-user';
import { type LiveCheckDeps, liveDeps, openFindingOf } from './finding-click';
import type { InteractionSettings } from './interaction-settings';
import type { LiveCheckLimiter } from './live-check-limiter';
import { liveCheckConfirms, type StoredOwner, storedOwnerByName, storedOwnerOf } from './owner-on-record';
import { recordAudit } from './record-audit';
import type { AuditSink } from './refusal-audit';
import type { CycleOutcome, ScanCycle } from './scan-cycle';
import { sendDm } from './send-dm';
import {
  accountOffenders,
  accountOverview,
  knownAccountId,
  lastScanInfo,
  type StatusViewDeps,
  viewerUsers,
} from './status-views';
import { lookupViewer, type ViewerDeps, viewerOwns } from './viewer';

export interface CommandReply {
  /** Shown to the caller only. */
  readonly message: SlackMessage;
  /**
   * Work that goes on after the answer (a scan), or null. Its outcome is sent to the caller by DM:
   * a scan can outlast what a response_url allows. Never rejects.
   */
  readonly followUp: Promise<void> | null;
}

export interface StatusCommandDeps extends StatusViewDeps, LiveCheckDeps, ViewerDeps {
  readonly findings: StatusViewDeps['findings'] & LiveCheckDeps['findings'];
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly audit: AuditSink;
  readonly liveChecks: LiveCheckLimiter;
}

const reply = (message: SlackMessage): CommandReply => ({ message, followUp: null });
const notice = (n: Notice): CommandReply => reply(buildNotice(n));

const scanNotice = (outcome: CycleOutcome, channel: string): Notice => {
  switch (outcome.kind) {
    case 'completed':
      return { kind: 'scan_finished', counts: runCounts(outcome.run), channel };
    case 'failed':
      return {
        kind: 'scan_failed',
        error: outcome.error.hint ? `${outcome.error.message} ${outcome.error.hint}` : outcome.error.message,
      };
    case 'busy':
      return { kind: 'scan_busy', holder: outcome.holder };
    case 'already_running':
      return { kind: 'scan_already_running' };
  }
};

/**
 * /mfa-status. Answers only the caller; what a person may see depends on whether they are an
 * approver or the owner. Text that is not a subcommand or an IAM user name never reaches AWS, and
 * neither does a lookup by someone the records do not name as the user's owner.
 */
export const answerStatusCommand = async (
  deps: StatusCommandDeps,
  settings: Pick<InteractionSettings, 'policy' | 'approvers' | 'securityChannel' | 'removalEnabled'>,
  cycle: Pick<ScanCycle, 'run' | 'isRunning'>,
  request: { readonly userId: string; readonly text: string },
): Promise<CommandReply> => {
  const command = parseStatusCommand(request.text);
  const lookup = lookupViewer(deps, request.userId);
  const approver = isApprover(settings.approvers, request.userId);
  const now = deps.clock.now();
  const base = {
    at: now,
    actor: request.userId,
    accountId: null,
    userName: null,
    detail: null,
    requestId: null,
  } as const;

  const mine = async (): Promise<CommandReply> => {
    const accountId = await knownAccountId(deps);
    const { users, emailUnknown, ownerUnknown } =
      accountId === null
        ? { users: [], emailUnknown: false, ownerUnknown: false }
        : await viewerUsers(deps, lookup, accountId, approver);
    const overview = approver && accountId !== null ? await accountOverview(deps, accountId) : null;
    return reply(
      buildMyStatusMessage({ users, lastScan: await lastScanInfo(deps), overview, emailUnknown, ownerUnknown, now }),
    );
  };

  switch (command.kind) {
    case 'help':
      return notice({ kind: 'help', problem: command.problem });

    case 'mine':
      return mine();

    case 'person': {
      if (command.slackId === request.userId) return mine();
      if (!approver) {
        // Looked up from stored records only, but refused before anything is: it is not theirs to see.
        await recordAudit(deps, {
          ...base,
          action: 'status_user',
          outcome: 'refused',
          detail: `not an approver (asked for the IAM users of ${command.slackId})`,
        });
        return notice({ kind: 'only_your_own' });
      }
      const accountId = await knownAccountId(deps);
      const { users, emailUnknown, ownerUnknown } =
        accountId === null
          ? { users: [], emailUnknown: false, ownerUnknown: false }
          : await viewerUsers(deps, lookupViewer(deps, command.slackId), accountId, approver);
      return reply(
        buildPersonStatusMessage({
          slackId: command.slackId,
          users,
          lastScan: await lastScanInfo(deps),
          emailUnknown,
          ownerUnknown,
          now,
        }),
      );
    }

    case 'summary': {
      if (!approver) {
        await recordAudit(deps, { ...base, action: 'status_summary', outcome: 'refused', detail: 'not an approver' });
        return notice({ kind: 'not_allowed', action: 'summary' });
      }
      const accountId = await knownAccountId(deps);
      if (accountId === null)
        return notice({
          kind: 'error',
          error: 'No scan has finished yet, so there is nothing to summarise. Run `/mfa-status scan` first.',
        });
      return reply(
        buildAccountSummaryMessage({
          overview: await accountOverview(deps, accountId),
          lastScan: await lastScanInfo(deps),
          offenders: await accountOffenders(deps, accountId),
          now,
        }),
      );
    }

    case 'scan': {
      if (!approver) {
        await recordAudit(deps, { ...base, action: 'scan_start', outcome: 'refused', detail: 'not an approver' });
        return notice({ kind: 'not_allowed', action: 'scan' });
      }
      if (cycle.isRunning()) {
        await recordAudit(deps, {
          ...base,
          action: 'scan_start',
          outcome: 'refused',
          detail: 'a scan is already running',
        });
        return notice({ kind: 'scan_already_running' });
      }
      // Audited once the outcome is known: another process (the CLI) may hold the scan lease. The
      // outcome goes by DM: a scan may take longer than a response_url lives (30 minutes).
      const followUp = cycle.run('command').then(async (outcome) => {
        const result = outcome.kind === 'completed' ? 'succeeded' : outcome.kind === 'failed' ? 'failed' : 'refused';
        await recordAudit(deps, {
          ...base,
          at: deps.clock.now(),
          action: 'scan_start',
          outcome: result,
          detail: outcome.kind === 'failed' ? outcome.error.message : outcome.kind,
        });
        await sendDm(deps, request.userId, buildNotice(scanNotice(outcome, settings.securityChannel)));
      });
      return { message: buildNotice({ kind: 'scan_started', channel: settings.securityChannel }), followUp };
    }

    case 'user': {
      const { userName, didYouMean } = command;
      // Same answer whether the user exists or not: someone who is not its owner learns nothing.
      const refuse = async (accountId: string | null, detail: string): Promise<CommandReply> => {
        await recordAudit(deps, { ...base, action: 'status_user', outcome: 'refused', accountId, userName, detail });
        return notice({ kind: 'not_yours', userName, didYouMean });
      };
      // Who may look is decided before any AWS call: approvers may look at any user, anyone else
      // only at a user the stored records name them the owner of.
      // Read once: the same copy decides who may look and evaluates the user live.
      const { ownersFile } = await deps.owners.current();
      let stored: StoredOwner | null = null;
      if (!approver) {
        const recordAccount = (await deps.scans.lastScan())?.accountId ?? null;
        stored = await storedOwnerByName(deps, ownersFile, recordAccount, userName);
        if (stored === null) return refuse(recordAccount, 'no record names its owner (approvers only)');
        if (!(await viewerOwns(lookup, stored.owner))) return refuse(recordAccount, 'not the owner or an approver');
      }
      const take = deps.liveChecks.take(request.userId, approver);
      if (take.kind === 'limited') {
        await recordAudit(deps, {
          ...base,
          action: 'status_user',
          outcome: 'refused',
          userName,
          detail: 'rate limited: too many live checks',
        });
        return notice({ kind: 'rate_limited', retryAt: take.retryAt, now });
      }
      let account;
      let live;
      try {
        account = await deps.account();
        live = await checkUserLive(liveDeps(deps, ownersFile), settings.policy, account, userName);
      } catch (error) {
        deps.logger.warn('a live check for /mfa-status failed', {
          user: request.userId,
          userName,
          error: describeError(error),
        });
        return notice({ kind: 'error', error: approver ? describeError(error) : checkFailedWords(userName) });
      }
      if (live.kind === 'not_found') return notice({ kind: 'no_such_user', userName, didYouMean });
      if (stored !== null && !(await liveCheckConfirms(lookup, stored, account.accountId, live)))
        return refuse(account.accountId, 'not the owner (the live check found another owner or user)');
      // A check that could not vouch for the owner shows the one on record, not its fallback.
      const onRecord = live.ownerKnown
        ? null
        : await storedOwnerOf(deps, ownersFile, { ...live.result, accountId: account.accountId });
      const result = resultForViewer({ ...live.result, owner: onRecord ?? live.result.owner }, approver);
      const open = await openFindingOf(deps.findings, account.accountId, live.result.userName, live.result.userId);
      // Without an open finding (it became non-compliant after the last scan) the buttons name the user.
      const ref = open !== null ? findingRef(open.id) : userRef(live.result.userId, live.result.userName);
      return reply(
        buildUserCheckMessage({
          account,
          result,
          ref: live.result.status === 'non_compliant' ? ref : null,
          removalEnabled: settings.removalEnabled,
          now,
        }),
      );
    }
  }
};
