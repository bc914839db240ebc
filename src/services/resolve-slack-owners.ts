import { type SlackOwner, userKey } from '../domain/nudge-plan';
import { type Installation, isOwnMember } from '../domain/organization';
import type { SlackUser } from '../domain/slack-records';
import type { Owner, UserResult } from '../domain/types';
import { describeError } from '../errors';
import type { Logger } from '../ports/logging';
import type { SlackGateway } from '../ports/slack';

type Lookup = { readonly user: SlackUser | null } | { readonly error: string };

const ownerText = (owner: Owner): string => owner.value ?? '';

/**
 * Finds each offender's owner in Slack, keyed by `userKey` (the same name may be in many accounts,
 * each with its own owner). Lookups are cached for the call (one per distinct owner, across accounts),
 * and made one at a time: users.lookupByEmail is rate limited, and a scan has time. An owner who
 * is not in the workspace, deactivated, or a bot makes the user unowned, so the security channel
 * hears about it instead of nobody. An email owner is looked for among the workspace's own members
 * only: someone of another organization (Slack Connect) with that address is not the owner.
 */
export const resolveSlackOwners = async (
  deps: {
    readonly slack: SlackGateway;
    readonly logger: Logger;
    readonly installation: () => Promise<Installation>;
  },
  users: readonly UserResult[],
): Promise<Map<string, SlackOwner>> => {
  const cache = new Map<string, Lookup>();
  const lookup = async (owner: Owner): Promise<Lookup> => {
    const cacheKey = `${owner.kind}:${owner.value ?? ''}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached;
    let result: Lookup;
    try {
      if (owner.kind === 'email') {
        const user = await deps.slack.findUserByEmail(ownerText(owner));
        // Reported like a user lookupByEmail did not find: not a member here.
        result = { user: user !== null && isOwnMember(await deps.installation(), user) ? user : null };
      } else {
        result = { user: await deps.slack.findUserById(ownerText(owner)) };
      }
    } catch (error) {
      deps.logger.warn('could not look up an owner in Slack', { ownerKind: owner.kind, error: describeError(error) });
      result = { error: describeError(error) };
    }
    cache.set(cacheKey, result);
    return result;
  };

  const owners = new Map<string, SlackOwner>();
  for (const user of users) {
    const { owner } = user;
    if (owner.kind === 'unowned' || owner.value === null) {
      owners.set(userKey(user), { kind: 'unowned', why: { kind: 'no_owner' } });
      continue;
    }
    const found = await lookup(owner);
    if ('error' in found) {
      owners.set(userKey(user), {
        kind: 'unowned',
        why: { kind: 'lookup_failed', owner: owner.value, error: found.error },
      });
    } else if (found.user === null) {
      owners.set(userKey(user), { kind: 'unowned', why: { kind: 'not_in_slack', owner: owner.value } });
    } else if (found.user.deleted) {
      owners.set(userKey(user), { kind: 'unowned', why: { kind: 'deactivated', owner: owner.value } });
    } else if (found.user.isBot) {
      owners.set(userKey(user), {
        kind: 'unowned',
        why: {
          kind: 'lookup_failed',
          owner: owner.value,
          error: 'That Slack account is a bot, and a bot cannot be nudged.',
        },
      });
    } else {
      owners.set(userKey(user), { kind: 'slack', slackId: found.user.id });
    }
  }
  return owners;
};
