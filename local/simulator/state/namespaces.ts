import type { ClusterState, JobState } from './model.js';

/**
 * Collection-level restores move data one namespace (`database.collection`) at a time. A job
 * carries the namespaces it resolved at create; when it succeeds, each one found in the snapshot
 * lands on the target under its effective name, and only those collections change.
 */

export interface PlannedNamespace {
  sourceNamespace: string;
  targetNamespace: string;
  /** Where the data lands (a CREATE_NEW onto an existing collection is renamed). */
  effectiveTargetNamespace: string;
  documents: number;
  /** Not in the snapshot: Atlas reports it NOT_FOUND and restores nothing for it. */
  found: boolean;
}

export const plannedNamespaces = (job: JobState): PlannedNamespace[] => (job.details.namespaces as PlannedNamespace[] | undefined) ?? [];

/** The data a collection holds now: its own after a collection restore, else the cluster's. */
export function namespaceVersion(cluster: ClusterState, name: string): string | undefined {
  const ns = cluster.namespaces.find((n) => n.name === name);
  if (!ns) return undefined;
  return ns.dataVersion ?? cluster.history.at(-1)?.dataVersion;
}

export function writeNamespaces(target: ClusterState, job: JobState): void {
  for (const n of plannedNamespaces(job)) {
    if (!n.found) continue;
    const existing = target.namespaces.find((x) => x.name === n.effectiveTargetNamespace);
    if (existing) {
      existing.dataVersion = job.dataVersion;
      existing.documents = n.documents;
    } else target.namespaces.push({ name: n.effectiveTargetNamespace, documents: n.documents, dataVersion: job.dataVersion });
  }
}

export type CollectionRestoreEvent =
  | 'CPS_COLLECTION_RESTORE_SUCCESSFUL'
  | 'CPS_COLLECTION_RESTORE_PARTIAL_SUCCESS'
  | 'CPS_COLLECTION_RESTORE_FAILED'
  | 'CPS_COLLECTION_RESTORE_CANCELED';

/**
 * The alert event type a collection job's end raises (for the alert engine: it ends at `finishAt`
 * with `outcome`, like every other job). Partial success = some named collections were not in the
 * snapshot (**inferred**: Atlas does not define the partial case). Undefined for a job that never ends.
 */
export function collectionRestoreEvent(job: JobState): CollectionRestoreEvent | undefined {
  if (job.family !== 'collection' || job.finishAt === undefined) return undefined;
  if (job.cancelledAt !== undefined && job.cancelledAt <= job.finishAt) return 'CPS_COLLECTION_RESTORE_CANCELED';
  if (job.outcome === 'kill') return 'CPS_COLLECTION_RESTORE_CANCELED';
  if (job.outcome !== 'succeed') return 'CPS_COLLECTION_RESTORE_FAILED';
  const planned = plannedNamespaces(job);
  const found = planned.filter((n) => n.found).length;
  if (found === 0) return 'CPS_COLLECTION_RESTORE_FAILED';
  return found < planned.length ? 'CPS_COLLECTION_RESTORE_PARTIAL_SUCCESS' : 'CPS_COLLECTION_RESTORE_SUCCESSFUL';
}
