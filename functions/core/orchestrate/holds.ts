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

/**
 * A change made only if the hold in force is still `expected` (null: none in force); otherwise the
 * store throws HOLD_CHANGED and changes nothing. Without it the change is unconditional (a plan's
 * own hold after its restore).
 */
export interface HoldCondition {
  expected: TargetHold | null;
}

export interface TargetHolds {
  /** Places (or replaces) the target's hold; answers the hold it replaced, if one was in force. */
  place(hold: TargetHold, condition?: HoldCondition): Promise<TargetHold | undefined>;
  /** Removes the target's hold; answers the hold that was in force, if any. */
  release(target: ClusterRef, condition?: HoldCondition): Promise<TargetHold | undefined>;
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

/**
 * Who asks to place, release, shorten or replace a hold. `principal` is the caller's IAM principal
 * (the API's request context) or the local login name (the CLI); undefined when the request said
 * no identity, which owns nothing.
 */
export interface HoldCaller {
  principal: string | undefined;
  /** The plans file's holdAdministrators name this principal. */
  administrator: boolean;
}

/** `*` matches any run of characters; everything else literally, case as written (ARNs are). */
function principalPatternMatches(pattern: string, principal: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(principal);
}

export function holdCaller(principal: string | undefined, administrators: readonly string[]): HoldCaller {
  return { principal, administrator: principal !== undefined && administrators.some((p) => principalPatternMatches(p, principal)) };
}

/** A plan's hold (holdAfterSuccess) belongs to the plan: no person owns it. */
const isPlanHold = (hold: TargetHold): boolean => hold.planName !== undefined;

/**
 * Why this caller may not release, shorten or replace the hold in force (undefined when they may):
 * only its owner or a hold administrator; a plan's hold only an administrator. No hold in force:
 * anyone may place one.
 */
function holdChangeRefusal(existing: TargetHold | undefined, caller: HoldCaller, change: 'release' | 'replace'): RestoreRefusedError | undefined {
  if (!existing || caller.administrator) return undefined;
  const what = `${describeCluster(existing.target)} is held by ${existing.heldBy} ${existing.until ? `until ${existing.until}` : 'until released'} (reason: ${existing.reason})`;
  if (isPlanHold(existing))
    return new RestoreRefusedError('HOLD_NOT_YOURS', `${what}: a plan's hold may be ${change === 'release' ? 'released' : 'replaced'} only by a hold administrator (holdAdministrators in the plans file).`);
  if (caller.principal !== undefined && existing.heldBy === caller.principal) return undefined;
  return new RestoreRefusedError(
    'HOLD_NOT_YOURS',
    `${what}: only ${existing.heldBy} or a hold administrator (holdAdministrators in the plans file) may release, shorten or replace it.`,
  );
}

export const holdChangedError = (target: ClusterRef): RestoreRefusedError =>
  new RestoreRefusedError('HOLD_CHANGED', `The hold on ${describeCluster(target)} changed while this request was answered; read it again and retry.`);

/** The same hold (the one read before a change): who placed it and when. */
const sameHold = (a: TargetHold | undefined, b: TargetHold | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.heldBy === b.heldBy && a.since === b.since && a.until === b.until;

/**
 * Places `hold` as `caller`: refused (HOLD_NOT_YOURS) when another's hold is in force, and written
 * only if the hold in force is still the one checked, so two callers racing cannot slip past.
 */
export async function placeHoldAs(holds: TargetHolds, hold: TargetHold, caller: HoldCaller): Promise<TargetHold | undefined> {
  const existing = await holds.current(hold.target);
  const refusal = holdChangeRefusal(existing, caller, 'replace');
  if (refusal) throw refusal;
  return holds.place(hold, { expected: existing ?? null });
}

/** Releases the hold in force as `caller` (same rules); undefined when there is none. */
export async function releaseHoldAs(holds: TargetHolds, target: ClusterRef, caller: HoldCaller): Promise<TargetHold | undefined> {
  const existing = await holds.current(target);
  if (!existing) return undefined;
  const refusal = holdChangeRefusal(existing, caller, 'release');
  if (refusal) throw refusal;
  return holds.release(target, { expected: existing });
}

/** In-process holds: tests, and the base of the local runner's file store. */
export class MemoryTargetHolds implements TargetHolds {
  protected readonly held = new Map<string, TargetHold>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  async place(hold: TargetHold, condition?: HoldCondition): Promise<TargetHold | undefined> {
    const previous = this.inForce(hold.target);
    if (condition && !sameHold(previous, condition.expected ?? undefined)) throw holdChangedError(hold.target);
    this.held.set(holdKey(hold.target), hold);
    return previous;
  }

  async release(target: ClusterRef, condition?: HoldCondition): Promise<TargetHold | undefined> {
    const previous = this.inForce(target);
    if (condition && !sameHold(previous, condition.expected ?? undefined)) throw holdChangedError(target);
    this.held.delete(holdKey(target));
    return previous;
  }

  /** Read and change in one turn of the event loop: nothing else runs between them. */
  private inForce(target: ClusterRef): TargetHold | undefined {
    const hold = this.held.get(holdKey(target));
    return holdInForce(hold, this.now()) ? hold : undefined;
  }

  async current(target: ClusterRef): Promise<TargetHold | undefined> {
    const hold = this.held.get(holdKey(target));
    return holdInForce(hold, this.now()) ? hold : undefined;
  }

  async list(): Promise<TargetHold[]> {
    return [...this.held.values()].filter((h) => holdInForce(h, this.now()));
  }
}
