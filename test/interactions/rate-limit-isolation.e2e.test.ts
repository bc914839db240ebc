/**
 * The scan and the answers to people use two Slack clients. When Slack rate-limits the scan with a
 * Retry-After of a minute, the scan's client waits it out (here: held until the test lets it go)
 * while a Recheck click is answered through the other one. The order of what reaches the fake
 * Slack is asserted, never a duration.
 */
import type { SlackClientRole } from '../../src/bot/bot';
import { click, dmsTo, startBotWorld, waitFor } from '../support/interaction-harness';
import { ALICE, seen, userButton } from '../support/sample-world';

const HOUR = 3_600_000;

describe("a scan waiting out Slack's rate limit", () => {
  it("does not hold up a Recheck: its chat.update arrives while the scan's client sits in a 60-second Retry-After", async () => {
    const waits: { readonly ms: number; readonly client: SlackClientRole }[] = [];
    let releaseScan: () => void = () => undefined;
    const scanMayGoOn = new Promise<void>((resolve) => {
      releaseScan = resolve;
    });
    const w = await startBotWorld({
      rateLimitWait: async (ms, client) => {
        waits.push({ ms, client });
        if (client === 'scan') await scanMayGoOn;
      },
    });
    try {
      const { slack } = w;
      const [dm] = dmsTo(slack, ALICE);
      if (dm === undefined) throw new Error('alice has no DM');
      const recheck = userButton(dm.blocks, 'alice', 'mfa_recheck');

      // A day on every owner is due again; Slack answers the scan's first DM with 429, Retry-After 60 s.
      w.clock.advance(25 * HOUR);
      slack.reset();
      slack.rateLimitNext('chat.postMessage', 60);
      const scanning = w.harness.bot.runScanCycle('schedule');
      await waitFor(() => waits.some((x) => x.client === 'scan' && x.ms === 60_000), 'the scan to wait out the 429');
      const limited = slack.callsTo('chat.postMessage');
      expect(limited).toHaveLength(1);

      // The Recheck's own chat.update is rate-limited too, briefly: it waits through its own client
      // (a wait through the scan's would be held, and the update would never arrive).
      slack.rateLimitNext('chat.update', 5);
      await click(w, { userId: ALICE, actionId: recheck.actionId, value: recheck.value, where: dm });
      const update = await waitFor(
        () => slack.updates.find((u) => u.channel === dm.channel && u.ts === dm.ts),
        'the Recheck to update the DM',
      );
      expect(seen(update)).toContain('Checked at');

      // The rate-limited DM came first, the Recheck's chat.update after it, and no post got through
      // the scan's client in between: it is still waiting.
      const methods = slack.calls.map((c) => c.method);
      expect(methods.indexOf('chat.postMessage')).toBeLessThan(methods.indexOf('chat.update'));
      expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
      expect(slack.callsTo('chat.update')).toHaveLength(2);
      expect(waits).toEqual([
        { ms: 60_000, client: 'scan' },
        { ms: 5_000, client: 'interactions' },
      ]);
      await expect(w.harness.bot.health()).resolves.toMatchObject({ scanning: true });

      releaseScan();
      const outcome = await scanning;
      expect(outcome.kind).toBe('completed');
      // The same DM, sent again once the wait was over, and accepted.
      const [first, second] = slack.callsTo('chat.postMessage');
      expect(second?.params['channel']).toBe(first?.params['channel']);
      expect(outcome.kind === 'completed' && outcome.notify.failedDms).toEqual([]);
    } finally {
      releaseScan();
    }
  });
});
