import { createHash } from 'node:crypto';
import type { RequestContext } from '../http/router.js';
import { deriveId } from '../state/build.js';
import { phaseAt, type CheckpointState, type ClusterState, type JobState, type SnapshotState } from '../state/model.js';
import { iso } from '../time.js';
import { downloadUrl, selfLink } from './common.js';
import { downloadContent } from './downloads.js';

/** How Legacy Backup shows its restore jobs, snapshots and checkpoints (BSON timestamps, statusName). */

const bsonTimestamp = (ms: number) => ({ date: iso(ms), increment: 1 });

function legacyStatusName(job: JobState, now: number): 'IN_PROGRESS' | 'BROKEN' | 'KILLED' | 'FINISHED' {
  const phase = phaseAt(job, now);
  if (phase === 'queued' || phase === 'running') return 'IN_PROGRESS';
  if (phase === 'failed') return 'BROKEN';
  if (phase === 'killed' || phase === 'cancelled') return 'KILLED';
  // An expired download finished first; an automated restore that "expired" never wrote anything.
  if (phase === 'expired') return job.kind === 'legacy.download' ? 'FINISHED' : 'BROKEN';
  return 'FINISHED';
}

function deliveryStatusName(job: JobState, now: number): string {
  const phase = phaseAt(job, now);
  return (
    { queued: 'NOT_STARTED', running: 'IN_PROGRESS', succeeded: 'READY', failed: 'FAILED', killed: 'INTERRUPTED', cancelled: 'INTERRUPTED' } as Record<string, string>
  )[phase] ?? 'EXPIRED';
}

export function legacyJobView(ctx: RequestContext, job: JobState) {
  const d = job.details;
  const delivery = d.delivery as Record<string, unknown>;
  const http = job.kind === 'legacy.download';
  const ready = phaseAt(job, ctx.now) === 'succeeded';
  const file = `${job.clusterName}-${job.replicaSetName ?? 'rs'}-${job.snapshotId ?? job.id}.tar.gz`;
  const url = http && ready ? downloadUrl(ctx.baseUrl, job, file) : undefined;
  const finished = legacyStatusName(job, ctx.now) === 'FINISHED';
  return {
    id: job.id,
    ...(job.batchId !== undefined && { batchId: job.batchId }),
    clusterId: d.memberClusterId,
    clusterName: job.clusterName,
    groupId: job.groupId,
    created: iso(job.createdAt),
    ...(job.snapshotId !== undefined && { snapshotId: job.snapshotId }),
    // Atlas answers methodName HTTP even for automated restores: it delivers to the target host over HTTP.
    delivery: {
      methodName: 'HTTP',
      ...(job.target && { targetGroupId: job.target.groupId, targetClusterName: job.target.clusterName }),
      ...(delivery.targetClusterId !== undefined && { targetClusterId: delivery.targetClusterId }),
      ...(http && { expirationHours: delivery.expirationHours ?? 1, maxDownloads: delivery.maxDownloads ?? 1 }),
      statusName: deliveryStatusName(job, ctx.now),
      ...(url && { url, urlV2: url, authHeader: 'X-Simulator-Download', authValue: String(d.downloadToken) }),
      ...(http && job.linkExpiresAt !== undefined && finished && { expires: iso(job.linkExpiresAt) }),
    },
    encryptionEnabled: false,
    statusName: legacyStatusName(job, ctx.now),
    timestamp: bsonTimestamp(d.pointInTime as number),
    ...(finished && http && { hashes: [{ fileName: file, hash: createHash('sha1').update(downloadContent(job, file)).digest('hex'), typeName: 'SHA1' }] }),
    links: selfLink(ctx, `/groups/${job.groupId}/clusters/${job.clusterName}/restoreJobs/${job.id}`),
  };
}

export function legacySnapshotView(ctx: RequestContext, c: ClusterState, s: SnapshotState) {
  const complete = s.status === 'completed';
  return {
    id: s.id,
    clusterId: c.id,
    clusterName: c.name,
    groupId: c.groupId,
    complete,
    created: bsonTimestamp(s.createdAt),
    expires: iso(s.expiresAt),
    doNotDelete: false,
    incremental: false,
    lastOplogAppliedTimestamp: bsonTimestamp(s.createdAt),
    parts: c.replicaSetNames.map((rs) => ({
      clusterId: deriveId(c.id, rs),
      replicaSetName: rs,
      typeName: rs.includes('-config-') ? 'CONFIG_SERVER_REPLICA_SET' : 'REPLICA_SET',
      ...(complete && { completedTime: iso(s.createdAt) }),
      compressionSetting: 'GZIP',
      dataSizeBytes: Math.floor(s.storageSizeBytes / c.replicaSetNames.length),
      storageSizeBytes: Math.floor(s.storageSizeBytes / c.replicaSetNames.length),
      fileSizeBytes: Math.floor(s.storageSizeBytes / c.replicaSetNames.length),
      encryptionEnabled: false,
      mongodVersion: c.mongoDBVersion,
      fcv: c.mongoDBVersion.split('.').slice(0, 2).join('.'),
    })),
    links: selfLink(ctx, `/groups/${c.groupId}/clusters/${c.name}/snapshots/${s.id}`),
  };
}

export function checkpointView(ctx: RequestContext, c: ClusterState, k: CheckpointState) {
  return {
    id: k.id,
    clusterId: c.id,
    groupId: c.groupId,
    started: iso(k.timestamp - 60_000),
    completed: iso(k.timestamp + 60_000),
    timestamp: iso(k.timestamp),
    restorable: k.restorable,
    parts: c.replicaSetNames.map((rs) => ({
      replicaSetName: rs,
      shardName: rs,
      typeName: rs.includes('-config-') ? 'CONFIG_SERVER_REPLICA_SET' : 'REPLICA_SET',
      tokenDiscovered: true,
      tokenTimestamp: bsonTimestamp(k.timestamp),
    })),
    links: selfLink(ctx, `/groups/${c.groupId}/clusters/${c.name}/backupCheckpoints/${k.id}`),
  };
}
