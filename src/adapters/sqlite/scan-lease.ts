import type Database from 'better-sqlite3';

import { AppError } from '../../errors';
import type { ScanLease } from '../../ports/stores';
import { guarded } from './database-error';
import { isRow, rowReader, toIso } from './row-reader';

interface Held {
  readonly holder: string;
  readonly expiresAt: Date;
}

const assertTtl = (ttlMs: number): void => {
  if (Number.isFinite(ttlMs) && ttlMs > 0) return;
  throw new AppError('database_error', `A scan lease needs a positive duration in milliseconds, not ${ttlMs}.`, {
    hint: 'This is a bug in mfa-guard; please report it.',
  });
};

const expiry = (now: Date, ttlMs: number): string => toIso(new Date(now.getTime() + ttlMs));

/** A lease is expired from its expiry instant on. */
const isLive = (held: Held, now: Date): boolean => held.expiresAt.getTime() > now.getTime();

/**
 * An expiring lease in the `leases` table, shared by every connection to the same file. Each
 * method is one short IMMEDIATE transaction: the write lock is taken before the lease is read, so
 * two processes can never both see it free and both take it.
 */
export function createScanLease(db: Database.Database, name = 'scan'): ScanLease {
  const select = db.prepare('SELECT holder, expires_at FROM leases WHERE name = ?');
  const take = db.prepare(`
    INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (@name, @holder, @acquired_at, @expires_at)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`);
  const extend = db.prepare('UPDATE leases SET expires_at = @expires_at WHERE name = @name AND holder = @holder');
  const remove = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');

  const read = (): Held | null => {
    const row: unknown = select.get(name);
    if (!isRow(row)) return null;
    const columns = rowReader('leases', row);
    return { holder: columns.text('holder'), expiresAt: columns.date('expires_at') };
  };

  const acquire = db.transaction((holder: string, now: Date, ttlMs: number): boolean => {
    const held = read();
    if (held !== null && isLive(held, now) && held.holder !== holder) return false;
    if (held !== null && held.holder === holder) {
      // Extending keeps acquired_at: it records when this holder's tenure began.
      extend.run({ name, holder, expires_at: expiry(now, ttlMs) });
    } else {
      take.run({ name, holder, acquired_at: toIso(now), expires_at: expiry(now, ttlMs) });
    }
    return true;
  });

  // Renewing an expired lease nobody took over is fine: no one else has acted on it.
  const renew = db.transaction(
    (holder: string, now: Date, ttlMs: number): boolean =>
      extend.run({ name, holder, expires_at: expiry(now, ttlMs) }).changes === 1,
  );

  return {
    acquire: (holder, now, ttlMs) =>
      guarded(`take the "${name}" lease`, () => {
        assertTtl(ttlMs);
        return acquire.immediate(holder, now, ttlMs);
      }),
    renew: (holder, now, ttlMs) =>
      guarded(`renew the "${name}" lease`, () => {
        assertTtl(ttlMs);
        return renew.immediate(holder, now, ttlMs);
      }),
    release: (holder) =>
      guarded(`release the "${name}" lease`, () => {
        remove.run(name, holder);
      }),
    current: (now) =>
      guarded(`read the "${name}" lease`, () => {
        const held = read();
        return held !== null && isLive(held, now) ? { holder: held.holder, expiresAt: held.expiresAt } : null;
      }),
  };
}
