/**
 * "Did you mean …?" for names people type: plan fields, CLI options, context keys, query
 * parameters. One edit distance for the whole project, so every suggestion follows one rule.
 * Imports nothing (floor 0, docs/architecture.md): any room, lib/ and local/ may use it.
 */

/** Levenshtein distance: the fewest one-letter insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

export interface ClosestOptions {
  /** Compare without case: `natgateways` is one slip from `natGateways` in people's eyes, not two. */
  ignoreCase?: boolean;
}

/**
 * The known name closest to `given` when it is near enough to be a slip rather than another word:
 * at most max(2, a third of its length) edits away. The first of equally close names wins, so the
 * order of `known` decides ties. Undefined when nothing is that close: a wrong guess misleads more
 * than none.
 */
export function closestName(given: string, known: Iterable<string>, options: ClosestOptions = {}): string | undefined {
  const fold = options.ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const typed = fold(given);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed, fold(name));
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(given.length / 3)) ? best.name : undefined;
}
