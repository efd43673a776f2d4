/**
 * natural's `DamerauLevenshteinDistance(a, b)` (unrestricted: a transposed pair may have edits between
 * its letters), bounded: the caller only wants to know whether two words are within `bound` edits, so the
 * work stops as soon as they cannot be. Returns natural's distance when it is at most `bound`, and
 * `bound + 1` otherwise.
 *
 * natural records a row as the "last row" of its letter while the row is still being filled, so a
 * transposition may start in the current row: an extra copy in `b` of the letter `a` just matched costs
 * nothing ("morning" -> "morniing" is 0, the reverse 1). That quirk is kept on purpose, so synonym
 * matches and their confidences stay exactly what they were; it only ever forgives repeated letters.
 *
 * One flat Int32Array is reused across calls (natural builds a matrix of objects per call, which made it
 * the slowest part of synonym matching).
 */
let matrix = new Int32Array(0);
/** Last row (1-based) where each character of `a` was seen: the transposition look-back. */
const lastRow = new Map<number, number>();

export function boundedDamerauLevenshtein(a: string, b: string, bound: number): number {
  const n = a.length;
  const m = b.length;
  // Not even the length difference bounds natural's distance from below ("aaa" -> "aaaa" is 0).
  if (n === 0 || m === 0) return Math.min(Math.max(n, m), bound + 1);
  const width = m + 2;
  const size = (n + 2) * width;
  if (matrix.length < size) matrix = new Int32Array(size * 2);
  const d = matrix;
  const infinity = n + m;
  // Row 0 and column 0 are sentinels (infinity); row 1 and column 1 are the empty-prefix distances.
  d[0] = infinity;
  for (let i = 0; i <= n; i++) {
    d[(i + 1) * width] = infinity;
    d[(i + 1) * width + 1] = i;
  }
  for (let j = 0; j <= m; j++) {
    d[j + 1] = infinity;
    d[width + j + 1] = j;
  }
  lastRow.clear();
  for (let i = 1; i <= n; i++) {
    const ai = a.charCodeAt(i - 1);
    let lastMatchColumn = 0;
    let rowMin = i; // column 0: delete all of a's first i letters
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      // natural's quirk (see above): from the second row and column, b's copy of a[i] looks back to this row.
      const k = i > 1 && j > 1 && bj === ai ? i : (lastRow.get(bj) ?? 0);
      const l = lastMatchColumn;
      const cost = ai === bj ? 0 : 1;
      if (cost === 0) lastMatchColumn = j;
      const substitution = d[i * width + j] + cost;
      const insertion = d[(i + 1) * width + j] + 1;
      const deletion = d[i * width + j + 1] + 1;
      const transposition = d[k * width + l] + (i - k - 1) + 1 + (j - l - 1);
      let best = substitution < insertion ? substitution : insertion;
      if (deletion < best) best = deletion;
      if (transposition < best) best = transposition;
      d[(i + 1) * width + j + 1] = best;
      if (best < rowMin) rowMin = best;
    }
    // No row's minimum exceeds the final distance (every cell is at least its predecessor, and a
    // transposition that skips rows pays one per row skipped), so once a whole row is past the bound the
    // answer is too.
    if (rowMin > bound) return bound + 1;
    lastRow.set(ai, i);
  }
  const distance = d[(n + 1) * width + m + 1];
  return distance > bound ? bound + 1 : distance;
}

/**
 * The letters of a word as a 32-bit set (each UTF-16 unit folded onto one of 32 bits). Every edit changes
 * the set of letters by at most two (a substitution swaps one out and one in; an insertion or deletion
 * adds or removes one; a transposition and natural's free repeated letter add none), so two words more
 * than `2 × bound` letters apart in this set cannot be within `bound` edits. Folding only makes sets
 * closer, never farther: the test rejects without ever losing a match, and skips most of the distances.
 */
export function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

/** Whether the words of these letter masks may be within `bound` edits (see `letterMask`). */
export function mayBeWithin(maskA: number, maskB: number, bound: number): boolean {
  let apart = maskA ^ maskB;
  // Counting bits only as far as the bound needs.
  for (let budget = 2 * bound; apart !== 0; budget--) {
    if (budget === 0) return false;
    apart &= apart - 1;
  }
  return true;
}
