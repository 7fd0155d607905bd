import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { RestoreRefusedError } from '../domain/errors.js';
import { sameCluster } from '../plans/guards.js';
import type { PlansConfig } from '../plans/schema.js';
import { RestoreRequestSchema, restoreTarget } from '../restore/request.js';
import { PlanOverrides } from '../workflow/contract.js';
import { describeExecution, type ExecutionsDeps } from './executions.js';
import { awsErrorName, type ErrorLogger } from './responses.js';

/**
 * One restore per target at a time, checked before starting: the running executions of the
 * restore state machine are the restores in flight, and their inputs say which cluster each one
 * overwrites. The create step enforces the same rule against Atlas (it is the last word, and covers
 * restores started by schedules and alarms in the same second); this check only spares the caller
 * a workflow that would be refused anyway.
 */

interface Cluster {
  groupId: string;
  clusterName: string;
}

/** How many running executions to look at; more than this many restores at once is not our case. */
const MAX_RUNNING = 50;

export async function refuseIfTargetBusy(
  deps: ExecutionsDeps & { plans: PlansConfig; logger: ErrorLogger },
  target: Cluster | undefined,
  restoreId: string,
): Promise<void> {
  if (!target) return; // downloads overwrite nothing
  let running;
  try {
    running = await deps.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: deps.stateMachineArn, statusFilter: 'RUNNING', maxResults: MAX_RUNNING }),
    );
  } catch (err) {
    // Without states:ListExecutions the create step still refuses a busy target: degrade, do not fail.
    if (awsErrorName(err) !== 'AccessDeniedException') throw err;
    deps.logger.warn('Cannot list running restores (states:ListExecutions denied); the create step will check the target', { restoreId });
    return;
  }
  // The same restore id is a repeat of this request: the idempotency rules answer it, not this check.
  const others = (running?.executions ?? []).map((e) => e.name).filter((n): n is string => !!n && n !== restoreId);
  const described = await Promise.all(others.map((name) => describeExecution(deps, name)));
  for (const execution of described) {
    if (!execution || execution.status !== 'RUNNING') continue;
    const busy = targetOfInput(deps.plans, execution.input);
    if (busy && sameCluster(busy, target))
      throw new RestoreRefusedError(
        'TARGET_BUSY',
        `Restore ${execution.restoreId} is already running onto cluster "${target.clusterName}" in project ${target.groupId}; follow it at /restores/${execution.restoreId} or wait for it to end.`,
      );
  }
}

/** The cluster an execution input would overwrite, when it can be told without Atlas. */
export function targetOfInput(plans: PlansConfig, input: unknown): Cluster | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const { planName, overrides, request } = input as Record<string, unknown>;
  if (typeof planName === 'string') {
    const plan = plans.plans.find((p) => p.name === planName);
    if (!plan || plan.restore.type === 'download') return undefined;
    const parsed = PlanOverrides.safeParse(overrides ?? {});
    return (parsed.success ? parsed.data.target : undefined) ?? plan.restore.target;
  }
  const parsed = RestoreRequestSchema.safeParse(request);
  return parsed.success ? restoreTarget(parsed.data) : undefined;
}

