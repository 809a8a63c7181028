/** "Did you mean …?" for a misspelt name: the closest allowed name by edit distance, if close. */

/** The allowed name nearest to `given`: the only one it begins, else one at most a third of it (at least 1 edit) away. */
export function closestMatch(given: string, allowed: readonly string[]): string | undefined {
  // A unique name that the given text begins (`torn` for `torn-write`) is what was meant.
  const extensions = given.length >= 3 ? allowed.filter((name) => name.startsWith(given)) : [];
  if (extensions.length === 1) return extensions[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of allowed) {
    const d = editDistance(given.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return bestDistance <= Math.max(1, Math.floor(given.length / 3)) ? best : undefined;
}

/** ` (did you mean X?)` or the empty string. */
export function didYouMean(given: string, allowed: readonly string[]): string {
  const m = closestMatch(given, allowed);
  return m === undefined || m === given ? '' : ` (did you mean ${m}?)`;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (`partiton` → `partition` is 1). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
