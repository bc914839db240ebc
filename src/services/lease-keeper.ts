import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { ScanLease } from '../ports/stores';

export interface LeaseKeeper {
  /** Renews the lease when a third of its time has passed; throws scan_in_progress once it is lost. */
  keepAlive(): Promise<void>;
  /** The error every later keepAlive throws, once another scan took the lease over. */
  lost(): AppError | null;
}

/**
 * One lease for a whole run, kept alive by every account scanned in it. Renewals are serialized:
 * accounts that ask while one is in flight wait for that one, so concurrent accounts never race
 * each other's renewals. Once lost, it stays lost: the run must stop writing.
 */
export const keepLease = (lease: ScanLease, holder: string, clock: Clock, ttlMs: number): LeaseKeeper => {
  let lastRenewal = clock.now().getTime();
  let lostError: AppError | null = null;
  let inFlight: Promise<void> | null = null;

  const renew = async (): Promise<void> => {
    const now = clock.now();
    if (!(await lease.renew(holder, now, ttlMs))) {
      lostError = new AppError(
        'scan_in_progress',
        'Another scan took over the scan lease, so this one stopped: accounts it had not saved yet were not saved, and no DM went out.',
        { hint: 'Raise SCAN_LEASE_TTL_SECONDS if scans take longer than it.' },
      );
      throw lostError;
    }
    lastRenewal = now.getTime();
  };

  return {
    keepAlive: async () => {
      if (lostError !== null) throw lostError;
      if (inFlight !== null) return inFlight;
      if (clock.now().getTime() - lastRenewal < ttlMs / 3) return;
      inFlight = renew().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    lost: () => lostError,
  };
};
