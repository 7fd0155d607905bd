import { sharedReads } from '../atlas/sharedReads.js';
import { AtlasCreateOutcomeUnknownError, RestoreRefusedError } from '../domain/errors.js';
import { describeCluster } from '../plans/guards.js';
import { AD_HOC_PLAN, METRIC } from '../domain/observability.js';
import { findTargetBusy, reconcileCreate } from '../restore/adopt.js';
import { restoreTarget } from '../restore/request.js';
import type { RestoreStatus } from '../restore/status.js';
import { DEFAULT_POLL, DEFAULT_RUN_LIMITS } from '../plans/schema.js';
import { ExecutionInput, type RestoreContext, type WorkflowState } from '../workflow/contract.js';
import type { StepDeps } from './deps.js';
import { parseStepInput } from './input.js';
import { checkRun, resolveRun, type ResolvedRun } from './resolve.js';
import { runTenantAsFlex } from './tenantRun.js';
import { decideNext } from './watch.js';
import { restorePush } from './restorePush.js';
import { preflight } from './preflight.js';
import { claimTriggerEvent, refuseIfHeldOrCoolingDown, type DuplicateTriggerResult } from './runGuards.js';

/**
 * The create step: resolve, guard, then create exactly one Atlas restore job or adopt the one
 * already in flight for the same request. Order matters: every check that needs no Atlas call runs
 * first, so a refused restore never touches Atlas; the target lock is taken before the create, so
 * two executions cannot both create onto one cluster.
 */

export interface CreatePayload {
  input: unknown;
  /** The execution name: the restore's id, and the idempotency key of an HTTP start. */
  restoreId: string;
  /**
   * Set when the state machine runs this step once more after create failed through its retries
   * (FindCreatedJob in lib/workflow.ts): nothing is POSTed; if a POST of this restore may have
   * landed, one fresh look for its job, which is then watched like an adopted one.
   */
  afterFailure?: { Error?: string; Cause?: string };
}

/** What FindCreatedJob answers when no POST of this restore may have landed, or none of its jobs is in flight. */
export interface NoJobFound {
  noJobFound: true;
}

/** What a dry run answers: what would be done and what was checked; nothing is created or locked. */
export interface DryRunResult {
  dryRun: true;
  restoreId: string;
  planName: string | undefined;
  summary: string;
  request: ResolvedRun['request'];
  snapshot: ResolvedRun['snapshot'];
  checks: string[];
  /** An Atlas job in flight for the same request that a real run would adopt instead of creating one. */
  wouldAdoptJobId?: string;
  deadlineMinutes: number;
}

/** A restore with no plan gets the plan defaults (deadline, watch, settle window, polls, SNS + EventBridge). */
const AD_HOC_DEFAULTS = {
  ...DEFAULT_RUN_LIMITS,
  poll: { ...DEFAULT_POLL },
  notify: { sns: true, eventBridge: true },
};

/** A lock outlives the watch a little: the last report and the release still run after it ends. */
const LOCK_MARGIN_MS = 60 * 60 * 1000;

