import { StateMachine, ExecutionError, type StateMachine as Machine } from 'aws-local-stepfunctions';

/** The library does not export its event type; derive it from `run()`. */
export type EventLog = ReturnType<Machine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/**
 * Runs the synthesised state machine definition with aws-local-stepfunctions, sending each Lambda
 * Task to a local handler. This is what the local runner and the workflow tests use, so both
 * exercise the exact definition CDK deploys.
 */

/** A local stand-in for one Lambda: receives the `Payload` the Task state built. */
export type TaskHandler = (payload: unknown) => Promise<unknown>;

export interface ExecuteOptions {
  /** Plain ASL JSON (lib/workflow-definition.ts resolves CDK's tokens). */
  definition: object;
  input: unknown;
  /** Execution name; the state machine reads it as `$$.Execution.Name` (the restore id). */
  executionName: string;
  /** Keyed by Task state name (CreateRestore, PollRestore, CancelRestore, NotifyRestore). */
  handlers: Record<string, TaskHandler>;
  /**
   * Task states whose integration is not a plain Lambda invoke (a post-restore state machine run
   * with `.sync`, a callback task such as WaitForAlert): keyed by state name, given the task's
   * input, answering what the integration would (for a callback, what the token was sent back with).
   */
  integrations?: Record<string, TaskHandler>;
  /** The clock `$$.State.EnteredTime` reads (post-restore step timings); default the real one. */
  now?: () => Date;
  /** Real milliseconds each Wait state sleeps (the simulator's clock stands in for the rest). */
  waitMs?: Record<string, number>;
  /** Real milliseconds a Retry waits: 0 in tests, small in demos. */
  retryMs?: number;
  /** Called for every execution event, in order, while the execution runs. */
  onEvent?: (event: EventLog) => void;
  /** Stops the execution as StopExecution does (the local HTTP API's cancel before anything was created). */
  signal?: AbortSignal;
  /** Each Lambda task as Step Functions records it: scheduled, then its raw answer or its error (the local HTTP API's history). */
  onTask?: TaskObserver;
  /**
   * Real seconds a Task may run before it fails with States.Timeout, for Tasks whose definition
   * sets no TimeoutSeconds (default 60). aws-local-stepfunctions would otherwise apply its own 60 s
   * silently; a run whose waits happen inside Tasks on a shared clock (the scale bench) needs more.
   */
  taskTimeoutSeconds?: number;
}

/** What aws-local-stepfunctions applies to a Task without TimeoutSeconds; stated here, never implied. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;

type States = Record<string, { Type?: string; TimeoutSeconds?: number; TimeoutSecondsPath?: string; Branches?: { States: States }[]; Iterator?: { States: States }; ItemProcessor?: { States: States } }>;

/** Writes the local task timeout into every Task (nested ones too) that does not set its own. */
function withTaskTimeouts(definition: { States: States }, seconds: number): void {
  for (const state of Object.values(definition.States)) {
    if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) state.TimeoutSeconds = seconds;
    for (const inner of [...(state.Branches ?? []), state.Iterator, state.ItemProcessor]) if (inner) withTaskTimeouts(inner, seconds);
  }
}

export interface ExecutionOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
  events: EventLog[];
}

/**
 * A Lambda error reaches Step Functions as Error = errorType and Cause = the JSON document the
 * Lambda runtime writes ({errorType, errorMessage, trace}). Reproducing that shape here keeps the
 * notify step honest about parsing real Causes (and stripping the trace).
 */
export class LambdaStyleError extends Error {
  constructor(errorType: string, errorMessage: string, trace: string[]) {
    super(JSON.stringify({ errorType, errorMessage, trace }));
    this.name = errorType;
  }
}

function asLambdaError(err: unknown): LambdaStyleError {
  if (err instanceof Error) {
    return new LambdaStyleError(err.name || 'Error', err.message, (err.stack ?? '').split('\n').slice(1, 6).map((l) => l.trim()));
  }
  return new LambdaStyleError('Error', String(err), []);
}

export type TaskObserver = (event: { state: string } & ({ type: 'scheduled' } | { type: 'succeeded'; output: unknown } | { type: 'failed'; error: string; cause: string })) => void;

/** Wraps a handler as the optimised `lambda:invoke` integration answers: `{ StatusCode, Payload }`. */
function lambdaInvokeOverride(state: string, handler: TaskHandler, observe?: TaskObserver) {
  return async (input: unknown) => {
    const payload = (input as { Payload?: unknown } | null)?.Payload ?? input;
    observe?.({ state, type: 'scheduled' });
    try {
      // A JSON round trip, as Lambda does: no class instances or undefined leak between steps.
      const result = JSON.parse(JSON.stringify((await handler(JSON.parse(JSON.stringify(payload ?? null)))) ?? null)) as unknown;
      const output = { StatusCode: 200, Payload: result };
      observe?.({ state, type: 'succeeded', output });
      return output;
    } catch (err) {
      const lambdaError = asLambdaError(err);
      observe?.({ state, type: 'failed', error: lambdaError.name, cause: lambdaError.message });
      throw lambdaError;
    }
  };
}

