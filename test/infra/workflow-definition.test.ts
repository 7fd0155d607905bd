import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_NAMES, TRANSIENT_ERROR_NAMES } from '../../functions/core/domain/errors.js';
import { OUTCOMES } from '../../functions/core/workflow/contract.js';
import { HANDLER_NAMES, type HandlerName } from '../../lib/functions.js';
import { LAMBDA_SERVICE_ERRORS, OUTCOME_STATES, TASK_STATES, WAIT_STATE, WORKFLOW_TIMEOUT } from '../../lib/workflow.js';
import { fakeFunctionArn, resolveIntrinsics, synthesizeWorkflowDefinition } from '../../lib/workflow-definition.js';
import { synthesize, type Synthesized } from './helpers.js';

interface State {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: Record<string, unknown>[];
  Retry?: {
    ErrorEquals: string[];
    IntervalSeconds?: number;
    BackoffRate?: number;
    MaxAttempts?: number;
    JitterStrategy?: string;
    MaxDelaySeconds?: number;
  }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
  Parameters?: Record<string, unknown>;
  [key: string]: unknown;
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
  [key: string]: unknown;
}

let s: Synthesized;
let asl: Definition;
beforeAll(() => {
  s = synthesize();
  asl = synthesizeWorkflowDefinition() as Definition;
});
const state = (name: string): State => {
  const found = asl.States[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
};

describe('state machine resource', () => {
  it('is a Standard state machine with X-Ray, ALL-level logging to an encrypted group, and a backstop timeout', () => {
    s.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [s.logicalId(s.stack.workflow.logGroup), 'Arn'] } } }],
      },
    });
    const group = s.template.findResources('AWS::Logs::LogGroup')[s.logicalId(s.stack.workflow.logGroup)];
    expect(group?.Properties.KmsKeyId).toBeDefined();
    expect(asl.TimeoutSeconds).toBe(WORKFLOW_TIMEOUT.toSeconds());
    expect(WORKFLOW_TIMEOUT.toSeconds()).toBeGreaterThan(7 * 24 * 3600);
  });

  it('resolves to the same definition the template deploys', () => {
    const machine = Object.values(s.template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const byLogicalId = Object.fromEntries(HANDLER_NAMES.map((n) => [s.logicalId(s.stack.functions.byName(n)), n])) as Record<string, HandlerName>;
    expect(JSON.parse(resolveIntrinsics(machine.Properties.DefinitionString, byLogicalId))).toEqual(asl);
  });
});

