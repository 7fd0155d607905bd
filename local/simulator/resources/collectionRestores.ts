import { NEEDS } from '../auth/roles.js';
import { errors } from '../errors.js';
import { paginate, parsePaging } from '../http/pagination.js';
import type { Operation, RequestContext } from '../http/router.js';
import { V2025_03 } from '../http/versions.js';
import { phaseAt, type JobState } from '../state/model.js';
import { plannedNamespaces, type PlannedNamespace } from '../state/namespaces.js';
import { iso } from '../time.js';
import { clusterFor, selfLink } from './common.js';
import { createCollectionRestore } from './collectionCreate.js';

/**
 * Collection-level restore jobs (`ApiAtlasCollectionRestoreJobResponse`, 2025-03-12 only): `state`
 * INITIALIZING → IN_PROGRESS → FINALIZING → SUCCESSFUL | FAILED | CANCELED, restored/total document
 * counts, and one state per collection. Atlas offers no cancel. The timing (a fifth initializing,
 * the last tenth finalizing, collections restored one after another) is **inferred**.
 */

const base = '/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs';
const jobPath = (job: JobState) => `/groups/${job.groupId}/clusters/${job.clusterName}/collectionRestoreJobs/${job.id}`;

type JobStateName = 'INITIALIZING' | 'IN_PROGRESS' | 'FINALIZING' | 'SUCCESSFUL' | 'CANCELED' | 'FAILED';

/** How far the copy is, 0..1, while the job runs (the first fifth is initializing). */
function progress(job: JobState, now: number): number {
  if (job.finishAt === undefined) return 0;
  const copyStart = job.createdAt + job.durationMs / 5;
  const copyEnd = job.createdAt + job.durationMs * 0.9;
  return Math.min(1, Math.max(0, (now - copyStart) / (copyEnd - copyStart)));
}

function jobState(job: JobState, now: number): JobStateName {
  const phase = phaseAt(job, now);
  const found = plannedNamespaces(job).some((n) => n.found);
  switch (phase) {
    case 'queued':
      return 'INITIALIZING';
    case 'running':
      return job.finishAt !== undefined && now >= job.createdAt + job.durationMs * 0.9 ? 'FINALIZING' : 'IN_PROGRESS';
    case 'succeeded':
      // Nothing the request named was in the snapshot: nothing was restored (**inferred**).
      return found ? 'SUCCESSFUL' : 'FAILED';
    case 'killed':
    case 'cancelled':
      return 'CANCELED';
    default:
      return 'FAILED';
  }
}

const totalOf = (job: JobState) => plannedNamespaces(job).reduce((sum, n) => sum + n.documents, 0);

function restoredOf(job: JobState, now: number): number {
  const state = jobState(job, now);
  if (state === 'SUCCESSFUL' || state === 'FINALIZING') return totalOf(job);
  if (state === 'IN_PROGRESS') return Math.floor(totalOf(job) * progress(job, now));
  if (state === 'INITIALIZING') return 0;
  return Math.floor(totalOf(job) * progress(job, Math.min(now, job.finishAt ?? now)));
}

/** One collection's state: they are copied in order, each over its share of the documents. */
function collectionView(job: JobState, n: PlannedNamespace, now: number) {
  const state = jobState(job, now);
  const restoredSoFar = restoredOf(job, now);
  const before = plannedNamespaces(job)
    .slice(0, plannedNamespaces(job).indexOf(n))
    .reduce((sum, x) => sum + x.documents, 0);
  const mine = Math.min(n.documents, Math.max(0, restoredSoFar - before));
  let s: string;
  if (!n.found) s = 'NOT_FOUND';
  else if (state === 'SUCCESSFUL') s = 'SUCCESSFUL';
  else if (state === 'FINALIZING') s = 'FINALIZING';
  else if (state === 'FAILED') s = 'FAILED';
  else if (state === 'CANCELED') s = 'NOT_RESTORED';
  else s = mine >= n.documents ? 'SUCCESSFUL' : mine > 0 || restoredSoFar === before ? 'IN_PROGRESS' : 'NOT_STARTED';
  const indexes = job.details.indexStrategy === 'NONE' ? 'NOT_RESTORED' : s === 'SUCCESSFUL' ? 'SUCCESSFUL' : 'NOT_STARTED';
  return {
    sourceNamespace: n.sourceNamespace,
    targetNamespace: n.targetNamespace,
    effectiveTargetNamespace: n.effectiveTargetNamespace,
    state: s,
    restoredDocuments: n.found ? (state === 'SUCCESSFUL' ? n.documents : mine) : 0,
    totalDocuments: n.documents,
    indexStatus: { state: n.found ? indexes : 'NOT_RESTORED' },
  };
}

