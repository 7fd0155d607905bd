import { handler as cancelRestore } from '../../functions/cancelRestore/index.js';
import { handler as createRestore } from '../../functions/createRestore/index.js';
import { handler as notifyRestore } from '../../functions/notifyRestore/index.js';
import { handler as pollRestore } from '../../functions/pollRestore/index.js';
import { ALERT_WAIT_STATE, TASK_STATES, WAIT_STATE } from '../../lib/workflow.js';
import { retryOnClock, type RetryClock } from './retryOnClock.js';
import { executeWorkflow, type EventLog, type ExecutionOutcome, type TaskHandler, type TaskObserver } from './execute.js';
import { StatesTimeoutError, waitForAlert, type LocalWakeBoard, type WaitClock } from './localAlerts.js';
import { localStepOverrides, type LocalStep } from './localSteps.js';

/**
 * One restore run the way AWS would run it, on this machine: the state machine CDK synthesises,
 * executed by aws-local-stepfunctions, with the real Lambda handlers behind its Task states. The
 * caller points the handlers at a world first (./localWorld.ts, or `useLocalEnvironment` in
 * functions/runtime for real Atlas).
 *
 * With a manual clock (the simulator's), each Wait is skipped in real time and the clock is moved
 * on by the seconds the workflow asked to wait instead: a six-hour restore runs in moments, and
 * its poll count and timings are exactly what they would be in AWS.
 */

export interface LocalRestoreOptions {
  definition: object;
  input: unknown;
  /** The execution name: the restore id. */
  restoreId: string;
  /** Stand-in for the notify handler (tests of the plumbing); default the real one. */
  notify?: TaskHandler;
  /** Stand-in for the poll handler, given the real one (tests: a Lambda that times out, a step that crashes). */
  poll?: (payload: unknown, real: TaskHandler) => Promise<unknown>;
  /**
   * Stands in for each Wait: a manual clock moved on by the wait (tests, the demo), or a scaled
   * sleep (the benchmark). Absent: waits really happen (real Atlas).
   */
  clock?: WaitClock;
  /** Push completion: the world's task-token board (./localAlerts.ts) and how to let alert deliveries finish. */
  alerts?: { board: LocalWakeBoard; settle?: () => Promise<void> };
  /** Wraps the create step (e.g. to make a try die after its work): given the payload and the real handler. */
  create?: (payload: unknown, real: TaskHandler) => Promise<unknown>;
  /** Wraps the cancel step (e.g. to fault the reads it makes): given the payload and the real handler. */
  cancel?: (payload: unknown, real: TaskHandler) => Promise<unknown>;
  /** Local functions standing in for post-restore steps, keyed by the ARN the plan names (./localSteps.ts). */
  steps?: Record<string, LocalStep>;
  /** Real milliseconds per Wait when there is no manual clock (default: as the workflow asks). */
  waitMs?: number;
  /** Real milliseconds each Retry waits (default 0: tests and demos do not wait). */
  retryMs?: number;
  /** Retries wait as Step Functions would, on this clock (a shared virtual one) instead of in real time. */
  retryClock?: Omit<RetryClock, 'definition'>;
  /** Real seconds a Task may take (see ExecuteOptions.taskTimeoutSeconds). */
  taskTimeoutSeconds?: number;
  onEvent?: (event: EventLog) => void;
  /** Stops the run as StopExecution would. */
  signal?: AbortSignal;
  /** Each Lambda task's start and raw answer, as Step Functions' history records them. */
  onTask?: TaskObserver;
}

export async function runLocalRestore(options: LocalRestoreOptions): Promise<ExecutionOutcome> {
  const clock = options.clock;
  // Set when WaitForAlert did the waiting on the clock (so the poll after it must not wait again).
  let waitedForAlert = false;
  const handlers: Record<string, TaskHandler> = {
    [TASK_STATES.create]: options.create ? (p) => options.create!(p, (q) => createRestore(q as never)) : (p) => createRestore(p as never),
    [TASK_STATES.findCreatedJob]: (p) => createRestore(p as never),
    [TASK_STATES.poll]: async (p) => {
      // The Wait before this poll slept 0 ms: let simulated time pass instead.
      const waitSeconds = (p as { poll?: { waitSeconds?: number } }).poll?.waitSeconds ?? 0;
      if (!waitedForAlert) await clock?.advance(waitSeconds * 1000);
      waitedForAlert = false;
      const real: TaskHandler = (q) => pollRestore(q as never);
      return options.poll ? options.poll(p, real) : real(p);
    },
    [TASK_STATES.cancel]: options.cancel ? (p) => options.cancel!(p, (q) => cancelRestore(q as never)) : (p) => cancelRestore(p as never),
    [TASK_STATES.notify]: options.notify ?? ((p) => notifyRestore(p)),
    [TASK_STATES.notifyLastTry]: options.notify ?? ((p) => notifyRestore(p)),
    [TASK_STATES.notifyDeadLetter]: options.notify ?? ((p) => notifyRestore(p)),
  };
  const waitMs = clock ? 0 : options.waitMs;
  const alerts = options.alerts;
  // A callback task: given the Lambda invoke's parameters, answering what the token comes back with.
  const alertWait: TaskHandler = async (input) => {
    const p = (input as { Payload?: unknown }).Payload;
    // No board: this run does not listen (the state machine's fallback, the plain Wait, takes over).
    if (!alerts) throw new Error('This local run does not receive Atlas alerts');
    try {
      const wake = await waitForAlert(p, { board: alerts.board, ...(clock ? { clock } : {}), ...(alerts.settle ? { settle: alerts.settle } : {}) });
      waitedForAlert = true;
      return wake;
    } catch (err) {
      // The backstop passed on the clock: the wait is done, the poll after it must not wait again.
      if (err instanceof StatesTimeoutError) waitedForAlert = true;
      throw err;
    }
  };
  const steps = localStepOverrides(options.definition, options.steps ?? {}, Object.values(TASK_STATES));
  return executeWorkflow({
    definition: options.definition,
    input: options.input,
    executionName: options.restoreId,
    handlers: options.retryClock
      ? retryOnClock({ ...handlers, ...steps.handlers }, { ...options.retryClock, definition: options.definition })
      : { ...handlers, ...steps.handlers },
    integrations: { ...steps.integrations, [ALERT_WAIT_STATE]: alertWait },
    ...(clock?.now ? { now: () => new Date(clock.now!()) } : {}),
    ...(waitMs !== undefined ? { waitMs: { [WAIT_STATE]: waitMs } } : {}),
    retryMs: options.retryClock ? 0 : (options.retryMs ?? 0),
    ...(options.taskTimeoutSeconds !== undefined && { taskTimeoutSeconds: options.taskTimeoutSeconds }),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onTask ? { onTask: options.onTask } : {}),
  });
}
