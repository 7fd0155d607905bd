import { NEEDS } from '../auth/roles.js';
import { everything } from '../http/pagination.js';
import type { Operation, RequestContext } from '../http/router.js';
import { V2023 } from '../http/versions.js';
import { errors } from '../errors.js';
import { clusterFor } from './common.js';
import { createSharedDownload, createSharedRestore, findSharedJob, findSharedSnapshot, sharedJobView, sharedSnapshotView } from './sharedTier.js';

/**
 * Shared-tier (M2/M5, "tenant") restores: 2023-01-01, sunset by Atlas on 2026-01-22 and removed from
 * the spec on 2026-04-17 (the clusters moved to Flex). By default every one of them answers as the
 * spec says a sunset resource does (410 VERSION_GONE); the world's `tenantApi: "served"` keeps the old
 * era. Its lists take no paging parameters.
 */

const SUNSET = '2026-01-22';

const base = '/groups/{groupId}/clusters/{clusterName}/backup/tenant';
const prefix = (ctx: RequestContext) => `/groups/${ctx.params.groupId}/clusters/${ctx.params.clusterName}/backup/tenant`;
const newestFirst = <T extends { createdAt: number }>(xs: T[]) => [...xs].sort((a, b) => b.createdAt - a.createdAt);

const operations: Operation[] = [
  {
    name: 'createBackupTenantRestore',
    method: 'POST',
    path: `${base}/restore`,
    versions: [V2023],
    roles: NEEDS.owner,
    handle: (ctx) => ({
      status: 200,
      body: sharedJobView(ctx, createSharedRestore(ctx, 'tenant', clusterFor(ctx, 'tenant')), `${prefix(ctx)}/restores`),
    }),
  },
  {
    name: 'listBackupTenantRestores',
    method: 'GET',
    path: `${base}/restores`,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'tenant');
      const jobs = ctx.store.jobsOf('tenant', c.groupId, c.name).map((j) => sharedJobView(ctx, j, `${prefix(ctx)}/restores`));
      return { status: 200, body: everything(jobs, ctx.url) };
    },
  },
  {
    name: 'getBackupTenantRestore',
    method: 'GET',
    path: `${base}/restores/{restoreId}`,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const job = findSharedJob(ctx, 'tenant', clusterFor(ctx, 'tenant'), ctx.params.restoreId as string);
      return { status: 200, body: sharedJobView(ctx, job, `${prefix(ctx)}/restores`) };
    },
  },
  {
    name: 'listClusterBackupSnapshots',
    method: 'GET',
    path: `${base}/snapshots`,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'tenant');
      return { status: 200, body: everything(newestFirst(c.snapshots).map((s) => sharedSnapshotView(ctx, c, s, `${prefix(ctx)}/snapshots`)), ctx.url) };
    },
  },
  {
    name: 'getBackupTenantSnapshot',
    method: 'GET',
    path: `${base}/snapshots/{snapshotId}`,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'tenant');
      const s = findSharedSnapshot('tenant', c, ctx.params.snapshotId as string);
      return { status: 200, body: sharedSnapshotView(ctx, c, s, `${prefix(ctx)}/snapshots`) };
    },
  },
  {
    name: 'downloadClusterBackupTenant',
    method: 'POST',
    path: `${base}/download`,
    versions: [V2023],
    roles: NEEDS.owner,
    handle: (ctx) => ({
      status: 200,
      body: sharedJobView(ctx, createSharedDownload(ctx, 'tenant', clusterFor(ctx, 'tenant')), `${prefix(ctx)}/restores`),
    }),
  },
];

/** Authentication and roles still apply (the pipeline checks them first); then the era decides. */
export const tenantOperations: Operation[] = operations.map((op) => ({
  ...op,
  handle: (ctx) => {
    if (ctx.store.world.tenantApi === 'retired') throw errors.versionGone(ctx.url.pathname, SUNSET);
    return op.handle(ctx);
  },
}));
