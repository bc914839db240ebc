import { type CooldownState, EMPTY_COOLDOWN, REPLY_COOLDOWN_MS, takeReply } from '../../src/domain/reply-cooldown';

const T0 = new Date('2026-11-23T14:00:00Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

/** Takes one reply for each (person, ms after T0) in order; the decisions. */
const run = (steps: readonly (readonly [string, number])[]): string[] => {
  let state: CooldownState = EMPTY_COOLDOWN;
  return steps.map(([who, ms]) => {
    const decision = takeReply(state, who, at(ms));
    state = decision.state;
    return decision.kind;
  });
};

describe('takeReply: one answer per person per 5 seconds', () => {
  it.each<[string, readonly (readonly [string, number])[], string[]]>([
    ['the first message is answered', [['U1', 0]], ['answer']],
    [
      'ten in a second: one answer',
      Array.from({ length: 10 }, (_, i) => ['U1', i * 100] as const),
      ['answer', ...Array<string>(9).fill('drop')],
    ],
    [
      'the window counts from the answer, not from the dropped messages',
      [
        ['U1', 0],
        ['U1', 4000],
        ['U1', 4999],
        ['U1', 5000],
      ],
      ['answer', 'drop', 'drop', 'answer'],
    ],
    [
      'people are apart',
      [
        ['U1', 0],
        ['U2', 1],
        ['U1', 2],
        ['U2', 3],
      ],
      ['answer', 'answer', 'drop', 'drop'],
    ],
    [
      'a clock set back holds nobody back',
      [
        ['U1', 60_000],
        ['U1', 0],
      ],
      ['answer', 'answer'],
    ],
  ])('%s', (_label, steps, decisions) => {
    expect(run(steps)).toEqual(decisions);
  });

  it('forgets people whose window has closed, so the state stays small', () => {
    let state: CooldownState = EMPTY_COOLDOWN;
    for (let i = 0; i < 100; i += 1) state = takeReply(state, `U${i}`, at(i * 1000)).state;
    expect(state.size).toBe(REPLY_COOLDOWN_MS / 1000);
  });
});
