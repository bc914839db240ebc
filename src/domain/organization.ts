/**
 * Who belongs to the organization mfa-guard is installed in. Slack Connect lets people of other
 * organizations into shared channels, where they can run /mfa-status and click our buttons, and
 * users.lookupByEmail can find them: none of them may act here, and none may be matched to an
 * owner by email. A workspace install compares teams; an organization-wide (Enterprise Grid)
 * install compares the enterprise. Anything Slack did not say never matches.
 */
import type { BotIdentity, SlackUser } from './slack-records';

/** The installation, as auth.test tells it at start-up. */
export type Installation = Pick<BotIdentity, 'teamId' | 'enterpriseId' | 'enterpriseInstall'>;

/** Where a request says the person acting comes from. */
export interface RequestOrigin {
  readonly userId: string;
  /**
   * The acting user's own team: `user.team_id` in interactive payloads, `user_team` (else
   * `team_id`) in events, `team_id` in slash commands. For an organization's member Slack may put
   * the organization's E… id here.
   */
  readonly teamId: string | null;
  /** The enterprise the request names (`enterprise_id`, `enterprise.id`); null outside Enterprise Grid. */
  readonly enterpriseId: string | null;
}

const sameOrganization = (installation: Installation, teamId: string | null, enterpriseId: string | null): boolean => {
  if (!installation.enterpriseInstall) return teamId !== null && teamId === installation.teamId;
  const enterprise = installation.enterpriseId;
  return enterprise !== null && (enterpriseId === enterprise || teamId === enterprise);
};

/** Whether a request comes from the installation's own workspace (or organization). */
export const fromInstallation = (installation: Installation, origin: RequestOrigin): boolean =>
  sameOrganization(installation, origin.teamId, origin.enterpriseId);

/** Whether a Slack user (users.info, users.lookupByEmail) is one of the installation's own members. */
export const isOwnMember = (installation: Installation, user: Pick<SlackUser, 'teamId' | 'enterpriseId'>): boolean =>
  sameOrganization(installation, user.teamId, user.enterpriseId);
