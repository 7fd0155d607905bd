import { NEEDS } from '../auth/roles.js';
import { errors } from '../errors.js';
import { paginate, parsePaging } from '../http/pagination.js';
import type { Operation, RequestContext } from '../http/router.js';
import { V2025_03 } from '../http/versions.js';
import { clusterFor, selfLink } from './common.js';
import { findSnapshot } from './snapshots.js';

/**
 * What a Cloud Backup snapshot holds, for choosing what a collection-level restore brings back:
 * `…/backup/snapshots/{id}/databases[/{db}[/collections[/{coll}]]]`, 2025-03-12. A snapshot holds
 * the collections its cluster held when it was taken.
 */

const base = '/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases';
const dbOf = (ns: string) => ns.slice(0, ns.indexOf('.'));
const collOf = (ns: string) => ns.slice(ns.indexOf('.') + 1);

function snapshotNamespaces(ctx: RequestContext): string[] {
  const c = clusterFor(ctx, 'cloudBackup');
  return findSnapshot(c, ctx.params.snapshotId as string)
    .namespaces.map((n) => n.name)
    .sort();
}

function databases(ctx: RequestContext): string[] {
  return [...new Set(snapshotNamespaces(ctx).map(dbOf))];
}

function database(ctx: RequestContext): string {
  const name = ctx.params.databaseName as string;
  if (!databases(ctx).includes(name)) throw errors.namespaceNotFound('database in this snapshot', name);
  return name;
}

const prefix = (ctx: RequestContext) =>
  `/groups/${ctx.params.groupId}/clusters/${ctx.params.clusterName}/backup/snapshots/${ctx.params.snapshotId}/databases`;

export const snapshotNamespaceOperations: Operation[] = [
  {
    name: 'listBackupSnapshotDatabases',
    method: 'GET',
    path: base,
    versions: [V2025_03],
    roles: NEEDS.backupManager,
    handle: (ctx) => {
      const views = databases(ctx).map((name) => ({ name, links: selfLink(ctx, `${prefix(ctx)}/${name}`) }));
      return { status: 200, body: paginate(views, parsePaging(ctx.query), ctx.url) };
    },
  },
  {
    name: 'getBackupSnapshotDatabase',
    method: 'GET',
    path: `${base}/{databaseName}`,
    versions: [V2025_03],
    roles: NEEDS.backupManager,
    handle: (ctx) => {
      const name = database(ctx);
      return { status: 200, body: { name, links: selfLink(ctx, `${prefix(ctx)}/${name}`) } };
    },
  },
  {
    name: 'listSnapshotDatabaseCollections',
    method: 'GET',
    path: `${base}/{databaseName}/collections`,
    versions: [V2025_03],
    roles: NEEDS.backupManager,
    handle: (ctx) => {
      const db = database(ctx);
      const views = snapshotNamespaces(ctx)
        .filter((ns) => dbOf(ns) === db)
        .map((ns) => ({ name: collOf(ns), links: selfLink(ctx, `${prefix(ctx)}/${db}/collections/${collOf(ns)}`) }));
      return { status: 200, body: paginate(views, parsePaging(ctx.query), ctx.url) };
    },
  },
  {
    name: 'getSnapshotDatabaseCollection',
    method: 'GET',
    path: `${base}/{databaseName}/collections/{collectionName}`,
    versions: [V2025_03],
    roles: NEEDS.backupManager,
    handle: (ctx) => {
      const db = database(ctx);
      const coll = ctx.params.collectionName as string;
      if (!snapshotNamespaces(ctx).includes(`${db}.${coll}`)) throw errors.namespaceNotFound('collection in this snapshot', `${db}.${coll}`);
      return { status: 200, body: { name: coll, links: selfLink(ctx, `${prefix(ctx)}/${db}/collections/${coll}`) } };
    },
  },
];
