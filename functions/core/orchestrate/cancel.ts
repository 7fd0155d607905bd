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
  let acceptedAt: string | undefined;
  if (!kind.cancellable) {
    note = `Atlas does not allow cancelling ${restore.job.kind} restore jobs: job ${restore.job.jobId} keeps running in Atlas`;
  } else {
    try {
      await kind.cancel(atlas, restore.job);
      acceptedAt = deps.now().toISOString();
      note = `cancel of Atlas job ${restore.job.jobId} accepted by Atlas at ${acceptedAt}`;
    } catch (err) {
      if (err instanceof AtlasConflictError) note = `Atlas refused to cancel job ${restore.job.jobId}: ${err.message}`;
      else if (err instanceof AtlasNotFoundError) note = `Atlas no longer shows job ${restore.job.jobId} to us, so it could not be cancelled`;
      else if ((TRANSIENT_ERROR_NAMES as readonly string[]).includes((err as Error).name)) throw err; // the state machine retries
      else note = `the cancel of Atlas job ${restore.job.jobId} failed (${(err as Error).name}: ${(err as Error).message})`;
    }
  }
  deps.logger.info('Cancel at deadline', { restoreId: restore.restoreId, jobId: restore.job.jobId, note });
  const poll = { ...state.poll, cancelNote: note };
  try {
    const status = await kind.get(atlas, restore.job);
    const now = deps.now().toISOString();
    return decideNext({ ...state, status, poll: { ...poll, failures: 0, seenAt: now, lookedAt: now } }, deps.now());
  } catch (err) {
    // The cancel itself is done or refused; a failed re-read must not hide that from the report. It
    // counts as a failed look: the status is the one seen before the cancel, and after an accepted
    // cancel no report calls the job "still running" from it (./watch.ts, ../notify/outcome.ts).
    const error = err instanceof Error ? err : new Error(String(err));
    deps.logger.warn('Could not read the job after cancelling', { restoreId: restore.restoreId, error: error.name });
    const lastFailure = { name: error.name, message: error.message.slice(0, 500), at: deps.now().toISOString() };
    const unseen = { ...poll, failures: (poll.failures ?? 0) + 1, lastFailure, ...(acceptedAt ? { cancelAcceptedAt: acceptedAt } : {}) };
    return decideNext({ ...state, poll: unseen }, deps.now());
  }
}
