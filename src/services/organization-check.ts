/**
 * Requests from another organization. In a channel shared over Slack Connect, people of another
 * organization can run /mfa-status and click our buttons; the bot answers only people of the
 * workspace (or Enterprise Grid organization) it is installed in. The check comes first, before
 * anything is looked up: a refusal is audited, answered to that person only, and nothing else.
 */
import type { AuditAction } from '../domain/audit';
import { fromInstallation, type Installation, type RequestOrigin } from '../domain/organization';
import { parseStatusCommand } from '../domain/status-command';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import {
  APPROVE_REMOVAL_ACTION_ID,
  DENY_REMOVAL_ACTION_ID,
  RECHECK_ACTION_ID,
  REQUEST_REMOVAL_ACTION_ID,
} from '../slack/blocks/action-ids';
import type { SlackMessage } from '../slack/blocks/block-kit';
import { buildNotice } from '../slack/blocks/notice-message';
import { recordAudit } from './record-audit';
import type { AuditSink } from './refusal-audit';

/** What a request asks for, as far as the audit entry of its refusal names it. */
export type AdmitRequest =
  | { readonly kind: 'command'; readonly text: string }
  | { readonly kind: 'button'; readonly actionId: string }
  /** App Home and the other events: a look at one's own users. */
  | { readonly kind: 'event'; readonly type: string };

export interface OrganizationCheckDeps {
  /** The installation, as auth.test told it at start-up. */
  readonly installation: () => Promise<Installation>;
  readonly audit: AuditSink;
  readonly logger: Logger;
  readonly clock: Pick<Clock, 'now'>;
}

const BUTTON_ACTIONS: Readonly<Record<string, AuditAction>> = {
  [RECHECK_ACTION_ID]: 'recheck',
  [REQUEST_REMOVAL_ACTION_ID]: 'removal_request',
  [APPROVE_REMOVAL_ACTION_ID]: 'removal_approve',
  [DENY_REMOVAL_ACTION_ID]: 'removal_deny',
};

/** The audit action a refusal is recorded under; looks (a user, App Home, Show CLI steps) are `status_user`. */
const auditActionOf = (request: AdmitRequest): AuditAction => {
  switch (request.kind) {
    case 'command': {
      const command = parseStatusCommand(request.text);
      return command.kind === 'summary' ? 'status_summary' : command.kind === 'scan' ? 'scan_start' : 'status_user';
    }
    case 'button':
      return BUTTON_ACTIONS[request.actionId] ?? 'status_user';
    case 'event':
      return 'status_user';
  }
};

const describeOrigin = (origin: RequestOrigin): string =>
  [
    origin.teamId === null ? 'no team' : `team ${origin.teamId}`,
    ...(origin.enterpriseId === null ? [] : [`enterprise ${origin.enterpriseId}`]),
  ].join(', ');

const describeInstallation = (installation: Installation): string =>
  installation.enterpriseInstall
    ? `enterprise ${installation.enterpriseId ?? 'unknown'}`
    : `team ${installation.teamId}`;

/**
 * Null when the request comes from the installation's own workspace (or organization); otherwise
 * the refusal to answer with, already audited. Nothing else may be done for a refused request.
 */
export const checkOrganization = async (
  deps: OrganizationCheckDeps,
  origin: RequestOrigin,
  request: AdmitRequest,
): Promise<SlackMessage | null> => {
  const installation = await deps.installation();
  if (fromInstallation(installation, origin)) return null;
  const detail = `another organization (${describeOrigin(origin)}; installed in ${describeInstallation(installation)})`;
  deps.logger.warn('refused a request from another organization', { user: origin.userId, detail });
  await recordAudit(deps, {
    at: deps.clock.now(),
    actor: origin.userId,
    action: auditActionOf(request),
    accountId: null,
    userName: null,
    outcome: 'refused',
    detail,
    requestId: null,
  });
  return buildNotice({ kind: 'other_organization' });
};
