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
export const foldAsciiCase = (name: string): string => name.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

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
