import { nextPollDelaySeconds } from '../restore/pollPolicy.js';
import { isTerminal, type RestoreStatus } from '../restore/status.js';
import { WorkflowState } from '../workflow/contract.js';
import type { StepDeps } from './deps.js';
import { parseStepInput } from './input.js';

/**
 * The poll step: read the job(s), map them onto the status model, and say how long to wait before
 * the next look. The wait grows with the restore's age (../restore/pollPolicy.ts) and never runs
 * past the deadline, so the deadline is noticed on time.
 */
export async function pollRestoreStep(payload: unknown, deps: StepDeps): Promise<WorkflowState> {
  const state = parseStepInput(WorkflowState, payload, 'poll step input');
  const { restore } = state;
  const kind = deps.kinds[restore.job.kind];
  const status = await kind.get(await deps.atlas(), restore.job);
  return advance(state, status, deps.now());
}

/** The next WorkflowState after a look at Atlas: count the poll, check the deadline, pick the wait. */
export function advance(state: WorkflowState, status: RestoreStatus, now: Date): WorkflowState {
  const { restore } = state;
  const ageSeconds = Math.max(0, (now.getTime() - Date.parse(restore.startedAt)) / 1000);
  const secondsUntilDeadline = (Date.parse(restore.deadlineAt) - now.getTime()) / 1000;
  const deadlinePassed = !isTerminal(status.state) && secondsUntilDeadline <= 0;
  const waitSeconds = nextPollDelaySeconds({
    ageSeconds,
    floorSeconds: restore.poll.floorSeconds,
    capSeconds: restore.poll.capSeconds,
    secondsUntilDeadline: Math.max(1, secondsUntilDeadline),
  });
  return { restore, status, poll: { count: state.poll.count + 1, waitSeconds, deadlinePassed } };
}
