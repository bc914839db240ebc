import { InMemoryIam } from '../../src/adapters/memory/in-memory-iam';
import { IAM_CALL_DEADLINE_MS, withDeadlines } from '../../src/services/iam-deadline';
import { createFakeClock } from '../support/fake-clock';

const START = new Date('2026-11-23T14:00:00Z');

/** IAM whose calls for `held` user names wait until released. */
const slowIam = (clock: ReturnType<typeof createFakeClock>) => {
  const waiting: (() => void)[] = [];
  const iam = new InMemoryIam({
    account: {
      accountId: '111122223333',
      partition: 'aws',
      rootMfaActive: true,
      users: [{ userName: 'alice', userId: 'AIDAALICE', createDate: START, loginProfile: true, mfaDevices: [] }],
    },
    clock: () => clock.now(),
    beforeCall: (operation) =>
      operation === 'getCallerIdentity' ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)),
  });
  return { iam, release: () => waiting.splice(0).forEach((go) => go()), waiting };
};

/** Lets every already-queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('withDeadlines', () => {
  it.each([
    ['getUser', 'iam:GetUser'],
    ['getLoginProfile', 'iam:GetLoginProfile'],
    ['listMfaDevices', 'iam:ListMFADevices'],
    ['listUserTags', 'iam:ListUserTags'],
    ['deleteLoginProfile', 'iam:DeleteLoginProfile'],
  ] as const)('gives up %s after 30 s of the clock with an iam_timeout error', async (method, action) => {
    const clock = createFakeClock(START);
    const { iam } = slowIam(clock);
    const timed = withDeadlines(iam, clock);
    let answer: unknown = 'pending';
    const call = timed[method]('alice').then(
      () => 'answered',
      (error: unknown) => error,
    );
    void call.then((value) => (answer = value));

    clock.advance(IAM_CALL_DEADLINE_MS - 1);
    await settle();
    expect(answer).toBe('pending');
    clock.advance(1);
    expect(await call).toMatchObject({
      code: 'iam_timeout',
      message: `mfa-guard stopped waiting for ${action} for user alice: no answer within 30 seconds.`,
    });
  });

  it('answers a call that comes in time, and leaves no timer behind', async () => {
    const clock = createFakeClock(START);
    const { iam, release } = slowIam(clock);
    const timed = withDeadlines(iam, clock);
    const call = timed.getUser('alice');
    await settle();
    clock.advance(IAM_CALL_DEADLINE_MS - 1);
    release();
    expect((await call)?.userId).toBe('AIDAALICE');
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives each call its own deadline', async () => {
    const clock = createFakeClock(START);
    const { iam, release } = slowIam(clock);
    const timed = withDeadlines(iam, clock);
    const first = timed.getUser('alice');
    await settle();
    clock.advance(20_000);
    release();
    await first;
    const second = timed.listUserTags('alice').catch((error: unknown) => error);
    await settle();
    clock.advance(20_000);
    release();
    expect(await second).toEqual({});
  });

  it('leaves the calls a removal does not make as they are', async () => {
    const clock = createFakeClock(START);
    const { iam } = slowIam(clock);
    await expect(withDeadlines(iam, clock).getCallerIdentity()).resolves.toMatchObject({ accountId: '111122223333' });
    expect(clock.pendingTimers).toBe(0);
  });
});
