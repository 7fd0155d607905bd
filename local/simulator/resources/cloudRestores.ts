import { NEEDS } from '../auth/roles.js';
import { errors } from '../errors.js';
import { paginate, parsePaging } from '../http/pagination.js';
import type { Operation, RequestContext } from '../http/router.js';
import { V2023 } from '../http/versions.js';
import { isActive, phaseAt, type ClusterState, type JobState } from '../state/model.js';
import { HOUR, iso } from '../time.js';
import { Body, CLUSTER_NAME, EPOCH_FLOOR_SECONDS } from '../validate.js';
import { clusterFor, downloadUrl, ensureDownloadAllowed, ensureTargetFree, selfLink, targetCluster } from './common.js';
import { findSnapshot } from './snapshots.js';

/**
 * Cloud Backup restore jobs (`DiskBackupSnapshotRestoreJob`): automated, download and pointInTime.
 * No status field: `cancelled`, `failed`, `expired` and `finishedAt` tell the story, and a download
 * is ready once `deliveryUrl` is non-empty.
 */

const DELIVERY_TYPES = ['automated', 'download', 'pointInTime'] as const;
type DeliveryType = (typeof DELIVERY_TYPES)[number];
const WRITABLE = ['deliveryType', 'snapshotId', 'targetClusterName', 'targetGroupId', 'oplogTs', 'oplogInc', 'pointInTimeUTCSeconds'];
const READ_ONLY = [
  'id', 'cancelled', 'failed', 'expired', 'expiresAt', 'finishedAt', 'timestamp', 'deliveryUrl',
  'privateDownloadDeliveryUrls', 'components', 'links', 'desiredTimestamp',
];
const INT32_MAX = 2_147_483_647;

function cloudJobView(ctx: RequestContext, job: JobState) {
  const phase = phaseAt(job, ctx.now);
  const d = job.details;
  const deliveryType = d.deliveryType as DeliveryType;
  const download = deliveryType === 'download';
  const ready = download && phase === 'succeeded';
  const finished = job.finishAt !== undefined && ctx.now >= job.finishAt && (job.outcome === 'succeed' || job.outcome === 'fail');
  const replicaSets = d.replicaSetNames as string[];
  const sharded = replicaSets.length > 1;
  const urls = sharded
    ? replicaSets.map((rs) => downloadUrl(ctx.baseUrl, job, `restore-${job.snapshotId}-${rs}.tar.gz`))
    : [downloadUrl(ctx.baseUrl, job, `restore-${job.snapshotId}.tar.gz`)];
  return {
    id: job.id,
    deliveryType,
    ...(job.snapshotId !== undefined && { snapshotId: job.snapshotId }),
    ...(job.target && { targetClusterName: job.target.clusterName, targetGroupId: job.target.groupId }),
    ...(d.pointInTimeUTCSeconds !== undefined && { pointInTimeUTCSeconds: d.pointInTimeUTCSeconds }),
    ...(d.oplogTs !== undefined && { oplogTs: d.oplogTs, oplogInc: d.oplogInc }),
    ...(d.desiredTime !== undefined && { desiredTimestamp: { date: iso(d.desiredTime as number), increment: (d.oplogInc as number) ?? 1 } }),
    ...(d.snapshotTime !== undefined && { timestamp: iso(d.snapshotTime as number) }),
    cancelled: phase === 'cancelled' || phase === 'killed',
    failed: phase === 'failed',
    expired: phase === 'expired',
    ...(finished && phase !== 'cancelled' && phase !== 'killed' && { finishedAt: iso(job.finishAt as number) }),
    ...(download && { deliveryUrl: ready ? urls : [] }),
    ...(download && job.linkExpiresAt !== undefined && finished && { expiresAt: iso(job.linkExpiresAt) }),
    ...(sharded && {
      components: replicaSets.map((rs, i) => ({ replicaSetName: rs, ...(ready && { downloadUrl: urls[i] }) })),
    }),
    links: selfLink(ctx, `/groups/${job.groupId}/clusters/${job.clusterName}/backup/restoreJobs/${job.id}`),
  };
}

