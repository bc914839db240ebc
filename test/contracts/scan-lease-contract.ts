import { AppError } from '../../src/errors';
import type { ScanLease } from '../../src/ports/stores';
import { rejection, T0 } from './fixtures';
import type { StoreFactory } from './store-factory';
import { storesFor } from './store-factory';

const TTL = 60_000;
const ms = (offset: number): Date => new Date(T0.getTime() + offset);

/** The behaviour every ScanLease must have, checked through the port only. */
export function describeScanLeaseContract(adapterName: string, open: StoreFactory): void {
  describe(`ScanLease contract: ${adapterName}`, () => {
    const storesOf = storesFor(open);
    const leaseOf = async (): Promise<ScanLease> => (await storesOf()).lease;

    it('is free on a new database', async () => {
      expect(await (await leaseOf()).current(T0)).toBeNull();
    });

    it('lets only one holder acquire it', async () => {
      const lease = await leaseOf();
      expect(await lease.acquire('scan-a', T0, TTL)).toBe(true);
      expect(await lease.acquire('scan-b', ms(1), TTL)).toBe(false);
      expect(await lease.current(ms(2))).toEqual({ holder: 'scan-a', expiresAt: ms(TTL) });
    });

    it('lets only one of several acquires started together win', async () => {
      const lease = await leaseOf();
      const holders = ['scan-a', 'scan-b', 'scan-c'];
      const won = await Promise.all(holders.map((holder) => lease.acquire(holder, T0, TTL)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect((await lease.current(ms(1)))?.holder).toBe(holders[won.indexOf(true)]);
    });

    it('extends when the same holder acquires again', async () => {
      const lease = await leaseOf();
      expect(await lease.acquire('scan-a', T0, TTL)).toBe(true);
      expect(await lease.acquire('scan-a', ms(10_000), TTL)).toBe(true);
      expect(await lease.current(ms(10_001))).toEqual({ holder: 'scan-a', expiresAt: ms(10_000 + TTL) });
    });

    it('ignores a release by a non-holder', async () => {
      const lease = await leaseOf();
      await lease.acquire('scan-a', T0, TTL);
      await lease.release('scan-b');
      expect((await lease.current(ms(1)))?.holder).toBe('scan-a');
      expect(await lease.acquire('scan-b', ms(1), TTL)).toBe(false);
    });

    it('is free once its holder releases it', async () => {
      const lease = await leaseOf();
      await lease.acquire('scan-a', T0, TTL);
      await lease.release('scan-a');
      expect(await lease.current(ms(1))).toBeNull();
      expect(await lease.acquire('scan-b', ms(1), TTL)).toBe(true);
    });

    it('lets another holder take over an expired lease; the old holder can then neither renew nor release it', async () => {
      const lease = await leaseOf();
      await lease.acquire('scan-a', T0, TTL);
      expect(await lease.acquire('scan-b', ms(TTL - 1), TTL)).toBe(false);
      expect(await lease.acquire('scan-b', ms(TTL + 1), TTL)).toBe(true);
      expect(await lease.current(ms(TTL + 2))).toEqual({ holder: 'scan-b', expiresAt: ms(2 * TTL + 1) });

      expect(await lease.renew('scan-a', ms(TTL + 3), TTL)).toBe(false);
      await lease.release('scan-a');
      expect((await lease.current(ms(TTL + 4)))?.holder).toBe('scan-b');
      expect(await lease.acquire('scan-a', ms(TTL + 5), TTL)).toBe(false);
    });

    it.each([
      ['just before expiry', TTL - 1, 'scan-a'],
      ['at the expiry instant', TTL, null],
      ['after expiry', TTL + 1, null],
    ])('current() %s', async (_label, offset, holder) => {
      const lease = await leaseOf();
      await lease.acquire('scan-a', T0, TTL);
      expect((await lease.current(ms(offset)))?.holder ?? null).toBe(holder);
    });

    it.each([
      ['the unexpired holder', 'scan-a', 1_000, true, 1_000 + TTL],
      ['the holder of an expired lease nobody took over', 'scan-a', TTL + 5_000, true, 2 * TTL + 5_000],
      ['another holder', 'scan-b', 1_000, false, TTL],
      ['another holder, even after expiry', 'scan-b', TTL + 5_000, false, null],
    ])('renew() by %s', async (_label, holder, offset, renewed, expiresAtOffset) => {
      const lease = await leaseOf();
      await lease.acquire('scan-a', T0, TTL);
      expect(await lease.renew(holder, ms(offset), TTL)).toBe(renewed);
      expect(await lease.current(ms(offset))).toEqual(
        expiresAtOffset === null ? null : { holder: 'scan-a', expiresAt: ms(expiresAtOffset) },
      );
    });

    it('does not renew a lease that does not exist', async () => {
      expect(await (await leaseOf()).renew('scan-a', T0, TTL)).toBe(false);
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a ttl of %p ms', async (ttl) => {
      const lease = await leaseOf();
      expect(await rejection(lease.acquire('scan-a', T0, ttl))).toBeInstanceOf(AppError);
      expect(await rejection(lease.renew('scan-a', T0, ttl))).toBeInstanceOf(AppError);
      expect(await lease.current(T0)).toBeNull();
    });
  });
}
