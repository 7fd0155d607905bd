/**
 * One way to tell whether two names mean the same Atlas cluster, used by every comparison: the
 * source = target guard (synth, API, create), the protected-target match, the target lock's key,
 * the busy-target checks and adoption.
 *
 * Atlas creates every cluster, Flex included, under an ASCII rule (letters, digits, hyphens) and
 * keeps names unique per project regardless of case. So only ASCII letters are folded: a name with
 * any other character cannot name a real cluster (the schemas refuse it), and folding it with
 * `toLowerCase()` would make the Kelvin sign `K` equal `k` in one place and not in another.
 */

export interface ClusterRef {
  groupId: string;
  clusterName: string;
}

/** A-Z to a-z; every other character is left exactly as it is. */
const foldAsciiCase = (name: string): string => name.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/** `<groupId>/<name with ASCII letters lowered>`: also the target lock's partition key. */
export const clusterKey = (c: ClusterRef): string => `${c.groupId}/${foldAsciiCase(c.clusterName)}`;

export const sameCluster = (a: ClusterRef, b: ClusterRef): boolean => clusterKey(a) === clusterKey(b);

/**
 * `prod`, `prod-*`, `*`: `*` matches any run of characters, everything else is literal, and ASCII
 * case does not matter (for a guard, refusing "Prod" for "prod" is the safe side). No regex `i`
 * flag: its Unicode case folding is exactly what the canonical key avoids.
 */
export function clusterPatternMatches(pattern: string, clusterName: string): boolean {
  const source = foldAsciiCase(pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(foldAsciiCase(clusterName));
}

/**
 * Whether some cluster name matches both `*` patterns (case-insensitive, as names are compared):
 * `*`, `p*` and `*-cluster` all share names with `prod-*`. Decided over both patterns at once, a `*`
 * on either side taking none or more of the other's characters, so it needs no example name.
 */
export function clusterPatternsOverlap(a: string, b: string): boolean {
  const x = foldAsciiCase(a);
  const y = foldAsciiCase(b);
  const seen = new Map<number, boolean>();
  const from = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const known = seen.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (x[i] === '*') result = from(i + 1, j) || (j < y.length && from(i, j + 1));
    else if (y[j] === '*') result = from(i, j + 1) || (i < x.length && from(i + 1, j));
    else result = i < x.length && j < y.length && x[i] === y[j] && from(i + 1, j + 1);
    seen.set(key, result);
    return result;
  };
  return from(0, 0);
}
