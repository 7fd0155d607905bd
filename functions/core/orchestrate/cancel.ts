import { AtlasConflictError, AtlasNotFoundError, TRANSIENT_ERROR_NAMES } from '../domain/errors.js';
import { isTerminal } from '../restore/status.js';
import { WorkflowState } from '../workflow/contract.js';
import type { StepDeps } from './deps.js';
import { parseStepInput } from './input.js';
import { decideNext, settleReportedNotice } from './watch.js';

/**
 * The cancel step (the deadline passed): ask Atlas to cancel where it allows it (cloud backup jobs
 * only; never a sharded cluster's shard job), then read the job once more so the next report says
 * what Atlas really did. Where Atlas does not allow it, say so and leave the job alone. Either way
 * the job is not taken as ended until Atlas says so: the workflow keeps watching (./watch.ts) and
 * the target stays locked.
 */
export async function cancelRestoreStep(payload: unknown, deps: StepDeps): Promise<WorkflowState> {
  // A pollError beside the state is not carried on: decideNext builds the next state afresh.
  const input = parseStepInput(WorkflowState, payload, 'cancel step input');
  const state: WorkflowState = { ...input, poll: { ...settleReportedNotice(input.poll), cancelTried: true, deadlinePassed: true } };
  const { restore } = state;
  if (isTerminal(state.status.state)) return decideNext(state, deps.now()); // ended on its own: nothing to cancel

  const kind = deps.kinds[restore.job.kind];
  const atlas = await deps.atlas();
  let note: string;
  if (!kind.cancellable) {
    note = `Atlas does not allow cancelling ${restore.job.kind} restore jobs: job ${restore.job.jobId} keeps running in Atlas`;
  } else {
    try {
      await kind.cancel(atlas, restore.job);
      note = `cancel requested for Atlas job ${restore.job.jobId}`;
    } catch (err) {
      if (err instanceof AtlasConflictError) note = `Atlas refused to cancel job ${restore.job.jobId}: ${err.message}`;
      else if (err instanceof AtlasNotFoundError) note = `Atlas no longer shows job ${restore.job.jobId} to us, so it could not be cancelled`;
      else if ((TRANSIENT_ERROR_NAMES as readonly string[]).includes((err as Error).name)) throw err; // the state machine retries
      else note = `the cancel of Atlas job ${restore.job.jobId} failed (${(err as Error).name}: ${(err as Error).message})`;
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
  return decideNext({ ...state, status, poll: { ...state.poll, cancelNote: note } }, deps.now());
}
