import type { ClusterFacts, ClusterKind } from './clusterFacts.js';

/**
 * The preflight's rules about Atlas itself, pure: each takes the facts Atlas gave and answers one
 * check, passed or failed, in one line that shows the fact it used. orchestrate/preflight.ts reads
 * the facts and runs them. Each rule says where Atlas documents it; a rule marked "inferred" is
 * what Atlas (and the simulator, docs/simulator.md) do without a page that says so.
 */

/** Why a preflight refused: the refusal's code (domain/errors.ts `RefusalCode`). */
type PreflightFailure = 'OUTSIDE_RESTORE_WINDOW' | 'TARGET_NOT_RESTORABLE' | 'MISSING_ROLE';

export interface PreflightCheck {
  ok: boolean;
  /** One line for people, with the Atlas fact it rests on. */
  line: string;
  /** Set on a failed check. */
  failure?: PreflightFailure;
}

const pass = (line: string): PreflightCheck => ({ ok: true, line });
const fail = (failure: PreflightFailure, line: string): PreflightCheck => ({ ok: false, line, failure });
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export interface RestoreWindow {
  /** Epoch ms: the later of (now - restoreWindowDays) and the oldest completed snapshot. */
  from: number;
  /** Epoch ms: now. */
  to: number;
}

/**
 * The window a point in time must fall in. Atlas "Restore from a Point in Time" (Continuous Cloud
 * Backup): you restore to any moment within the restore window (`restoreWindowDays` of the backup
 * schedule) that follows a snapshot; Atlas refuses other moments with 400 INVALID_PIT_RESTORE_TIME
 * or 404 UNABLE_T0_FIND_SNAPSHOT_PRIOR_TO_PIT_RESTORE_OPTIME.
 */
export function restoreWindow(now: number, restoreWindowDays: number, oldestCompletedSnapshot: number | undefined): RestoreWindow | undefined {
  if (oldestCompletedSnapshot === undefined) return undefined;
  return { from: Math.max(now - restoreWindowDays * 24 * 60 * 60 * 1000, oldestCompletedSnapshot), to: now };
}

export function checkPointInTime(cluster: string, window: RestoreWindow | undefined, askedMs: number, pitEnabled: boolean): PreflightCheck {
  if (!pitEnabled) return fail('OUTSIDE_RESTORE_WINDOW', `point in time: continuous cloud backup is off on ${cluster}, so it has no restorable window; asked for ${iso(askedMs)}`);
  if (!window) return fail('OUTSIDE_RESTORE_WINDOW', `point in time: ${cluster} has no completed snapshot to restore from; asked for ${iso(askedMs)}`);
  const words = `restorable from ${iso(window.from)} to ${iso(window.to)}; asked for ${iso(askedMs)}`;
  if (askedMs < window.from || askedMs > window.to) return fail('OUTSIDE_RESTORE_WINDOW', `point in time outside ${cluster}'s restore window: ${words}`);
  return pass(`point in time inside ${cluster}'s restore window: ${words}`);
}

/** Which kinds of cluster each restore can write (Atlas "Restore from a Scheduled or On-Demand Snapshot", "Flex clusters"). */
export const WRITABLE_KINDS: Record<'cloud' | 'collection' | 'flex' | 'legacy', readonly ClusterKind[]> = {
  cloud: ['dedicated'],
  collection: ['dedicated'],
  // A Flex snapshot restores onto a Flex or a dedicated cluster (Atlas "Flex cluster backups").
  flex: ['flex', 'dedicated'],
  legacy: ['dedicated'],
};

export function checkTargetKind(target: ClusterFacts, restore: keyof typeof WRITABLE_KINDS): PreflightCheck {
  const allowed = WRITABLE_KINDS[restore];
  const name = target.ref.clusterName;
  if (!allowed.includes(target.kind)) return fail('TARGET_NOT_RESTORABLE', `target ${name} is a ${target.kind} cluster; a ${restore} restore writes only ${allowed.join(' or ')} clusters`);
  return pass(`target ${name} is a ${target.kind} cluster: a ${restore} restore can write it`);
}

