/**
 * Owners-file patterns: `*` matches any run of characters (including none), `?` exactly one;
 * every other character is literal (IAM names use `+ = , . @ - _`, none of which is special here).
 *
 * Matching is case-sensitive on purpose. IAM treats user names as case-insensitive for uniqueness,
 * but an owners file that over-matches could route a user's finding to the wrong person or exempt
 * the wrong user; not matching is the safer failure (the user falls through to tags / unowned).
 */

export const isGlob = (pattern: string): boolean => pattern.includes('*') || pattern.includes('?');

/**
 * Iterative wildcard matcher (no regex, so nothing to escape and no catastrophic backtracking):
 * on a mismatch, retry from the most recent `*` with it swallowing one more character.
 */
export function matchesGlob(pattern: string, name: string): boolean {
  const p = Array.from(pattern);
  const s = Array.from(name);
  let pi = 0;
  let si = 0;
  let starAt = -1;
  let starMatchedUpTo = 0;
  while (si < s.length) {
    const pc = p[pi];
    if (pc !== undefined && pc !== '*' && (pc === '?' || pc === s[si])) {
      pi += 1;
      si += 1;
    } else if (pc === '*') {
      starAt = pi;
      starMatchedUpTo = si;
      pi += 1;
    } else if (starAt !== -1) {
      pi = starAt + 1;
      starMatchedUpTo += 1;
      si = starMatchedUpTo;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}
