import { METRIC } from '../domain/observability.js';
import type { PlansConfig } from '../plans/schema.js';
import { restoreTarget } from '../restore/request.js';
import type { NotifyInput, ReportOutcome } from '../workflow/contract.js';
import type { StepLogger, StepMetrics } from './deps.js';
import type { TargetHold, TargetHolds } from './holds.js';

/**
 * A recovery plan's `holdAfterSuccess`: once its restore succeeded, the target is held (for N hours
 * or until released) so the next alarm cannot wipe what people are examining. Called by notify
 * before it releases the target's lock, so there is no moment when the target is neither locked
 * nor held. A hold already in force that lasts as long or longer (a person's) is left as it is.
 */

export interface PlanHoldDeps {
  plans: PlansConfig;
  holds: TargetHolds;
  now(): Date;
  logger: StepLogger;
  metrics: StepMetrics;
}

/**
 * Places the plan's hold when it has one. `placed` is false when it could not, so the caller keeps
 * the lock instead; `held` says which hold now stands on the target (the plan's, or a longer one
 * already there), for the report and the history.
 */
export async function holdAfterSuccess(input: NotifyInput, outcome: ReportOutcome, deps: PlanHoldDeps): Promise<{ placed: boolean; held?: TargetHold }> {
  const restore = input.restore;
  if (outcome !== 'SUCCEEDED' || !restore?.planName) return { placed: true };
  const rule = deps.plans.plans.find((p) => p.name === restore.planName)?.holdAfterSuccess;
  const target = restoreTarget(restore.request);
  if (!rule || !target) return { placed: true };
  const now = deps.now();
  const hold: TargetHold = {
    target: { groupId: target.groupId, clusterName: target.clusterName },
    heldBy: `plan ${restore.planName} (restore ${restore.restoreId})`,
    reason: `the restore ${restore.restoreId} succeeded and the plan keeps its target for examination`,
    since: now.toISOString(),
    ...('hours' in rule ? { until: new Date(now.getTime() + rule.hours * 3_600_000).toISOString() } : {}),
    planName: restore.planName,
    restoreId: restore.restoreId,
  };
  try {
    const existing = await deps.holds.current(target);
    if (existing && outlasts(existing, hold)) return { placed: true, held: existing };
    await deps.holds.place(hold);
  } catch (err) {
    // The lock still protects the target until it expires (the plan's deadline + 1 h).
    deps.logger.warn('Could not hold the target after the restore: it stays locked until the lock expires', { errorName: (err as Error)?.name });
    return { placed: false };
  }
  deps.metrics.add(METRIC.holdsPlaced, 1, restore.planName);
  deps.logger.info('Target held after a successful restore', { restoreId: restore.restoreId, until: hold.until ?? 'released' });
  return { placed: true, held: hold };
}

const outlasts = (a: TargetHold, b: TargetHold) => a.until === undefined || (b.until !== undefined && a.until >= b.until);
