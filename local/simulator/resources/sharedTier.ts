import { errors } from '../errors.js';
import type { RequestContext } from '../http/router.js';
import { phaseAt, type ClusterState, type JobState, type SnapshotState } from '../state/model.js';
import { iso } from '../time.js';
import { Body, DEPLOYMENT_ITEM_NAME } from '../validate.js';
import { downloadUrl, ensureDownloadAllowed, ensureTargetFree, selfLink, targetCluster } from './common.js';

/**
 * What Flex and shared-tier ("tenant") restores have in common: the same job shape with a `status`
 * of PENDING → QUEUED → RUNNING → COMPLETED | FAILED, the same snapshot shape, the same rules.
 */

export type SharedStatus = 'PENDING' | 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
export type SharedFamily = 'flex' | 'tenant';

function sharedStatus(job: JobState, now: number): SharedStatus {
  const phase = phaseAt(job, now);
  if (phase === 'queued') {
    const pendingFor = job.finishAt === undefined ? 30_000 : job.durationMs / 10;
    return now < job.createdAt + pendingFor ? 'PENDING' : 'QUEUED';
  }
  if (phase === 'running') return 'RUNNING';
  // A download whose link has since expired still finished: COMPLETED, with expirationDate in the past.
  if (phase === 'succeeded' || (phase === 'expired' && job.outcome === 'succeed')) return 'COMPLETED';
  return 'FAILED';
}

const SNAPSHOT_STATUS: Record<SnapshotState['status'], SharedStatus> = {
  queued: 'QUEUED',
  inProgress: 'RUNNING',
  completed: 'COMPLETED',
  failed: 'FAILED',
};

export function sharedSnapshotView(ctx: RequestContext, c: ClusterState, s: SnapshotState, path: string) {
  const started = s.createdAt - 60_000;
  return {
    id: s.id,
    status: SNAPSHOT_STATUS[s.status],
    scheduledTime: iso(started),
    startTime: iso(started),
    ...(s.status === 'completed' && { finishTime: iso(s.createdAt) }),
    expiration: iso(s.expiresAt),
    mongoDBVersion: c.mongoDBVersion,
    links: selfLink(ctx, `${path}/${s.id}`),
  };
}

export function sharedJobView(ctx: RequestContext, job: JobState, path: string) {
  const status = sharedStatus(job, ctx.now);
  const download = job.kind.endsWith('.download');
  const finished = status === 'COMPLETED' || status === 'FAILED';
  const source = job.family === 'flex' ? { instanceName: job.clusterName } : { clusterName: job.clusterName };
  return {
    id: job.id,
    ...source,
    projectId: job.groupId,
    snapshotId: job.snapshotId,
    deliveryType: download ? 'DOWNLOAD' : 'RESTORE',
    status,
    ...(job.target && { targetProjectId: job.target.groupId, targetDeploymentItemName: job.target.clusterName }),
    restoreScheduledDate: iso(job.createdAt),
    ...(finished && job.finishAt !== undefined && { restoreFinishedDate: iso(job.finishAt) }),
    snapshotFinishedDate: iso(job.details.snapshotTime as number),
    ...(download && job.linkExpiresAt !== undefined && finished && { expirationDate: iso(job.linkExpiresAt) }),
    ...(download && status === 'COMPLETED' && phaseAt(job, ctx.now) === 'succeeded' && {
      snapshotUrl: downloadUrl(ctx.baseUrl, job, `${job.clusterName}-${job.snapshotId}.tar.gz`),
    }),
    links: selfLink(ctx, `${path}/${job.id}`),
  };
}

export function findSharedSnapshot(family: SharedFamily, c: ClusterState, id: string): SnapshotState {
  const s = c.snapshots.find((x) => x.id === id);
  if (!s) throw family === 'tenant' ? errors.tenantSnapshotNotFound(id, c.name) : errors.snapshotNotFound(id, c.name);
  return s;
}

