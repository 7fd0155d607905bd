import { RestoreSnapshotUnavailableError } from '../domain/errors.js';
import type { Snapshot, SnapshotChoice } from './snapshots.js';

/**
 * Picks the snapshot a plan asks for. "Latest" means the completed snapshot with the largest
 * `createdAt`: Atlas does not document the order of its lists, so list order means nothing.
 * When nothing fits, the error says how many snapshots were seen and which rule ruled out how many,
 * so the person reading it knows whether to wait for a snapshot, take one, or loosen the plan.
 */
export function chooseSnapshot(snapshots: readonly Snapshot[], choice: SnapshotChoice, now: Date): Snapshot {
  if (choice.by === 'id') return byId(snapshots, choice.id);

  const before = choice.before === undefined ? undefined : Date.parse(choice.before);
  const oldestAllowed = choice.maxAgeMinutes === undefined ? undefined : now.getTime() - choice.maxAgeMinutes * 60_000;
  const excluded = { notCompleted: 0, wrongType: 0, notBefore: 0, tooOld: 0 };
  let newestTooOld: Snapshot | undefined;
  let best: Snapshot | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;

  // Each snapshot is counted against the first rule that rules it out.
  for (const s of snapshots) {
    const at = Date.parse(s.createdAt);
    if (s.status !== 'completed' || Number.isNaN(at)) excluded.notCompleted++;
    else if (choice.snapshotType !== undefined && s.snapshotType !== choice.snapshotType) excluded.wrongType++;
    else if (before !== undefined && at >= before) excluded.notBefore++;
    else if (oldestAllowed !== undefined && at < oldestAllowed) {
      excluded.tooOld++;
      if (!newestTooOld || at > Date.parse(newestTooOld.createdAt)) newestTooOld = s;
    } else if (at > bestAt) {
      best = s;
      bestAt = at;
    }
  }
  if (best) return best;

  if (snapshots.length === 0)
    throw new RestoreSnapshotUnavailableError(
      'No snapshot fits the plan: the source cluster has no snapshots yet. Take an on-demand snapshot or wait for the scheduled one.',
    );
  const reasons = [
    excluded.notCompleted > 0 && `${excluded.notCompleted} not completed (queued, in progress or failed)`,
    excluded.wrongType > 0 && `${excluded.wrongType} not of type ${choice.snapshotType}`,
    excluded.notBefore > 0 && `${excluded.notBefore} taken at or after ${choice.before}`,
    excluded.tooOld > 0 &&
      `${excluded.tooOld} older than ${choice.maxAgeMinutes} minutes` + (newestTooOld ? ` (the newest of them was taken ${newestTooOld.createdAt})` : ''),
  ].filter((r): r is string => typeof r === 'string');
  throw new RestoreSnapshotUnavailableError(
    `No snapshot fits the plan: of ${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'} seen, ${reasons.join('; ')}. ` +
      'Wait for the next snapshot, take an on-demand one, or loosen the plan.',
  );
}

function byId(snapshots: readonly Snapshot[], id: string): Snapshot {
  const found = snapshots.find((s) => s.id === id);
  if (!found)
    throw new RestoreSnapshotUnavailableError(
      `Snapshot ${id} is not among the ${snapshots.length} snapshots of the source cluster: check the id and the source, or whether it has expired`,
    );
  if (found.status !== 'completed')
    throw new RestoreSnapshotUnavailableError(`Snapshot ${id} is ${found.status}, not completed: Atlas restores only completed snapshots`);
  return found;
}
