import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { NotifyResult, WorkflowState, type ExecutionInput } from '../workflow/contract.js';
import { awsErrorName } from './responses.js';

/**
 * The Step Functions side of the API: one restore = one execution of the restore state machine,
 * named by the restore id. Reads what the workflow's Lambda steps returned from the execution
 * history, so the API needs no store of its own.
 */

export interface ExecutionsDeps {
  sfn: SFNClient;
  stateMachineArn: string;
}

export const WORKFLOW_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;
type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export interface Execution {
  restoreId: string;
  executionArn: string;
  status: WorkflowStatus;
  startedAt: string | undefined;
  stoppedAt: string | undefined;
  /** The execution input as Step Functions stored it (parsed JSON), undefined if unreadable. */
  input: unknown;
  /** Why it failed, for people: the error name and a one-line message (never a stack trace). */
  failure: { error: string; message?: string } | undefined;
}

/** `arn:…:stateMachine:Name` → `arn:…:execution:Name:<restoreId>`. */
export function executionArn(stateMachineArn: string, restoreId: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[5] !== 'stateMachine')
    throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return [...parts.slice(0, 5), 'execution', parts[6], restoreId].join(':');
}

export type StartOutcome = { started: true; executionArn: string } | { started: false; existing: Execution };

/**
 * Starts the workflow. Step Functions answers a repeat with the same name and input as a running
 * execution with that execution (idempotent); for the same name with another input, or once the
 * earlier one has ended, it says ExecutionAlreadyExists: we then return the existing execution and
 * let the caller compare inputs.
 */
export async function startExecution(deps: ExecutionsDeps, restoreId: string, input: ExecutionInput): Promise<StartOutcome> {
  try {
    const out = await deps.sfn.send(
      new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name: restoreId, input: JSON.stringify(input) }),
    );
    return { started: true, executionArn: out.executionArn ?? executionArn(deps.stateMachineArn, restoreId) };
  } catch (err) {
    if (awsErrorName(err) !== 'ExecutionAlreadyExists') throw err;
    const existing = await describeExecution(deps, restoreId);
    // Gone between the two calls (e.g. history expired): surface the original error.
    if (!existing) throw err;
    return { started: false, existing };
  }
}

/** The execution behind a restore id, or undefined when there is none. */
export async function describeExecution(deps: ExecutionsDeps, restoreId: string): Promise<Execution | undefined> {
  const arn = executionArn(deps.stateMachineArn, restoreId);
  try {
    const out = await deps.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    return {
      restoreId,
      executionArn: arn,
      status: (out.status ?? 'RUNNING') as WorkflowStatus,
      startedAt: out.startDate?.toISOString(),
      stoppedAt: out.stopDate?.toISOString(),
      input: parseJson(out.input),
      failure: out.error ? { error: out.error, ...optional('message', readableCause(out.cause)) } : undefined,
    };
  } catch (err) {
    if (awsErrorName(err) === 'ExecutionDoesNotExist') return undefined;
    throw err;
  }
}

export interface RestoreProgress {
  /** The latest WorkflowState a create, poll or cancel step returned; undefined before create ends. */
  state: WorkflowState | undefined;
  /** What the notify step reported, once it ran. */
  notified: NotifyResult | undefined;
  /** A Lambda step is running right now (e.g. create may be creating the Atlas job at this moment). */
  stepInProgress: boolean;
}

const SUCCEEDED_TYPES = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded']);
const IN_PROGRESS_TYPES = new Set(['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'LambdaFunctionScheduled', 'LambdaFunctionStarted']);
const ENDED_TYPES = new Set([
  ...SUCCEEDED_TYPES,
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'TaskStateAborted',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
]);

/**
 * Reads the history newest first and keeps the first WorkflowState and the first NotifyResult a
 * Lambda step returned. With the optimised LambdaInvoke integration a TaskSucceeded output is
 * `{ Payload, StatusCode, ... }`; with the plain ARN integration (LambdaFunctionSucceeded) it is the
 * return value itself. Outputs are recognised by their schema, not by state name, so renaming a
 * state in lib/ does not break the API. A page of 50 events covers several poll cycles; a second
 * page is read only when the first had no state yet.
 */
export async function readProgress(deps: ExecutionsDeps, restoreId: string, maxPages = 3): Promise<RestoreProgress> {
  const arn = executionArn(deps.stateMachineArn, restoreId);
  const progress: RestoreProgress = { state: undefined, notified: undefined, stepInProgress: false };
  let sawTaskEvent = false;
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const out = await deps.sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 50, includeExecutionData: true, nextToken }),
    );
    for (const event of out.events ?? []) {
      const type = event.type ?? '';
      if (!sawTaskEvent && (IN_PROGRESS_TYPES.has(type) || ENDED_TYPES.has(type))) {
        sawTaskEvent = true;
        progress.stepInProgress = IN_PROGRESS_TYPES.has(type);
      }
      if (!SUCCEEDED_TYPES.has(type)) continue;
      const output = stepOutput(event);
      if (progress.state === undefined) {
        const state = WorkflowState.safeParse(output);
        if (state.success) progress.state = state.data;
      }
      if (progress.notified === undefined && progress.state === undefined) {
        // Only a notify newer than every state counts: notify runs last.
        const notified = NotifyResult.safeParse(output);
        if (notified.success) progress.notified = notified.data;
      }
    }
    nextToken = out.nextToken;
    if (progress.state !== undefined || !nextToken) break;
  }
  return progress;
}

/** Stops a workflow that has not created anything yet; Step Functions records the cause. */
export async function stopExecution(deps: ExecutionsDeps, restoreId: string, cause: string): Promise<void> {
  await deps.sfn.send(
    new StopExecutionCommand({ executionArn: executionArn(deps.stateMachineArn, restoreId), error: 'CancelledByRequest', cause }),
  );
}

function stepOutput(event: HistoryEvent): unknown {
  const raw = parseJson(event.taskSucceededEventDetails?.output ?? event.lambdaFunctionSucceededEventDetails?.output);
  if (raw !== null && typeof raw === 'object' && 'Payload' in raw) return (raw as { Payload: unknown }).Payload;
  return raw;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const MAX_MESSAGE = 500;

/**
 * A Lambda failure's cause is `{"errorType","errorMessage","trace":[...]}`: keep the message only,
 * so no stack trace reaches an HTTP answer. Other causes are cut at the first line.
 */
export function readableCause(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  const parsed = parseJson(cause);
  let text: string;
  if (parsed !== null && typeof parsed === 'object' && typeof (parsed as { errorMessage?: unknown }).errorMessage === 'string')
    text = (parsed as { errorMessage: string }).errorMessage;
  else text = cause.split('\n')[0] ?? '';
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
