import type { JobFamily, JobKind } from '../world.js';

/** The simulator's live state: plain records the resource modules read and the store changes. */

export interface HistoryEntry {
  at: number;
  dataVersion: string;
}

export interface SnapshotState {
  id: string;
  createdAt: number;
  status: 'queued' | 'inProgress' | 'completed' | 'failed';
  snapshotType: 'scheduled' | 'onDemand' | 'fallback';
  frequencyType: 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
  dataVersion: string;
  description?: string;
  storageSizeBytes: number;
  /** Set when the snapshot was taken on another version than the cluster runs now. */
  mongodVersion?: string;
  expiresAt: number;
  /** Sharded clusters: one member snapshot per shard and the config server. */
  members: { id: string; replicaSetName: string }[];
  /** The collections it holds, for collection-level restores. */
  namespaces: { name: string; documents: number }[];
}

export interface CheckpointState {
  id: string;
  timestamp: number;
  dataVersion: string;
  restorable: boolean;
}

export interface ClusterState {
  id: string;
  groupId: string;
  name: string;
  kind: 'dedicated' | 'flex' | 'tenant';
  sharded: boolean;
  shards: number;
  legacyBackup: boolean;
  mongoDBVersion: string;
  instanceSize: string;
  diskSizeGB: number;
  paused: boolean;
  pitWindowHours: number;
  createdAt: number;
  /** Oldest first; the last entry is the data the cluster holds now. */
  history: HistoryEntry[];
  snapshots: SnapshotState[];
  checkpoints: CheckpointState[];
  durations: Partial<Record<JobKind, number>>;
  durationSequence: number[];
  /** Replica set names: one per shard, then the config server (sharded), or one. */
  replicaSetNames: string[];
  /**
   * The collections it holds. Each holds the cluster's data unless a collection-level restore wrote
   * it since (`dataVersion`), so a test can tell which collections a restore changed.
   */
  namespaces: NamespaceState[];
}

interface NamespaceState {
  name: string;
  documents: number;
  /** Set by a collection-level restore; cleared when a whole-cluster restore replaces everything. */
  dataVersion?: string;
}

export interface ProjectState {
  id: string;
  name: string;
  clusters: Map<string, ClusterState>;
}

export type Outcome = 'succeed' | 'fail' | 'expire' | 'kill' | 'hang';

/** Where a job is at one moment, in the simulator's own words (each family maps it to Atlas's). */
export type Phase = 'queued' | 'running' | 'succeeded' | 'failed' | 'expired' | 'killed' | 'cancelled';

export interface JobState {
  id: string;
  /** Creation order (ties in createdAt are common on a manual clock). */
  seq: number;
  family: JobFamily;
  kind: JobKind;
  groupId: string;
  clusterName: string;
  createdAt: number;
  durationMs: number;
  /** undefined: the job never finishes ("hang"). */
  finishAt: number | undefined;
  outcome: Outcome;
  cancelledAt?: number;
  snapshotId?: string;
  /** Destructive restores: the cluster whose data a success replaces. */
  target?: { groupId: string; clusterName: string };
  /** The data a success writes to the target, or a download holds. */
  dataVersion: string;
  /** Downloads: when the link dies (finishAt + link lifetime). */
  linkExpiresAt?: number;
  /** Legacy sharded restores: the jobs of one request share a batch; data moves when all succeed. */
  batchId?: string;
  replicaSetName?: string;
  settled: boolean;
  /** Request fields each family echoes back (pointInTimeUTCSeconds, delivery, ...). */
  details: Record<string, unknown>;
}

export const isDownload = (job: JobState): boolean => job.kind.endsWith('.download');

/** The phase of a job at `now`. Pure: every view and every rule reads the same answer. */
export function phaseAt(job: JobState, now: number): Phase {
  if (job.cancelledAt !== undefined && job.cancelledAt <= now) return 'cancelled';
  if (job.finishAt === undefined || now < job.finishAt) {
    // The first fifth of a job's time is spent queued (flex/tenant show PENDING, then QUEUED).
    const queuedFor = job.finishAt === undefined ? 60_000 : job.durationMs / 5;
    return now < job.createdAt + queuedFor ? 'queued' : 'running';
  }
  switch (job.outcome) {
    case 'fail':
      return 'failed';
    case 'expire':
      return 'expired';
    case 'kill':
      return 'killed';
    default:
      return job.linkExpiresAt !== undefined && now >= job.linkExpiresAt ? 'expired' : 'succeeded';
  }
}

export const isActive = (phase: Phase): boolean => phase === 'queued' || phase === 'running';
