import type { PlanRestore } from './planRestore.js';
import type { PlanOverrides } from './overrides.js';
import type { RestoreKindName } from '../restore/request.js';

/**
 * Collection-level restores in plans: `"source": {"kind": "cloud", ...}` with
 * `"restore": {"type": "collections", ...}`. The restore kind is `collection`; the guards apply only
 * to OVERWRITE_EXISTING (Atlas drops the named collections), while CREATE_NEW writes beside them and
 * so may target a protected cluster or the source itself (it still takes the target's lock).
 */

/** The parts of a plan these rules read: a Plan, or the plan schema's object before its own refinements run. */
type PlanParts = { source: { kind: RestoreKindName }; restore: PlanRestore };

/** The restore kind a plan runs. */
export function planKind(plan: PlanParts): RestoreKindName {
  return plan.restore.type === 'collections' ? 'collection' : plan.source.kind;
}

/** The target the guards check for a plan run, or undefined when nothing would be wiped. */
export function planGuardsTarget(plan: PlanParts, overrides: PlanOverrides | undefined): { groupId: string; clusterName: string } | undefined {
  const r = plan.restore;
  if (r.type === 'download') return undefined;
  if (r.type === 'collections' && r.writeStrategy === 'CREATE_NEW') return undefined;
  return overrides?.target ?? r.target;
}

export function collectionPlanProblems(plan: PlanParts): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (plan.source.kind === 'collection')
    problems.push({ path: ['source', 'kind'], message: 'a collection-level restore plan has "source.kind": "cloud" and "restore.type": "collections"' });
  if (plan.restore.type === 'collections' && plan.source.kind !== 'cloud')
    problems.push({ path: ['restore', 'type'], message: `collections restores are for cloud (M10+) clusters, not ${plan.source.kind}` });
  // One moment per restore, as in an ad-hoc request (exactly one of snapshotId or a point in time).
  if (plan.restore.type === 'collections' && plan.restore.snapshot && plan.restore.pointInTime)
    problems.push({
      path: ['restore', 'pointInTime'],
      message: 'a collections plan restores either a snapshot (restore.snapshot) or a point in time (restore.pointInTime), not both: remove one',
    });
  return problems;
}