/** Atlas refuses a restore onto a paused cluster (400 CLUSTER_PAUSED_CANNOT_RESTORE; Atlas "Pause, Resume, or Terminate a Cluster"). */
export function checkNotPaused(target: ClusterFacts): PreflightCheck {
  const name = target.ref.clusterName;
  return target.paused ? fail('TARGET_NOT_RESTORABLE', `target ${name} is paused: Atlas does not restore onto a paused cluster; resume it first`) : pass(`target ${name} is not paused`);
}

const majorNumber = (major: string) => Number(major.split('.')[0]);

/**
 * Atlas "Back Up, Restore, and Archive Data" / "Restore from a Scheduled or On-Demand Snapshot":
 * the target runs the snapshot's major version or the next higher one, never an older one. "Next"
 * is the next release series (7.0 → 8.0); 5.0-era rapid releases are not modelled (inferred).
 * Flex and shared-tier snapshots need the same major (the tenant endpoints' own text).
 */
export function checkVersion(target: ClusterFacts, snapshotMajor: string | undefined, sameOnly: boolean): PreflightCheck {
  const name = target.ref.clusterName;
  if (!target.major || !snapshotMajor) return pass(`target ${name}: MongoDB version not stated by Atlas (target ${target.major ?? '?'}, snapshot ${snapshotMajor ?? '?'}); not checked`);
  const diff = majorNumber(target.major) - majorNumber(snapshotMajor);
  const facts = `target ${name} runs ${target.major}, snapshot ${snapshotMajor}`;
  if (diff === 0) return pass(`${facts}: same major, allowed`);
  if (diff === 1 && !sameOnly) return pass(`${facts}: next major, allowed`);
  if (diff < 0) return fail('TARGET_NOT_RESTORABLE', `${facts}: the target is older than the snapshot; Atlas restores only onto the same or the next major`);
  return fail('TARGET_NOT_RESTORABLE', `${facts}: ${sameOnly ? 'this kind restores only onto the same major' : 'more than one major apart; Atlas restores only onto the same or the next major'}`);
}

/**
 * Atlas "Restore from a Scheduled or On-Demand Snapshot": a sharded snapshot restores only onto a
 * sharded cluster with the same number of shards; it cannot go onto a replica set. A replica-set
 * snapshot onto a sharded cluster is refused as well (inferred: Atlas and the simulator refuse it).
 */
export function checkTopology(target: ClusterFacts, source: Pick<ClusterFacts, 'sharded' | 'shards'>): PreflightCheck {
  const name = target.ref.clusterName;
  const shape = (c: Pick<ClusterFacts, 'sharded' | 'shards'>) => (c.sharded ? `sharded, ${c.shards} shards` : 'a replica set');
  const facts = `snapshot is ${shape(source)}, target ${name} is ${shape(target)}`;
  if (source.sharded !== target.sharded || (source.sharded && source.shards !== target.shards)) return fail('TARGET_NOT_RESTORABLE', `${facts}: the topology does not fit`);
  return pass(`${facts}: the topology fits`);
}

/**
 * Inferred (no Atlas page states it for Cloud Backup restores; Atlas's restore-from-Cloud-Manager
 * page asks for "sufficient storage space"): the target's disk holds at least the snapshot.
 */
export function checkDisk(target: ClusterFacts, snapshotBytes: number | undefined): PreflightCheck {
  const name = target.ref.clusterName;
  if (target.diskSizeGB === undefined || snapshotBytes === undefined) return pass(`target ${name}: disk size or snapshot size not stated by Atlas; not checked (inferred rule)`);
  const gb = snapshotBytes / 1024 ** 3;
  const facts = `snapshot is ${gb.toFixed(1)} GB, target ${name} has ${target.diskSizeGB} GB of disk`;
  return gb > target.diskSizeGB ? fail('TARGET_NOT_RESTORABLE', `${facts}: not enough disk (inferred rule)`) : pass(`${facts}: enough disk (inferred rule)`);
}
