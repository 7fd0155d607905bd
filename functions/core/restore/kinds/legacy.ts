import * as z from 'zod';
import { AtlasConflictError } from '../../domain/errors.js';
import { ATLAS_API_PREFIX, type AtlasTransport } from '../../atlas/transport.js';
import type { SourceCluster } from '../fields.js';
import type { RestoreKind } from '../kind.js';
import type { LegacyRestoreRequest } from '../request.js';
import type { Snapshot } from '../snapshots.js';
import { isTerminal, type RestoreJobRef, type RestoreState, type RestoreStatus } from '../status.js';
import { Results, countStatuses, enc, newestFirst, readAnswer, sameTarget, timeOf } from './common.js';

/**
 * Legacy Backup (deprecated, clusters from before March 2020), 2023-01-01. A create answers with a
 * page of jobs: one for a replica set, or one per shard plus the config server, sharing a `batchId`.
 * The restore is over only when every job of the batch is: Atlas writes a sharded target only once
 * all of them finish, so reporting the first broken shard as the end would free the target while
 * the other shards are still being written. Atlas offers no cancel.
 */

const VERSION = '2023-01-01';
const base = (s: SourceCluster) => `${ATLAS_API_PREFIX}/groups/${enc(s.groupId)}/clusters/${enc(s.clusterName)}`;

/** `BackupRestoreJob`, the fields we read. */
export const LegacyJob = z.looseObject({
  id: z.string(),
  batchId: z.string().optional(),
  created: z.string().optional(),
  snapshotId: z.string().optional(),
  statusName: z.string(),
  /** The moment the job restores to (a BSON timestamp). */
  timestamp: z.looseObject({ date: z.string().optional() }).optional(),
  delivery: z
    .looseObject({
      methodName: z.string().optional(),
      targetGroupId: z.string().optional(),
      targetClusterName: z.string().optional(),
      statusName: z.string().optional(),
      url: z.string().optional(),
      urlV2: z.string().optional(),
      expires: z.string().optional(),
    })
    .optional(),
});
export type LegacyJob = z.infer<typeof LegacyJob>;

const LegacySnapshot = z.looseObject({
  id: z.string(),
  complete: z.boolean(),
  created: z.looseObject({ date: z.string() }),
  expires: z.string().optional(),
  parts: z.array(z.looseObject({ mongodVersion: z.string().optional() })).default([]),
});

const LegacyCheckpoint = z.looseObject({ id: z.string(), timestamp: z.string(), restorable: z.boolean().optional() });
export type LegacyCheckpoint = z.infer<typeof LegacyCheckpoint>;

/** Delivery states after which a finished job's download is of no use. */
const DELIVERY_ENDED: Record<string, RestoreState> = {
  EXPIRED: 'EXPIRED',
  MAX_DOWNLOADS_EXCEEDED: 'EXPIRED',
  FAILED: 'FAILED',
  INTERRUPTED: 'FAILED',
};

/** One job's state, from its `statusName` and, once FINISHED, its delivery's `statusName`. */
export function legacyJobState(job: LegacyJob): RestoreState {
  const delivery = job.delivery?.statusName;
  switch (job.statusName) {
    case 'FINISHED':
      return (delivery && DELIVERY_ENDED[delivery]) || 'SUCCEEDED';
    case 'BROKEN':
      return 'FAILED';
    case 'KILLED':
      return 'CANCELLED';
    default:
      // IN_PROGRESS, and anything Atlas adds later: the deadline, not a guess, ends the wait.
      return delivery === 'NOT_STARTED' || delivery === 'PENDING' ? 'PENDING' : 'RUNNING';
  }
}

/** How a batch's statuses are listed for people: still working first, then how they ended. */
const STATUS_ORDER = ['IN_PROGRESS', 'FINISHED', 'BROKEN', 'KILLED'];

/**
 * The jobs of a batch in one fixed order (by id), so a ref built from the create's answer and one
 * built from a list are equal whatever order Atlas returned the jobs in.
 */
