import * as z from 'zod';
import { RestoreRefusedError } from '../domain/errors.js';
import { describeCluster, type ClusterRef } from '../plans/guards.js';
import { ClusterName, ObjectId } from '../restore/fields.js';
import { lockKey } from './locks.js';

/**
 * Holds: "do not restore onto this target for now". A person places one (a demo on staging, an
 * incident under investigation); a recovery plan places one after a successful restore so the next
 * alarm does not wipe the cluster people are examining. The create step refuses a held target
 * before any Atlas call. Holds live beside the locks (same table, own key prefix) and expire on
 * their own; a hold without `until` lasts until someone releases it.
 */

/** Every Atlas cluster, Flex included, is named under the ASCII rule: anything else cannot be a real target. */
export const HoldTarget = z.object({ groupId: ObjectId, clusterName: ClusterName }).strict();

export const TargetHold = z
  .object({
    target: HoldTarget,
    /** Who: an IAM principal ARN (HTTP), a person's name (CLI), or `plan <name> (restore <id>)`. */
    heldBy: z.string().min(1).max(512),
    reason: z.string().min(1).max(500),
    /** ISO-8601, when it was placed. */
    since: z.iso.datetime(),
    /** ISO-8601, when it ends on its own; absent: until released. */
    until: z.iso.datetime().optional(),
    /** A plan hold: the plan and the restore that placed it. */
    planName: z.string().optional(),
    restoreId: z.string().optional(),
  })
  .strict();
export type TargetHold = z.infer<typeof TargetHold>;

export interface TargetHolds {
  /** Places (or replaces) the target's hold; answers the hold it replaced, if one was in force. */
  place(hold: TargetHold): Promise<TargetHold | undefined>;
  /** Removes the target's hold; answers the hold that was in force, if any. */
  release(target: ClusterRef): Promise<TargetHold | undefined>;
  /** The hold in force on the target, if any (an expired one counts as none). */
  current(target: ClusterRef): Promise<TargetHold | undefined>;
  /** Every hold in force. */
  list(): Promise<TargetHold[]>;
}

/** Same canonical cluster key as the locks, under its own prefix so the two never collide. */
export const HOLD_KEY_PREFIX = 'hold#';
export const holdKey = (t: ClusterRef): string => `${HOLD_KEY_PREFIX}${lockKey(t)}`;

export const holdInForce = (hold: TargetHold | undefined, now: Date): hold is TargetHold =>
  !!hold && (hold.until === undefined || Date.parse(hold.until) > now.getTime());

export function targetHeldError(hold: TargetHold): RestoreRefusedError {
  const until = hold.until ? `until ${hold.until}` : 'until someone releases it';
  return new RestoreRefusedError(
    'TARGET_HELD',
    `${describeCluster(hold.target)} is held by ${hold.heldBy} ${until} (reason: ${hold.reason}); nothing was restored. Release the hold to restore onto it.`,
  );
}

/** In-process holds: tests, and the base of the local runner's file store. */
export class MemoryTargetHolds implements TargetHolds {
  protected readonly held = new Map<string, TargetHold>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  async place(hold: TargetHold): Promise<TargetHold | undefined> {
    const previous = await this.current(hold.target);
    this.held.set(holdKey(hold.target), hold);
    return previous;
  }

  async release(target: ClusterRef): Promise<TargetHold | undefined> {
    const previous = await this.current(target);
    this.held.delete(holdKey(target));
    return previous;
  }

  async current(target: ClusterRef): Promise<TargetHold | undefined> {
    const hold = this.held.get(holdKey(target));
    return holdInForce(hold, this.now()) ? hold : undefined;
  }

  async list(): Promise<TargetHold[]> {
    return [...this.held.values()].filter((h) => holdInForce(h, this.now()));
  }
}
