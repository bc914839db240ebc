import { ambientAccount } from '../../src/adapters/fixed-accounts';
import { sampleOwnersSource } from '../../src/adapters/memory/fixed-owners-source';
import { createSampleSlack, SAMPLE_SECURITY_CHANNEL } from '../../src/adapters/memory/sample-slack';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { createSqliteStores } from '../../src/adapters/sqlite/sqlite-stores';
import { silentLogger } from '../../src/adapters/stderr-logger';
import { createScanCycleOver, scanSettingsFromConfig } from '../../src/app';
import { readScanConfig } from '../../src/config/scan-config';
import { createFakeClock } from '../support/fake-clock';
import { sampleIam } from '../support/sample-world';

const HOUR = 3_600_000;

describe('notifying an owner of many users', () => {
  it('counts the users cut from a long DM as nudged, so the owner is not DM’d at every scan', async () => {
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    const iam = sampleIam(clock, { failures: false });
    for (let i = 0; i < 30; i += 1) {
      iam.addUser({
        userName: `team-alice-${String(i).padStart(2, '0')}`,
        userId: `AIDAEXAMPLEALICE${String(i).padStart(4, '0')}`,
        createDate: new Date('2026-01-01T00:00:00Z'),
        passwordLastUsed: null,
        loginProfile: true,
        mfaDevices: [],
        tags: { 'slack-owner': 'U012ABCDEF' },
      });
    }
    const slack = createSampleSlack();
    const db = openDatabase(':memory:');
    const stores = createSqliteStores(db, () => undefined);
    const cycle = createScanCycleOver(
      stores,
      {
        accounts: ambientAccount(iam),
        slack,
        owners: sampleOwnersSource(),
        clock,
        logger: silentLogger,
        holder: 'test',
      },
      {
        scan: scanSettingsFromConfig(readScanConfig({ DATABASE_PATH: ':memory:' })),
        notify: {
          securityChannel: SAMPLE_SECURITY_CHANNEL,
          nudgeIntervalHours: 24,
          escalateAfterDays: 7,
          summaryWhen: 'changes',
          removalEnabled: true,
        },
      },
    );
    try {
      await cycle.run('schedule');
      const dmsToAlice = () => slack.posts.filter((p) => slack.dmUser(p.channel) === 'U012ABCDEF');
      expect(dmsToAlice()).toHaveLength(1);
      const [dm] = dmsToAlice();
      expect(JSON.stringify(dm?.message.blocks)).toMatch(/and \d+ more — use \/mfa-status/);
      const stored = await stores.notifications.messageAt(dm!.channel, dm!.ts);
      expect(stored?.subjects).toHaveLength(31);

      clock.advance(2 * HOUR);
      await cycle.run('schedule');
      expect(dmsToAlice()).toHaveLength(1);

      clock.advance(22 * HOUR);
      await cycle.run('schedule');
      expect(dmsToAlice()).toHaveLength(2);
    } finally {
      db.close();
    }
  });
});
