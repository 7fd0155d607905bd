import { AtlasConflictError, AtlasNotFoundError } from '../errors.js';
import { isTerminal } from '../restore/status.js';
import { WorkflowState } from '../workflow/contract.js';
import type { StepDeps } from './deps.js';
import { parseStepInput } from './input.js';

/**
 * The cancel step (deadline passed) and the API's cancel: ask Atlas to cancel where it allows it
 * (cloud backup jobs only; never a sharded cluster's shard job), then read the job once more so the
 * report says what Atlas really did. Where Atlas does not allow it, say so and leave the job alone:
 * a restore keeps running in Atlas whatever we do, and people must know that.
 */
export async function cancelRestoreStep(payload: unknown, deps: StepDeps): Promise<WorkflowState> {
  const state = parseStepInput(WorkflowState, payload, 'cancel step input');
  const { restore } = state;
  const kind = deps.kinds[restore.job.kind];
  const atlas = await deps.atlas();
  if (isTerminal(state.status.state)) return state; // ended on its own: nothing to cancel

  let note: string;
  if (!kind.cancellable) {
    note = `Atlas does not allow cancelling ${restore.job.kind} restore jobs: job ${restore.job.jobId} keeps running in Atlas`;
  } else {
    try {
      await kind.cancel(atlas, restore.job);
      note = `cancel requested for Atlas job ${restore.job.jobId}`;
    } catch (err) {
      if (err instanceof AtlasConflictError) note = `Atlas refused to cancel job ${restore.job.jobId}: ${err.message}`;
      else if (err instanceof AtlasNotFoundError) note = `Atlas no longer knows job ${restore.job.jobId}`;
      else throw err;
    }
  }
  deps.logger.info('Cancel at deadline', { restoreId: restore.restoreId, jobId: restore.job.jobId, note });
  let status = state.status;
  try {
    status = await kind.get(atlas, restore.job);
  } catch (err) {
    // The cancel itself is done or refused; a failed re-read must not hide that from the report.
    deps.logger.warn('Could not read the job after cancelling', { restoreId: restore.restoreId, error: (err as Error).name });
  }
  const detail = [status.detail, note].filter(Boolean).join('; ');
  return { ...state, status: { ...status, detail }, poll: { ...state.poll, deadlinePassed: true } };
}
