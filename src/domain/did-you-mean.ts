/**
 * Edit distance with adjacent transpositions counting as one edit ("scna" → "scan" is 1), the
 * optimal-string-alignment form of Damerau–Levenshtein: enough for typos in short command words.
 * Works on code points, so a character outside the BMP is one character.
 */
export const editDistance = (a: string, b: string): number => {
  const s = Array.from(a);
  const t = Array.from(b);
  // rows[i][j] = distance between the first i characters of s and the first j of t.
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= s.length; i += 1) {
    const row = rows[i];
    if (row === undefined) continue;
    for (let j = 1; j <= t.length; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(s.length, t.length);
};

/**
 * The candidate `input` is most likely a typo of, ignoring case; null when none is close.
 * Close means at most `maxDistance` edits AND fewer than half the candidate's length, so that a
 * short word is not "close" to everything (`x` is 4 edits from `scan`, `sam` 2 from it; neither
 * is suggested). Ties go to the earlier candidate.
 */
export const closestWord = (input: string, candidates: readonly string[], maxDistance = 2): string | null => {
  const needle = input.toLowerCase();
  let best: { word: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    const close = distance <= maxDistance && distance < Array.from(candidate).length / 2;
    if (close && (best === null || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word ?? null;
};
