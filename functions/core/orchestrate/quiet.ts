import { TRANSIENT_ERROR_NAMES } from '../domain/errors.js';
import { describeCluster } from '../plans/guards.js';
import { findOtherJobsOntoTarget } from '../restore/adopt.js';
import { restoreTarget } from '../restore/request.js';
import type { WorkflowState } from '../workflow/contract.js';
import type { StepDeps } from './deps.js';
import type { LookOutcome } from './watch.js';

/**
 * A target is freed only when it is quiet. When the watched job ends, one look at the target's
 * restore jobs: another one still running (a POST that landed late, someone else's restore) means
 * Atlas may still write onto the target, so the restore watches that job in its place, the lock
 * stays, and every later report says "Atlas made a second job <id>". A look that fails (other than
 * throttling or 5xx, which the state machine retries) counts as a failed look: the job is not taken
 * as ended, and the next poll reads it and looks again.
 */

/** A job created this long before the restore started is not called ours ("another job" instead). */
const MADE_BY_US_MARGIN_MS = 10 * 60_000;

export async function lookForQuiet(state: WorkflowState, look: LookOutcome, deps: StepDeps): Promise<{ state: WorkflowState; look: LookOutcome }> {
  const { restore } = state;
  const target = restoreTarget(restore.request);
  if (!target) return { state, look };
  let others;
  try {
    others = await findOtherJobsOntoTarget(await deps.atlas(), restore.request, { jobIds: look.status.jobIds, batchId: look.status.batchId ?? restore.job.batchId });
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    if ((TRANSIENT_ERROR_NAMES as readonly string[]).includes(error.name)) throw error;
    deps.logger.warn('Could not look at the target before freeing it; looking again at the next poll', { restoreId: restore.restoreId, errorName: error.name });
    const failure = { name: error.name, message: `the look at ${describeCluster(target)}'s other restore jobs failed: ${error.message}`.slice(0, 500), at: deps.now().toISOString() };
    return { state, look: { status: state.status, failure } };
  }
  const other = others[0];
  if (!other) return { state, look };
  const ended = `${look.status.jobIds.join(', ')} ended (${look.status.atlasStatus ?? look.status.state})`;
  const createdAt = other.status.createdAt;
  const ours = !createdAt || Date.parse(createdAt) >= Date.parse(restore.startedAt) - MADE_BY_US_MARGIN_MS;
  const what = ours ? `Atlas made a second job ${other.ref.jobId}` : `Atlas shows another job ${other.ref.jobId} (created ${createdAt}, before this restore)`;
  const note = `${what} onto ${target.clusterName}${ours && createdAt ? ` (created ${createdAt})` : ''}, still running when job ${ended}: the target stays locked and job ${other.ref.jobId} is watched to its end`;
  deps.logger.warn('The target is not quiet: watching the other job before freeing it', { restoreId: restore.restoreId, jobId: other.ref.jobId, ended: look.status.jobIds });
  return {
    state: { ...state, restore: { ...restore, job: other.ref, quietNotes: [...(restore.quietNotes ?? []), note] } },
    look: { status: other.status },
  };
}
