import { RestorePlanNotFoundError, RestoreRefusedError, type FieldProblem } from '../domain/errors.js';
import { ruleOf } from '../domain/issueRule.js';
import { ClusterName } from '../restore/fields.js';
import type { PlanOverrides } from './overrides.js';
import type { Trigger } from './trigger.js';
import { guardedTarget, restoreTarget, type RestoreRequest } from '../restore/request.js';
import { checkAdHocAllowed, NO_AD_HOC } from './adHoc.js';
import { checkTargetGuards, type ClusterRef } from './guards.js';
import { harmOfRequest } from './targetHarm.js';
import type { Plan, PlansConfig } from './schema.js';
import { planPointInTime } from './planMoment.js';

/**
 * Plan-level checks that need no Atlas call, shared by the API (answer 4xx before starting) and the
 * create step (refuse before creating anything).
 */

/**
 * The plan by name. When it is not there, the message lists only the plans this trigger could
 * start (an HTTP caller learns nothing about plans it cannot run), or none when no trigger is given.
 */
export function findPlan(config: PlansConfig, planName: string, trigger?: Trigger): Plan {
  const plan = config.plans.find((p) => p.name === planName);
  if (!plan) {
    const startable = trigger ? config.plans.filter((p) => triggerRefusal(p, trigger) === undefined) : [];
    const known = startable.map((p) => p.name).join(', ') || 'none';
    const which = trigger ? `plans ${WHO[trigger.type]} may start: ${known}` : 'see the plans file';
    throw new RestorePlanNotFoundError(`No plan named "${truncate(planName, 64)}" is configured (${which})`);
  }
  return plan;
}

const WHO: Record<Trigger['type'], string> = { http: 'an HTTP caller', schedule: 'a schedule', alarm: 'an alarm', manual: 'an operator' };

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Why this trigger may not start this plan, or undefined when it may. */
function triggerRefusal(plan: Plan, trigger: Trigger): string | undefined {
  if (trigger.type === 'http' && !plan.triggers.http) return 'cannot be started over HTTP (it does not list triggers.http: true)';
  if (trigger.type === 'schedule' && !plan.triggers.schedule) return 'has no schedule, so a scheduled start is refused';
  if (trigger.type === 'manual' && !plan.triggers.manual) return 'cannot be started by an operator directly (it does not list triggers.manual: true)';
  if (trigger.type === 'alarm') {
    if (!trigger.alarmName) return 'was started by an alarm that did not say its name';
    if (!plan.triggers.alarms.includes(trigger.alarmName))
      return `does not list alarm "${truncate(trigger.alarmName, 255)}" in triggers.alarms (${plan.triggers.alarms.join(', ') || 'none'})`;
  }
  return undefined;
}

/**
 * A plan only runs from the triggers it lists (closed unless listed). `manual` is an operator
 * starting the workflow directly (states:StartExecution, the local CLI): allowed only when the plan
 * says triggers.manual true; `http` only when it says triggers.http true.
 */
export function checkTriggerAllowed(plan: Plan, trigger: Trigger): void {
  const why = triggerRefusal(plan, trigger);
  if (why !== undefined) throw new RestoreRefusedError('TRIGGER_NOT_ALLOWED', `Plan "${plan.name}" ${why}`);
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
  // A collections plan takes the override of the moment it restores: a snapshot's id or a point in time.
  const pointInTime = planPointInTime(plan) !== undefined;
  const which = type === 'collections' ? `collections plan that restores ${pointInTime ? 'a point in time' : 'a snapshot'}` : `${type} plan`;
  if (overrides.snapshotId !== undefined && pointInTime)
    add('snapshotId', `does not apply to a ${which} (override pointInTimeUTCSeconds instead)`);
  if (overrides.pointInTimeUTCSeconds !== undefined) {
    if (!pointInTime) add('pointInTimeUTCSeconds', `does not apply to a ${which}`);
    else if (overrides.pointInTimeUTCSeconds > Math.floor(now.getTime() / 1000)) add('pointInTimeUTCSeconds', 'must not be in the future');
  }
  if (overrides.target !== undefined) {
    if (type === 'download') add('target', 'does not apply to a download plan: nothing is restored onto a cluster');
    else {
      const rule = ClusterName.safeParse(overrides.target.clusterName);
      if (!rule.success) add('target.clusterName', (rule.error.issues[0] ? ruleOf(rule.error.issues[0]) : 'is not a valid cluster name'));
    }
  }
  return problems;
}

/** The cluster a plan run would overwrite (the override wins), or undefined for a download. */
export function planTarget(plan: Plan, overrides: PlanOverrides | undefined): ClusterRef | undefined {
  if (plan.restore.type === 'download') return undefined;
  return overrides?.target ?? plan.restore.target;
}

/**
 * An ad-hoc request's checks, the same in the API and the create step: protected targets and
 * source = target (never allowed without a plan), then the plans file's ad-hoc policy for this trigger.
 * Returns the cluster it would overwrite (undefined for a download).
 */
export function checkAdHocRequest(config: PlansConfig, request: RestoreRequest, trigger: Trigger['type']): ClusterRef | undefined {
  const target = restoreTarget(request);
  // A CREATE_NEW collection restore wipes nothing: it takes the lock (target) but skips the guards.
  checkTargetGuards(config.protectedTargets, request.source, guardedTarget(request), false, harmOfRequest(request));
  checkAdHocAllowed(config.adHoc ?? NO_AD_HOC, { kind: request.kind, source: request.source, target, trigger });
  return target;
}
