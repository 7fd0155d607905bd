import { RestoreRequestInvalidError } from '../domain/errors.js';
import type { RestoreRequest } from '../restore/request.js';
import { checkAdHocRequest, checkTriggerAllowed, findPlan, overrideProblems, planTarget } from '../plans/check.js';
import { checkTargetGuards } from '../plans/guards.js';
import { planGuardsTarget } from '../plans/collectionPlan.js';
import { harmOfPlan } from '../plans/targetHarm.js';
import type { Plan, PlansConfig } from '../plans/schema.js';
import type { PlanOverrides } from '../workflow/contract.js';

/**
 * The checks the API runs before starting a workflow, all without calling Atlas, so that a request
 * that can never succeed starts nothing: the plan exists and is offered over HTTP, the overrides are
 * allowed by the plan and make sense for it, and the destructive-restore guards (protected targets,
 * source = target) pass. The create step runs the guards again (it is the last word); these are
 * here so the caller gets a 4xx at once instead of a failed workflow later.
 */

interface Cluster {
  groupId: string;
  clusterName: string;
}

export interface Precheck {
  plan: Plan | undefined;
  source: Cluster;
  /** The cluster the restore would overwrite; undefined for downloads. */
  target: Cluster | undefined;
}

export function precheckPlan(config: PlansConfig, planName: string, overrides: PlanOverrides | undefined, now: Date): Precheck {
  const plan = findPlan(config, planName, { type: 'http' });
  checkTriggerAllowed(plan, { type: 'http' });
  const problems = overrideProblems(plan, overrides ?? {}, now);
  if (problems.length) throw new RestoreRequestInvalidError(problems, `overrides for plan "${planName}"`);
  const target = planTarget(plan, overrides);
  const source = { groupId: plan.source.groupId, clusterName: plan.source.clusterName };
  checkTargetGuards(config.protectedTargets, source, planGuardsTarget(plan, overrides), plan.allowRestoreOntoSource, harmOfPlan(plan));
  return { plan, source, target };
}

export function precheckRequest(config: PlansConfig, request: RestoreRequest | undefined): Precheck {
  // The body schema guarantees a plan or a request; this keeps the types honest without an assertion.
  if (!request) throw new RestoreRequestInvalidError([{ path: 'plan', rule: 'give exactly one of plan or request' }]);
  const target = checkAdHocRequest(config, request, 'http');
  return { plan: undefined, source: request.source, target };
}
