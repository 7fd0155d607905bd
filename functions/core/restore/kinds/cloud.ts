import * as z from 'zod';
import { ATLAS_API_PREFIX, type AtlasTransport } from '../../atlas/transport.js';
import type { SourceCluster } from '../fields.js';
import type { RestoreKind } from '../kind.js';
import type { CloudRestoreRequest } from '../request.js';
import type { Snapshot } from '../snapshots.js';
import type { RestoreJobRef, RestoreStatus } from '../status.js';
import { Results, enc, findInFlightBy, readAnswer, sameTarget } from './common.js';

/**
 * Cloud Backup (dedicated M10+): automated, download and pointInTime restore jobs, 2023-01-01.
 * A job has no status field: `cancelled`, `failed`, `expired` and `finishedAt` tell the story, and
 * a download is ready once `deliveryUrl` is non-empty. The flags are read before `finishedAt`: a
 * failed job carries `finishedAt` too, and a cancelled one never does, so waiting on `finishedAt`
 * alone would call a failure a success or spin until the deadline.
 */

const VERSION = '2023-01-01';
const backup = (s: SourceCluster) => `${ATLAS_API_PREFIX}/groups/${enc(s.groupId)}/clusters/${enc(s.clusterName)}/backup`;

/** `DiskBackupSnapshotRestoreJob`, the fields we read. Enums stay strings: a new value must not break a list. */
export const CloudJob = z.looseObject({
  id: z.string(),
  deliveryType: z.string(),
  snapshotId: z.string().optional(),
  targetGroupId: z.string().optional(),
  targetClusterName: z.string().optional(),
  pointInTimeUTCSeconds: z.number().optional(),
  oplogTs: z.number().optional(),
  oplogInc: z.number().optional(),
  cancelled: z.boolean().optional(),
  failed: z.boolean().optional(),
  expired: z.boolean().optional(),
  finishedAt: z.string().optional(),
  deliveryUrl: z.array(z.string()).optional(),
  components: z.array(z.looseObject({ downloadUrl: z.string().optional() })).optional(),
  expiresAt: z.string().optional(),
});
export type CloudJob = z.infer<typeof CloudJob>;

const CloudSnapshot = z.looseObject({
  id: z.string(),
  createdAt: z.string(),
  status: z.string(),
  snapshotType: z.string().optional(),
  mongodVersion: z.string().optional(),
  storageSizeBytes: z.number().optional(),
  expiresAt: z.string().optional(),
  type: z.string().optional(),
});

const SNAPSHOT_STATUSES: readonly string[] = ['queued', 'inProgress', 'completed', 'failed'];
const SNAPSHOT_TYPES: readonly string[] = ['scheduled', 'onDemand', 'fallback'];

/** Every link of a ready download: `deliveryUrl`, and per replica set for a sharded cluster. */
function downloadUrls(job: CloudJob): string[] {
  const urls = [...(job.deliveryUrl ?? []), ...(job.components ?? []).map((c) => c.downloadUrl)];
  return [...new Set(urls.filter((u): u is string => typeof u === 'string' && u !== ''))];
}