const JOB_FIELDS = [
  'id', 'clusterName', 'instanceName', 'projectId', 'deliveryType', 'status', 'restoreScheduledDate', 'restoreFinishedDate',
  'snapshotFinishedDate', 'expirationDate', 'snapshotUrl', 'links',
];

/** POST …/restore(Jobs): a snapshot onto a named deployment (Atlas wipes the target first). */
export function createSharedRestore(ctx: RequestContext, family: SharedFamily, source: ClusterState): JobState {
  const b = Body.read(ctx.body, { writable: ['snapshotId', 'targetDeploymentItemName', 'targetProjectId'], readOnly: JOB_FIELDS });
  const snapshotId = b.id('snapshotId');
  const targetName = b.str('targetDeploymentItemName', DEPLOYMENT_ITEM_NAME, "1-64 letters, digits or - _ . ( ) , : & @ + '");
  const targetProjectId = b.id('targetProjectId');
  b.done();
  if (!snapshotId) throw errors.missingAttribute('snapshotId');
  if (!targetName) throw errors.missingAttribute('targetDeploymentItemName');
  const snapshot = findSharedSnapshot(family, source, snapshotId);
  if (snapshot.status !== 'completed') throw errors.incompleteSnapshot(snapshotId);
  const target = targetCluster(ctx.store, ctx.principal, source.groupId, targetProjectId ?? source.groupId, targetName);
  const allowed = family === 'flex' ? ['flex', 'dedicated'] : ['tenant', 'dedicated'];
  if (!allowed.includes(target.kind))
    throw errors.invalidAttribute('targetDeploymentItemName', `a ${family} snapshot restores onto a ${allowed.join(' or ')} cluster, not ${target.kind}`);
  if (target.sharded) throw errors.sharedTierIntoSharded(target.name);
  if (target.mongoDBVersion.split('.')[0] !== source.mongoDBVersion.split('.')[0]) throw errors.sharedTierVersionMismatch(target.name);
  ensureTargetFree(ctx.store, target);
  return ctx.store.createJob({
    family,
    kind: `${family}.restore`,
    cluster: source,
    snapshotId,
    target,
    dataVersion: snapshot.dataVersion,
    details: { snapshotTime: snapshot.createdAt },
  });
}

/** POST …/download: a link to the snapshot's files, alive for four hours once ready. */
export function createSharedDownload(ctx: RequestContext, family: SharedFamily, source: ClusterState): JobState {
  // The tenant download body is a whole TenantRestore, and that schema requires targetDeploymentItemName.
  const tenant = family === 'tenant';
  const writable = tenant ? ['snapshotId', 'targetDeploymentItemName', 'targetProjectId'] : ['snapshotId'];
  const b = Body.read(ctx.body, { writable, readOnly: JOB_FIELDS });
  const snapshotId = b.id('snapshotId');
  const deploymentName = tenant ? b.str('targetDeploymentItemName', DEPLOYMENT_ITEM_NAME, "1-64 letters, digits or - _ . ( ) , : & @ + '") : undefined;
  b.done();
  if (!snapshotId) throw errors.missingAttribute('snapshotId');
  if (tenant && !deploymentName) throw errors.missingAttribute('targetDeploymentItemName');
  const snapshot = findSharedSnapshot(family, source, snapshotId);
  if (snapshot.status !== 'completed') throw errors.incompleteSnapshot(snapshotId);
  ensureDownloadAllowed(ctx.store, source.groupId, snapshotId);
  return ctx.store.createJob({
    family,
    kind: `${family}.download`,
    cluster: source,
    snapshotId,
    dataVersion: snapshot.dataVersion,
    details: { snapshotTime: snapshot.createdAt },
  });
}

export function findSharedJob(ctx: RequestContext, family: SharedFamily, c: ClusterState, id: string): JobState {
  const job = ctx.store.job(id);
  if (!job || job.family !== family || job.groupId !== c.groupId || job.clusterName !== c.name)
    throw family === 'tenant' ? errors.tenantRestoreNotFound(id, c.name) : errors.restoreJobNotFound(id, c.name);
  return job;
}
