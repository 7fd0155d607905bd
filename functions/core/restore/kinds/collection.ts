import * as z from 'zod';
import { AtlasConflictError } from '../../domain/errors.js';
import { ATLAS_API_PREFIX, type AtlasTransport } from '../../atlas/transport.js';
import type { CollectionRestoreRequest } from '../request.js';
import type { SourceCluster } from '../fields.js';
import type { RestoreKind } from '../kind.js';
import type { RestoreJobRef, RestoreState, RestoreStatus } from '../status.js';
import { cloudKind } from './cloud.js';
import { enc, findInFlightBy, newestFirst, readAnswer, sameTarget } from './common.js';

/**
 * Collection-level restores: `/groups/{g}/clusters/{c}/collectionRestoreJobs`, 2025-03-12 only.
 * Create answers 201; `state` INITIALIZING, IN_PROGRESS, FINALIZING, SUCCESSFUL, CANCELED or FAILED;
 * restored/total document counts and one state per collection (`…/{id}/collections`). Atlas has no
 * cancel. Snapshots are the cluster's Cloud Backup snapshots.
 */

const VERSION = '2025-03-12' as const;
const jobsPath = (c: SourceCluster) => `${ATLAS_API_PREFIX}/groups/${enc(c.groupId)}/clusters/${enc(c.clusterName)}/collectionRestoreJobs`;
const snapshotPath = (c: SourceCluster, id: string) =>
  `${ATLAS_API_PREFIX}/groups/${enc(c.groupId)}/clusters/${enc(c.clusterName)}/backup/snapshots/${enc(id)}/databases`;

const Namespace = z.looseObject({ sourceNamespace: z.string(), targetNamespace: z.string().optional() });
const CollectionJob = z.looseObject({
  id: z.string(),
  state: z.string(),
  snapshotId: z.string().optional(),
  pointInTimeUtcSeconds: z.number().optional(),
  oplogTs: z.number().optional(),
  oplogInc: z.number().optional(),
  targetClusterName: z.string().optional(),
  targetGroupId: z.string().optional(),
  writeStrategy: z.string().optional(),
  databases: z.array(Namespace).optional(),
  collections: z.array(Namespace).optional(),
  restoredDocuments: z.number().optional(),
  totalDocuments: z.number().optional(),
  createdAt: z.string().optional(),
  finishedAt: z.string().optional(),
  errorMessage: z.string().optional(),
});
type CollectionJob = z.infer<typeof CollectionJob>;
const CollectionState = z.looseObject({
  sourceNamespace: z.string(),
  targetNamespace: z.string().optional(),
  effectiveTargetNamespace: z.string().optional(),
  state: z.string(),
  restoredDocuments: z.number().optional(),
  totalDocuments: z.number().optional(),
});
const Named = z.looseObject({ name: z.string() });

const JOB_STATE: Record<string, RestoreState> = {
  INITIALIZING: 'PENDING',
  IN_PROGRESS: 'RUNNING',
  FINALIZING: 'RUNNING',
  SUCCESSFUL: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELED: 'CANCELLED',
};

