import { type OwnersSnapshot, problemKey } from '../domain/owners-snapshot';
import { describeError } from '../errors';
import type { Logger } from '../ports/logging';
import type { OwnersSource } from '../ports/owners';
import type { SlackGateway } from '../ports/slack';
import { buildOwnersFileProblemMessage } from '../slack/blocks/owners-file-problem-message';

export interface OwnersWatchDeps {
  readonly logger: Logger;
  /** Where the security team hears of an invalid owners file; null where nobody can be told (the CLI). */
  readonly post: { readonly slack: Pick<SlackGateway, 'postMessage'>; readonly channel: string } | null;
}

/**
 * The owners source, with an invalid owners file logged and posted to the security channel once
 * per distinct bad content, whichever use (scan, Recheck, removal) reads it first. A post that
 * fails is tried again at the next read, so the team hears of it once Slack answers. A file that
 * is fixed and then broken again is reported again.
 */
export const watchOwners = (source: OwnersSource, deps: OwnersWatchDeps): OwnersSource => {
  let logged: string | null = null;
  let posted: string | null = null;

  const report = async (snapshot: OwnersSnapshot): Promise<void> => {
    const { problem } = snapshot;
    if (problem === null) {
      if (logged !== null) deps.logger.info('the owners file is valid again', { hash: snapshot.hash });
      logged = null;
      posted = null;
      return;
    }
    const key = problemKey(problem);
    if (logged !== key) {
      logged = key;
      deps.logger.error('the owners file is invalid; its last good copy stays in use and removals are refused', {
        problem: problem.message,
        badHash: problem.hash,
        lastGoodHash: snapshot.hash,
      });
    }
    if (deps.post === null || posted === key) return;
    // Taken before the await, so reads running side by side post once.
    posted = key;
    try {
      await deps.post.slack.postMessage(
        deps.post.channel,
        buildOwnersFileProblemMessage({ problem, lastGoodHash: snapshot.hash }),
      );
    } catch (error) {
      if (posted === key) posted = null;
      deps.logger.error('could not tell the security channel that the owners file is invalid; will try again', {
        error: describeError(error),
      });
    }
  };

  return {
    current: async () => {
      const snapshot = await source.current();
      await report(snapshot);
      return snapshot;
    },
  };
};
