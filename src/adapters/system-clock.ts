import type { Clock } from '../ports/clock';

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    // What the timer guards (an IAM call, a running removal) keeps the process alive if it must.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