function collectionJobView(ctx: RequestContext, job: JobState) {
  const state = jobState(job, ctx.now);
  const d = job.details;
  const ended = state === 'SUCCESSFUL' || state === 'FAILED' || state === 'CANCELED';
  const found = plannedNamespaces(job).filter((n) => n.found).length;
  return {
    id: job.id,
    ...(job.snapshotId !== undefined && { snapshotId: job.snapshotId }),
    ...(d.pointInTimeUtcSeconds !== undefined && { pointInTimeUtcSeconds: d.pointInTimeUtcSeconds }),
    ...(d.oplogTs !== undefined && { oplogTs: d.oplogTs, oplogInc: d.oplogInc }),
    targetClusterName: job.target?.clusterName,
    targetGroupId: job.target?.groupId,
    writeStrategy: d.writeStrategy,
    indexStrategy: d.indexStrategy,
    databases: d.databases,
    collections: d.collections,
    ...(d.databaseSuffix !== undefined && { databaseSuffix: d.databaseSuffix }),
    ...(d.collectionSuffix !== undefined && { collectionSuffix: d.collectionSuffix }),
    state,
    restoredDocuments: restoredOf(job, ctx.now),
    totalDocuments: totalOf(job),
    createdAt: iso(job.createdAt),
    ...(ended && job.finishAt !== undefined && { finishedAt: iso(job.finishAt) }),
    ...(state === 'FAILED' && { errorMessage: found ? 'The restore failed.' : 'None of the requested namespaces exist in the snapshot.' }),
    ...(state === 'CANCELED' && { errorMessage: 'The restore was canceled.' }),
    indexStatus: {
      state: d.indexStrategy === 'NONE' ? 'NOT_RESTORED' : state === 'SUCCESSFUL' ? 'SUCCESSFUL' : state === 'FINALIZING' ? 'IN_PROGRESS' : 'NOT_STARTED',
      failedCollectionCount: 0,
    },
    links: selfLink(ctx, jobPath(job)),
  };
}

function findJob(ctx: RequestContext): JobState {
  const c = clusterFor(ctx, 'cloudBackup');
  const id = ctx.params.jobId as string;
  const job = ctx.store.job(id);
  if (!job || job.family !== 'collection' || job.groupId !== c.groupId || job.clusterName !== c.name) throw errors.collectionRestoreJobNotFound(id, c.name);
  return job;
}

const COLLECTION_STATES = ['NOT_STARTED', 'IN_PROGRESS', 'FINALIZING', 'NOT_FOUND', 'UNSUPPORTED', 'SUCCESSFUL', 'ROLLBACK', 'NOT_RESTORED', 'FAILED', 'INDEX_BUILD_FAILED'];

export const collectionRestoreOperations: Operation[] = [
  {
    name: 'createCollectionRestoreJob',
    method: 'POST',
    path: base,
    versions: [V2025_03],
    roles: NEEDS.flexRestore,
    handle: (ctx) => ({ status: 201, body: collectionJobView(ctx, createCollectionRestore(ctx)) }),
  },
  {
    name: 'listCollectionRestoreJobs',
    method: 'GET',
    path: base,
    versions: [V2025_03],
    roles: NEEDS.backupManager,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'cloudBackup');
      const jobs = ctx.store.jobsOf('collection', c.groupId, c.name).map((j) => collectionJobView(ctx, j));
      return { status: 200, body: paginate(jobs, parsePaging(ctx.query), ctx.url) };
    },
  },
  {
    name: 'getCollectionRestoreJob',
    method: 'GET',
    path: `${base}/{jobId}`,
    versions: [V2025_03],
    roles: NEEDS.backupManager,
    handle: (ctx) => ({ status: 200, body: collectionJobView(ctx, findJob(ctx)) }),
  },
  {
    name: 'listRestoreJobCollections',
    method: 'GET',
    path: `${base}/{jobId}/collections`,
    versions: [V2025_03],
    roles: NEEDS.backupManager,
    handle: (ctx) => {
      const job = findJob(ctx);
      const state = ctx.query.get('state');
      if (state !== null && !COLLECTION_STATES.includes(state)) throw errors.invalidEnum('state', state, COLLECTION_STATES);
      const source = ctx.query.get('sourceNamespace');
      const target = ctx.query.get('targetNamespace');
      // While the job initializes the list is empty (atlas-api notes: spec text).
      const all = jobState(job, ctx.now) === 'INITIALIZING' ? [] : plannedNamespaces(job).map((n) => collectionView(job, n, ctx.now));
      const shown = all.filter(
        (v) => (state === null || v.state === state) && (source === null || v.sourceNamespace === source) && (target === null || v.targetNamespace === target),
      );
      return { status: 200, body: paginate(shown, parsePaging(ctx.query), ctx.url) };
    },
  },
  {
    name: 'getRestoreJobCollection',
    method: 'GET',
    path: `${base}/{jobId}/collections/{sourceNamespace}`,
    versions: [V2025_03],
    roles: NEEDS.backupManager,
    handle: (ctx) => {
      const job = findJob(ctx);
      const n = plannedNamespaces(job).find((x) => x.sourceNamespace === ctx.params.sourceNamespace);
      if (!n) throw errors.namespaceNotFound('collection in this restore job', ctx.params.sourceNamespace as string);
      return { status: 200, body: collectionView(job, n, ctx.now) };
    },
  },
];
