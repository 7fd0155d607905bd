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
   * Task states whose integration is not a Lambda invoke (a post-restore state machine run with
   * `.sync`): keyed by state name, given the task's input, answering what the integration would.
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
}

export interface ExecutionOutcome {
  status: 'SUCCEEDED' | 'FAILED';
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

/** Wraps a handler as the optimised `lambda:invoke` integration answers: `{ StatusCode, Payload }`. */
function lambdaInvokeOverride(handler: TaskHandler) {
  return async (input: unknown) => {
    const payload = (input as { Payload?: unknown } | null)?.Payload ?? input;
    try {
      // A JSON round trip, as Lambda does: no class instances or undefined leak between steps.
      const result = await handler(JSON.parse(JSON.stringify(payload ?? null)));
      return { StatusCode: 200, Payload: JSON.parse(JSON.stringify(result ?? null)) };
    } catch (err) {
      throw asLambdaError(err);
    }
  };
}

export async function executeWorkflow(options: ExecuteOptions): Promise<ExecutionOutcome> {
  const machine = new StateMachine(structuredClone(options.definition) as never, {
    validationOptions: { checkArn: false },
  });
  const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>> = Object.fromEntries(
    Object.entries(options.handlers).map(([name, h]) => [name, lambdaInvokeOverride(h)]),
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
      // The library passes this object on as it is: a getter gives each state the time it is entered.
      State: {
        get EnteredTime() {
          return now().toISOString();
        },
      },
    } as never,
  });
  const events: EventLog[] = [];
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
  }
}
