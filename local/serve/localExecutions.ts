import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionOutcome, TaskObserver } from '../runner/execute.js';

/**
 * The part of the Step Functions API the HTTP API's core calls (StartExecution, DescribeExecution,
 * GetExecutionHistory, StopExecution, ListExecutions), answered on this machine: each execution is
 * a local run of the synthesised state machine (../runner/localRestore.ts), kept in memory while
 * the server runs. It answers in the SDK's shapes and throws the SDK's error names, so the API core
 * (functions/core/api/executions.ts) runs unchanged: the same idempotency, busy-target and follow
 * rules as behind API Gateway.
 */

/** How a local execution is run: the runner, told where to report its events and when to stop. */
export type RunExecution = (restoreId: string, input: unknown, hooks: { onTask: TaskObserver; signal: AbortSignal }) => Promise<ExecutionOutcome>;

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

interface LocalExecution {
  name: string;
  arn: string;
  input: string;
  status: Status;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  stop: AbortController;
  done: Promise<void>;
}

/** An SDK-shaped error: the API core tells them apart by `name`, as it does the SDK's exceptions. */
function sfnError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** Every task of the restore workflow is a Lambda invoke (lib/workflow.ts). */
const LAMBDA = { resourceType: 'lambda', resource: 'invoke' } as const;

/** What the API core sends: an SDK command (its class name says which) and its input. */
interface Command {
  constructor: { name: string };
  input: Record<string, unknown>;
}

export class LocalExecutions {
  private readonly executions = new Map<string, LocalExecution>();

  constructor(
    private readonly stateMachineArn: string,
    private readonly run: RunExecution,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every run still going (for a server that stops: let them end). */
  running(): Promise<void>[] {
    return [...this.executions.values()].filter((e) => e.status === 'RUNNING').map((e) => e.done);
  }

  async send(command: Command): Promise<unknown> {
    const input = command.input;
    switch (command.constructor.name) {
      case 'StartExecutionCommand':
        return this.start(String(input.name), String(input.input ?? '{}'));
      case 'DescribeExecutionCommand':
        return this.describe(this.byArn(String(input.executionArn)));
      case 'GetExecutionHistoryCommand':
        return this.history(this.byArn(String(input.executionArn)), input);
      case 'StopExecutionCommand':
        return this.stopExecution(this.byArn(String(input.executionArn)), input);
      case 'ListExecutionsCommand':
        return this.list(input);
      default:
        throw sfnError('UnsupportedOperation', `${command.constructor.name} is not served locally`);
    }
  }

  private arnOf(name: string): string {
    const parts = this.stateMachineArn.split(':');
    return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
  }

  private byArn(arn: string): LocalExecution {
    const name = arn.split(':').at(-1) ?? '';
    const execution = this.executions.get(name);
    if (!execution || execution.arn !== arn) throw sfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  private start(name: string, input: string) {
    const existing = this.executions.get(name);
    if (existing) {
      // Step Functions: the same name and input while it runs is the same execution; anything else is refused.
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: existing.arn, startDate: existing.startDate };
      throw sfnError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.arn}'`);
    }
    const stop = new AbortController();
    const execution: LocalExecution = { name, arn: this.arnOf(name), input, status: 'RUNNING', startDate: this.now(), events: [], stop, done: Promise.resolve() };
    this.executions.set(name, execution);
    this.record(execution, { type: 'ExecutionStarted', executionStartedEventDetails: { input } });
    execution.done = this.run(name, JSON.parse(input), { onTask: (e) => this.onTask(execution, e), signal: stop.signal })
      .then((outcome) => this.end(execution, outcome))
      .catch((err: unknown) => this.end(execution, { status: 'FAILED', error: 'States.Runtime', cause: err instanceof Error ? err.message : String(err), events: [] }));
    return { executionArn: execution.arn, startDate: execution.startDate };
  }

  private end(execution: LocalExecution, outcome: ExecutionOutcome): void {
    execution.status = outcome.status;
    execution.stopDate = this.now();
    if (outcome.status === 'SUCCEEDED') {
      execution.output = JSON.stringify(outcome.output ?? null);
      this.record(execution, { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: execution.output } });
    } else if (outcome.status === 'FAILED') {
      execution.error = outcome.error;
      execution.cause = outcome.cause;
      this.record(execution, { type: 'ExecutionFailed', executionFailedEventDetails: { error: outcome.error, cause: outcome.cause } });
    } else {
      this.record(execution, { type: 'ExecutionAborted', executionAbortedEventDetails: { error: execution.error, cause: execution.cause } });
    }
  }

  /** A Lambda task as Step Functions records it: scheduled, then its raw answer (`{StatusCode, Payload}`) or its error. */
  private onTask(execution: LocalExecution, task: Parameters<TaskObserver>[0]): void {
    if (task.type === 'scheduled') this.record(execution, { type: 'TaskScheduled', taskScheduledEventDetails: { ...LAMBDA, region: 'local', parameters: '{}' } });
    else if (task.type === 'succeeded') this.record(execution, { type: 'TaskSucceeded', taskSucceededEventDetails: { ...LAMBDA, output: JSON.stringify(task.output) } });
    else this.record(execution, { type: 'TaskFailed', taskFailedEventDetails: { ...LAMBDA, error: task.error, cause: task.cause } });
  }

  private record(execution: LocalExecution, event: Omit<HistoryEvent, 'id' | 'timestamp'>): void {
    execution.events.push({ ...event, id: execution.events.length + 1, timestamp: this.now() } as HistoryEvent);
  }

  private describe(e: LocalExecution) {
    return {
      executionArn: e.arn,
      stateMachineArn: this.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate,
      ...(e.stopDate ? { stopDate: e.stopDate } : {}),
      input: e.input,
      ...(e.output !== undefined ? { output: e.output } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
    };
  }

  /** Pages of at most `maxResults` (1000 by default), newest first when asked; the token is where the next page starts. */
  private history(e: LocalExecution, input: Record<string, unknown>) {
    const all = input.reverseOrder ? [...e.events].reverse() : e.events;
    const size = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : 1000;
    const from = typeof input.nextToken === 'string' ? Number(input.nextToken) : 0;
    const events = all.slice(from, from + size);
    return { events, ...(from + size < all.length ? { nextToken: String(from + size) } : {}) };
  }

  private async stopExecution(e: LocalExecution, input: Record<string, unknown>) {
    if (e.status !== 'RUNNING') return { stopDate: e.stopDate };
    e.error = typeof input.error === 'string' ? input.error : undefined;
    e.cause = typeof input.cause === 'string' ? input.cause : undefined;
    e.stop.abort();
    await e.done;
    return { stopDate: e.stopDate };
  }

  private list(input: Record<string, unknown>) {
    const wanted = typeof input.statusFilter === 'string' ? input.statusFilter : undefined;
    const executions = [...this.executions.values()]
      .filter((e) => !wanted || e.status === wanted)
      .map((e) => ({ executionArn: e.arn, stateMachineArn: this.stateMachineArn, name: e.name, status: e.status, startDate: e.startDate, ...(e.stopDate ? { stopDate: e.stopDate } : {}) }));
    return { executions };
  }
}
