import { type BotHarness, newDatabasePath, startBot, startSampleSlack } from '../support/bot-harness';
import { createFakeClock } from '../support/fake-clock';
import type { FakeSlack } from '../support/fake-slack-api';
import { sampleIam } from '../support/sample-world';

const START = new Date('2026-11-23T14:00:00Z');

describe('start-up checks APPROVAL_CHANNEL', () => {
  let slack: FakeSlack;
  let harness: BotHarness | null = null;

  beforeEach(async () => {
    slack = await startSampleSlack();
    slack.addChannel({ id: 'C0APPROVALS1', name: 'mfa-approvals', isMember: false });
  });
  afterEach(async () => {
    await harness?.bot.stop();
    harness = null;
    await slack.close();
  });

  const start = (env: Record<string, string>): Promise<BotHarness> => {
    const clock = createFakeClock(START);
    return startBot({ slack, iam: sampleIam(clock), clock, databasePath: newDatabasePath(), env });
  };

  it('refuses to start when the bot is not in the approval channel, saying how to fix it', async () => {
    await expect(start({ APPROVAL_CHANNEL: 'C0APPROVALS1' })).rejects.toMatchObject({
      code: 'slack_not_in_channel',
      message: expect.stringContaining('cannot post removal requests for approval there'),
      hint: expect.stringContaining('/invite @mfa-guard'),
    });
    expect(slack.callsTo('conversations.info').map((c) => c.params['channel'])).toEqual([
      'C0SECURITY01',
      'C0APPROVALS1',
    ]);
  });

  it('does not check it in a notify-only deployment, which never posts there', async () => {
    harness = await start({ APPROVAL_CHANNEL: 'C0APPROVALS1', REMOVAL_ENABLED: 'false' });
    expect(slack.callsTo('conversations.info').map((c) => c.params['channel'])).toEqual(['C0SECURITY01']);
  });

  it('starts once the bot has been invited there', async () => {
    slack.addChannel({ id: 'C0APPROVALS1', name: 'mfa-approvals', isMember: true });
    harness = await start({ APPROVAL_CHANNEL: 'C0APPROVALS1' });
    expect(harness.port).toBeGreaterThan(0);
  });
});
