import { silentLogger } from '../../src/adapters/stderr-logger';
import type { CredentialReportState } from '../../src/domain/iam-records';
import { AppError } from '../../src/errors';
import type { IamGateway } from '../../src/ports/iam';
import { fetchCredentialReport } from '../../src/services/fetch-credential-report';
import { createFakeClock } from '../support/fake-clock';

const START = new Date('2026-11-28T14:00:00Z');
const CSV = [
  'user,arn,user_creation_time,password_enabled,password_last_used,mfa_active',
  '<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,no_information,false',
  'bob,arn:aws:iam::111122223333:user/bob,2024-01-01T00:00:00+00:00,true,N/A,false',
].join('\n');

type Step = CredentialReportState | AppError;

/** An IAM gateway that answers generate/get from scripts, one entry per call. */
const scripted = (generate: Step[], get: (string | AppError)[]): IamGateway & { calls: string[] } => {
  const calls: string[] = [];
  const unused = (): never => {
    throw new Error('not used by this test');
  };
  return {
    calls,
    generateCredentialReport: async () => {
      calls.push('generate');
      const step = generate.shift() ?? 'COMPLETE';
      if (step instanceof AppError) throw step;
      return step;
    },
    getCredentialReport: async () => {
      calls.push('get');
      const step = get.shift() ?? CSV;
      if (step instanceof AppError) throw step;
      return { content: step, generatedAt: START };
    },
    getCallerIdentity: unused,
    listAccountAliases: unused,
    listUsers: unused,
    getUser: unused,
    getLoginProfile: unused,
    listMfaDevices: unused,
    listUserTags: unused,
    getAccountSummary: unused,
    deleteLoginProfile: unused,
  };
};

const err = (code: ConstructorParameters<typeof AppError>[0]) => new AppError(code, `IAM said ${code}`);

describe('fetchCredentialReport', () => {
  it('polls with growing delays until COMPLETE, then reads and parses the report', async () => {
    const clock = createFakeClock(START);
    const iam = scripted(['STARTED', 'INPROGRESS', 'INPROGRESS', 'COMPLETE'], []);
    const outcome = await fetchCredentialReport(iam, clock, silentLogger, { timeoutMs: 120_000 });
    expect(outcome.kind).toBe('report');
    expect(outcome.kind === 'report' && outcome.report.users.map((u) => u.userName)).toEqual(['bob']);
    expect(clock.slept).toEqual([1000, 2000, 4000]);
    expect(iam.calls).toEqual(['generate', 'generate', 'generate', 'generate', 'get']);
  });

  it.each([
    [
      'LimitExceeded from generate (no more capacity)',
      [err('iam_limit_exceeded'), 'COMPLETE'] as Step[],
      [] as (string | AppError)[],
    ],
    ['throttling after the SDK gave up', [err('iam_throttled'), 'COMPLETE'] as Step[], []],
    ['NotReady from get', ['COMPLETE', 'COMPLETE'] as Step[], [err('iam_report_not_ready')]],
    ['NotPresent from get: generate again', ['COMPLETE', 'COMPLETE'] as Step[], [err('iam_report_not_present')]],
    ['Expired from get: generate again', ['COMPLETE', 'COMPLETE'] as Step[], [err('iam_report_expired')]],
  ])('waits and retries on %s', async (_name, generate, get) => {
    const clock = createFakeClock(START);
    const outcome = await fetchCredentialReport(scripted(generate, get), clock, silentLogger, { timeoutMs: 120_000 });
    expect(outcome.kind).toBe('report');
    expect(clock.slept).toEqual([1000]);
  });

  it('falls back at once when the report is denied', async () => {
    const clock = createFakeClock(START);
    const outcome = await fetchCredentialReport(scripted([err('iam_access_denied')], []), clock, silentLogger, {
      timeoutMs: 120_000,
    });
    expect(outcome).toEqual({ kind: 'unavailable', reason: expect.stringContaining('IAM said iam_access_denied') });
    expect(clock.slept).toEqual([]);
  });

  it('falls back when GetCredentialReport is denied', async () => {
    const outcome = await fetchCredentialReport(
      scripted(['COMPLETE'], [err('iam_access_denied')]),
      createFakeClock(START),
      silentLogger,
      {
        timeoutMs: 120_000,
      },
    );
    expect(outcome.kind).toBe('unavailable');
  });

  it('falls back when the report cannot be parsed', async () => {
    const outcome = await fetchCredentialReport(
      scripted(['COMPLETE'], ['not,a,report\n1,2,3']),
      createFakeClock(START),
      silentLogger,
      {
        timeoutMs: 120_000,
      },
    );
    expect(outcome).toEqual({ kind: 'unavailable', reason: expect.stringContaining('could not be parsed') });
  });

  it('gives up at the deadline, with capped backoff, and says why', async () => {
    const clock = createFakeClock(START);
    const forever: Step[] = Array.from({ length: 100 }, () => 'INPROGRESS');
    const outcome = await fetchCredentialReport(scripted(forever, []), clock, silentLogger, { timeoutMs: 120_000 });
    expect(outcome).toEqual({
      kind: 'unavailable',
      reason: expect.stringMatching(/no credential report within 120 s \(last: the report was still in progress\)/),
    });
    expect(clock.now().getTime() - START.getTime()).toBeLessThanOrEqual(120_000);
    expect(Math.max(...clock.slept)).toBe(15_000);
  });

  it('keeps retrying unexpected failures until the deadline', async () => {
    const clock = createFakeClock(START);
    const outcome = await fetchCredentialReport(
      scripted([err('iam_service_failure'), err('iam_unexpected'), 'COMPLETE'], []),
      clock,
      silentLogger,
      {
        timeoutMs: 120_000,
      },
    );
    expect(outcome.kind).toBe('report');
  });
});
