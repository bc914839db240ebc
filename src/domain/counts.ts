import type { StatusCounts, UserResult, UserStatus } from './types';

export const emptyCounts = (): Record<UserStatus, number> => ({
  non_compliant: 0,
  grace: 0,
  exempt: 0,
  error: 0,
  compliant: 0,
  no_console: 0,
});

export const countStatuses = (results: readonly Pick<UserResult, 'status'>[]): StatusCounts => {
  const counts = emptyCounts();
  for (const result of results) counts[result.status] += 1;
  return counts;
};
