import { ERROR_NAMES, TRANSIENT_ERROR_NAMES } from '../domain/errors.js';
import { AD_HOC_PLAN, METRIC } from '../domain/observability.js';
import { causeMessage } from '../domain/redact.js';
import { WorkflowState } from '../workflow/contract.js';
import type { StepDeps } from './deps.js';
import { parseStepInput } from './input.js';
import { isTerminal } from '../restore/status.js';
import { lookForQuiet } from './quiet.js';
import { afterLook, settleReportedNotice, type LookOutcome } from './watch.js';

/**
 * The poll step: read the job(s), map them onto the status model, and say what happens next
 * (./watch.ts): wait, cancel at the deadline, or report.
 *
 * A look that fails does not end the restore: the job may still be writing to the target. 429s and
 * 5xx are thrown, so the state machine retries them with backoff; anything else (a key revoked
 * mid-run, a job Atlas will not show us, an answer we cannot read) is counted here as a failed look
 * and the workflow keeps watching. A poll step that crashed altogether (Lambda timeout, service
 * errors after their retries) reaches here as `pollError` and is counted the same way.
 */
export async function pollRestoreStep(payload: unknown, deps: StepDeps): Promise<WorkflowState> {
  const { pollError, ...state } = parseStepInput(WorkflowState, payload, 'poll step input');
  const { restore } = state;
  const kind = deps.kinds[restore.job.kind];
  let counted: WorkflowState = state;
  if (pollError) {
    // The crashed poll counts as one failed look of its own, before this one.
    const poll = settleReportedNotice(state.poll);
    const lastFailure = failure(pollError.Error, causeMessage(pollError.Cause), deps.now());
    counted = { ...state, poll: { ...poll, failures: (poll.failures ?? 0) + 1, lastFailure } };
  }
  let look: LookOutcome;
  try {
    look = { status: await kind.get(await deps.atlas(), restore.job) };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    if ((TRANSIENT_ERROR_NAMES as readonly string[]).includes(error.name)) throw error;
    deps.logger.warn('Could not read the Atlas restore job; still watching it', {
      restoreId: restore.restoreId,
      jobId: restore.job.jobId,
      errorName: error.name,
      errorMessage: error.message,
    });
    // Counted here because it is not thrown: the AtlasAuthFailures alarm must still fire.
    if (error.name === ERROR_NAMES.authFailed) deps.metrics.add(METRIC.atlasAuthFailures, 1, restore.planName ?? AD_HOC_PLAN);
    look = { status: state.status, failure: failure(error.name, error.message, deps.now()) };
  }
  // The watched job ended: before the target can be freed, one look at its other jobs (./quiet.ts).
  if (!look.failure && isTerminal(look.status.state)) {
    const quiet = await lookForQuiet(counted, look, deps);
    counted = quiet.state;
    look = quiet.look;
  }
  return afterLook(counted, look, deps.now());
}

const failure = (name: string, message: string, at: Date) => ({ name, message: message.slice(0, 500), at: at.toISOString() });