/** Reads the body and applies every rule between fields; returns what the job needs. */
function readRequest(body: unknown) {
  const b = Body.read(body, { writable: WRITABLE, readOnly: READ_ONLY });
  const deliveryType = b.oneOf('deliveryType', DELIVERY_TYPES);
  const snapshotId = b.id('snapshotId');
  const targetClusterName = b.str('targetClusterName', CLUSTER_NAME);
  const targetGroupId = b.id('targetGroupId');
  const oplogTs = b.int('oplogTs', EPOCH_FLOOR_SECONDS, INT32_MAX);
  const oplogInc = b.int('oplogInc', 1, INT32_MAX);
  const pointInTimeUTCSeconds = b.int('pointInTimeUTCSeconds', EPOCH_FLOOR_SECONDS, INT32_MAX);
  b.done();
  if (!deliveryType) throw errors.missingAttribute('deliveryType');
  const pitFields = ['pointInTimeUTCSeconds', 'oplogTs', 'oplogInc'].filter((f) => b.has(f));
  if (deliveryType === 'download') {
    for (const f of ['targetClusterName', 'targetGroupId'])
      if (b.has(f)) throw errors.invalidAttribute(f, 'is not allowed for a download restore');
  } else {
    if (!targetClusterName) throw errors.missingAttribute('targetClusterName', `is required for ${deliveryType} restores`);
    if (!targetGroupId) throw errors.missingAttribute('targetGroupId', `is required for ${deliveryType} restores`);
  }
  if (deliveryType !== 'pointInTime') {
    if (pitFields[0]) throw errors.invalidAttribute(pitFields[0], 'is only allowed for pointInTime restores');
    if (!snapshotId) throw errors.missingAttribute('snapshotId', `is required for ${deliveryType} restores`);
  } else {
    // A snapshotId beside a point in time is not refused: nothing documents that Atlas does. The
    // point in time decides the data (docs/simulator.md, "inferred").
    if (pointInTimeUTCSeconds !== undefined && (oplogTs !== undefined || oplogInc !== undefined))
      throw errors.invalidAttribute('pointInTimeUTCSeconds', 'is mutually exclusive with oplogTs and oplogInc');
    if (oplogTs !== undefined && oplogInc === undefined) throw errors.missingAttribute('oplogInc', 'is required with oplogTs');
    if (oplogInc !== undefined && oplogTs === undefined) throw errors.missingAttribute('oplogTs', 'is required with oplogInc');
    if (pointInTimeUTCSeconds === undefined && oplogTs === undefined) throw errors.missingOneOf(['pointInTimeUTCSeconds', 'oplogTs']);
  }
  return { deliveryType, snapshotId, targetClusterName, targetGroupId, oplogTs, oplogInc, pointInTimeUTCSeconds };
}

/** The moment a point-in-time restore goes back to, checked against the cluster's restore window. */
export function pointInTime(ctx: RequestContext, c: ClusterState, seconds: number, field: string): number {
  const at = seconds * 1000;
  if (c.pitWindowHours <= 0) throw errors.invalidPitTime(field, `continuous cloud backup is not enabled on cluster ${c.name}`);
  if (at > ctx.now) throw errors.invalidPitTime(field, 'must not be in the future');
  if (at < ctx.now - c.pitWindowHours * HOUR)
    throw errors.invalidPitTime(field, `must fall within the cluster's ${c.pitWindowHours}-hour restore window`);
  if (!c.snapshots.some((s) => s.status === 'completed' && s.createdAt <= at)) throw errors.noSnapshotBeforePit();
  return at;
}

/** Atlas "Back Up, Restore, and Archive Data": the target runs the snapshot's major or the next one, never older. */
function ensureRestorableVersion(target: ClusterState, snapshotVersion: string): void {
  const major = (v: string) => Number(v.split('.')[0]);
  const diff = major(target.mongoDBVersion) - major(snapshotVersion);
  if (diff < 0 || diff > 1) throw errors.restoreVersionIncompatible(target.name, target.mongoDBVersion, snapshotVersion);
}

