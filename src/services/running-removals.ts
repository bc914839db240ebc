import { describeError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logging';
import type { RemovalStore } from '../ports/stores';

/** How often a running removal tells the database it is still at work. */
export const CLAIM_HEARTBEAT_MS = 30_000;

/**
 * A claim whose heartbeat is older than this was cut off (a crash, a kill, a hung process): four
 * missed heartbeats, so a slow database write or a busy event loop is not mistaken for one.
 */
export const CLAIM_STALE_AFTER_MS = 120_000;

/** What the work of a running removal may ask about its claim. */
export interface HeldClaim {
  /**
   * Renews the claim and answers whether this process still holds it (still executing, still its
   * holder): asked right before deleting. Throws when the database cannot say.
   */
  stillHeld(): Promise<boolean>;
}

/**
 * The removals this process is executing right now, each claim kept alive by a heartbeat while it
 * runs. Housekeeping here leaves them alone, and housekeeping elsewhere sees their heartbeat.
 */
export interface RunningRemovals {
  /** The process that holds the claims (AppParts.holder). */
  readonly holder: string;
  /**
   * Runs the removal of request `id` (claimed by `holder`): counted as running, and its claim's
   * heartbeat renewed every CLAIM_HEARTBEAT_MS, until `work` settles, however it settles.
   */
  run<T>(id: number, work: (claim: HeldClaim) => Promise<T>): Promise<T>;
  /** The ids running now. */
  ids(): readonly number[];
}

export interface RunningRemovalsDeps {
  readonly removals: Pick<RemovalStore, 'renewClaim'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly holder: string;
}

/** Renews the claim every CLAIM_HEARTBEAT_MS on the clock until stopped or the claim is lost. */
const startHeartbeat = (deps: RunningRemovalsDeps, id: number): { readonly stop: () => void } => {
  let stopped = false;
  let cancel: () => void = () => undefined;
  const beat = (): void => {
    if (stopped) return;
    cancel = deps.clock.after(CLAIM_HEARTBEAT_MS, beat);
    deps.removals.renewClaim(id, deps.holder, deps.clock.now()).then(
      (held) => {
        if (held || stopped) return;
        stopped = true;
        cancel();
        deps.logger.warn('the claim on a running removal was taken away; it will not delete', { requestId: id });
      },
      (error: unknown) => {
        // The next beat tries again; two minutes of failures and other processes may take the claim.
        deps.logger.warn('could not renew the claim on a running removal', {
          requestId: id,
          error: describeError(error),
        });
      },
    );
  };
  cancel = deps.clock.after(CLAIM_HEARTBEAT_MS, beat);
  return {
    stop: () => {
      stopped = true;
      cancel();
    },
  };
};

export const createRunningRemovals = (deps: RunningRemovalsDeps): RunningRemovals => {
  const running = new Set<number>();
  return {
    holder: deps.holder,
    run: async (id, work) => {
      running.add(id);
      const heartbeat = startHeartbeat(deps, id);
      try {
        return await work({ stillHeld: () => deps.removals.renewClaim(id, deps.holder, deps.clock.now()) });
      } finally {
        heartbeat.stop();
        running.delete(id);
      }
    },
    ids: () => [...running],
  };
};
