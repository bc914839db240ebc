/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export const mapWithConcurrency = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const jobs = items.map((item, index) => ({ item, index }));
  const results = new Array<R>(items.length);
  let cursor = 0;
  const worker = async (): Promise<void> => {
    for (let job = jobs[cursor++]; job !== undefined; job = jobs[cursor++]) {
      results[job.index] = await fn(job.item, job.index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
};
