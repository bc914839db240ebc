import { type Installation, isOwnMember } from '../domain/organization';
import { ownerMatches, type Viewer } from '../domain/ownership';
import type { Owner } from '../domain/types';
import { describeError } from '../errors';
import type { Logger } from '../ports/logging';
import type { SlackGateway } from '../ports/slack';

/** The person behind a request, with their email looked up (users.info) only if a check needs it. */
export interface ViewerLookup {
  readonly slackId: string;
  viewer(): Promise<Viewer>;
}

/** What looking a person up needs: Slack, and the installation their team is compared with. */
export interface ViewerDeps {
  readonly slack: SlackGateway;
  readonly logger: Logger;
  /** The workspace (or organization) the bot is installed in, from auth.test. */
  readonly installation: () => Promise<Installation>;
}

export const lookupViewer = (deps: ViewerDeps, slackId: string): ViewerLookup => {
  const { slack, logger } = deps;
  let cached: Promise<Viewer> | null = null;
  const load = async (): Promise<Viewer> => {
    try {
      const user = await slack.findUserById(slackId);
      // A deactivated account keeps its email; it must not keep its access. Nor may someone of
      // another organization (Slack Connect) who happens to have an owner's email address.
      const member = user !== null && !user.deleted && isOwnMember(await deps.installation(), user);
      return { slackId, email: member ? user.email : null };
    } catch (error) {
      // Without the email an email owner cannot be matched: the safe answer is "not theirs".
      logger.warn('could not look up the Slack user who asked; email owners will not match', {
        user: slackId,
        error: describeError(error),
      });
      return { slackId, email: null };
    }
  };
  return {
    slackId,
    viewer: () => {
      cached ??= load();
      return cached;
    },
  };
};

/** Whether the viewer owns the user, asking Slack for their email only for an email owner. */
export const viewerOwns = async (lookup: ViewerLookup, owner: Owner): Promise<boolean> => {
  if (owner.kind === 'slack') return ownerMatches(owner, { slackId: lookup.slackId, email: null });
  if (owner.kind === 'email') return ownerMatches(owner, await lookup.viewer());
  return false;
};
