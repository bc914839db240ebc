import { EMPTY_RATE_STATE, type LiveCheckLimits, type RateState, takeLiveCheck } from '../../src/domain/rate-limit';

const NOW = new Date('2026-11-23T14:00:00Z');
const at = (seconds: number): Date => new Date(NOW.getTime() + seconds * 1000);
const LIMITS: LiveCheckLimits = { perUserPerMinute: 3, perMinute: 5 };

type Attempt = readonly [seconds: number, slackId: string, approver: boolean];

/** Runs the attempts in order; what each was answered ('ok', or the retry time in seconds from NOW). */
const run = (attempts: readonly Attempt[], limits = LIMITS): (string | number)[] => {
  let state: RateState = EMPTY_RATE_STATE;
  return attempts.map(([seconds, slackId, approver]) => {
    const decision = takeLiveCheck(state, { slackId, approver }, limits, at(seconds));
    state = decision.state;
    return decision.kind === 'allowed' ? 'ok' : (decision.retryAt.getTime() - NOW.getTime()) / 1000;
  });
};

describe('takeLiveCheck', () => {
  it.each<[string, readonly Attempt[], (string | number)[]]>([
    [
      'a person gets 3 a minute; the 4th may retry when the first leaves the window',
      [
        [0, 'U1', false],
        [10, 'U1', false],
        [20, 'U1', false],
        [30, 'U1', false],
      ],
      ['ok', 'ok', 'ok', 60],
    ],
    [
      'the window slides: at 60 s the first check has left it',
      [
        [0, 'U1', false],
        [10, 'U1', false],
        [20, 'U1', false],
        [59, 'U1', false],
        [60, 'U1', false],
        [61, 'U1', false],
      ],
      ['ok', 'ok', 'ok', 60, 'ok', 70],
    ],
    [
      'a refused attempt counts nothing, so trying again in a loop does not push the time back',
      [
        [0, 'U1', false],
        [0, 'U1', false],
        [0, 'U1', false],
        [1, 'U1', false],
        [2, 'U1', false],
        [3, 'U1', false],
      ],
      ['ok', 'ok', 'ok', 60, 60, 60],
    ],
    [
      'people are counted apart, and together against the total of 5',
      [
        [0, 'U1', false],
        [1, 'U1', false],
        [2, 'U2', false],
        [3, 'U2', false],
        [4, 'U3', false],
        [5, 'U3', false],
        [30, 'U4', false],
      ],
      ['ok', 'ok', 'ok', 'ok', 'ok', 60, 60],
    ],
    [
      'an approver is held only to the total',
      [
        [0, 'UAPPROVER', true],
        [1, 'UAPPROVER', true],
        [2, 'UAPPROVER', true],
        [3, 'UAPPROVER', true],
        [4, 'UAPPROVER', true],
        [5, 'UAPPROVER', true],
      ],
      ['ok', 'ok', 'ok', 'ok', 'ok', 60],
    ],
    [
      "an approver's checks use the total, not a person's own window",
      [
        [0, 'UAPPROVER', true],
        [0, 'UAPPROVER', true],
        [0, 'U1', false],
        [0, 'U1', false],
        [0, 'U1', false],
        [0, 'U1', false],
      ],
      ['ok', 'ok', 'ok', 'ok', 'ok', 60],
    ],
    [
      'when both windows are full, the later of the two times',
      [
        [0, 'U1', false],
        [20, 'U2', false],
        [21, 'U2', false],
        [22, 'U2', false],
        [40, 'U1', false],
        [41, 'U1', false],
      ],
      ['ok', 'ok', 'ok', 'ok', 'ok', 60],
    ],
  ])('%s', (_label, attempts, answers) => {
    expect(run(attempts)).toEqual(answers);
  });

  it('forgets checks and people once they leave the window', () => {
    let state: RateState = EMPTY_RATE_STATE;
    for (const slackId of ['U1', 'U2', 'U3'])
      state = takeLiveCheck(state, { slackId, approver: false }, LIMITS, at(0)).state;
    expect(state.byUser.size).toBe(3);
    state = takeLiveCheck(state, { slackId: 'U4', approver: false }, LIMITS, at(60)).state;
    expect([...state.byUser.keys()]).toEqual(['U4']);
    expect(state.total).toEqual([at(60).getTime()]);
  });

  it('a limit of 1 a minute allows exactly one', () => {
    expect(
      run(
        [
          [0, 'U1', false],
          [59.999, 'U1', false],
          [60, 'U1', false],
        ],
        { perUserPerMinute: 1, perMinute: 1 },
      ),
    ).toEqual(['ok', 60, 'ok']);
  });
});
