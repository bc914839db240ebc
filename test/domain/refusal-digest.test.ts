import type { AuditEntry } from '../../src/domain/audit';
import {
  admitRefusal,
  closeAllWindows,
  closeDueWindows,
  EMPTY_REFUSAL_DIGEST,
  type RefusalDigest,
} from '../../src/domain/refusal-digest';

const NOW = new Date('2026-11-23T14:00:00Z');
const at = (seconds: number): Date => new Date(NOW.getTime() + seconds * 1000);

const refusal = (seconds: number, fields: Partial<AuditEntry> = {}): AuditEntry => ({
  at: at(seconds),
  actor: 'U0STRANGER1',
  action: 'status_user',
  accountId: '111122223333',
  userName: 'bob',
  outcome: 'refused',
  detail: 'not the owner or an approver',
  requestId: null,
  ...fields,
});

type Event =
  | { readonly kind: 'refusal'; readonly entry: AuditEntry }
  | { readonly kind: 'tick'; readonly seconds: number }
  | { readonly kind: 'shutdown' };

const r = (seconds: number, fields: Partial<AuditEntry> = {}): Event => ({
  kind: 'refusal',
  entry: refusal(seconds, fields),
});
const tick = (seconds: number): Event => ({ kind: 'tick', seconds });

/** What is written, in order, as each event happens: [actor, action, userName, detail] each. */
const written = (events: readonly Event[]): (string | null)[][] => {
  let digest: RefusalDigest = EMPTY_REFUSAL_DIGEST;
  const out: AuditEntry[] = [];
  for (const event of events) {
    const step =
      event.kind === 'refusal'
        ? admitRefusal(digest, event.entry)
        : event.kind === 'tick'
          ? closeDueWindows(digest, at(event.seconds))
          : closeAllWindows(digest);
    digest = step.digest;
    out.push(...step.write);
  }
  return out.map((e) => [e.at.toISOString().slice(11, 19), e.actor, e.action, e.userName, e.detail]);
};

describe('refusal digest', () => {
  it.each<[string, readonly Event[], (string | null)[][]]>([
    [
      'a single refusal is written at once',
      [r(0), tick(120)],
      [['14:00:00', 'U0STRANGER1', 'status_user', 'bob', 'not the owner or an approver']],
    ],
    [
      'further refusals in the minute become one refused ×N entry when it closes',
      [r(0), r(10), r(20), r(30), tick(59), tick(60)],
      [
        ['14:00:00', 'U0STRANGER1', 'status_user', 'bob', 'not the owner or an approver'],
        [
          '14:00:30',
          'U0STRANGER1',
          'status_user',
          'bob',
          'refused ×3 more within a minute of the refusal at 2026-11-23T14:00:00.000Z: not the owner or an approver',
        ],
      ],
    ],
    [
      'at shutdown, whichever comes first',
      [r(0), r(5), { kind: 'shutdown' }],
      [
        ['14:00:00', 'U0STRANGER1', 'status_user', 'bob', 'not the owner or an approver'],
        [
          '14:00:05',
          'U0STRANGER1',
          'status_user',
          'bob',
          'refused ×1 more within a minute of the refusal at 2026-11-23T14:00:00.000Z: not the owner or an approver',
        ],
      ],
    ],
    [
      'a refusal after the minute opens a new one; the closed one is written first',
      [r(0), r(30), r(61)],
      [
        ['14:00:00', 'U0STRANGER1', 'status_user', 'bob', 'not the owner or an approver'],
        [
          '14:00:30',
          'U0STRANGER1',
          'status_user',
          'bob',
          'refused ×1 more within a minute of the refusal at 2026-11-23T14:00:00.000Z: not the owner or an approver',
        ],
        ['14:01:01', 'U0STRANGER1', 'status_user', 'bob', 'not the owner or an approver'],
      ],
    ],
    [
      'different users asked about are named; the entry names no single user',
      [
        r(0),
        r(1, { userName: 'alice' }),
        r(2, { userName: 'nosuchuser', detail: 'no record names its owner' }),
        tick(60),
      ],
      [
        ['14:00:00', 'U0STRANGER1', 'status_user', 'bob', 'not the owner or an approver'],
        [
          '14:00:02',
          'U0STRANGER1',
          'status_user',
          null,
          'refused ×2 more within a minute of the refusal at 2026-11-23T14:00:00.000Z: not the owner or an approver; no record names its owner; IAM users: alice, nosuchuser',
        ],
      ],
    ],
    [
      'each person and action has its own minute',
      [r(0), r(1, { actor: 'U0OTHER0001' }), r(2, { action: 'recheck' }), r(3), tick(60)],
      [
        ['14:00:00', 'U0STRANGER1', 'status_user', 'bob', 'not the owner or an approver'],
        ['14:00:01', 'U0OTHER0001', 'status_user', 'bob', 'not the owner or an approver'],
        ['14:00:02', 'U0STRANGER1', 'recheck', 'bob', 'not the owner or an approver'],
        [
          '14:00:03',
          'U0STRANGER1',
          'status_user',
          'bob',
          'refused ×1 more within a minute of the refusal at 2026-11-23T14:00:00.000Z: not the owner or an approver',
        ],
      ],
    ],
    [
      'a closed minute with nothing held writes nothing',
      [r(0), tick(60), { kind: 'shutdown' }],
      [['14:00:00', 'U0STRANGER1', 'status_user', 'bob', 'not the owner or an approver']],
    ],
  ])('%s', (_label, events, expected) => {
    expect(written(events)).toEqual(expected);
  });

  it('stays small under a flood: 10,000 refusals in a minute are 2 entries naming at most 10 users', () => {
    const events: Event[] = [];
    for (let i = 0; i < 10_000; i += 1) events.push(r(i / 1000, { userName: `user-${i}` }));
    events.push(tick(60));
    const entries = written(events);
    expect(entries).toHaveLength(2);
    const detail = entries[1]?.[4] ?? '';
    expect(detail).toMatch(/^refused ×9999 more/);
    expect(detail).toContain('user-1, user-2');
    expect(detail).toContain('and 9989 more');
    expect(detail.length).toBeLessThan(1000);
  });

  it('keeps the account and request when every held refusal shares them, else leaves them out', () => {
    let digest: RefusalDigest = EMPTY_REFUSAL_DIGEST;
    for (const entry of [
      refusal(0, { requestId: 7 }),
      refusal(1, { requestId: 7 }),
      refusal(2, { requestId: 7, accountId: '222222222222' }),
    ]) {
      digest = admitRefusal(digest, entry).digest;
    }
    const [entry] = closeAllWindows(digest).write;
    expect(entry).toMatchObject({ requestId: 7, accountId: null, outcome: 'refused' });
  });
});
