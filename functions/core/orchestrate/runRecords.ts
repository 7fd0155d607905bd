import { clusterKey, type ClusterRef } from '../domain/cluster.js';
import { RestoreRefusedError } from '../domain/errors.js';

/**
 * What the create step remembers between executions, beside the locks:
 * - which restore took each schedule or alarm event (`trigger#<key>`), so a repeated delivery of
 *   one event ends quietly as a duplicate instead of starting (or being refused as) a second restore;
 * - when each plan last started (`plan#<name>`), so a plan with `cooldownMinutes` refuses a run
 *   inside its cooldown.
 * Both are claimed with one conditional write: free, expired, or already this restore's (a retried
 * create is never its own duplicate, nor inside its own cooldown).
 */

export interface TriggerClaim {
  /** True when this restore is the first for the event. */
  first: boolean;
  /** The restore that took the event. */
  restoreId: string;
}

export interface PlanRun {
  restoreId: string;
  /** ISO-8601. */
  startedAt: string;
  /** ISO-8601: the end of the plan's cooldown. */
  cooldownUntil: string;
}

export interface RunRecords {
  /** Takes the event for `restoreId` until `until`, or answers the restore that took it first. */
  claimTrigger(key: string, restoreId: string, until: Date): Promise<TriggerClaim>;
  /** Records a start of the plan, or throws RestoreRefusedError('COOLDOWN') naming the last one. */
  startPlanRun(planName: string, restoreId: string, cooldownMinutes: number): Promise<void>;
  /** The plan's last start while its cooldown lasts, if any. */
  lastPlanRun(planName: string): Promise<PlanRun | undefined>;
}

export const TRIGGER_KEY_PREFIX = 'trigger#';
export const PLAN_KEY_PREFIX = 'plan#';

export function cooldownError(planName: string, last: PlanRun): RestoreRefusedError {
  return new RestoreRefusedError(
    'COOLDOWN',
    `Plan "${planName}" started restore ${last.restoreId} at ${last.startedAt}; its cooldown lets the next run start at ${last.cooldownUntil}. Nothing was restored.`,
  );
}

/**
 * The cooldown belongs to the target as well as the plan: a plan run with `cooldownMinutes` also
 * records its target (under this name, which no plan name can take: plan names have no space), so
 * an ad-hoc request or another plan onto the same cluster inside the cooldown is refused too.
 */
const targetRunName = (target: ClusterRef): string => `target ${clusterKey(target)}`;

function targetCooldownError(target: ClusterRef, last: PlanRun): RestoreRefusedError {
  return new RestoreRefusedError(
    'COOLDOWN',
    `Cluster "${target.clusterName}" in project ${target.groupId} was the target of restore ${last.restoreId} at ${last.startedAt}; its plan's cooldown lets the next restore onto it start at ${last.cooldownUntil}. Nothing was restored.`,
  );
}

/**
 * The one cooldown rule, for every entry (the API before it starts anything, the create step for
 * schedules, alarms, HTTP, operators and the local CLI): refused while the plan, or the target, is
 * inside a cooldown started by another restore. Reads only.
 */
export async function cooldownRefusal(
  runs: RunRecords,
  planName: string | undefined,
  target: ClusterRef | undefined,
  restoreId: string,
): Promise<RestoreRefusedError | undefined> {
  const [planLast, targetLast] = await Promise.all([
    planName ? runs.lastPlanRun(planName) : undefined,
    target ? runs.lastPlanRun(targetRunName(target)) : undefined,
  ]);
  if (planLast && planLast.restoreId !== restoreId) return cooldownError(planName!, planLast);
  if (targetLast && targetLast.restoreId !== restoreId) return targetCooldownError(target!, targetLast);
  return undefined;
}

/**
 * Records this start (after cooldownRefusal said yes): the plan's, and its target's, each with one
 * conditional write, so a start racing another still meets COOLDOWN.
 */
export async function startCooldown(runs: RunRecords, planName: string, target: ClusterRef | undefined, restoreId: string, minutes: number): Promise<void> {
  await runs.startPlanRun(planName, restoreId, minutes);
  if (!target) return;
  try {
    await runs.startPlanRun(targetRunName(target), restoreId, minutes);
  } catch (err) {
    if (err instanceof RestoreRefusedError && err.code === 'COOLDOWN') {
      const last = await runs.lastPlanRun(targetRunName(target));
      throw last ? targetCooldownError(target, last) : err;
    }
    throw err;
  }
}

/** In-process records: the local runner and tests. */
export class MemoryRunRecords implements RunRecords {
  private readonly triggers = new Map<string, { restoreId: string; until: number }>();
  private readonly plans = new Map<string, PlanRun>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  // No await between check and set: two claims in one tick cannot both win.
  async claimTrigger(key: string, restoreId: string, until: Date): Promise<TriggerClaim> {
    const taken = this.triggers.get(key);
    if (taken && taken.until > this.now().getTime() && taken.restoreId !== restoreId) return { first: false, restoreId: taken.restoreId };
    this.triggers.set(key, { restoreId, until: until.getTime() });
    return { first: true, restoreId };
  }

  async startPlanRun(planName: string, restoreId: string, cooldownMinutes: number): Promise<void> {
    const last = this.current(planName);
    if (last && last.restoreId !== restoreId) throw cooldownError(planName, last);
    const now = this.now();
    this.plans.set(planName, {
      restoreId,
      startedAt: now.toISOString(),
      cooldownUntil: new Date(now.getTime() + cooldownMinutes * 60_000).toISOString(),
    });
  }

  async lastPlanRun(planName: string): Promise<PlanRun | undefined> {
    return this.current(planName);
  }

  private current(planName: string): PlanRun | undefined {
    const last = this.plans.get(planName);
    return last && Date.parse(last.cooldownUntil) > this.now().getTime() ? last : undefined;
  }
}
