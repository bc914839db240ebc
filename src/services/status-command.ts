import { runCounts } from '../domain/completed-run';
import type { Notice } from '../domain/interaction-messages';
import { isApprover } from '../domain/ownership';
import { parseStatusCommand } from '../domain/status-command';
import type { SlackGateway } from '../ports/slack';
import { buildAccountSummaryMessage } from '../slack/blocks/account-summary-message';
import { buildAccountsSummaryMessage } from '../slack/blocks/accounts-summary-message';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildMyStatusMessage } from '../slack/blocks/my-status-message';
import { buildNotice } from '../slack/blocks/notice-message';
import { buildPersonStatusMessage } from '../slack/blocks/person-status-message';
import type { InteractionSettings } from './interaction-settings';
import { recordAudit } from './record-audit';
import type { CycleOutcome, ScanCycle } from './scan-cycle';
import { sendDm } from './send-dm';
import { answerUserLookup, type StatusUserDeps } from './status-user';
import {
  accountOffenders,
  accountOverview,
  accountOverviews,
  knownAccountIds,
  lastScanInfo,
  viewerUsersIn,
} from './status-views';
import { lookupViewer } from './viewer';

export interface CommandReply {
  /** Shown to the caller only. */
  readonly message: SlackMessage;
  /**
   * Work that goes on after the answer (a scan), or null. Its outcome is sent to the caller by DM:
   * a scan can outlast what a response_url allows. Never rejects.
   */
  readonly followUp: Promise<void> | null;
}

export interface StatusCommandDeps extends StatusUserDeps {
  readonly slack: SlackGateway;
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
    const accountIds = await knownAccountIds(deps);
    const { users, emailUnknown, ownerUnknown } = await viewerUsersIn(deps, lookup, accountIds, approver);
    const overviews = approver ? await accountOverviews(deps, accountIds) : [];
    return reply(
      buildMyStatusMessage({ users, lastScan: await lastScanInfo(deps), overviews, emailUnknown, ownerUnknown, now }),
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
      const { users, emailUnknown, ownerUnknown } = await viewerUsersIn(
        deps,
        lookupViewer(deps, command.slackId),
        await knownAccountIds(deps),
        approver,
      );
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
      // Each account as its latest completed scan left it.
      const scanned = await deps.scans.scannedAccounts();
      const accountIds = scanned.map((a) => a.accountId);
      const [only] = accountIds;
      if (only === undefined)
        return notice({
          kind: 'error',
          error: 'No scan has finished yet, so there is nothing to summarise. Run `/mfa-status scan` first.',
        });
      const lastScan = await lastScanInfo(deps);
      const offenders = await accountOffenders(deps, accountIds);
      return reply(
        accountIds.length === 1
          ? buildAccountSummaryMessage({ overview: await accountOverview(deps, only), lastScan, offenders, now })
          : buildAccountsSummaryMessage({ accounts: scanned, lastScan, offenders, now }),
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

    case 'user':
      return reply(await answerUserLookup(deps, settings, { userId: request.userId, approver, lookup }, command));
  }
};
