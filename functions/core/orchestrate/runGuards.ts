import { RestoreRefusedError } from '../domain/errors.js';
import { AD_HOC_PLAN, METRIC } from '../domain/observability.js';
import type { ExecutionInput, Trigger } from '../workflow/contract.js';
import type { StepDeps } from './deps.js';
import { targetHeldError } from './holds.js';
import type { CheckedRun } from './resolve.js';
import { cooldownRefusal, startCooldown } from './runRecords.js';

/**
 * The create step's guards over time, in the order it runs them:
 * 1. one restore per trigger event: a schedule or alarm event delivered again (EventBridge and
 *    Scheduler deliver at least once, and name executions at random) ends quietly as a duplicate;
 * 2. a held target is refused (after the plan checks, before any Atlas call);
 * 3. a plan inside its cooldown is refused; otherwise this run is recorded as its last start.
 * A dry run reads the same records and writes none.
 */

/** How long a trigger event is remembered: well past any redelivery (EventBridge retries for up to 24 h). */
const TRIGGER_MEMORY_MS = 3 * 24 * 60 * 60 * 1000;

/** What create answers for a repeated delivery; the state machine ends it in its DuplicateTrigger Succeed state. */
export interface DuplicateTriggerResult {
  duplicate: true;
  restoreId: string;
  planName: string;
  trigger: Trigger;
  /** The restore that took the event first. */
  firstRestoreId: string;
  message: string;
}

/** plan | trigger type | alarm name | the event's time (or its id when it carries no time). */
export function triggerEventKey(input: ExecutionInput): string | undefined {
  const t = input.trigger;
  if (!input.planName || (t.type !== 'schedule' && t.type !== 'alarm')) return undefined;
  // One instant, however it was written (…Z, …000Z, +00:00).
  const when = t.time ? new Date(t.time).toISOString() : t.eventId;
  return when ? [input.planName, t.type, t.alarmName ?? '-', when].join('|') : undefined;
}

export async function claimTriggerEvent(input: ExecutionInput, restoreId: string, deps: StepDeps): Promise<DuplicateTriggerResult | undefined> {
  const key = triggerEventKey(input);
  if (!key || input.dryRun) return undefined;
  const claim = await deps.runs.claimTrigger(key, restoreId, new Date(deps.now().getTime() + TRIGGER_MEMORY_MS));
  if (claim.first) return undefined;
  const planName = input.planName!;
  deps.metrics.add(METRIC.duplicateTriggers, 1, planName);
  deps.logger.info('Repeated delivery of a trigger event: nothing to do', { restoreId, firstRestoreId: claim.restoreId, triggerKey: key });
  return {
    duplicate: true,
    restoreId,
    planName,
    trigger: input.trigger,
    firstRestoreId: claim.restoreId,
    message: `This ${input.trigger.type} event was already taken by restore ${claim.restoreId}; nothing was done.`,
  };
}

export async function refuseIfHeldOrCoolingDown(run: CheckedRun, input: ExecutionInput, restoreId: string, deps: StepDeps): Promise<void> {
  const plan = run.plan?.name ?? AD_HOC_PLAN;
  const count = (metric: string) => {
    if (!input.dryRun) deps.metrics.add(metric, 1, plan);
  };
  if (run.target) {
    const hold = await deps.holds.current(run.target);
    if (hold) {
      count(METRIC.refusedByHold);
      deps.logger.info('Target held: restore refused', { restoreId, heldBy: hold.heldBy, until: hold.until });
      throw targetHeldError(hold);
    }
    run.checks.push(`target ${run.target.clusterName} is not held`);
  }
  // The plan's cooldown and the target's (a plan run's cooldown covers its target, for ad-hoc requests too).
  const cooldown = run.plan?.cooldownMinutes;
  try {
    const refusal = await cooldownRefusal(deps.runs, run.plan?.name, run.target, restoreId);
    if (refusal) throw refusal;
    if (run.plan && cooldown && !input.dryRun) await startCooldown(deps.runs, run.plan.name, run.target, restoreId, cooldown);
  } catch (err) {
    if (err instanceof RestoreRefusedError && err.code === 'COOLDOWN') count(METRIC.refusedByCooldown);
    throw err;
  }
  if (run.plan && cooldown) run.checks.push(`plan "${run.plan.name}" has not started in the last ${cooldown} minutes`);
}