/** Maps one cloud job onto the status model. */
export function cloudStatus(job: CloudJob): RestoreStatus {
  const common = {
    kind: 'cloud' as const,
    jobIds: [job.id],
    ...(job.snapshotId ? { snapshotId: job.snapshotId } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  };
  if (job.cancelled) return { ...common, state: 'CANCELLED', atlasStatus: 'cancelled' };
  if (job.failed) return { ...common, state: 'FAILED', atlasStatus: 'failed' };
  if (job.expired) return { ...common, state: 'EXPIRED', atlasStatus: 'expired' };
  if (job.deliveryType === 'download') {
    const urls = downloadUrls(job);
    // A download is done when its link is there, whatever finishedAt says.
    if (urls.length === 0) return { ...common, state: 'RUNNING', atlasStatus: 'preparing download' };
    return { ...common, state: 'SUCCEEDED', atlasStatus: 'download ready', delivery: { urls, ...(job.expiresAt ? { expiresAt: job.expiresAt } : {}) } };
  }
  if (job.finishedAt) return { ...common, state: 'SUCCEEDED', atlasStatus: 'finished' };
  return { ...common, state: 'RUNNING', atlasStatus: 'in progress' };
}

/** What a listed job says of the request that made it (Atlas echoes every writable field it uses). */
function requestOf(source: SourceCluster, job: CloudJob): Partial<CloudRestoreRequest> {
  const deliveryType = job.deliveryType as CloudRestoreRequest['deliveryType'];
  return {
    kind: 'cloud',
    source,
    deliveryType,
    ...(job.snapshotId ? { snapshotId: job.snapshotId } : {}),
    ...(job.targetGroupId && job.targetClusterName ? { target: { groupId: job.targetGroupId, clusterName: job.targetClusterName } } : {}),
    ...(job.pointInTimeUTCSeconds !== undefined ? { pointInTimeUTCSeconds: job.pointInTimeUTCSeconds } : {}),
    ...(job.oplogTs !== undefined ? { oplogTs: job.oplogTs } : {}),
    ...(job.oplogInc !== undefined ? { oplogInc: job.oplogInc } : {}),
  };
}

/**
 * The same restore: same delivery, same target, and the same choice. A point-in-time job is matched
 * on its moment (Atlas picks, and may report, a base snapshot of its own); the others on the snapshot.
 */
export function sameCloudRequest(wanted: CloudRestoreRequest, seen: Partial<CloudRestoreRequest>): boolean {
  if (seen.deliveryType !== wanted.deliveryType || !sameTarget(wanted.target, seen.target)) return false;
  if (wanted.deliveryType !== 'pointInTime') return seen.snapshotId === wanted.snapshotId;
  if (wanted.pointInTimeUTCSeconds !== undefined) return seen.pointInTimeUTCSeconds === wanted.pointInTimeUTCSeconds;
  return seen.oplogTs === wanted.oplogTs && seen.oplogInc === wanted.oplogInc;
}

const refOf = (source: SourceCluster, id: string): RestoreJobRef => ({ kind: 'cloud', groupId: source.groupId, clusterName: source.clusterName, jobId: id });

function normaliseSnapshot(s: z.infer<typeof CloudSnapshot>, sharded: boolean): Snapshot {
  return {
    id: s.id,
    createdAt: s.createdAt,
    // An unknown status is never restorable: reading it as queued keeps it out of every choice.
    status: (SNAPSHOT_STATUSES.includes(s.status) ? s.status : 'queued') as Snapshot['status'],
    ...(s.snapshotType && SNAPSHOT_TYPES.includes(s.snapshotType) ? { snapshotType: s.snapshotType as NonNullable<Snapshot['snapshotType']> } : {}),
    ...(s.mongodVersion ? { mongodVersion: s.mongodVersion } : {}),
    ...(s.storageSizeBytes !== undefined && s.storageSizeBytes >= 0 ? { storageSizeBytes: s.storageSizeBytes } : {}),
    ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
    sharded,
  };
}

async function listJobs(atlas: AtlasTransport, source: SourceCluster): Promise<CloudJob[]> {
  const raw = await atlas.listAll({ path: `${backup(source)}/restoreJobs`, version: VERSION });
  return raw.map((r) => readAnswer(CloudJob, r, 'list cloud restore jobs'));
}

export const cloudKind: RestoreKind<CloudRestoreRequest> = {
  name: 'cloud',
  cancellable: true,

  async create(atlas, request) {
    const body = {
      deliveryType: request.deliveryType,
      ...(request.snapshotId ? { snapshotId: request.snapshotId } : {}),
      ...(request.target ? { targetGroupId: request.target.groupId, targetClusterName: request.target.clusterName } : {}),
      ...(request.pointInTimeUTCSeconds !== undefined ? { pointInTimeUTCSeconds: request.pointInTimeUTCSeconds } : {}),
      ...(request.oplogTs !== undefined ? { oplogTs: request.oplogTs } : {}),
      ...(request.oplogInc !== undefined ? { oplogInc: request.oplogInc } : {}),
    };
    const res = await atlas.request({ method: 'POST', path: `${backup(request.source)}/restoreJobs`, version: VERSION, body });
    return refOf(request.source, readAnswer(CloudJob, res.body, 'create cloud restore job').id);
  },

  async get(atlas, ref) {
    const res = await atlas.request({ method: 'GET', path: `${backup(ref)}/restoreJobs/${enc(ref.jobId)}`, version: VERSION });
    return cloudStatus(readAnswer(CloudJob, res.body, 'get cloud restore job'));
  },

  async list(atlas, source) {
    // Cloud jobs carry no creation time; Atlas lists them newest first in practice (undocumented),
    // and that order is kept.
    const jobs = await listJobs(atlas, source);
    return jobs.map((job) => ({ ref: refOf(source, job.id), status: cloudStatus(job), request: requestOf(source, job) }));
  },

  async cancel(atlas, ref) {
    // 204 on success. A job Atlas will not cancel (finished, or a shard's job of a sharded
    // restore) answers 405 ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED: the client maps 405
    // to AtlasConflictError, which is what callers expect.
    await atlas.request({ method: 'DELETE', path: `${backup(ref)}/restoreJobs/${enc(ref.jobId)}`, version: VERSION });
  },

  async listSnapshots(atlas, source) {
    // Replica sets and sharded clusters have separate lists (the sharded one takes no paging
    // parameters). A snapshot seen in both is the sharded cluster's: keep that one.
    const [replicaSets, shardedAnswer] = await Promise.all([
      atlas.listAll({ path: `${backup(source)}/snapshots`, version: VERSION }),
      atlas.request({ method: 'GET', path: `${backup(source)}/snapshots/shardedClusters`, version: VERSION }),
    ]);
    const sharded = readAnswer(Results, shardedAnswer.body, 'list sharded cloud snapshots').results.map((s) =>
      normaliseSnapshot(readAnswer(CloudSnapshot, s, 'list sharded cloud snapshots'), true),
    );
    // A snapshot taken while we page shifts the list by one, so the same snapshot can come back on
    // two pages: `seen` keeps each id once.
    const seen = new Set(sharded.map((s) => s.id));
    const others = replicaSets
      .map((s) => readAnswer(CloudSnapshot, s, 'list cloud snapshots'))
      .filter((s) => !seen.has(s.id) && Boolean(seen.add(s.id)))
      .map((s) => normaliseSnapshot(s, s.type === 'shardedCluster'));
    return [...sharded, ...others];
  },

  findInFlight(atlas, request) {
    return findInFlightBy(cloudKind, atlas, request, sameCloudRequest);
  },
};
