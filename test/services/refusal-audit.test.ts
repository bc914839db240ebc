import type { AuditEntry } from '../../src/domain/audit';
import { AppError } from '../../src/errors';
import type { Logger } from '../../src/ports/logging';
import { createRefusalAudit } from '../../src/services/refusal-audit';
import { createFakeClock } from '../support/fake-clock';

const START = new Date('2026-11-23T14:00:00Z');

const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
  at: START,
  actor: 'U0STRANGER1',
  action: 'status_user',
  accountId: '111122223333',
  userName: 'bob',
  outcome: 'refused',
  detail: 'not the owner or an approver',
  requestId: null,
  ...fields,
});

const setup = () => {
  const clock = createFakeClock(START);
  const written: AuditEntry[] = [];
  const errors: string[] = [];
  let failNext = false;
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (message) => errors.push(message),
  };
  const log = {
    record: async (e: AuditEntry): Promise<number> => {
      if (failNext) {
        failNext = false;
        throw new AppError('database_error', 'disk full');
      }
      written.push(e);
      return written.length;
    },
  };
  const audit = createRefusalAudit(log, clock, logger);
  return { clock, written, errors, audit, failNext: () => (failNext = true) };
};

describe('createRefusalAudit', () => {
  it('writes what is not a refusal as it comes, and system refusals too', async () => {
    const { audit, written } = setup();
    await audit.record(entry({ outcome: 'succeeded', action: 'recheck' }));
    await audit.record(entry({ outcome: 'succeeded', action: 'recheck' }));
    await audit.record(entry({ actor: 'mfa-guard', action: 'removal_approve' }));
    await audit.record(entry({ actor: 'mfa-guard', action: 'removal_approve' }));
    expect(written.map((e) => `${e.actor}:${e.outcome}`)).toEqual([
      'U0STRANGER1:succeeded',
      'U0STRANGER1:succeeded',
      'mfa-guard:refused',
      'mfa-guard:refused',
    ]);
  });

  it('holds repeats until the minute closes (flushDue) or shutdown (flushAll)', async () => {
    const { audit, written, clock } = setup();
    await audit.record(entry({}));
    await audit.record(entry({ action: 'recheck' }));
    await audit.record(entry({}));
    await audit.record(entry({ action: 'recheck' }));
    expect(written).toHaveLength(2);
    clock.advance(59_999);
    await audit.flushDue();
    expect(written).toHaveLength(2);
    clock.advance(1);
    await audit.flushDue();
    expect(written.map((e) => e.detail?.slice(0, 10))).toEqual([
      'not the ow',
      'not the ow',
      'refused ×1',
      'refused ×1',
    ]);
    await audit.record(entry({ at: clock.now() }));
    await audit.record(entry({ at: clock.now() }));
    await audit.flushAll();
    expect(written).toHaveLength(6);
    await audit.flushAll();
    expect(written).toHaveLength(6);
  });

  it('a digest that cannot be written is logged, and the entry after it is still written', async () => {
    const { audit, written, clock, errors, failNext } = setup();
    await audit.record(entry({}));
    await audit.record(entry({}));
    clock.advance(60_000);
    failNext();
    await audit.record(entry({ at: clock.now(), outcome: 'succeeded', action: 'recheck' }));
    expect(errors).toEqual(['could not write an audit entry']);
    expect(written.map((e) => e.outcome)).toEqual(['refused', 'succeeded']);
  });

  it('the entry itself, when it cannot be written, fails to its caller', async () => {
    const { audit, failNext } = setup();
    failNext();
    await expect(audit.record(entry({ outcome: 'succeeded' }))).rejects.toMatchObject({ code: 'database_error' });
  });
});