describe('definition', () => {
  it('is valid ASL (asl-validator), on JSONPath, with no JSONata anywhere', () => {
    const result = aslValidator(structuredClone(asl));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
    expect(JSON.stringify(asl)).not.toMatch(/JSONata|QueryLanguage|\{%/);
  });

  it('has the Task states the local runner keys on, each calling its function', () => {
    const tasks = Object.entries(asl.States).filter(([, st]) => st.Type === 'Task').map(([name]) => name).sort();
    expect(tasks).toEqual(Object.values(TASK_STATES).sort());
    const fn = (name: string) => state(name).Parameters?.FunctionName;
    expect(fn(TASK_STATES.create)).toBe(fakeFunctionArn('createRestore'));
    expect(fn(TASK_STATES.poll)).toBe(fakeFunctionArn('pollRestore'));
    expect(fn(TASK_STATES.cancel)).toBe(fakeFunctionArn('cancelRestore'));
    expect(fn(TASK_STATES.notify)).toBe(fakeFunctionArn('notifyRestore'));
  });

  it('gives create the whole input plus the execution name as restoreId', () => {
    expect(asl.StartAt).toBe(TASK_STATES.create);
    expect(state(TASK_STATES.create).Parameters?.Payload).toEqual({ 'input.$': '$', 'restoreId.$': '$$.Execution.Name' });
    expect(state(TASK_STATES.create).OutputPath).toBe('$.Payload');
    for (const name of [TASK_STATES.poll, TASK_STATES.cancel, TASK_STATES.notify]) expect(state(name).Parameters?.['Payload.$']).toBe('$');
  });

  it('retries transient Atlas errors with capped, jittered backoff on every Atlas-calling task', () => {
    for (const name of [TASK_STATES.create, TASK_STATES.poll, TASK_STATES.cancel]) {
      const retry = state(name).Retry!.find((r) => r.ErrorEquals.includes(TRANSIENT_ERROR_NAMES[0]!));
      expect(retry?.ErrorEquals).toEqual([...TRANSIENT_ERROR_NAMES]);
      expect(retry).toMatchObject({ JitterStrategy: 'FULL', MaxDelaySeconds: expect.any(Number) });
    }
  });

  it('retries an ambiguous create a bounded number of times (create adopts), and nothing else non-transient', () => {
    const retries = state(TASK_STATES.create).Retry!;
    const ambiguous = retries.find((r) => r.ErrorEquals.includes(ERROR_NAMES.ambiguousCreate));
    expect(ambiguous?.MaxAttempts).toBeLessThanOrEqual(2);
    const retried = retries.flatMap((r) => r.ErrorEquals);
    for (const never of [ERROR_NAMES.refused, ERROR_NAMES.invalidRequest, ERROR_NAMES.authFailed, ERROR_NAMES.requestInvalid, 'States.ALL']) {
      expect(retried).not.toContain(never);
    }
    expect(state(TASK_STATES.poll).Retry!.flatMap((r) => r.ErrorEquals)).not.toContain(ERROR_NAMES.ambiguousCreate);
  });

  it('catches every error of create into $.error and reports it through notify, with the run\'s restore id', () => {
    expect(state(TASK_STATES.create).Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: TASK_STATES.findCreatedJob }]);
    // First one look for a job a POST of this restore may have made (the create function, never a POST)…
    expect(state(TASK_STATES.findCreatedJob)).toMatchObject({
      Type: 'Task',
      Parameters: { Payload: { 'input.$': '$$.Execution.Input', 'restoreId.$': '$$.Execution.Name', 'afterFailure.$': '$.error' } },
      ResultPath: '$.found',
      Next: 'CreatedJobFound?',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.findError', Next: 'NoteRestoreId' }],
    });
    // …found, it is watched; not found, the failure is reported.
    expect(state('CreatedJobFound?')).toMatchObject({ Type: 'Choice', Default: 'NoteRestoreId', Choices: [{ Variable: '$.found.answer.restore', IsPresent: true, Next: 'WatchCreatedJob' }] });
    expect(state('WatchCreatedJob')).toMatchObject({ Type: 'Pass', InputPath: '$.found.answer', Next: 'IsDryRun' });
    expect(state('NoteRestoreId')).toMatchObject({ Type: 'Pass', Parameters: { 'restoreId.$': '$$.Execution.Name' }, ResultPath: '$.run', Next: TASK_STATES.notify });
  });

  it('never ends the watch on a failed poll or cancel: the error is kept beside the state and the loop goes on', () => {
    for (const name of [TASK_STATES.poll, TASK_STATES.cancel]) {
      expect(state(name).Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.pollError', Next: WAIT_STATE }]);
      // Lambda timeouts and service errors are retried first (the default CDK retrier is off, so this one is not shadowed).
      const lambda = state(name).Retry!.find((r) => r.ErrorEquals.includes('Sandbox.Timedout'));
      expect(lambda?.ErrorEquals).toEqual(expect.arrayContaining([...LAMBDA_SERVICE_ERRORS]));
    }
  });

  it('loops wait → poll → choice on what the step decided: report, cancel or wait', () => {
    expect(state(WAIT_STATE)).toMatchObject({ Type: 'Wait', SecondsPath: '$.poll.waitSeconds', Next: TASK_STATES.poll });
    expect(state(TASK_STATES.poll).Next).toBe('RestoreFinished?');
    const finished = state('RestoreFinished?');
    expect(finished.Default).toBe(WAIT_STATE);
    expect(finished.Choices).toEqual([
      { Variable: '$.poll.next', StringEquals: 'report', Next: TASK_STATES.notify },
      { Variable: '$.poll.next', StringEquals: 'cancel', Next: TASK_STATES.cancel },
    ]);
    expect(state(TASK_STATES.cancel).Next).toBe('RestoreFinished?');
  });

  it('goes back to watching after an interim report, and ends only on a last one', () => {
    expect(state(TASK_STATES.notify).Next).toBe('StillWatching?');
    expect(state('StillWatching?')).toMatchObject({
      Choices: [
        {
          And: [
            { Variable: '$.notification.watching', IsPresent: true },
            { Variable: '$.notification.watching', BooleanEquals: true },
          ],
          Next: WAIT_STATE,
        },
      ],
      Default: 'RestoreOutcome',
    });
  });

  it('ends a repeated trigger event and a dry run right after create, guarding the optional fields', () => {
    expect(state(TASK_STATES.create).Next).toBe('IsDryRun');
    expect(state('IsDryRun')).toMatchObject({
      Choices: [
        { And: [{ Variable: '$.duplicate', IsPresent: true }, { Variable: '$.duplicate', BooleanEquals: true }], Next: 'DuplicateTrigger' },
        { And: [{ Variable: '$.dryRun', IsPresent: true }, { Variable: '$.dryRun', BooleanEquals: true }], Next: 'DryRunDone' },
      ],
      Default: WAIT_STATE,
    });
    expect(state('DryRunDone').Type).toBe('Succeed');
    // A Succeed, not a Fail: a repeated delivery must not fire ExecutionsFailed.
    expect(state('DuplicateTrigger').Type).toBe('Succeed');
  });

  it('retries notify on an undeliverable report and on Lambda service errors, with bounded jittered backoff, in one Retry', () => {
    const retries = state(TASK_STATES.notify).Retry!;
    // One retrier: CDK's default one for Lambda service errors would come first and shadow this backoff.
    expect(retries).toEqual([
      {
        ErrorEquals: [ERROR_NAMES.notificationUndeliverable, ERROR_NAMES.notificationIncomplete, ERROR_NAMES.historyUnavailable, ...LAMBDA_SERVICE_ERRORS, 'Sandbox.Timedout'],
        IntervalSeconds: 10,
        BackoffRate: 2,
        MaxAttempts: 4,
        JitterStrategy: 'FULL',
      },
    ]);
    // Bounded: at most 10 + 20 + 40 + 80 s of backoff, so a channel that is really down still fails the execution.
    const { IntervalSeconds = 0, BackoffRate = 1, MaxAttempts = 0 } = retries[0]!;
    const longestBackoff = Array.from({ length: MaxAttempts }, (_, i) => IntervalSeconds * BackoffRate ** i).reduce((a, b) => a + b, 0);
    expect(longestBackoff).toBeLessThanOrEqual(5 * 60);
    // The history first, then a channel still missing the report: the dead-letter try, never a failed execution.
    const undelivered = {
      ErrorEquals: [ERROR_NAMES.notificationUndeliverable, ERROR_NAMES.notificationIncomplete, 'Sandbox.Timedout'],
      ResultPath: '$.undelivered',
      Next: TASK_STATES.notifyDeadLetter,
    };
    expect(state(TASK_STATES.notify).Catch).toEqual([{ ErrorEquals: [ERROR_NAMES.historyUnavailable], ResultPath: '$.historyError', Next: TASK_STATES.notifyLastTry }, undelivered]);
    expect(state(TASK_STATES.notifyLastTry).Catch).toEqual([undelivered]);
    expect(state(TASK_STATES.notify).Next).toBe('StillWatching?');
  });

  it('after a channel missed the report through the retries, keeps it for replay with $.undelivered and ends as the restore ended', () => {
    const dead = state(TASK_STATES.notifyDeadLetter);
    expect(dead.Parameters?.FunctionName).toBe(state(TASK_STATES.notify).Parameters?.FunctionName);
    expect(dead.Parameters?.['Payload.$']).toBe('$');
    expect(dead.ResultPath).toBe(state(TASK_STATES.notify).ResultPath);
    expect(dead.ResultSelector).toEqual(state(TASK_STATES.notify).ResultSelector);
    expect(dead.Next).toBe('StillWatching?');
    // It sends nothing, so it never throws over a channel: retried only when Lambda could not run it.
    expect(dead.Retry!.flatMap((r) => r.ErrorEquals)).toEqual([...LAMBDA_SERVICE_ERRORS, 'Sandbox.Timedout']);
    expect(dead.Catch).toBeUndefined();
  });

  it('after the history stayed unwritable, notifies once more with $.historyError and ends as the restore ended', () => {
    const last = state(TASK_STATES.notifyLastTry);
    expect(last.Parameters?.FunctionName).toBe(state(TASK_STATES.notify).Parameters?.FunctionName);
    expect(last.Parameters?.['Payload.$']).toBe('$');
    expect(last.ResultPath).toBe(state(TASK_STATES.notify).ResultPath);
    expect(last.ResultSelector).toEqual(state(TASK_STATES.notify).ResultSelector);
    expect(last.Next).toBe('StillWatching?');
    // It never throws over the history, so it is not retried on it; nor is it caught.
    expect(last.Retry!.flatMap((r) => r.ErrorEquals)).not.toContain(ERROR_NAMES.historyUnavailable);
    expect(last.Retry!.flatMap((r) => r.ErrorEquals)).toContain(ERROR_NAMES.notificationUndeliverable);
    expect(last.Retry!.flatMap((r) => r.ErrorEquals)).toContain(ERROR_NAMES.notificationIncomplete);
  });

  it('deploys that Retry: the template\'s DefinitionString has it on NotifyRestore', () => {
    const machine = Object.values(s.template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const byLogicalId = Object.fromEntries(HANDLER_NAMES.map((n) => [s.logicalId(s.stack.functions.byName(n)), n])) as Record<string, HandlerName>;
    const deployed = JSON.parse(resolveIntrinsics(machine.Properties.DefinitionString, byLogicalId)) as Definition;
    expect(deployed.States[TASK_STATES.notify]?.Retry?.[0]).toMatchObject({
      ErrorEquals: expect.arrayContaining([ERROR_NAMES.notificationUndeliverable, 'Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
      MaxAttempts: 4,
    });
  });

  it('keeps the notification under $.notification and ends in one state per outcome', () => {
    expect(state(TASK_STATES.notify)).toMatchObject({
      ResultSelector: { 'outcome.$': '$.Payload.outcome', 'message.$': '$.Payload.message', 'watching.$': '$.Payload.watching' },
      ResultPath: '$.notification',
      Next: 'StillWatching?',
    });
    const outcome = state('RestoreOutcome');
    for (const o of OUTCOMES) {
      const end = OUTCOME_STATES[o].state;
      expect(outcome.Choices).toContainEqual({ Variable: '$.notification.outcome', StringEquals: o, Next: end });
      if (o === 'SUCCEEDED') expect(state(end).Type).toBe('Succeed');
      else expect(state(end)).toEqual({ Type: 'Fail', Error: end, Cause: OUTCOME_STATES[o].cause });
    }
    expect(outcome.Default).toBe(OUTCOME_STATES.FAILED.state);
  });
});
