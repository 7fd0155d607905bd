import { NEEDS } from '../auth/roles.js';
import { errors, SimApiError } from '../errors.js';
import { everything, paginate, parsePaging } from '../http/pagination.js';
import type { Operation, RequestContext } from '../http/router.js';
import { V2023 } from '../http/versions.js';
import { deriveId } from '../state/build.js';
import type { ClusterState, SnapshotState } from '../state/model.js';
import { iso } from '../time.js';
import { clusterFor, selfLink } from './common.js';

/**
 * Cloud Backup snapshots: the replica set list and one snapshot, and the sharded-cluster list and
 * one sharded snapshot (members per shard and config server). Lists are newest first.
 */

const newestFirst = (snapshots: SnapshotState[]) => [...snapshots].sort((a, b) => b.createdAt - a.createdAt);

function common(c: ClusterState, s: SnapshotState) {
  return {
    id: s.id,
    createdAt: iso(s.createdAt),
    expiresAt: iso(s.expiresAt),
    status: s.status,
    snapshotType: s.snapshotType,
    frequencyType: s.frequencyType,
    mongodVersion: s.mongodVersion ?? c.mongoDBVersion,
    storageSizeBytes: s.storageSizeBytes,
    policyItems: s.snapshotType === 'scheduled' ? [deriveId(c.id, 'policy', s.frequencyType)] : [],
    ...(s.description !== undefined && { description: s.description }),
  };
}

function replicaSetSnapshotView(ctx: RequestContext, c: ClusterState, s: SnapshotState) {
  return {
    ...common(c, s),
    cloudProvider: 'AWS',
    copyRegions: [],
    type: c.sharded ? 'shardedCluster' : 'replicaSet',
    ...(!c.sharded && { replicaSetName: c.replicaSetNames[0] }),
    links: selfLink(ctx, `/groups/${c.groupId}/clusters/${c.name}/backup/snapshots/${s.id}`),
  };
}

function shardedSnapshotView(ctx: RequestContext, c: ClusterState, s: SnapshotState) {
  return {
    ...common(c, s),
    type: 'shardedCluster',
    configServerType: 'DEDICATED',
    members: s.members.map((m) => ({ cloudProvider: 'AWS', id: m.id, replicaSetName: m.replicaSetName })),
    snapshotIds: s.members.map((m) => m.id),
    links: selfLink(ctx, `/groups/${c.groupId}/clusters/${c.name}/backup/snapshots/shardedCluster/${s.id}`),
  };
}

/** `pointInTimeUtcSeconds`, or `oplogTs` with `oplogInc`: only the closest completed snapshot before it. */
function pointInTimeFilter(query: URLSearchParams): number | undefined {
  const pit = query.get('pointInTimeUtcSeconds');
  const ts = query.get('oplogTs');
  const inc = query.get('oplogInc');
  if (pit !== null && (ts !== null || inc !== null))
    throw new SimApiError(
      400,
      'MUTUALLY_EXCLUSIVE_QUERY_PARAMETERS',
      'Either the pointInTimeUtcSeconds query parameter or the oplogTs query parameter but not both should be specified.',
      ['pointInTimeUtcSeconds', 'oplogTs'],
    );
  if ((ts === null) !== (inc === null)) {
    const missing = ts === null ? 'oplogTs' : 'oplogInc';
    throw new SimApiError(400, 'MISSING_QUERY_PARAMETER', `The required query parameter ${missing} was not specified.`, [missing]);
  }
  const raw = pit ?? ts;
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw errors.invalidQuery(pit !== null ? 'pointInTimeUtcSeconds' : 'oplogTs', 'must be epoch seconds');
  return Number(raw) * 1000;
}

export function findSnapshot(c: ClusterState, id: string): SnapshotState {
  const s = c.snapshots.find((x) => x.id === id);
  if (!s) throw errors.snapshotNotFound(id, c.name);
  return s;
}

const base = '/groups/{groupId}/clusters/{clusterName}/backup/snapshots';

export const snapshotOperations: Operation[] = [
  {
    name: 'listBackupSnapshots',
    method: 'GET',
    path: base,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'cloudBackup');
      const paging = parsePaging(ctx.query);
      const before = pointInTimeFilter(ctx.query);
      let snapshots = newestFirst(c.snapshots);
      if (before !== undefined) snapshots = snapshots.filter((s) => s.status === 'completed' && s.createdAt <= before).slice(0, 1);
      return { status: 200, body: paginate(snapshots.map((s) => replicaSetSnapshotView(ctx, c, s)), paging, ctx.url) };
    },
  },
  {
    name: 'getClusterBackupSnapshot',
    method: 'GET',
    path: `${base}/{snapshotId}`,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'cloudBackup');
      return { status: 200, body: replicaSetSnapshotView(ctx, c, findSnapshot(c, ctx.params.snapshotId as string)) };
    },
  },
  {
    name: 'listBackupShardedClusters',
    method: 'GET',
    path: `${base}/shardedClusters`,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'cloudBackup');
      const snapshots = c.sharded ? newestFirst(c.snapshots) : [];
      return { status: 200, body: everything(snapshots.map((s) => shardedSnapshotView(ctx, c, s)), ctx.url) };
    },
  },
  {
    name: 'getBackupShardedCluster',
    method: 'GET',
    path: `${base}/shardedCluster/{snapshotId}`,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const c = clusterFor(ctx, 'cloudBackup');
      const id = ctx.params.snapshotId as string;
      if (!c.sharded) throw errors.snapshotNotFound(id, c.name);
      return { status: 200, body: shardedSnapshotView(ctx, c, findSnapshot(c, id)) };
    },
  },
];
