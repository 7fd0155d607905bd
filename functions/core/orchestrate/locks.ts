import { RestoreRefusedError } from '../domain/errors.js';
import { clusterKey } from '../domain/cluster.js';
import { describeCluster, type ClusterRef } from '../plans/guards.js';

/**
 * One restore per target at a time. The create step takes the target's lock under its restore id
 * before it creates anything and notify releases it at the end. Taking it again under the same id
 * succeeds (a retried create), so the lock never stops a restore from adopting its own job.
 * A lock carries an expiry: one left behind by an execution that died holds only until then.
 */

export interface TargetLockHolder {
  restoreId: string;
  /** ISO-8601: after this the lock no longer holds. */
  until: string;
}

export interface TargetLocks {
  /** Takes the lock or throws RestoreRefusedError('TARGET_BUSY') naming the restore that holds it. */
  acquire(target: ClusterRef, restoreId: string, until: Date): Promise<void>;
  /** Releases the lock if `restoreId` holds it; anything else is left alone. */
  release(target: ClusterRef, restoreId: string): Promise<void>;
  /** Who holds the lock now, if anyone (expired locks count as free). */
  holder(target: ClusterRef): Promise<TargetLockHolder | undefined>;
  /**
   * Records, beside the locks, that restore `restoreId` sent a create to Atlas at `at` (kept until
   * `until`), so a retried create step knows a POST may have landed even when its answer was lost.
   */
  noteCreateSent(restoreId: string, at: Date, until: Date): Promise<void>;
  /** When restore `restoreId` last sent a create, if it did. */
  createSentAt(restoreId: string): Promise<Date | undefined>;
  /** Atlas refused that create (nothing can land): forgets it, so a retried create may send one. */
  forgetCreateSent(restoreId: string, until: Date): Promise<void>;
}

/** The key of a restore's create record (a separate item from any target's lock). */
export const createRecordKey = (restoreId: string): string => `create#${restoreId}`;

/** The lock key is the canonical cluster key (the same one every other comparison uses). */
export const lockKey = (t: ClusterRef): string => clusterKey(t);

export function targetBusyError(target: ClusterRef, holder: TargetLockHolder): RestoreRefusedError {
  return new RestoreRefusedError(
    'TARGET_BUSY',
    `Restore ${holder.restoreId} is already running onto ${describeCluster(target)}; wait for it to end (its lock holds until ${holder.until}) or cancel it.`,
  );
}

/** In-process locks: the local runner and tests, where one process runs every restore. */
export class MemoryTargetLocks implements TargetLocks {
  private readonly held = new Map<string, TargetLockHolder>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  // No await between the check and the set: two acquires in one tick cannot both win.
  async acquire(target: ClusterRef, restoreId: string, until: Date): Promise<void> {
    const current = this.current(target);
    if (current && current.restoreId !== restoreId) throw targetBusyError(target, current);
    this.held.set(lockKey(target), { restoreId, until: until.toISOString() });
  }

  async release(target: ClusterRef, restoreId: string): Promise<void> {
    if (this.held.get(lockKey(target))?.restoreId === restoreId) this.held.delete(lockKey(target));
  }

  async holder(target: ClusterRef): Promise<TargetLockHolder | undefined> {
    return this.current(target);
  }

  private readonly creates = new Map<string, Date>();

  async noteCreateSent(restoreId: string, at: Date): Promise<void> {
    this.creates.set(createRecordKey(restoreId), at);
  }

  async createSentAt(restoreId: string): Promise<Date | undefined> {
    return this.creates.get(createRecordKey(restoreId));
  }

  async forgetCreateSent(restoreId: string): Promise<void> {
    this.creates.delete(createRecordKey(restoreId));
  }

  private current(target: ClusterRef): TargetLockHolder | undefined {
    const h = this.held.get(lockKey(target));
    return h && Date.parse(h.until) > this.now().getTime() ? h : undefined;
  }
}
