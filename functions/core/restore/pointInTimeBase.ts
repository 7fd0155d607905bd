import { RestoreRequestInvalidError } from '../domain/errors.js';
import type { Snapshot } from './snapshots.js';

/**
 * The snapshot a point-in-time restore starts from: Atlas restores the newest completed snapshot
 * taken at or before the time, then replays the oplog up to it. Without one Atlas refuses the
 * restore (its UNABLE_T0_FIND_SNAPSHOT_PRIOR_TO_PIT_RESTORE_OPTIME); we refuse first, saying which
 * time was asked for and how far back the snapshots go, so the person knows what to change.
 */
export function pointInTimeBase(snapshots: readonly Snapshot[], atSeconds: number, field: string): Snapshot {
  const at = atSeconds * 1000;
  const completed = snapshots.filter((s) => s.status === 'completed' && !Number.isNaN(Date.parse(s.createdAt)));
  let base: Snapshot | undefined;
  let oldest: Snapshot | undefined;
  for (const s of completed) {
    const taken = Date.parse(s.createdAt);
    if (taken <= at && (!base || taken > Date.parse(base.createdAt))) base = s;
    if (!oldest || taken < Date.parse(oldest.createdAt)) oldest = s;
  }
  if (base) return base;
  const time = new Date(at).toISOString();
  const rule = oldest
    ? `no completed snapshot of the source was taken at or before ${time}, so a point-in-time restore has nothing to start from; the oldest is ${oldest.id}, taken ${oldest.createdAt}`
    : `the source has no completed snapshot, so a point-in-time restore to ${time} has nothing to start from`;
  throw new RestoreRequestInvalidError([{ path: field, rule }]);
}
