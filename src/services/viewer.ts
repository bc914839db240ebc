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

export const lookupViewer = (slack: SlackGateway, logger: Logger, slackId: string): ViewerLookup => {
  let cached: Promise<Viewer> | null = null;
  const load = async (): Promise<Viewer> => {
    try {
      const user = await slack.findUserById(slackId);
      // A deactivated account keeps its email; it must not keep its access.
      return { slackId, email: user === null || user.deleted ? null : user.email };
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
