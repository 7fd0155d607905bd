import { RestoreRefusedError } from '../domain/errors.js';
import { clusterPatternMatches, sameCluster, type ClusterRef } from '../domain/cluster.js';
import type { ProtectedTarget } from './schema.js';
import { harmWords, type TargetHarm } from './targetHarm.js';

export { clusterPatternMatches, sameCluster, type ClusterRef } from '../domain/cluster.js';

/**
 * The destructive-restore guards, written once: lib/ checks plans against them at synth, the API
 * before starting a workflow, and the create step (the last word) before any Atlas call.
 */

/** The protectedTargets pattern that covers this target, if any. */
export function protectingPattern(target: ClusterRef, protectedTargets: readonly ProtectedTarget[]): string | undefined {
  for (const entry of protectedTargets) {
    if (entry.groupId !== target.groupId) continue;
    const hit = entry.clusters.find((pattern) => clusterPatternMatches(pattern, target.clusterName));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

export const describeCluster = (c: ClusterRef): string => `cluster "${c.clusterName}" in project ${c.groupId}`;

/**
 * Refuses a destructive restore onto a protected cluster, or onto its own source unless allowed.
 * `target` undefined (a download) overwrites nothing and passes. `harm` is what the restore does
 * to the target, so the refusal says it truly (./targetHarm.ts).
 */
export function checkTargetGuards(
  protectedTargets: readonly ProtectedTarget[],
  source: ClusterRef,
  target: ClusterRef | undefined,
  allowRestoreOntoSource: boolean,
  harm: TargetHarm = 'wipe',
): void {
  if (!target) return;
  if (!allowRestoreOntoSource && sameCluster(source, target))
    throw new RestoreRefusedError(
      'SOURCE_IS_TARGET',
      `Refusing to restore ${describeCluster(source)} onto itself: ${harmWords(harm, 'source')}. Only a plan with allowRestoreOntoSource may do that.`,
    );
  const pattern = protectingPattern(target, protectedTargets);
  if (pattern !== undefined)
    throw new RestoreRefusedError(
      'PROTECTED_TARGET',
      `Refusing to restore onto ${describeCluster(target)}: it is a protected target (pattern "${pattern}"), and ${harmWords(harm, 'target')}.`,
    );
}