function collectionStatus(job: CollectionJob, namespaces: z.infer<typeof CollectionState>[]): RestoreStatus {
  return {
    kind: 'collection',
    // An unknown state is reported as running: the deadline, not a guess, ends the wait.
    state: JOB_STATE[job.state] ?? 'RUNNING',
    jobIds: [job.id],
    ...(job.snapshotId ? { snapshotId: job.snapshotId } : {}),
    ...(job.createdAt ? { createdAt: job.createdAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    atlasStatus: job.state,
    ...(job.errorMessage ? { detail: job.errorMessage } : {}),
    progress: {
      restoredDocuments: job.restoredDocuments ?? 0,
      totalDocuments: job.totalDocuments ?? 0,
      namespaces: namespaces.map((n) => ({
        source: n.sourceNamespace,
        target: n.effectiveTargetNamespace ?? n.targetNamespace ?? n.sourceNamespace,
        state: n.state,
        ...(n.restoredDocuments !== undefined ? { restoredDocuments: n.restoredDocuments } : {}),
        ...(n.totalDocuments !== undefined ? { totalDocuments: n.totalDocuments } : {}),
      })),
    },
  };
}

const names = (xs: { sourceNamespace: string; targetNamespace?: string | undefined }[] | undefined) =>
  (xs ?? []).map((x) => `${x.sourceNamespace}>${x.targetNamespace ?? ''}`).sort().join(',');

/** Same target, same moment, same namespaces, same write strategy: all of them Atlas echoes on the job. */
function sameCollectionRequest(wanted: CollectionRestoreRequest, seen: Partial<CollectionRestoreRequest>): boolean {
  return (
    sameTarget(wanted.target, seen.target) &&
    seen.snapshotId === wanted.snapshotId &&
    seen.pointInTimeUTCSeconds === wanted.pointInTimeUTCSeconds &&
    seen.oplogTs === wanted.oplogTs &&
    seen.writeStrategy === wanted.writeStrategy &&
    names(seen.databases) === names(wanted.databases) &&
    names(seen.collections) === names(wanted.collections)
  );
}

function requestOf(source: SourceCluster, job: CollectionJob): Partial<CollectionRestoreRequest> {
  return {
    kind: 'collection',
    source,
    ...(job.targetClusterName ? { target: { groupId: job.targetGroupId ?? source.groupId, clusterName: job.targetClusterName } } : {}),
    ...(job.snapshotId ? { snapshotId: job.snapshotId } : {}),
    ...(job.pointInTimeUtcSeconds !== undefined ? { pointInTimeUTCSeconds: job.pointInTimeUtcSeconds } : {}),
    ...(job.oplogTs !== undefined ? { oplogTs: job.oplogTs, oplogInc: job.oplogInc } : {}),
    ...(job.writeStrategy ? { writeStrategy: job.writeStrategy as CollectionRestoreRequest['writeStrategy'] } : {}),
    databases: (job.databases ?? []).map((d) => ({ sourceNamespace: d.sourceNamespace, ...(d.targetNamespace ? { targetNamespace: d.targetNamespace } : {}) })),
    collections: (job.collections ?? []).map((d) => ({ sourceNamespace: d.sourceNamespace, ...(d.targetNamespace ? { targetNamespace: d.targetNamespace } : {}) })),
  };
}

/** The body Atlas takes: its own spelling of the point in time (`Utc`, unlike cloud restores' `UTC`). */
function body(r: CollectionRestoreRequest) {
  return {
    targetClusterName: r.target.clusterName,
    targetGroupId: r.target.groupId,
    writeStrategy: r.writeStrategy,
    indexStrategy: r.indexStrategy,
    ...(r.snapshotId ? { snapshotId: r.snapshotId } : {}),
    ...(r.pointInTimeUTCSeconds !== undefined ? { pointInTimeUtcSeconds: r.pointInTimeUTCSeconds } : {}),
    ...(r.oplogTs !== undefined ? { oplogTs: r.oplogTs, oplogInc: r.oplogInc } : {}),
    ...(r.databases.length ? { databases: r.databases } : {}),
    ...(r.collections.length ? { collections: r.collections } : {}),
    ...(r.databaseSuffix ? { databaseSuffix: r.databaseSuffix } : {}),
    ...(r.collectionSuffix ? { collectionSuffix: r.collectionSuffix } : {}),
  };
}

/** Every `database.collection` a snapshot holds (for a dry run's list and the check of asked names). */
export async function snapshotNamespaces(atlas: AtlasTransport, source: SourceCluster, snapshotId: string): Promise<string[]> {
  const dbs = (await atlas.listAll({ path: snapshotPath(source, snapshotId), version: VERSION })).map((d) => readAnswer(Named, d, 'list snapshot databases').name);
  const all: string[] = [];
  for (const db of dbs) {
    const colls = await atlas.listAll({ path: `${snapshotPath(source, snapshotId)}/${enc(db)}/collections`, version: VERSION });
    for (const c of colls) all.push(`${db}.${readAnswer(Named, c, 'list snapshot collections').name}`);
  }
  return all.sort();
}

async function readJob(atlas: AtlasTransport, ref: RestoreJobRef): Promise<RestoreStatus> {
  const path = `${jobsPath(ref)}/${enc(ref.jobId)}`;
  const job = readAnswer(CollectionJob, (await atlas.request({ method: 'GET', path, version: VERSION })).body, 'get collection restore');
  // The per-collection list is empty while the job initializes: no call needed then.
  const states =
    job.state === 'INITIALIZING'
      ? []
      : (await atlas.listAll({ path: `${path}/collections`, version: VERSION })).map((c) => readAnswer(CollectionState, c, 'list restored collections'));
  return collectionStatus(job, states);
}

export const collectionKind: RestoreKind<CollectionRestoreRequest> = {
  name: 'collection',
  cancellable: false,

  async create(atlas, request) {
    const res = await atlas.request({ method: 'POST', path: jobsPath(request.source), version: VERSION, body: body(request) });
    const job = readAnswer(CollectionJob, res.body, 'create collection restore');
    return { kind: 'collection', groupId: request.source.groupId, clusterName: request.source.clusterName, jobId: job.id };
  },

  get: readJob,

  async list(atlas, source) {
    const jobs = newestFirst(
      (await atlas.listAll({ path: jobsPath(source), version: VERSION })).map((j) => readAnswer(CollectionJob, j, 'list collection restores')),
      (j) => j.createdAt,
    );
    return jobs.map((job) => ({
      ref: { kind: 'collection' as const, groupId: source.groupId, clusterName: source.clusterName, jobId: job.id },
      status: collectionStatus(job, []),
      request: requestOf(source, job),
    }));
  },

  async cancel(_atlas, ref) {
    throw new AtlasConflictError(`Atlas offers no way to cancel a collection-level restore: job ${ref.jobId} keeps running until Atlas ends it`, {
      operation: 'cancel collection restore',
    });
  },

  listSnapshots: (atlas, source) => cloudKind.listSnapshots(atlas, source),

  findInFlight(atlas, request) {
    return findInFlightBy(collectionKind, atlas, request, sameCollectionRequest);
  },
};
