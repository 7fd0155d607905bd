import { hashSeed } from '../random.js';
import { resolveTime } from '../time.js';
import type { ClusterConfig, SnapshotConfig, WorldConfig } from '../world.js';
import type { ClusterState, HistoryEntry, ProjectState, SnapshotState } from './model.js';

/** Turns a parsed world into live state, resolving relative times against `now`. */

const DAY = 86_400_000;

/** A stable 24-hex id derived from a name: world-less things (member snapshots, cluster ids) stay put. */
export function deriveId(...parts: string[]): string {
  const name = parts.join('/');
  return [1, 2, 3].map((i) => hashSeed(i * 7919, name).toString(16).padStart(8, '0')).join('');
}

/** Atlas-like replica set names: "atlas-<6>-shard-<n>" and "atlas-<6>-config-0". */
function replicaSetNames(clusterId: string, sharded: boolean, shards: number): string[] {
  const stem = `atlas-${clusterId.slice(-6)}`;
  if (!sharded) return [`${stem}-shard-0`];
  return [...Array.from({ length: shards }, (_, i) => `${stem}-shard-${i}`), `${stem}-config-0`];
}

export function dataVersionAt(history: HistoryEntry[], at: number): string {
  let found = history[0]?.dataVersion ?? '';
  for (const entry of history) if (entry.at <= at) found = entry.dataVersion;
  return found;
}

function buildHistory(c: ClusterConfig, now: number): HistoryEntry[] {
  const since = c.dataVersionSince === undefined ? undefined : resolveTime(c.dataVersionSince, now);
  let history: HistoryEntry[];
  if (c.history) {
    history = c.history.map((h) => ({ at: resolveTime(h.at, now), dataVersion: h.dataVersion }));
  } else {
    // No explicit history: each snapshot that names its data marks when that data was there.
    history = c.snapshots
      .filter((s) => s.dataVersion !== undefined)
      .map((s) => ({ at: resolveTime(s.createdAt, now), dataVersion: s.dataVersion as string }));
  }
  history.sort((a, b) => a.at - b.at);
  const last = history.at(-1);
  if (!last || last.dataVersion !== c.dataVersion) {
    const newestSnapshot = Math.max(...c.snapshots.map((s) => resolveTime(s.createdAt, now)), last?.at ?? -Infinity);
    const at = since ?? (Number.isFinite(newestSnapshot) ? newestSnapshot + 1_000 : now - 30 * DAY);
    history.push({ at, dataVersion: c.dataVersion });
    history.sort((a, b) => a.at - b.at);
  }
  return history;
}

export function buildSnapshot(
  cluster: Pick<ClusterState, 'id' | 'history' | 'replicaSetNames' | 'sharded' | 'namespaces'>,
  input: SnapshotConfig,
  now: number,
): SnapshotState {
  const createdAt = resolveTime(input.createdAt, now);
  return {
    id: input.id,
    createdAt,
    status: input.status,
    snapshotType: input.snapshotType,
    frequencyType: input.frequencyType,
    dataVersion: input.dataVersion ?? dataVersionAt(cluster.history, createdAt),
    ...(input.description !== undefined && { description: input.description }),
    storageSizeBytes: input.storageSizeBytes,
    ...(input.mongodVersion !== undefined && { mongodVersion: input.mongodVersion }),
    expiresAt: input.expiresAt === undefined ? createdAt + 7 * DAY : resolveTime(input.expiresAt, now),
    // The collections the cluster held when the snapshot was taken: the snapshot's own list, else the cluster's.
    namespaces: (input.namespaces ?? cluster.namespaces).map((n) => ({ name: n.name, documents: n.documents })),
    members: cluster.sharded ? cluster.replicaSetNames.map((rs) => ({ id: deriveId(cluster.id, input.id, rs), replicaSetName: rs })) : [],
  };
}

export function buildProjects(world: WorldConfig, now: number): Map<string, ProjectState> {
  const projects = new Map<string, ProjectState>();
  for (const p of world.projects) {
    const clusters = new Map<string, ClusterState>();
    p.clusters.forEach((c) => {
      const id = c.id ?? deriveId(p.id, c.name);
      const shards = c.sharded ? (c.shards ?? 2) : 1;
      const history = buildHistory(c, now);
      const cluster: ClusterState = {
        id,
        groupId: p.id,
        name: c.name,
        kind: c.kind,
        sharded: c.sharded,
        shards,
        legacyBackup: c.legacyBackup,
        mongoDBVersion: c.mongoDBVersion,
        instanceSize: c.instanceSize ?? (c.kind === 'flex' ? 'FLEX' : c.kind === 'tenant' ? 'M2' : 'M10'),
        diskSizeGB: c.diskSizeGB,
        paused: c.paused,
        pitWindowHours: c.pitWindowHours,
        createdAt: Math.min(history[0]?.at ?? now, now - 30 * DAY),
        history,
        snapshots: [],
        checkpoints: [],
        durations: c.jobDurations ?? {},
        durationSequence: [...c.durationSequence],
        replicaSetNames: replicaSetNames(id, c.sharded, shards),
        namespaces: c.namespaces.map((n) => ({ name: n.name, documents: n.documents })),
      };
      cluster.snapshots = c.snapshots.map((s) => buildSnapshot(cluster, s, now));
      cluster.checkpoints = c.checkpoints.map((k) => {
        const timestamp = resolveTime(k.timestamp, now);
        return { id: k.id, timestamp, dataVersion: k.dataVersion ?? dataVersionAt(history, timestamp), restorable: k.restorable };
      });
      clusters.set(c.name, cluster);
    });
    projects.set(p.id, { id: p.id, name: p.name, clusters });
  }
  return projects;
}
