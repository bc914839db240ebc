import type { Owner } from './types';

/** Who is asking, as Slack knows them. */
export interface Viewer {
  readonly slackId: string;
  /** From users.info; null when Slack does not show it (then email owners cannot match). */
  readonly email: string | null;
}

export const isApprover = (approvers: readonly string[], slackId: string): boolean => approvers.includes(slackId);

/**
 * Whether the viewer is the owner mfa-guard resolved for an IAM user: the same Slack ID, or the
 * same email (emails compare case-insensitively, as Slack's lookupByEmail does).
 */
export const ownerMatches = (owner: Owner, viewer: Viewer): boolean => {
  if (owner.value === null) return false;
  switch (owner.kind) {
    case 'slack':
      return owner.value === viewer.slackId;
    case 'email':
      return viewer.email !== null && owner.value.toLowerCase() === viewer.email.toLowerCase();
    case 'unowned':
      return false;
  }
};
