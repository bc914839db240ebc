const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const plural = (count: number, singular: string, pluralForm = `${singular}s`): string =>
  `${count} ${count === 1 ? singular : pluralForm}`;

/** "3 days", "5 hours", "12 minutes": how long between two instants, rounded down, in words. */
export const durationWords = (ms: number): string => {
  if (ms >= DAY) return plural(Math.floor(ms / DAY), 'day');
  if (ms >= HOUR) return plural(Math.floor(ms / HOUR), 'hour');
  if (ms >= MINUTE) return plural(Math.floor(ms / MINUTE), 'minute');
  return 'less than a minute';
};

/** "2.5 s", "3 min 20 s": how long a scan took. */
export const elapsedWords = (ms: number): string => {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
};

export const isoMinute = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "2026-11-23 14:01:05 UTC": for when to try again, where a minute is too coarse. */
export const isoSecond = (date: Date): string => `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
