import { silentLogger } from '../../src/adapters/stderr-logger';
import { AppError } from '../../src/errors';
import type { RemovalStore } from '../../src/ports/stores';
import { IAM_CALL_DEADLINE_MS } from '../../src/services/iam-deadline';
import { CLAIM_HEARTBEAT_MS, CLAIM_STALE_AFTER_MS, createRunningRemovals } from '../../src/services/running-removals';
import { createFakeClock } from '../support/fake-clock';

const START = new Date('2026-11-23T14:00:00Z');
const HOLDER = 'bot:host:1:abc';

/** A store that records every renewal (as seconds after START) and answers `held` to it. */
const renewals = (held: () => boolean | Error = () => true) => {
  const seen: { id: number; holder: string; atSeconds: number }[] = [];
  const removals: Pick<RemovalStore, 'renewClaim'> = {
    renewClaim: (id, holder, now) => {
      seen.push({ id, holder, atSeconds: (now.getTime() - START.getTime()) / 1000 });
      const answer = held();
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return { removals, seen };
};

/** Work that runs until the test settles it. */
const controllable = () => {
  let settle: (outcome: 'ok' | 'fail') => void = () => undefined;
  const work = new Promise<string>((resolve, reject) => {
    settle = (outcome) => (outcome === 'ok' ? resolve('removed') : reject(new Error('IAM said no')));
  });
  return { work: () => work, settle: (outcome: 'ok' | 'fail') => settle(outcome) };
};

const setup = (held?: () => boolean | Error) => {
  const clock = createFakeClock(START);
  const store = renewals(held);
  const logs: string[] = [];
  const logger = { ...silentLogger, warn: (message: string) => logs.push(message) };
  const running = createRunningRemovals({ removals: store.removals, clock, logger, holder: HOLDER });
  return { clock, store, logs, running };
};

describe('createRunningRemovals', () => {
  it('treats a claim as cut off only after several missed heartbeats, and well after any one IAM call’s deadline', () => {
    expect(CLAIM_STALE_AFTER_MS).toBeGreaterThanOrEqual(4 * CLAIM_HEARTBEAT_MS);
    expect(CLAIM_STALE_AFTER_MS).toBeGreaterThanOrEqual(4 * IAM_CALL_DEADLINE_MS);
  });

  it('renews the claim every 30 s of the clock while the removal runs, and counts it as running', async () => {
    const { clock, store, running } = setup();
    const { work, settle } = controllable();
    const done = running.run(7, work);
    expect(running.holder).toBe(HOLDER);
    expect(running.ids()).toEqual([7]);

    clock.advance(CLAIM_HEARTBEAT_MS - 1);
    expect(store.seen).toEqual([]);
    clock.advance(1);
    clock.advance(2 * CLAIM_HEARTBEAT_MS);
    expect(store.seen).toEqual([
      { id: 7, holder: HOLDER, atSeconds: 30 },
      { id: 7, holder: HOLDER, atSeconds: 60 },
      { id: 7, holder: HOLDER, atSeconds: 90 },
    ]);

    settle('ok');
    await expect(done).resolves.toBe('removed');
    expect(running.ids()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10 * CLAIM_HEARTBEAT_MS);
    expect(store.seen).toHaveLength(3);
  });

  it('stops the heartbeat when the removal fails too', async () => {
    const { clock, store, running } = setup();
    const { work, settle } = controllable();
    const done = running.run(7, work);
    clock.advance(CLAIM_HEARTBEAT_MS);
    settle('fail');
    await expect(done).rejects.toThrow('IAM said no');
    expect(running.ids()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10 * CLAIM_HEARTBEAT_MS);
    expect(store.seen).toHaveLength(1);
  });

  it('stops beating once the claim was taken away, and says so', async () => {
    let held = true;
    const { clock, store, logs, running } = setup(() => held);
    const { work, settle } = controllable();
    const done = running.run(7, work);
    clock.advance(CLAIM_HEARTBEAT_MS);
    held = false;
    clock.advance(CLAIM_HEARTBEAT_MS);
    // The answer to the second renewal arrives, then no timer is left.
    await Promise.resolve();
    await Promise.resolve();
    expect(logs).toEqual(['the claim on a running removal was taken away; it will not delete']);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10 * CLAIM_HEARTBEAT_MS);
    expect(store.seen).toHaveLength(2);
    settle('ok');
    await done;
  });

  it('keeps beating through a renewal the database refused, and logs it', async () => {
    let answer: boolean | Error = new AppError('database_error', 'database is locked');
    const { clock, store, logs, running } = setup(() => answer);
    const { work, settle } = controllable();
    const done = running.run(7, work);
    clock.advance(CLAIM_HEARTBEAT_MS);
    await Promise.resolve();
    await Promise.resolve();
    expect(logs).toEqual(['could not renew the claim on a running removal']);
    answer = true;
    clock.advance(CLAIM_HEARTBEAT_MS);
    expect(store.seen.map((s) => s.atSeconds)).toEqual([30, 60]);
    settle('ok');
    await done;
  });

  it('lets the work ask, right before it deletes, whether the claim is still this process’s', async () => {
    let held = true;
    const { clock, store, running } = setup(() => held);
    const answers = await running.run(7, async (claim) => {
      clock.advance(5_000);
      const first = await claim.stillHeld();
      held = false;
      return [first, await claim.stillHeld()];
    });
    expect(answers).toEqual([true, false]);
    expect(store.seen.map((s) => s.atSeconds)).toEqual([5, 5]);
  });
});
