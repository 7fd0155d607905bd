import { NEEDS } from '../auth/roles.js';
import { paginate, parsePaging } from '../http/pagination.js';
import type { Operation, RequestContext } from '../http/router.js';
import { V2024_11 } from '../http/versions.js';
import { clusterFor } from './common.js';
import { createSharedDownload, createSharedRestore, findSharedJob, findSharedSnapshot, sharedJobView, sharedSnapshotView } from './sharedTier.js';

/** Flex restore jobs, snapshots and downloads: media type 2024-11-13 only, and no cancel. */

const base = '/groups/{groupId}/flexClusters/{name}/backup';
const jobsPath = (ctx: RequestContext) => `/groups/${ctx.params.groupId}/flexClusters/${ctx.params.name}/backup/restoreJobs`;
const snapshotsPath = (ctx: RequestContext) => `/groups/${ctx.params.groupId}/flexClusters/${ctx.params.name}/backup/snapshots`;
const newestFirst = <T extends { createdAt: number }>(xs: T[]) => [...xs].sort((a, b) => b.createdAt - a.createdAt);

export const flexOperations: Operation[] = [
  {
    name: 'createFlexRestoreJob',
    method: 'POST',
    path: `${base}/restoreJobs`,
    versions: [V2024_11],
    roles: NEEDS.flexRestore,
    handle: (ctx) => ({ status: 200, body: sharedJobView(ctx, createSharedRestore(ctx, 'flex', clusterFor(ctx, 'flex')), jobsPath(ctx)) }),
  },
  {
    name: 'listFlexRestoreJobs',
    method: 'GET',
    path: `${base}/restoreJobs`,
    versions: [V2024_11],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'flex');
      const jobs = ctx.store.jobsOf('flex', c.groupId, c.name).map((j) => sharedJobView(ctx, j, jobsPath(ctx)));
      return { status: 200, body: paginate(jobs, parsePaging(ctx.query), ctx.url) };
    },
  },
  {
    name: 'getFlexRestoreJob',
    method: 'GET',
    path: `${base}/restoreJobs/{restoreJobId}`,
    versions: [V2024_11],
    roles: NEEDS.read,
    handle: (ctx) => {
      const job = findSharedJob(ctx, 'flex', clusterFor(ctx, 'flex'), ctx.params.restoreJobId as string);
      return { status: 200, body: sharedJobView(ctx, job, jobsPath(ctx)) };
    },
  },
  {
    name: 'listFlexBackupSnapshots',
    method: 'GET',
    path: `${base}/snapshots`,
    versions: [V2024_11],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'flex');
      const views = newestFirst(c.snapshots).map((s) => sharedSnapshotView(ctx, c, s, snapshotsPath(ctx)));
      return { status: 200, body: paginate(views, parsePaging(ctx.query), ctx.url) };
    },
  },
  {
    name: 'getFlexBackupSnapshot',
    method: 'GET',
    path: `${base}/snapshots/{snapshotId}`,
    versions: [V2024_11],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'flex');
      return { status: 200, body: sharedSnapshotView(ctx, c, findSharedSnapshot('flex', c, ctx.params.snapshotId as string), snapshotsPath(ctx)) };
    },
  },
  {
    name: 'downloadFlexBackup',
    method: 'POST',
    path: `${base}/download`,
    versions: [V2024_11],
    roles: NEEDS.flexDownload,
    handle: (ctx) => ({ status: 200, body: sharedJobView(ctx, createSharedDownload(ctx, 'flex', clusterFor(ctx, 'flex')), jobsPath(ctx)) }),
  },
];
