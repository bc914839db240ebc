import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createScanLease } from '../../../src/adapters/sqlite/scan-lease';
import type { ScanLease } from '../../../src/ports/stores';
import { T0 } from '../../contracts/fixtures';
import { describeScanLeaseContract } from '../../contracts/scan-lease-contract';
import { openSqliteFileStores, openSqliteStores, scratch } from './sqlite-fixtures';

describeScanLeaseContract('SQLite in memory', openSqliteStores);
describeScanLeaseContract('SQLite file', openSqliteFileStores);

const tmp = scratch();
afterEach(() => tmp.cleanup());

const TTL = 60_000;
const ms = (offset: number): Date => new Date(T0.getTime() + offset);

/** Two processes' worth of leases: separate connections to one temp file database. */
const twoConnections = (): { a: ScanLease; b: ScanLease } => {
  const path = join(tmp.dir(), 'state.db');
  const a = createScanLease(tmp.track(openDatabase(path)));
  const b = createScanLease(tmp.track(openDatabase(path)));
  return { a, b };
};

describe('SQLite scan lease', () => {
  describe('across two connections to one file', () => {
    it('lets only one holder acquire, and both connections see it', async () => {
      const { a, b } = twoConnections();
      expect(await a.acquire('scan-a', T0, TTL)).toBe(true);
      expect(await b.acquire('scan-b', ms(1), TTL)).toBe(false);
      expect(await a.current(ms(2))).toEqual({ holder: 'scan-a', expiresAt: ms(TTL) });
      expect(await b.current(ms(2))).toEqual({ holder: 'scan-a', expiresAt: ms(TTL) });
    });

    it('ignores a release by a non-holder', async () => {
      const { a, b } = twoConnections();
      await a.acquire('scan-a', T0, TTL);
      await b.release('scan-b');
      expect((await b.current(ms(1)))?.holder).toBe('scan-a');
      expect(await b.acquire('scan-b', ms(1), TTL)).toBe(false);
    });

    it('frees the lease when its holder releases it', async () => {
      const { a, b } = twoConnections();
      await a.acquire('scan-a', T0, TTL);
      await a.release('scan-a');
      expect(await b.current(ms(1))).toBeNull();
      expect(await b.acquire('scan-b', ms(1), TTL)).toBe(true);
    });

    it('lets another holder take over an expired lease; the old holder can then neither renew nor release it', async () => {
      const { a, b } = twoConnections();
      await a.acquire('scan-a', T0, TTL);
      expect(await b.acquire('scan-b', ms(TTL - 1), TTL)).toBe(false);
      expect(await b.acquire('scan-b', ms(TTL + 1), TTL)).toBe(true);
      expect(await a.current(ms(TTL + 2))).toEqual({ holder: 'scan-b', expiresAt: ms(2 * TTL + 1) });

      expect(await a.renew('scan-a', ms(TTL + 3), TTL)).toBe(false);
      await a.release('scan-a');
      expect((await b.current(ms(TTL + 4)))?.holder).toBe('scan-b');
      expect(await a.acquire('scan-a', ms(TTL + 5), TTL)).toBe(false);
    });

    it('lets exactly one of several racing processes win', async () => {
      const path = join(tmp.dir(), 'race.db');
      openDatabase(path).close();
      const racers = Array.from({ length: 5 }, (_, i) =>
        spawn(
          process.execPath,
          ['--import', 'tsx', join(__dirname, 'lease-racer.ts'), path, `racer-${i}`, T0.toISOString()],
          {
            cwd: resolve(__dirname, '../../..'),
            stdio: ['pipe', 'pipe', 'inherit'],
          },
        ),
      );
      const lines = racers.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
      const next = async (i: number): Promise<string> => {
        const line = await lines[i]?.next();
        return line?.done === false ? line.value : '(exited)';
      };

      try {
        expect(await Promise.all(racers.map((_, i) => next(i)))).toEqual(racers.map(() => 'ready'));
        for (const child of racers) child.stdin.write('go\n');
        const answers = await Promise.all(racers.map((_, i) => next(i)));

        expect(answers.filter((answer) => answer === 'won')).toHaveLength(1);
        expect(answers.filter((answer) => answer === 'lost')).toHaveLength(racers.length - 1);
        const winner = `racer-${answers.indexOf('won')}`;
        expect((await createScanLease(tmp.track(openDatabase(path))).current(T0))?.holder).toBe(winner);
      } finally {
        // A racer that failed leaves the others waiting for "go"; do not leave them behind.
        for (const child of racers) if (child.exitCode === null) child.kill();
      }
    }, 60_000);
  });

  it('keeps when the lease was first acquired when its holder extends it', async () => {
    const db = tmp.track(openDatabase(':memory:'));
    const lease = createScanLease(db);
    await lease.acquire('scan-a', T0, TTL);
    await lease.acquire('scan-a', ms(10_000), TTL);
    expect(db.prepare('SELECT acquired_at, expires_at FROM leases').get()).toEqual({
      acquired_at: T0.toISOString(),
      expires_at: ms(10_000 + TTL).toISOString(),
    });
  });

  it('keeps leases of different names apart', async () => {
    const db = tmp.track(openDatabase(':memory:'));
    const scan = createScanLease(db);
    const other = createScanLease(db, 'notify');
    expect(await scan.acquire('scan-a', T0, TTL)).toBe(true);
    expect(await other.acquire('notify-b', T0, TTL)).toBe(true);
    await other.release('notify-b');
    expect((await scan.current(ms(1)))?.holder).toBe('scan-a');
    expect(await other.current(ms(1))).toBeNull();
  });
});
