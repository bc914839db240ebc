import type { FakeSlackCall } from '../test/support/fake-slack-api';
import { startBenchWorld } from './bench-bot';
import { userKind } from './population';
import { slackFirstScanBudget, slackFloorSeconds } from './stats';

/**
 * The Slack calls a scan cycle's notifications make (the real bot: scan, notifyRun, the scan's
 * WebClient against the fake Slack Web API), on a first scan and on the next day's scan of the
 * same findings, for a population with `owners` owners. The minimum time Slack's tiers imply is
 * computed from the counts, never waited out.
 */
export interface SlackScanCalls {
  readonly byMethod: Readonly<Record<string, number>>;
  readonly total: number;
  readonly floorSeconds: number;
}

export interface SlackMeasure {
  readonly owners: number;
  readonly users: number;
  readonly ownersWithFindings: number;
  readonly firstScan: SlackScanCalls;
  readonly nextDay: SlackScanCalls;
  readonly firstScanBudget: number;
}

const TIER3 = ['users.lookupByEmail', 'conversations.open'];
const TIER4 = ['users.info'];
const DAY_MS = 86_400_000;

const summarize = (calls: readonly FakeSlackCall[]): SlackScanCalls => {
  const byMethod: Record<string, number> = {};
  const postsPerChannel = new Map<string, number>();
  for (const call of calls) {
    byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
    if (call.method === 'chat.postMessage') {
      const channel = String(call.params['channel']);
      postsPerChannel.set(channel, (postsPerChannel.get(channel) ?? 0) + 1);
    }
  }
  return {
    byMethod,
    total: calls.length,
    floorSeconds: slackFloorSeconds({
      tier3PerMethod: TIER3.map((m) => byMethod[m] ?? 0),
      tier4PerMethod: TIER4.map((m) => byMethod[m] ?? 0),
      postsPerChannel: [...postsPerChannel.values()],
    }),
  };
};

export const measureSlack = async (owners: number): Promise<SlackMeasure> => {
  // Owners are 5 % of the users.
  const users = owners * 20;
  const world = await startBenchWorld({ users });
  try {
    const ownersWithFindings = new Set(
      world.accounts.flatMap((account) =>
        account.users
          .filter((_, i) => userKind(i) === 'non_compliant')
          .map((u) => JSON.stringify(u.tags?.['slack-owner'] ?? u.tags?.['owner-email'])),
      ),
    ).size;
    world.slack.reset();
    const first = await world.bot.runScanCycle('command');
    if (first.kind !== 'completed') throw new Error(`Slack scenario, ${owners} owners: first cycle ${first.kind}`);
    // Slack's own start-up calls (auth.test, the channel check) are not the scan's.
    const firstScan = summarize(world.slack.calls);
    world.slack.reset();
    world.clock.advance(DAY_MS);
    const second = await world.bot.runScanCycle('schedule');
    if (second.kind !== 'completed') throw new Error(`Slack scenario, ${owners} owners: next-day cycle ${second.kind}`);
    return {
      owners,
      users,
      ownersWithFindings,
      firstScan,
      nextDay: summarize(world.slack.calls),
      firstScanBudget: slackFirstScanBudget(ownersWithFindings, ownersWithFindings),
    };
  } finally {
    await world.stop();
  }
};
