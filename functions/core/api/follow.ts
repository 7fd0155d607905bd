import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { WorkflowState } from '../workflow/contract.js';
import { isTerminal } from '../restore/status.js';
import type { ApiDeps } from './deps.js';
import { describeExecution, readProgress, stopExecution, type Execution, type RestoreProgress } from './executions.js';
import { holdOnTargetOf } from './holds.js';
import { linkChannels } from '../notify/downloadLinks.js';
import { restoreLinks } from './http.js';
import { answer, CancelAnswer, RestoreView } from './answers.js';
import { ApiError, conflict, notFound, type ApiResponse } from './responses.js';

/**
 * `GET /restores/{id}` and `POST /restores/{id}/cancel`: follow a restore through its workflow
 * execution, whose history holds every state the Lambda steps returned.
 */

export async function getRestore(restoreId: string, deps: ApiDeps): Promise<ApiResponse> {
  const execution = await findExecution(restoreId, deps);
  const progress = await readProgress(deps, restoreId);
  // A hold on the target says why this restore was refused, or that a recovery plan kept the target.
  const hold = await holdOnTargetOf(execution.input, deps);
  return answer(RestoreView, 200, { ...restoreView(execution, progress), ...(hold ? { targetHold: hold } : {}) });
}

/**
 * Cancelling depends on how far the restore got:
 * - workflow ended, or the Atlas job already ended → 409, nothing to cancel;
 * - an Atlas job that Atlas can cancel (cloud backup) → ask Atlas to cancel it; the running
 *   workflow sees CANCELLED at its next poll, notifies once and ends → 202 CANCELLING;
 * - a job Atlas cannot cancel (flex, tenant, legacy) → 409, the restore continues;
 * - no job yet and no create ever sent → stop the execution itself → 202 CANCELLED, with no
 *   notification (the notify step never runs for a stopped execution), which the answer says;
 * - a create was sent but its answer lost (the step is between retries, looking for the job) → 409:
 *   the create's outcome is unknown and the workflow is still watching for it; nothing is stopped;
 * - the create step is running right now → 409 with Retry-After: stopping the workflow then could
 *   leave an Atlas job created behind our back.
 */
export async function cancelRestore(restoreId: string, event: APIGatewayProxyEvent, deps: ApiDeps): Promise<ApiResponse> {
  const execution = await findExecution(restoreId, deps);
  const links = restoreLinks(restoreId);
  const progress = await readProgress(deps, restoreId);
  if (execution.status !== 'RUNNING') {
    const how = progress.notified?.outcome ?? execution.status;
    throw conflict(`Restore ${restoreId} has already finished (${how}); there is nothing to cancel.`, { restoreId, links });
  }
  const state = progress.state;
  if (!state) {
    if (progress.stepInProgress)
      throw new ApiError(
        409,
        'Conflict',
        `Restore ${restoreId} is creating its Atlas restore job right now; ask again in a few seconds to cancel the job itself.`,
        { restoreId, links },
        { 'Retry-After': '5' },
      );
    // A create whose answer was lost may still have made a job: stopping the workflow now would
    // leave that job writing to the target with nobody watching and the lock left behind.
    const sentAt = await deps.actions.createSentAt(restoreId);
    if (sentAt)
      throw new ApiError(
        409,
        'Conflict',
        `Restore ${restoreId} sent its create to Atlas at ${sentAt.toISOString()} and the answer was lost: the create's outcome is unknown and the workflow is still looking for the job. Nothing was stopped; ask again once it has found the job (then it can be cancelled in Atlas), or look for it in Atlas.`,
        { restoreId, createSentAt: sentAt.toISOString(), links },
        { 'Retry-After': '60' },
      );
    const by = event.requestContext?.identity?.userArn ?? event.requestContext?.identity?.caller ?? 'an HTTP caller';
    await stopExecution(deps, restoreId, `Cancelled by ${by} before any Atlas restore job was created`);
    deps.logger.info('Restore workflow stopped before any job was created', { restoreId, by });
    return answer(CancelAnswer, 202, {
      restoreId,
      status: 'CANCELLED',
      message: 'The workflow was stopped before any Atlas restore job was created: nothing was restored, and no notification is sent.',
      links,
    });
  }
  if (isTerminal(state.status.state))
    throw conflict(`Restore ${restoreId} has already finished (${state.status.state}); there is nothing to cancel.`, { restoreId, links });
  if (!isCancellable(state))
    throw conflict(
      `Atlas cannot cancel a ${state.restore.job.kind} restore job (only cloud backup restore jobs can be cancelled); restore ${restoreId} continues.`,
      { restoreId, kind: state.restore.job.kind, links },
    );
  await deps.actions.cancel(state);
  deps.logger.info('Atlas restore job cancel requested', { restoreId, jobId: state.restore.job.jobId });
  return answer(CancelAnswer, 202, {
    restoreId,
    status: 'CANCELLING',
    message: 'Atlas is cancelling the restore job; the workflow reports CANCELLED at its next poll and sends one notification.',
    links,
  });
}

const isCancellable = (state: WorkflowState) => state.restore.cancellable && state.restore.job.kind === 'cloud';

async function findExecution(restoreId: string, deps: ApiDeps): Promise<Execution> {
  const execution = await describeExecution(deps, restoreId);
  if (!execution) throw notFound(`No restore with id "${restoreId}"`);
  return execution;
}

/** The answer of `GET /restores/{id}`: what people need, nothing internal (no notify settings). */
export function restoreView(execution: Execution, progress: RestoreProgress): RestoreView {
  const { state, notified } = progress;
  const requested = requestedPart(execution.input);
  return {
    restoreId: execution.restoreId,
    workflow: { status: execution.status, startedAt: execution.startedAt, stoppedAt: execution.stoppedAt },
    ...(requested ? { requested } : {}),
    ...(state
      ? {
          restore: {
            planName: state.restore.planName,
            summary: state.restore.summary,
            kind: state.restore.job.kind,
            jobId: state.restore.job.jobId,
            jobIds: state.restore.job.jobIds ?? state.status.jobIds,
            batchId: state.restore.job.batchId,
            adopted: state.restore.adopted,
            cancellable: state.restore.cancellable,
            startedAt: state.restore.startedAt,
            deadlineAt: state.restore.deadlineAt,
          },
          status: apiStatus(state),
          polls: state.poll.count,
          ...(state.poll.atlasCalls !== undefined ? { atlasCalls: state.poll.atlasCalls } : {}),
        }
      : {}),
    ...(notified ? { outcome: notified.outcome, message: notified.message } : {}),
    ...(execution.failure ? { error: execution.failure } : {}),
    links: restoreLinks(execution.restoreId),
  };
}

/** The status, without download links when the plan keeps them off the API (notify.downloadLinks). */
function apiStatus(state: WorkflowState): WorkflowState['status'] {
  const delivery = state.status.delivery;
  if (!delivery?.urls?.length || linkChannels(state.restore.notify).includes('api')) return state.status;
  return { ...state.status, delivery: { ...delivery, urls: [] } };
}

/** What was asked, from the execution input (plan, overrides or request, and who asked when). */
function requestedPart(input: unknown): RestoreView['requested'] {
  if (!isObject(input)) return undefined;
  const { planName, overrides, request, trigger } = input;
  return {
    ...(typeof planName === 'string' ? { planName } : {}),
    ...(isObject(overrides) ? { overrides } : {}),
    ...(isObject(request) ? { request } : {}),
    ...(isObject(trigger) ? { trigger } : {}),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