function create(ctx: RequestContext) {
  const source = clusterFor(ctx, 'cloudBackup');
  const r = readRequest(ctx.body);
  const details: Record<string, unknown> = { deliveryType: r.deliveryType, replicaSetNames: source.replicaSetNames };
  let dataVersion: string;
  let snapshotId: string | undefined;
  // The data's version and size: the snapshot's, or for a point in time the base snapshot's.
  let copied: { version: string; bytes: number | undefined } = { version: source.mongoDBVersion, bytes: undefined };
  if (r.deliveryType === 'pointInTime') {
    const field = r.pointInTimeUTCSeconds !== undefined ? 'pointInTimeUTCSeconds' : 'oplogTs';
    const at = pointInTime(ctx, source, (r.pointInTimeUTCSeconds ?? r.oplogTs) as number, field);
    dataVersion = ctx.store.dataVersionAt(source, at);
    const base = source.snapshots.filter((s) => s.status === 'completed' && s.createdAt <= at).sort((a, b) => b.createdAt - a.createdAt)[0];
    copied = { version: source.mongoDBVersion, bytes: base?.storageSizeBytes };
    Object.assign(details, { desiredTime: at }, r.pointInTimeUTCSeconds !== undefined ? { pointInTimeUTCSeconds: r.pointInTimeUTCSeconds } : { oplogTs: r.oplogTs, oplogInc: r.oplogInc });
  } else {
    const snapshot = findSnapshot(source, r.snapshotId as string);
    if (snapshot.status !== 'completed') throw errors.incompleteSnapshot(snapshot.id);
    snapshotId = snapshot.id;
    dataVersion = snapshot.dataVersion;
    details.snapshotTime = snapshot.createdAt;
    copied = { version: snapshot.mongodVersion ?? source.mongoDBVersion, bytes: snapshot.storageSizeBytes };
  }
  let target: ClusterState | undefined;
  if (r.deliveryType !== 'download') {
    target = targetCluster(ctx.store, ctx.principal, source.groupId, r.targetGroupId as string, r.targetClusterName as string);
    if (target.kind === 'flex') throw errors.flexInClusterApi(target.name);
    if (target.kind === 'tenant') throw errors.invalidAttribute('targetClusterName', `${target.name} is a shared-tier cluster; restore it with the tenant endpoints`);
    if (target.sharded !== source.sharded || target.shards !== source.shards)
      throw errors.invalidAttribute('targetClusterName', `${target.name} must have the same topology as ${source.name} (${source.sharded ? `${source.shards} shards` : 'a replica set'})`);
    ensureRestorableVersion(target, copied.version);
    if (copied.bytes !== undefined && copied.bytes / 1024 ** 3 > target.diskSizeGB) throw errors.insufficientDisk(target.name, target.diskSizeGB, copied.bytes / 1024 ** 3);
    ensureTargetFree(ctx.store, target);
  } else {
    ensureDownloadAllowed(ctx.store, source.groupId, snapshotId as string);
  }
  const job = ctx.store.createJob({
    family: 'cloud',
    kind: `cloud.${r.deliveryType}`,
    cluster: source,
    ...(snapshotId !== undefined && { snapshotId }),
    ...(target && { target }),
    dataVersion,
    details,
  });
  return { status: 200, body: cloudJobView(ctx, job) };
}

function findJob(ctx: RequestContext, c: ClusterState): JobState {
  const id = ctx.params.restoreJobId as string;
  const job = ctx.store.job(id);
  if (!job || job.family !== 'cloud' || job.groupId !== c.groupId || job.clusterName !== c.name) throw errors.restoreJobNotFound(id, c.name);
  return job;
}

function cancel(ctx: RequestContext) {
  const c = clusterFor(ctx, 'cloudBackup');
  const job = findJob(ctx, c);
  const phase = phaseAt(job, ctx.now);
  // A delivered download can still be cancelled: that frees its download slot.
  const cancellable = isActive(phase) || (phase === 'succeeded' && job.kind === 'cloud.download');
  if (!cancellable) throw errors.cancelNotAllowed(`Cannot cancel restore job ${job.id}: it is already ${phase}.`);
  ctx.store.cancel(job);
  return { status: 204 };
}

const base = '/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs';

export const cloudRestoreOperations: Operation[] = [
  {
    name: 'listBackupRestoreJobs',
    method: 'GET',
    path: base,
    versions: [V2023],
    roles: NEEDS.backupManager,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'cloudBackup');
      const jobs = ctx.store.jobsOf('cloud', c.groupId, c.name).map((j) => cloudJobView(ctx, j));
      return { status: 200, body: paginate(jobs, parsePaging(ctx.query), ctx.url) };
    },
  },
  { name: 'createBackupRestoreJob', method: 'POST', path: base, versions: [V2023], roles: NEEDS.cloudRestore, handle: create },
  {
    name: 'getBackupRestoreJob',
    method: 'GET',
    path: `${base}/{restoreJobId}`,
    versions: [V2023],
    roles: NEEDS.backupManager,
    handle: (ctx) => ({ status: 200, body: cloudJobView(ctx, findJob(ctx, clusterFor(ctx, 'cloudBackup'))) }),
  },
  { name: 'cancelBackupRestoreJob', method: 'DELETE', path: `${base}/{restoreJobId}`, versions: [V2023], roles: NEEDS.cloudCancel, handle: cancel },
];
