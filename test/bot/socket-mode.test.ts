import { createFakeClock } from '../support/fake-clock';
import { sampleIam } from '../support/sample-world';
import { newDatabasePath, startBot, startSampleSlack } from '../support/bot-harness';

describe('Socket Mode', () => {
  it('asks for its WebSocket URL through SLACK_API_URL with the app token, not slack.com', async () => {
    const slack = await startSampleSlack();
    slack.failNext('apps.connections.open', 'invalid_auth', 20);
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    try {
      await expect(
        startBot({ slack, iam: sampleIam(clock), clock, databasePath: newDatabasePath(), env: { SLACK_APP_TOKEN: 'xapp-1-A0TEST-123-abc', SLACK_SIGNING_SECRET: '' } }),
      ).rejects.toThrow();
      expect(slack.callsTo('apps.connections.open').length).toBeGreaterThan(0);
    } finally {
      await slack.close();
    }
  }, 30_000);
});
