import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../src/adapters/sqlite/database';
import { createScanLease } from '../../../src/adapters/sqlite/scan-lease';
import { AppError } from '../../../src/errors';
import type { ScanLease } from '../../../src/ports';
import { T0, caught, scratch } from './sqlite-fixtures';

const tmp = scratch();
afterEach(() => tmp.cleanup());

const TTL = 60_000;
const ms = (offset: number): Date => new Date(T0.getTime() + offset);

/** Two processes' worth of leases: separate connections to one temp file database. */
const twoConnections = (): { a: ScanLease; b: ScanLease; path: string } => {
  const path = join(tmp.dir(), 'state.db');
  const a = createScanLease(tmp.track(openDatabase(path)));
  const b = createScanLease(tmp.track(openDatabase(path)));
  return { a, b, path };
};

describe('createScanLease', () => {
  describe('across two connections to one file', () => {
    it('lets only one holder acquire, and both connections see it', () => {
      const { a, b } = twoConnections();
      expect(a.acquire('scan-a', T0, TTL)).toBe(true);
      expect(b.acquire('scan-b', ms(1), TTL)).toBe(false);
      expect(a.current(ms(2))).toEqual({ holder: 'scan-a', expiresAt: ms(TTL) });
      expect(b.current(ms(2))).toEqual({ holder: 'scan-a', expiresAt: ms(TTL) });
    });

    it('ignores a release by a non-holder', () => {
      const { a, b } = twoConnections();
      a.acquire('scan-a', T0, TTL);
      b.release('scan-b');
      expect(b.current(ms(1))?.holder).toBe('scan-a');
      expect(b.acquire('scan-b', ms(1), TTL)).toBe(false);
    });

    it('frees the lease when its holder releases it', () => {
      const { a, b } = twoConnections();
      a.acquire('scan-a', T0, TTL);
      a.release('scan-a');
      expect(b.current(ms(1))).toBeNull();
      expect(b.acquire('scan-b', ms(1), TTL)).toBe(true);
    });

    it('lets another holder take over an expired lease; the old holder can then neither renew nor release it', () => {
      const { a, b } = twoConnections();
      a.acquire('scan-a', T0, TTL);
      expect(b.acquire('scan-b', ms(TTL - 1), TTL)).toBe(false);
      expect(b.acquire('scan-b', ms(TTL + 1), TTL)).toBe(true);
      expect(a.current(ms(TTL + 2))).toEqual({ holder: 'scan-b', expiresAt: ms(2 * TTL + 1) });

      expect(a.renew('scan-a', ms(TTL + 3), TTL)).toBe(false);
      a.release('scan-a');
      expect(b.current(ms(TTL + 4))?.holder).toBe('scan-b');
      expect(a.acquire('scan-a', ms(TTL + 5), TTL)).toBe(false);
    });

    it('lets exactly one of several racing processes win', async () => {
      const path = join(tmp.dir(), 'race.db');
      openDatabase(path).close();
      const racers = Array.from({ length: 5 }, (_, i) =>
        spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'lease-racer.ts'), path, `racer-${i}`, T0.toISOString()], {
          cwd: resolve(__dirname, '../../..'),
          stdio: ['pipe', 'pipe', 'inherit'],
        }),
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
        expect(createScanLease(tmp.track(openDatabase(path))).current(T0)?.holder).toBe(winner);
      } finally {
        // A racer that failed leaves the others waiting for "go"; do not leave them behind.
        for (const child of racers) if (child.exitCode === null) child.kill();
      }
    }, 60_000);
  });

  describe('semantics', () => {
    const lease = (): ScanLease => createScanLease(tmp.track(openDatabase(':memory:')));

    it('is free on a new database', () => {
      expect(lease().current(T0)).toBeNull();
    });

    it('extends when the same holder acquires again, keeping when it was first acquired', () => {
      const db = tmp.track(openDatabase(':memory:'));
      const l = createScanLease(db);
      expect(l.acquire('scan-a', T0, TTL)).toBe(true);
      expect(l.acquire('scan-a', ms(10_000), TTL)).toBe(true);
      expect(l.current(ms(10_001))).toEqual({ holder: 'scan-a', expiresAt: ms(10_000 + TTL) });
      expect(db.prepare('SELECT acquired_at FROM leases').pluck().get()).toBe(T0.toISOString());
    });

    it.each([
      ['just before expiry', TTL - 1, 'scan-a'],
      ['at the expiry instant', TTL, null],
      ['after expiry', TTL + 1, null],
    ])('current() %s', (_label, offset, holder) => {
      const l = lease();
      l.acquire('scan-a', T0, TTL);
      expect(l.current(ms(offset))?.holder ?? null).toBe(holder);
    });

    it.each([
      ['the unexpired holder', 'scan-a', 1_000, true, 1_000 + TTL],
      ['the holder of an expired lease nobody took over', 'scan-a', TTL + 5_000, true, 2 * TTL + 5_000],
      ['another holder', 'scan-b', 1_000, false, TTL],
      ['another holder, even after expiry', 'scan-b', TTL + 5_000, false, null],
    ])('renew() by %s', (_label, holder, offset, renewed, expiresAtOffset) => {
      const l = lease();
      l.acquire('scan-a', T0, TTL);
      expect(l.renew(holder, ms(offset), TTL)).toBe(renewed);
      expect(l.current(ms(offset))).toEqual(
        expiresAtOffset === null ? null : { holder: 'scan-a', expiresAt: ms(expiresAtOffset) },
      );
    });

    it('does not renew a lease that does not exist', () => {
      expect(lease().renew('scan-a', T0, TTL)).toBe(false);
    });

    it('keeps leases of different names apart', () => {
      const db = tmp.track(openDatabase(':memory:'));
      const scan = createScanLease(db);
      const other = createScanLease(db, 'notify');
      expect(scan.acquire('scan-a', T0, TTL)).toBe(true);
      expect(other.acquire('notify-b', T0, TTL)).toBe(true);
      other.release('notify-b');
      expect(scan.current(ms(1))?.holder).toBe('scan-a');
      expect(other.current(ms(1))).toBeNull();
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a ttl of %p ms', (ttl) => {
      const l = lease();
      expect(caught(() => l.acquire('scan-a', T0, ttl))).toBeInstanceOf(AppError);
      expect(caught(() => l.renew('scan-a', T0, ttl))).toBeInstanceOf(AppError);
      expect(l.current(T0)).toBeNull();
    });
  });
});
