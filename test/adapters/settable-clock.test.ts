import { createSettableClock } from '../../src/adapters/settable-clock';

const HOUR = 3_600_000;

describe('createSettableClock', () => {
  let real = Date.parse('2026-11-30T12:00:00Z');
  const clock = () => createSettableClock(() => real);

  test('is real time until moved forward, then real time plus everything it was moved', () => {
    const c = clock();
    expect(c.now().toISOString()).toBe('2026-11-30T12:00:00.000Z');
    c.advance(24 * HOUR);
    real += 1000;
    expect(c.now().toISOString()).toBe('2026-12-01T12:00:01.000Z');
  });

  test('fires the timers it passes, in time order, and not the others; a cancelled one never', () => {
    const c = clock();
    const fired: string[] = [];
    c.after(2 * HOUR, () => fired.push('two hours'));
    c.after(HOUR, () => fired.push('one hour'));
    const cancel = c.after(HOUR / 2, () => fired.push('cancelled'));
    c.after(48 * HOUR, () => fired.push('two days'));
    cancel();
    c.advance(3 * HOUR);
    expect(fired).toEqual(['one hour', 'two hours']);
    c.advance(3 * HOUR);
    expect(fired).toEqual(['one hour', 'two hours']);
  });

  test.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses to move by %p', (ms) => {
    const c = clock();
    const before = c.now().getTime();
    expect(() => c.advance(ms)).toThrow(RangeError);
    expect(c.now().getTime()).toBe(before);
  });
});