/**
 * Step Functions reads a Task's `TimeoutSecondsPath` from the state's input; aws-local-stepfunctions
 * reads it from the input after `Parameters` (its 3.0 TaskStateAction), where our `$.poll.waitSeconds`
 * is `$.Payload.waitSeconds`. Point the path at the same value in that shape, and only when the
 * Payload carries exactly that path, so the local timeout is the deployed one.
 */
function localTimeoutPaths(definition: object): object {
  const copy = structuredClone(definition) as { States: Record<string, { Type: string; TimeoutSecondsPath?: string; Parameters?: { Payload?: Record<string, unknown> } }> };
  for (const state of Object.values(copy.States)) {
    const path = state.TimeoutSecondsPath;
    const payload = state.Parameters?.Payload;
    if (state.Type !== 'Task' || !path || !payload) continue;
    const key = Object.keys(payload).find((k) => k.endsWith('.$') && payload[k] === path);
    if (key) state.TimeoutSecondsPath = `$.Payload.${key.slice(0, -2)}`;
  }
  return copy;
}

/**
 * Validating a definition costs about half a second of CPU, so each (definition, timeout) is built
 * once and run many times: a machine holds no state between runs.
 */
const machines = new WeakMap<object, Map<number, Machine>>();

function machineFor(source: object, timeout: number): Machine {
  if (!Number.isInteger(timeout) || timeout < 1) throw new RangeError(`taskTimeoutSeconds must be a whole number of at least 1, got ${timeout}`);
  const byTimeout = machines.get(source) ?? new Map<number, Machine>();
  machines.set(source, byTimeout);
  let machine = byTimeout.get(timeout);
  if (!machine) {
    const definition = localTimeoutPaths(source) as { States: States };
    withTaskTimeouts(definition, timeout);
    machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    byTimeout.set(timeout, machine);
  }
  return machine;
}

export async function executeWorkflow(options: ExecuteOptions): Promise<ExecutionOutcome> {
  const machine = machineFor(options.definition, options.taskTimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS);
  const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>> = Object.fromEntries(
    Object.entries(options.handlers).map(([name, h]) => [name, lambdaInvokeOverride(name, h, options.onTask)]),
  );
  for (const [name, integration] of Object.entries(options.integrations ?? {})) {
    taskResourceLocalHandlers[name] = async (input: unknown) => {
      try {
        return JSON.parse(JSON.stringify((await integration(JSON.parse(JSON.stringify(input ?? null)))) ?? null)) as unknown;
      } catch (err) {
        throw asLambdaError(err);
      }
    };
  }
  const retryIntervalOverrides = Object.fromEntries(Object.keys(taskResourceLocalHandlers).map((name) => [name, options.retryMs ?? 0]));
  const now = options.now ?? (() => new Date());
  const execution = machine.run(options.input as never, {
    overrides: {
      taskResourceLocalHandlers: taskResourceLocalHandlers as never,
      waitTimeOverrides: options.waitMs ?? {},
      retryIntervalOverrides,
    },
    context: {
      Execution: {
        Name: options.executionName,
        Id: `arn:aws:states:us-east-1:123456789012:execution:AtlasRestore:${options.executionName}`,
        Input: options.input as never,
        StartTime: new Date().toISOString(),
      },
      // `$$.Task.Token` of a callback task (WaitForAlert): one per execution is enough locally,
      // where a restore has one wait at a time and the token only has to name the restore.
      Task: { Token: `local-task:${options.executionName}` },
      // The library passes this object on as it is: a getter gives each state the time it is entered.
      State: {
        get EnteredTime() {
          return now().toISOString();
        },
      },
    } as never,
  });
  const events: EventLog[] = [];
  const stop = () => execution.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      events.push(event);
      options.onEvent?.(event);
    }
  })();
  try {
    const output = await execution.result;
    await collecting;
    return { status: 'SUCCEEDED', output, events };
  } catch (err) {
    await collecting.catch(() => undefined);
    if (options.signal?.aborted) return { status: 'ABORTED', error: 'Aborted', events };
    if (err instanceof ExecutionError) {
      const failed = events.findLast((e) => e.type === 'ExecutionFailed') as { Error?: string; Cause?: unknown } | undefined;
      return {
        status: 'FAILED',
        error: failed?.Error ?? err.name,
        cause: typeof failed?.Cause === 'string' ? failed.Cause : JSON.stringify(failed?.Cause ?? err.message),
        events,
      };
    }
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
