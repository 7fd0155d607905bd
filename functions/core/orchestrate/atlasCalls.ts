import { countAtlasCalls } from '../atlas/callCount.js';
import type { PollProgress } from '../workflow/contract.js';
import type { StepDeps } from './deps.js';

/**
 * The restore's running count of Atlas requests (`poll.atlasCalls`): each step that answers a
 * workflow state adds the requests it sent to the count it was given, so the report and the history
 * record can say what the restore cost in Atlas calls, beside its polls. A step attempt that fails
 * outright (and is retried by the state machine from its input) takes its count with it.
 */
export function countingAtlasCalls<P, R>(step: (payload: P, deps: StepDeps) => Promise<R>): (payload: P, deps: StepDeps) => Promise<R> {
  return async (payload, deps) => {
    const { value, calls } = await countAtlasCalls(() => step(payload, deps));
    return addAtlasCalls(value, calls);
  };
}

function addAtlasCalls<R>(result: R, calls: number): R {
  const poll = (result as { poll?: PollProgress } | undefined)?.poll;
  // Dry runs, repeated triggers and reports carry no running count.
  if (typeof poll !== 'object' || poll === null || typeof poll.count !== 'number') return result;
  return { ...result, poll: { ...poll, atlasCalls: (poll.atlasCalls ?? 0) + calls } };
}