const canonical = (jobs: LegacyJob[]): LegacyJob[] => [...jobs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Worst first: one failed shard fails the batch, then a kill, then a lapsed download. */
const BATCH_END_ORDER: readonly RestoreState[] = ['FAILED', 'CANCELLED', 'EXPIRED', 'SUCCEEDED'];

/** The whole batch's status. Terminal only when every job is. */
export function legacyStatus(jobs: LegacyJob[]): RestoreStatus {
  const first = jobs[0];
  if (!first) throw new Error('legacyStatus needs at least one job');
  const states = jobs.map(legacyJobState);
  let state: RestoreState;
  if (states.every((s) => s === 'PENDING')) state = 'PENDING';
  else if (states.some((s) => s === 'PENDING' || s === 'RUNNING')) state = 'RUNNING';
  else state = BATCH_END_ORDER.find((end) => states.includes(end)) ?? 'SUCCEEDED';

  const downloads = jobs.filter((j) => !j.delivery?.targetClusterName);
  const urls = downloads.map((j) => j.delivery?.urlV2 ?? j.delivery?.url).filter((u): u is string => !!u);
  // The batch's links are good until the first of them lapses.
  const expiresAt = downloads
    .map((j) => j.delivery?.expires)
    .filter((e): e is string => !!e)
    .sort((a, b) => timeOf(a) - timeOf(b))[0];
  return {
    kind: 'legacy',
    state,
    jobIds: jobs.map((j) => j.id),
    ...(first.batchId ? { batchId: first.batchId } : {}),
    ...(first.snapshotId ? { snapshotId: first.snapshotId } : {}),
    ...(first.created ? { createdAt: first.created } : {}),
    ...(state === 'SUCCEEDED' && urls.length > 0 ? { delivery: { urls, ...(expiresAt ? { expiresAt } : {}) } } : {}),
    atlasStatus: countStatuses(jobs.map((j) => j.statusName), STATUS_ORDER),
  };
}

const refOf = (source: SourceCluster, jobs: LegacyJob[]): RestoreJobRef => ({
  kind: 'legacy',
  groupId: source.groupId,
  clusterName: source.clusterName,
  jobId: jobs[0]?.id ?? '',
  ...(jobs[0]?.batchId ? { batchId: jobs[0].batchId } : {}),
  jobIds: jobs.map((j) => j.id),
});

/**
 * What a listed job says of its request. The point-in-time, oplog and checkpoint fields are
 * write-only; `timestamp` (the moment restored to) is what is left of them.
 */
function requestOf(source: SourceCluster, job: LegacyJob): Partial<LegacyRestoreRequest> {
  const d = job.delivery;
  // Atlas reports methodName HTTP even for automated restores: a target means AUTOMATED_RESTORE.
  const target = d?.targetGroupId && d.targetClusterName ? { groupId: d.targetGroupId, clusterName: d.targetClusterName } : undefined;
  return {
    kind: 'legacy',
    source,
    ...(job.snapshotId ? { snapshotId: job.snapshotId } : {}),
    delivery: target ? { methodName: 'AUTOMATED_RESTORE', target } : { methodName: 'HTTP' },
  };
}

/** The moment a point-in-time request goes back to, in epoch ms (undefined for snapshots and checkpoints). */
function requestedMoment(r: LegacyRestoreRequest): number | undefined {
  if (r.pointInTimeUTCMillis !== undefined) return r.pointInTimeUTCMillis;
  if (r.oplogTs !== undefined) return Date.parse(r.oplogTs);
  return undefined;
}

/**
 * The same restore: same delivery and target, then the same snapshot; or, for a point in time, a
 * job restoring to that moment (to the second, when the job shows it). A checkpoint cannot be read
 * back from a job, so a checkpoint request matches any running non-snapshot restore onto the same
 * target: Atlas refuses a second restore onto a busy target anyway.
 */
function sameLegacyRequest(wanted: LegacyRestoreRequest, job: LegacyJob, source: SourceCluster): boolean {
  const seen = requestOf(source, job);
  const automated = wanted.delivery.methodName === 'AUTOMATED_RESTORE';
  if ((seen.delivery?.methodName === 'AUTOMATED_RESTORE') !== automated) return false;
  if (!sameTarget(wanted.delivery.target, seen.delivery?.target)) return false;
  if (wanted.snapshotId !== undefined) return seen.snapshotId === wanted.snapshotId;
  if (seen.snapshotId !== undefined && wanted.checkpointId !== undefined) return false;
  const moment = requestedMoment(wanted);
  const restoredTo = timeOf(job.timestamp?.date);
  if (moment === undefined || restoredTo === Number.NEGATIVE_INFINITY) return true;
  return Math.abs(restoredTo - moment) < 1000;
}

async function readJobs(atlas: AtlasTransport, source: SourceCluster, query?: Record<string, string>): Promise<LegacyJob[]> {
  const raw = await atlas.listAll({ path: `${base(source)}/restoreJobs`, version: VERSION, ...(query ? { query } : {}) });
  return raw.map((j) => readAnswer(LegacyJob, j, 'list legacy restore jobs'));
}

/** Jobs grouped into their batches (a replica set's job is its own batch), newest batch first. */
async function listBatches(atlas: AtlasTransport, source: SourceCluster): Promise<LegacyJob[][]> {
  const batches = new Map<string, LegacyJob[]>();
  for (const job of await readJobs(atlas, source)) {
    const key = job.batchId ?? job.id;
    batches.set(key, [...(batches.get(key) ?? []), job]);
  }
  return newestFirst([...batches.values()].map(canonical), (batch) => batch[0]?.created);
}

/** The source's checkpoints (sharded clusters restore to one with `checkpointId`). */
export async function listLegacyCheckpoints(atlas: AtlasTransport, source: SourceCluster): Promise<LegacyCheckpoint[]> {
  const raw = await atlas.listAll({ path: `${base(source)}/backupCheckpoints`, version: VERSION });
  return newestFirst(
    raw.map((c) => readAnswer(LegacyCheckpoint, c, 'list legacy checkpoints')),
    (c) => c.timestamp,
  );
}

export const legacyKind: RestoreKind<LegacyRestoreRequest> = {
  name: 'legacy',
  cancellable: false,

  async create(atlas, request) {
    const { delivery } = request;
    const body = {
      ...(request.snapshotId !== undefined ? { snapshotId: request.snapshotId } : {}),
      ...(request.checkpointId !== undefined ? { checkpointId: request.checkpointId } : {}),
      ...(request.oplogTs !== undefined ? { oplogTs: request.oplogTs } : {}),
      ...(request.oplogInc !== undefined ? { oplogInc: request.oplogInc } : {}),
      ...(request.pointInTimeUTCMillis !== undefined ? { pointInTimeUTCMillis: request.pointInTimeUTCMillis } : {}),
      delivery: {
        methodName: delivery.methodName,
        ...(delivery.target ? { targetGroupId: delivery.target.groupId, targetClusterName: delivery.target.clusterName } : {}),
        ...(delivery.expirationHours !== undefined ? { expirationHours: delivery.expirationHours } : {}),
        ...(delivery.maxDownloads !== undefined ? { maxDownloads: delivery.maxDownloads } : {}),
      },
    };
    const res = await atlas.request({ method: 'POST', path: `${base(request.source)}/restoreJobs`, version: VERSION, body });
    const jobs = readAnswer(Results, res.body, 'create legacy restore job').results.map((j) => readAnswer(LegacyJob, j, 'create legacy restore job'));
    if (jobs.length === 0) throw new AtlasConflictError('Atlas accepted the legacy restore but answered with no job', { operation: 'create legacy restore job' });
    return refOf(request.source, canonical(jobs));
  },

  async get(atlas, ref) {
    // A ref from create or list names every job; one that names only a batch is read by batch.
    if (!ref.jobIds?.length && ref.batchId) {
      const jobs = await readJobs(atlas, ref, { batchId: ref.batchId });
      if (jobs.length > 0) return legacyStatus(canonical(jobs));
    }
    const ids = ref.jobIds?.length ? ref.jobIds : [ref.jobId];
    const jobs = await Promise.all(
      ids.map(async (id) => {
        const res = await atlas.request({ method: 'GET', path: `${base(ref)}/restoreJobs/${enc(id)}`, version: VERSION });
        return readAnswer(LegacyJob, res.body, 'get legacy restore job');
      }),
    );
    return legacyStatus(jobs);
  },

  async list(atlas, source) {
    const batches = await listBatches(atlas, source);
    return batches.map((batch) => ({ ref: refOf(source, batch), status: legacyStatus(batch), request: requestOf(source, batch[0] as LegacyJob) }));
  },

  async cancel(_atlas, ref) {
    throw new AtlasConflictError(`Atlas offers no way to cancel a Legacy Backup restore: job ${ref.jobId} keeps running until Atlas ends it`, {
      operation: 'cancel legacy restore job',
    });
  },

  async listSnapshots(atlas, source) {
    // completed=all: incomplete snapshots too, so "nothing fits" can say why.
    const raw = await atlas.listAll({ path: `${base(source)}/snapshots`, version: VERSION, query: { completed: 'all' } });
    return raw.map((r): Snapshot => {
      const s = readAnswer(LegacySnapshot, r, 'list legacy snapshots');
      const version = s.parts.find((p) => p.mongodVersion)?.mongodVersion;
      return {
        id: s.id,
        createdAt: s.created.date,
        status: s.complete ? 'completed' : 'inProgress',
        sharded: s.parts.length > 1,
        ...(version ? { mongodVersion: version } : {}),
        ...(s.expires ? { expiresAt: s.expires } : {}),
      };
    });
  },

  async findInFlight(atlas, request) {
    const batches = await listBatches(atlas, request.source);
    const running = batches.find((batch) => !isTerminal(legacyStatus(batch).state) && sameLegacyRequest(request, batch[0] as LegacyJob, request.source));
    return running ? refOf(request.source, running) : undefined;
  },
};
