import type { TaskHandler } from './execute.js';

/**
 * The state machine's Retry waits, taken on a shared clock instead of the wall clock: a Task
 * invoked again right after it failed (what a Retry does) first sleeps `retryMs` on `sleep`. The
 * executor's own retry wait is then set to 0, so the wait passes in simulated time only, and
 * counts as waiting for a clock that moves when everything waits (../simulator/virtualClock.ts).
 * A Catch that leads back into the same Task would also wait; this workflow has none.
 */
export function retryOnClock(
  handlers: Record<string, TaskHandler>,
  sleep: (ms: number) => Promise<void>,
  retryMs: number,
): Record<string, TaskHandler> {
  const failed = new Set<string>();
  return Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => [
      state,
      async (payload: unknown) => {
        if (failed.delete(state)) await sleep(retryMs);
        try {
          return await handler(payload);
        } catch (error) {
          failed.add(state);
          throw error;
        }
      },
    ]),
  );
}
