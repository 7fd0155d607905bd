import type { Principal } from '../auth/authenticate.js';
import { rolesOn, satisfies, TARGET_NEEDS } from '../auth/roles.js';
import { errors } from '../errors.js';
import type { RequestContext } from '../http/router.js';
import { API_PREFIX } from '../http/router.js';
import type { ClusterState, JobState } from '../state/model.js';
import type { Store } from '../state/store.js';

/** Which family of endpoints a request came through; each accepts only some kinds of cluster. */
export type Api = 'cluster' | 'cloudBackup' | 'tenant' | 'legacy' | 'flex';

const base = (c: Pick<ClusterState, 'groupId' | 'name'>) => `${API_PREFIX}/groups/${c.groupId}/clusters/${c.name}`;

/** The cluster the path names, refused with Atlas's codes when this API cannot serve its kind. */
export function clusterFor(ctx: RequestContext, api: Api): ClusterState {
  const groupId = ctx.params.groupId as string;
  const name = (ctx.params.clusterName ?? ctx.params.name) as string;
  const cluster = ctx.store.cluster(groupId, name);
  if (!cluster) throw errors.clusterNotFound(name, groupId);
  if (api === 'flex') {
    if (cluster.kind !== 'flex') throw errors.nonFlexInFlexApi(name);
    return cluster;
  }
  if (cluster.kind === 'flex') throw errors.flexInClusterApi(name);
  if (api === 'cluster') return cluster;
  if (api === 'tenant') {
    if (cluster.kind !== 'tenant') throw errors.incorrectBackupEndpoint(`${base(cluster)}/${cluster.legacyBackup ? 'restoreJobs' : 'backup/restoreJobs'}`);
    return cluster;
  }
  if (cluster.kind === 'tenant') throw errors.incorrectBackupEndpoint(`${base(cluster)}/backup/tenant/restore`);
  if (api === 'legacy' && !cluster.legacyBackup) throw errors.incorrectBackupEndpoint(`${base(cluster)}/backup/restoreJobs`);
  if (api === 'cloudBackup' && cluster.legacyBackup) throw errors.incorrectBackupEndpoint(`${base(cluster)}/restoreJobs`);
  return cluster;
}

/** A restore into another project needs a restore role there too (Atlas: CANNOT_RESTORE_TO_TARGET). */
export function targetCluster(store: Store, principal: Principal, sourceGroupId: string, groupId: string, name: string): ClusterState {
  if (!store.projects.has(groupId)) throw errors.groupNotFound(groupId);
  if (groupId !== sourceGroupId && !satisfies(rolesOn(principal.roles, groupId), TARGET_NEEDS)) throw errors.cannotRestoreToTarget();
  const target = store.cluster(groupId, name);
  if (!target) throw errors.clusterNotFound(name, groupId);
  return target;
}

/** Atlas runs one restore per target cluster at a time. */
export function ensureTargetFree(store: Store, target: ClusterState): void {
  if (target.paused) throw errors.clusterPaused(target.name);
  if (store.restoreRunningOnto(target)) throw errors.restoreInProgress(target.name);
}

/** One active download per snapshot, and a project-wide cap (20 by default). */
export function ensureDownloadAllowed(store: Store, groupId: string, snapshotId: string): void {
  const active = store.activeDownloads(groupId);
  if (active.some((j) => j.snapshotId === snapshotId)) throw errors.downloadInProgress(snapshotId);
  const limit = store.world.limits.maxActiveDownloadsPerProject;
  if (active.length >= limit) throw errors.tooManyDownloads(limit);
}

/** Where a finished download can be fetched (served by the simulator itself, see downloads.ts). */
export function downloadUrl(baseUrl: string, job: JobState, file: string): string {
  return `${baseUrl}/sim-downloads/${job.id}/${String(job.details.downloadToken)}/${file}`;
}

export function selfLink(ctx: RequestContext, path: string): { href: string; rel: string }[] {
  return [{ href: `${ctx.baseUrl}${API_PREFIX}${path}`, rel: 'self' }];
}
