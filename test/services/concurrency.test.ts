import { mapWithConcurrency } from '../../src/services/concurrency';

describe('mapWithConcurrency', () => {
  it.each([1, 3, 8, 50])('never runs more than %i at once and keeps the order', async (limit) => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);
    const results = await mapWithConcurrency(items, limit, async (item) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return item * 2;
    });
    expect(results).toEqual(items.map((i) => i * 2));
    expect(peak).toBe(Math.min(limit, items.length));
  });

  it('handles no items', async () => {
    expect(await mapWithConcurrency([], 8, async () => 1)).toEqual([]);
  });
});