export async function createRestoreStep(payload: CreatePayload, deps: StepDeps): Promise<WorkflowState | DryRunResult | DuplicateTriggerResult | NoJobFound> {
  const restoreId = payload.restoreId;
  const afterFailure = payload.afterFailure;
  // No POST of this restore was ever sent: nothing can have landed, nothing to look for (no Atlas call).
  if (afterFailure && (await deps.locks.createSentAt(restoreId)) === undefined) return { noJobFound: true };
  const input = parseStepInput(ExecutionInput, payload.input, 'execution input');
  // A schedule or alarm event delivered twice: the second copy ends quietly (see runGuards.ts).
  const duplicate = await claimTriggerEvent(input, restoreId, deps);
  if (duplicate) return duplicate;
  const now = deps.now();
  const checked = checkRun(input, deps.plans, now);
  await refuseIfHeldOrCoolingDown(checked, input, restoreId, deps);
  const planName = checked.plan?.name;
  const limits = checked.plan ?? AD_HOC_DEFAULTS;
  const deadlineMinutes = limits.deadlineMinutes;
  const deadlineAt = new Date(now.getTime() + deadlineMinutes * 60_000);
  const watchUntil = new Date(deadlineAt.getTime() + limits.watchAfterEndMinutes * 60_000);
  const lockUntil = new Date(watchUntil.getTime() + LOCK_MARGIN_MS);

  // Adopting and the busy-target check read the same job list: one call answers both (see sharedReads).
  const fresh = await deps.atlas();
  const atlas = sharedReads(fresh);
  const { run, note } = await runTenantAsFlex(checked, atlas);
  const kind = deps.kinds[run.kind];
  const resolved = await resolveRun(run, input, kind, atlas, now);
  if (note) resolved.summary = `${note} ${resolved.summary}`;
  const target = restoreTarget(resolved.request);

  if (input.dryRun) {
    const checks = [...resolved.checks];
    if (target) {
      const holder = await deps.locks.holder(target);
      if (holder && holder.restoreId !== restoreId)
        throw new RestoreRefusedError('TARGET_BUSY', `Restore ${holder.restoreId} is already running onto ${describeCluster(target)}`);
      checks.push(`no other restore of ours is running onto ${target.clusterName}`);
    }
    // The same preflight the real run makes before its create (below): roles, target, window.
    checks.push(...(await preflight(atlas, kind, resolved, now)));
    const inFlight = await kind.findInFlight(atlas, resolved.request);
    if (!inFlight) await refuseIfAtlasBusy(atlas, resolved, restoreId);
    if (resolved.snapshot) checks.push(`snapshot ${resolved.snapshot.id} (${resolved.snapshot.createdAt}) is completed and fits the plan`);
    return {
      dryRun: true,
      restoreId,
      planName,
      summary: resolved.summary,
      request: resolved.request,
      snapshot: resolved.snapshot,
      checks,
      ...(inFlight ? { wouldAdoptJobId: inFlight.jobId } : {}),
      deadlineMinutes,
    };
  }

  if (target) await deps.locks.acquire(target, restoreId, lockUntil);
  const sentBefore = await deps.locks.createSentAt(restoreId);
  let created;
  if (afterFailure) {
    // The create step died after a POST (every try): the job it made, or a retry adopted, may be
    // running onto the target. Never another POST here; one fresh look, by the same adopt rule.
    const found = await kind.findInFlight(fresh, resolved.request);
    if (!found) return { noJobFound: true };
    deps.logger.warn('The create step failed after a POST, but the job of this request is in flight: watching it', {
      restoreId,
      jobId: found.jobId,
      createError: afterFailure.Error,
    });
    resolved.summary = `The create step failed (${afterFailure.Error ?? 'unknown error'}) after its POST at ${sentBefore!.toISOString()}; Atlas job ${found.jobId} of this request was found and is watched to its end. ${resolved.summary}`;
    created = { ref: found, adopted: true };
  } else {
    try {
      // Everything Atlas would refuse the create for, asked before it (./preflight.ts), as the dry run
      // did. Not after a POST that may have landed: then only the looks for its job decide.
      if (sentBefore === undefined) await preflight(atlas, kind, resolved, now);
      created = await reconcileCreate(
        atlas,
        kind,
        resolved.request,
        async () => {
          // Only reached when no job of this request is in flight: anything else onto the target is busy.
          await refuseIfAtlasBusy(atlas, resolved, restoreId);
          return kind.create(atlas, resolved.request);
        },
        {
          sentBefore,
          settleMs: limits.createSettleSeconds * 1000,
          noteSent: (at) => deps.locks.noteCreateSent(restoreId, at, lockUntil),
          forgetSent: () => deps.locks.forgetCreateSent(restoreId, lockUntil),
          now: deps.now,
          sleep: deps.sleep,
          fresh,
        },
      );
    } catch (err) {
      // Nothing was created, so the target is free again, unless a POST may have gone through (now
      // or in an earlier try): then the lock stays until a retry adopts the job, or until it lapses.
      const mayHaveLanded = err instanceof AtlasCreateOutcomeUnknownError || sentBefore !== undefined;
      if (target && !mayHaveLanded) await deps.locks.release(target, restoreId);
      throw err;
    }
  }

  const { ref, adopted } = created;
  deps.logger.info(adopted ? 'Adopted the Atlas restore job already in flight' : 'Created the Atlas restore job', {
    restoreId,
    jobId: ref.jobId,
    kind: ref.kind,
  });
  deps.metrics.add(METRIC.restoreStarted, 1, planName ?? AD_HOC_PLAN);

  const poll = run.plan?.poll ?? AD_HOC_DEFAULTS.poll;
  const listens = restorePush(resolved.request, deps.plans.alerts);
  const push = listens && { ...listens, heard: await heardFrom(listens.groupIds, deps) };
  const restore: RestoreContext = {
    restoreId,
    ...(planName ? { planName } : {}),
    trigger: input.trigger,
    request: resolved.request,
    summary: resolved.summary,
    job: ref,
    ...(resolved.snapshot ? { snapshotTakenAt: resolved.snapshot.createdAt } : {}),
    adopted,
    cancellable: kind.cancellable,
    startedAt: now.toISOString(),
    deadlineAt: deadlineAt.toISOString(),
    watchUntil: watchUntil.toISOString(),
    ...(target ? { lockUntil: lockUntil.toISOString() } : {}),
    poll,
    ...(push ? { push } : {}),
    notify: run.plan?.notify ?? AD_HOC_DEFAULTS.notify,
  };
  const status: RestoreStatus = {
    kind: ref.kind,
    state: 'PENDING',
    jobIds: ref.jobIds?.length ? ref.jobIds : [ref.jobId],
    ...(ref.batchId ? { batchId: ref.batchId } : {}),
    ...(resolved.snapshot ? { snapshotId: resolved.snapshot.id } : {}),
    atlasStatus: adopted ? 'adopted' : 'created',
  };
  // Decided at the restore's start, so the first wait is the policy's first wait.
  return decideNext({ restore, status, poll: { count: 0, waitSeconds: 1, deadlinePassed: false } }, now);
}

/** Whether alerts came lately from the restore's projects; a store that cannot be read says no (plain polling). */
async function heardFrom(groupIds: readonly string[], deps: StepDeps): Promise<boolean> {
  try {
    return (await deps.alertsHeard?.(groupIds)) ?? false;
  } catch (err) {
    deps.logger.warn('Could not read whether Atlas alerts arrive; polling this restore as usual', { error: (err as Error).message });
    return false;
  }
}

/** Atlas has another restore in flight onto our target (started by a person, another tool…). */
async function refuseIfAtlasBusy(atlas: Parameters<typeof findTargetBusy>[0], resolved: ResolvedRun, restoreId: string): Promise<void> {
  const target = restoreTarget(resolved.request);
  if (!target) return;
  const busy = await findTargetBusy(atlas, resolved.request);
  if (busy)
    throw new RestoreRefusedError(
      'TARGET_BUSY',
      `Atlas restore job ${busy.jobId} is already running onto ${describeCluster(target)} and is not this request (${restoreId}); wait for it to end or cancel it in Atlas.`,
    );
}
