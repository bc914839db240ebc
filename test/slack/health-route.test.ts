import type { RunRecord, ScanSummaryRecord } from '../../src/domain/scan';
import { lastScanHealth } from '../../src/slack/health-route';

const T = new Date('2026-11-28T14:00:00Z');
const LATER = new Date('2026-11-28T14:05:00Z');

const run = (extra: Partial<RunRecord> = {}): RunRecord => ({
  id: 3,
  startedAt: T,
  finishedAt: LATER,
  outcome: 'completed',
  holder: 'bot:host:1',
  accountsTotal: 3,
  accountsFailed: 1,
  error: null,
  ...extra,
});

const scan = (outcome: 'completed' | 'failed'): ScanSummaryRecord => ({
  id: 9,
  accountId: '111122223333',
  startedAt: T,
  finishedAt: LATER,
  outcome,
  strategy: null,
  counts: null,
  error: outcome === 'failed' ? 'AccessDenied for 111122223333' : null,
});

describe('lastScanHealth', () => {
  it.each([
    ['a run with a failed account', run(), null, { outcome: 'completed', accountsScanned: 2, accountsFailed: 1 }],
    [
      'a failed run',
      run({ outcome: 'failed', accountsFailed: 3, error: 'denied in 111122223333' }),
      scan('completed'),
      { outcome: 'failed', accountsScanned: 0, accountsFailed: 3 },
    ],
    [
      'only a scan from before runs',
      null,
      scan('completed'),
      { outcome: 'completed', accountsScanned: 1, accountsFailed: 0 },
    ],
    [
      'only a failed scan from before runs',
      null,
      scan('failed'),
      { outcome: 'failed', accountsScanned: 0, accountsFailed: 1 },
    ],
  ] as const)('describes %s, and names no account and no error', (_label, r, s, expected) => {
    const health = lastScanHealth(r, s);
    expect(health).toEqual({ finishedAt: LATER.toISOString(), startedAt: T.toISOString(), ...expected });
    expect(JSON.stringify(health)).not.toContain('111122223333');
  });

  it('is null before any scan', () => {
    expect(lastScanHealth(null, null)).toBeNull();
  });
});
