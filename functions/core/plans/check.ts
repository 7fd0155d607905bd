import { RestorePlanNotFoundError, RestoreRefusedError, type FieldProblem } from '../errors.js';
import { ClusterName, DeploymentItemName } from '../restore/fields.js';
import type { PlanOverrides, Trigger } from '../workflow/contract.js';
import type { ClusterRef } from './guards.js';
import type { Plan, PlansConfig } from './schema.js';

/**
 * Plan-level checks that need no Atlas call, shared by the API (answer 4xx before starting) and the
 * create step (refuse before creating anything).
 */

export function findPlan(config: PlansConfig, planName: string): Plan {
  const plan = config.plans.find((p) => p.name === planName);
  if (!plan) {
    const known = config.plans.map((p) => p.name).join(', ') || 'none';
    throw new RestorePlanNotFoundError(`No plan named "${planName}" is configured (configured plans: ${known})`);
  }
  return plan;
}

/** A plan only runs from the triggers it lists; `manual` (the local runner, an operator) always may. */
export function checkTriggerAllowed(plan: Plan, trigger: Trigger): void {
  const refuse = (why: string) => {
    throw new RestoreRefusedError('TRIGGER_NOT_ALLOWED', `Plan "${plan.name}" ${why}`);
  };
  if (trigger.type === 'http' && !plan.triggers.http) refuse('cannot be started over HTTP (its triggers.http is false)');
  if (trigger.type === 'schedule' && !plan.triggers.schedule) refuse('has no schedule, so a scheduled start is refused');
  if (trigger.type === 'alarm') {
    if (!trigger.alarmName) refuse('was started by an alarm that did not say its name');
    else if (!plan.triggers.alarms.includes(trigger.alarmName))
      refuse(`does not list alarm "${trigger.alarmName}" in triggers.alarms (${plan.triggers.alarms.join(', ') || 'none'})`);
  }
}

/** Which `allowOverrides` entry each override field needs. */
const OVERRIDE_PERMISSION = { snapshotId: 'snapshotId', pointInTimeUTCSeconds: 'pointInTime', target: 'target' } as const;

/** Every override the plan does not allow or that does not fit it, as `overrides.<field>` problems. */
export function overrideProblems(plan: Plan, overrides: PlanOverrides, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, rule: string) => problems.push({ path: `overrides.${field}`, rule });
  for (const field of Object.keys(overrides) as (keyof PlanOverrides)[]) {
    if (overrides[field] === undefined) continue;
    if (!plan.allowOverrides.includes(OVERRIDE_PERMISSION[field]))
      add(field, `is not allowed by plan "${plan.name}" (its allowOverrides: ${plan.allowOverrides.join(', ') || 'none'})`);
  }
  if (problems.length) return problems;

  const type = plan.restore.type;
  if (overrides.snapshotId !== undefined && type === 'pointInTime')
    add('snapshotId', 'does not apply to a pointInTime plan (override pointInTimeUTCSeconds instead)');
  if (overrides.pointInTimeUTCSeconds !== undefined) {
    if (type !== 'pointInTime') add('pointInTimeUTCSeconds', `does not apply to a ${type} plan`);
    else if (overrides.pointInTimeUTCSeconds > Math.floor(now.getTime() / 1000)) add('pointInTimeUTCSeconds', 'must not be in the future');
  }
  if (overrides.target !== undefined) {
    if (type === 'download') add('target', 'does not apply to a download plan: nothing is restored onto a cluster');
    else {
      const dedicated = plan.source.kind === 'cloud' || plan.source.kind === 'legacy';
      const rule = (dedicated ? ClusterName : DeploymentItemName).safeParse(overrides.target.clusterName);
      if (!rule.success) add('target.clusterName', rule.error.issues[0]?.message ?? 'is not a valid cluster name');
    }
  }
  return problems;
}

/** The cluster a plan run would overwrite (the override wins), or undefined for a download. */
export function planTarget(plan: Plan, overrides: PlanOverrides | undefined): ClusterRef | undefined {
  if (plan.restore.type === 'download') return undefined;
  return overrides?.target ?? plan.restore.target;
}
