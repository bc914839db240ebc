/**
 * When Slack refuses an owner's DM as too long (`msg_blocks_too_long`) or invalid
 * (`invalid_blocks`), the bot posts its compact form: one line per user, then a count. The nudge
 * counts as sent only if Slack takes that; otherwise the DM is recorded as failed, and the next
 * scan sends the compact form first. Through the real bot, gateway and fake Slack.
 */
import { openDatabaseReadOnly } from '../../src/adapters/sqlite/database';
import { createNotificationStore } from '../../src/adapters/sqlite/notification-store';
import type { FakeSlackCall } from '../support/fake-slack-api';
import { startBotWorld } from '../support/interaction-harness';
import { buttonsIn, seen } from '../support/sample-world';

const HOUR = 3_600_000;

const channelOf = (call: FakeSlackCall | undefined): string => String(call?.params['channel']);
const isCompact = (call: FakeSlackCall | undefined): boolean =>
  seen({ blocks: call?.params['blocks'] }).includes('Your IAM users without MFA (') &&
  buttonsIn(call?.params['blocks']).length === 0;

const lastNudgeError = async (databasePath: string, owner: string): Promise<string | null> => {
  const db = openDatabaseReadOnly(databasePath);
  try {
    return await createNotificationStore(db).lastNudgeError(owner);
  } finally {
    db.close();
  }
};

describe('the compact form of a DM', () => {
  it.each(['msg_blocks_too_long', 'invalid_blocks'])(
    'is posted when Slack refuses the full DM with %s, and the nudge counts as sent',
    async (error) => {
      const w = await startBotWorld({ scan: false });
      const { slack } = w;
      slack.failNext('chat.postMessage', error);

      const outcome = await w.harness.bot.runScanCycle('command');

      const [refused, retried] = slack.callsTo('chat.postMessage');
      const dm = channelOf(refused);
      expect(dm).toMatch(/^D/);
      expect(isCompact(refused)).toBe(false);
      expect(channelOf(retried)).toBe(dm);
      expect(isCompact(retried)).toBe(true);
      const posted = slack.posted.find((p) => p.channel === dm);
      expect(seen(posted)).toContain('Your IAM users without MFA (');
      expect(outcome.kind === 'completed' && outcome.notify.failedDms).toEqual([]);
      expect(await lastNudgeError(w.databasePath, dm.slice(1))).toBeNull();
    },
  );

  it('when Slack refuses the compact form too, the DM is recorded as failed, and the next scan sends the compact form first', async () => {
    const w = await startBotWorld({ scan: false });
    const { slack } = w;
    slack.failNext('chat.postMessage', 'msg_blocks_too_long', 2);

    const first = await w.harness.bot.runScanCycle('command');

    const [full, compact] = slack.callsTo('chat.postMessage');
    const dm = channelOf(full);
    const owner = dm.slice(1);
    expect([isCompact(full), isCompact(compact), channelOf(compact)]).toEqual([false, true, dm]);
    expect(slack.posted.some((p) => p.channel === dm)).toBe(false);
    expect(first.kind === 'completed' && first.notify.failedDms.map((f) => f.recipient)).toEqual([owner]);
    expect(await lastNudgeError(w.databasePath, owner)).toContain('msg_blocks_too_long');

    // An hour on, only that owner is due again (the others were DM'd): the compact form goes first, and is taken.
    w.clock.advance(HOUR);
    slack.reset();
    const second = await w.harness.bot.runScanCycle('command');

    const dms = slack.callsTo('chat.postMessage').filter((c) => channelOf(c).startsWith('D'));
    expect(dms.map(channelOf)).toEqual([dm]);
    expect(isCompact(dms[0])).toBe(true);
    expect(slack.posted.filter((p) => p.channel === dm)).toHaveLength(1);
    expect(second.kind === 'completed' && second.notify.failedDms).toEqual([]);
    expect(await lastNudgeError(w.databasePath, owner)).toBeNull();

    // Once a DM got through, the next one is the full DM again.
    w.clock.advance(25 * HOUR);
    slack.reset();
    await w.harness.bot.runScanCycle('command');
    const next = slack.callsTo('chat.postMessage').find((c) => channelOf(c) === dm);
    expect(isCompact(next)).toBe(false);
  });

  it('another refusal (channel_not_found) is not retried in compact form: the DM fails as it is', async () => {
    const w = await startBotWorld({ scan: false });
    const { slack } = w;
    slack.failNext('chat.postMessage', 'channel_not_found');
    const outcome = await w.harness.bot.runScanCycle('command');
    const [refused, next] = slack.callsTo('chat.postMessage');
    expect(channelOf(next)).not.toBe(channelOf(refused));
    expect(outcome.kind === 'completed' && outcome.notify.failedDms).toHaveLength(1);
  });
});
