import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ERROR_NAMES, TRANSIENT_ERROR_NAMES } from '../functions/core/domain/errors.js';
import { ENV } from '../functions/core/domain/observability.js';
import { MAX_DEADLINE_MINUTES, MAX_WATCH_MINUTES, type Plan } from '../functions/core/plans/schema.js';
import type { Outcome } from '../functions/core/workflow/contract.js';
import type { RestoreFunctions } from './functions.js';
import type { RestoreLogging } from './logging.js';
import { PostRestoreSteps } from './post-restore.js';

/**
 * The restore workflow: create → (dry run ends here) → wait → poll → loop until Atlas says the job
 * ended → notify → Succeed or a Fail named by the outcome. At the deadline: cancel where Atlas
 * allows, an interim report ("still running, the target stays locked"), and the loop goes on at the
 * slow cadence until the job ends (closing report) or the watch limit passes (functions/core/orchestrate/watch.ts).
 * A failed poll or cancel never ends the loop: the job may still be writing to the target.
 *
 * JSONPath only: aws-local-stepfunctions (the tests and the local runner) cannot run JSONata and
 * would silently pass its input through. The paths below are the field names of
 * functions/core/workflow/contract.ts (WorkflowState, NotifyResult); change both together.
 */

/** Task state names: the local runner keys its handler overrides on them. */
export const TASK_STATES = {
  create: 'CreateRestore',
  /**
   * Create failed through its retries: the create function once more, in its look-only mode. If a
   * POST of this restore may have landed and its job is in flight, that job is watched to its end.
   */
  findCreatedJob: 'FindCreatedJob',
  poll: 'PollRestore',
  cancel: 'CancelRestore',
  notify: 'NotifyRestore',
  /** Notify once more when the history could not be written: the report stands, the miss is counted (HistoryRecordMissing). */
  notifyLastTry: 'NotifyWithoutHistory',
  /**
   * Notify once more after a channel missed the report through every retry: nothing is sent, the
   * report is kept for replay, ReportUndelivered is counted per channel, and the restore ends as it ended.
   */
  notifyDeadLetter: 'KeepUndeliveredReport',
} as const;

export const WAIT_STATE = 'WaitBeforePoll';

/** The wait an Atlas alert can end (push completion): a callback task whose timeout is the backstop. */
export const ALERT_WAIT_STATE = 'WaitForAlert';

/** One Fail (or Succeed) state per outcome, with a static Error and Cause people can alarm and search on. */
export const OUTCOME_STATES: Record<Outcome, { state: string; cause?: string }> = {
  SUCCEEDED: { state: 'RestoreSucceeded' },
  FAILED: {
    state: 'RestoreFailed',
    cause:
      'The restore did not complete: Atlas reported the restore job failed, or a step could not finish. The notification (NotifyRestore output) gives the job id and the reason.',
  },
  CANCELLED: {
    state: 'RestoreCancelled',
    cause: 'The Atlas restore job was cancelled before it finished; the notification gives the job id and who asked.',
  },
  EXPIRED: {
    state: 'RestoreExpired',
    cause: 'Atlas expired the restore job before it was used; the notification gives the job id.',
  },
  TIMED_OUT: {
    state: 'RestoreTimedOut',
    cause:
      "The restore passed its plan's deadline: the job was cancelled where Atlas allows it and watched until it ended or the watch limit passed; the notifications give the job id, its last state and whether the target is still locked.",
  },
  VERIFICATION_FAILED: {
    state: 'RestoreVerificationFailed',
    cause:
      "Atlas restored the data, then one of the plan's post-restore steps failed or passed its timeout (the later steps did not run); the notification names the step and its error.",
  },
  REFUSED: {
    state: 'RestoreRefused',
    cause:
      'A guard refused the restore (protected target, source = target, target busy or held, plan cooling down, trigger or ad-hoc policy not allowed) and nothing was created; the notification gives the reason.',
  },
};

/** Longer than the longest plan deadline plus the longest watch after it and a day: a backstop, not a rule. */
export const WORKFLOW_TIMEOUT = Duration.minutes(MAX_DEADLINE_MINUTES + MAX_WATCH_MINUTES + 24 * 60);

/**
 * Throttling and 5xx from Atlas: retried with exponential backoff and full jitter, so many restores
 * hitting one throttled organisation do not retry in step.
 */
const TRANSIENT_RETRY: sfn.RetryProps = {
  errors: [...TRANSIENT_ERROR_NAMES],
  interval: Duration.seconds(10),
  backoffRate: 2,
  maxAttempts: 6,
  maxDelay: Duration.minutes(5),
  jitterStrategy: sfn.JitterType.FULL,
};

/**
 * A create whose POST may or may not have reached Atlas. Retrying it is safe ONLY because create
 * never POSTs blindly: it first looks for a job in flight for the same source and target and adopts
 * it (and it holds the target lock under the same restore id), so a retry finds the job the lost
 * answer created instead of making a second one. Downloads cannot be doubled either: Atlas allows
 * one download per snapshot at a time. Two tries, spaced out, then the catch reports it.
 */
const AMBIGUOUS_CREATE_RETRY: sfn.RetryProps = {
  // A create Lambda that hit its timeout may have sent the POST too: the same ambiguity.
  errors: [ERROR_NAMES.ambiguousCreate, 'Sandbox.Timedout'],
  interval: Duration.seconds(30),
  backoffRate: 2,
  maxAttempts: 2,
  jitterStrategy: sfn.JitterType.FULL,
};

/**
 * What Lambda itself answers when it could not run notify this time: throttled, or a service
 * error. The invoke never reached the handler (or its answer was lost), so trying again is the fix.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
] as const;

/**
 * Notify is the only place a restore's outcome is reported and it has no catch, so a blip there
 * (no channel took the report, Lambda throttled or failing, the function timing out on a hung
 * channel) would lose the report and fail the execution. Retrying is safe: notify builds the same
 * report with the same reportId for the same input, and a channel that took an earlier try is on
 * record under that id (the delivery records in the lock table), so the retry sends only to the
 * channels that did not: one report per channel. The one repeat left is a channel that took the
 * report just as the try died, before its record was written (never the other way round: a
 * record without a send); consumers drop it by reportId. The lock release is idempotent and the
 * outcome is counted only once, on the try that does not throw. Notify throws while any channel has
 * not taken the report (NotificationIncomplete, or NotificationUndeliverable when none did), so a
 * channel that failed gets the report on a retry. Bounded (four more tries, at most 2.5 minutes of
 * backoff): a channel still down after them is caught into the dead-letter try
 * (KeepUndeliveredReport), which keeps the report for replay, raises ReportUndelivered naming the
 * channel, and ends the execution with the restore's own outcome.
 */
const NOTIFY_RETRY: sfn.RetryProps = {
  errors: [ERROR_NAMES.notificationUndeliverable, ERROR_NAMES.notificationIncomplete, ERROR_NAMES.historyUnavailable, ...LAMBDA_SERVICE_ERRORS, 'Sandbox.Timedout'],
  interval: Duration.seconds(10),
  backoffRate: 2,
  maxAttempts: 4,
  jitterStrategy: sfn.JitterType.FULL,
};

/** A wait that an alert may end: set by poll, cancel or create when the restore listens for alerts. */
const LISTENS = sfn.Condition.and(sfn.Condition.isPresent('$.poll.untilAlert'), sfn.Condition.booleanEquals('$.poll.untilAlert', true));

/** Every caught error lands here, next to the state it interrupted, for notify to report. */
const CATCH_INTO_ERROR: sfn.CatchProps = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

/** A look at a job that failed after its retries: kept beside the state for the next poll to count. */
const CATCH_LOOK_FAILURE: sfn.CatchProps = { errors: [sfn.Errors.ALL], resultPath: '$.pollError' };

/**
 * Lambda itself failing to run poll or cancel (throttled, service error, a timeout). The step's
 * timeout outlasts the Atlas client's retries (lib/functions.ts), so a timeout is rare; a few
 * spaced tries, then the catch keeps watching.
 */
const LAMBDA_RETRY: sfn.RetryProps = {
  errors: [...LAMBDA_SERVICE_ERRORS, 'Sandbox.Timedout'],
  interval: Duration.seconds(10),
  backoffRate: 2,
  maxAttempts: 4,
  jitterStrategy: sfn.JitterType.FULL,
};

export interface RestoreWorkflowProps {
  functions: RestoreFunctions;
  logging: RestoreLogging;
  /** Plans with post-restore steps get their steps between the end of the loop and notify (./post-restore.ts). */
  plans?: readonly Plan[];
}

export class RestoreWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RestoreWorkflowProps) {
    super(scope, id);
    const fns = props.functions;

    const notifyProps = {
      lambdaFunction: fns.notifyRestore,
      payload: sfn.TaskInput.fromJsonPathAt('$'),
      resultSelector: {
        'outcome.$': '$.Payload.outcome',
        'message.$': '$.Payload.message',
        'delivered.$': '$.Payload.delivered',
        'failed.$': '$.Payload.failed',
        // Which channels took this report now and which on an earlier try (the delivery ledger).
        'deliveredNow.$': '$.Payload.deliveredNow',
        'deliveredEarlier.$': '$.Payload.deliveredEarlier',
        // An interim report: the workflow keeps watching (StillWatching?).
        'watching.$': '$.Payload.watching',
        'reportId.$': '$.Payload.reportId',
      },
      resultPath: '$.notification',
      // NOTIFY_RETRY covers the Lambda service errors itself: CDK's default retry for them would come first and shadow it.
      retryOnServiceExceptions: false,
    };
    const notify = new tasks.LambdaInvoke(this, TASK_STATES.notify, {
      ...notifyProps,
      comment: 'Send the outcome to SNS, EventBridge and the webhook; keep what was sent under $.notification',
    });
    notify.addRetry(NOTIFY_RETRY);
    // The history table stayed out of reach through the retries: the reports went out (each channel
    // is on record, so none is sent again), and the restore ends as it ended. Notify runs once more
    // with $.historyError, tries the write once more and, failing, logs the record and counts it.
    const notifyLastTry = new tasks.LambdaInvoke(this, TASK_STATES.notifyLastTry, {
      ...notifyProps,
      comment: 'Notify once more after the history could not be written: no report is sent twice; a missing record is logged and counted',
    });
    notifyLastTry.addRetry({
      ...NOTIFY_RETRY,
      errors: [ERROR_NAMES.notificationUndeliverable, ERROR_NAMES.notificationIncomplete, ...LAMBDA_SERVICE_ERRORS, 'Sandbox.Timedout'],
    });
    notify.addCatch(notifyLastTry, { errors: [ERROR_NAMES.historyUnavailable], resultPath: '$.historyError' });
    // A channel still missing the report after the retries (or a try that kept timing out on one):
    // keep the report for replay and end as the restore ended. It sends nothing, so it cannot hang.
    const notifyDeadLetter = new tasks.LambdaInvoke(this, TASK_STATES.notifyDeadLetter, {
      ...notifyProps,
      comment: 'A channel did not take the report through the retries: keep it for replay (reports replay), count ReportUndelivered per channel, end as the restore ended',
    });
    notifyDeadLetter.addRetry({ ...NOTIFY_RETRY, errors: [...LAMBDA_SERVICE_ERRORS, 'Sandbox.Timedout'] });
    const undelivered: sfn.CatchProps = {
      errors: [ERROR_NAMES.notificationUndeliverable, ERROR_NAMES.notificationIncomplete, 'Sandbox.Timedout'],
      resultPath: '$.undelivered',
    };
    notify.addCatch(notifyDeadLetter, undelivered);
    notifyLastTry.addCatch(notifyDeadLetter, undelivered);

    const postRestore = new PostRestoreSteps(this, 'PostRestore', { plans: props.plans ?? [], notify });

    const wait = new sfn.Wait(this, WAIT_STATE, {
      comment: 'Adaptive wait chosen by create/poll: short while the restore is young, longer later, slow while only watching',
      time: sfn.WaitTime.secondsPath('$.poll.waitSeconds'),
    });

    const alertWait = fns.push ? this.alertWait(fns.push.awaitAlert) : undefined;
    /** Sends a wait to WaitForAlert when the restore listens for alerts, else to the plain Wait. */
    const waitOn = (choice: sfn.Choice, when?: sfn.Condition): sfn.Choice => {
      if (alertWait) choice.when(when ? sfn.Condition.and(when, LISTENS) : LISTENS, alertWait);
      return when ? choice.when(when, wait) : choice.otherwise(wait);
    };

    const cancel = new tasks.LambdaInvoke(this, TASK_STATES.cancel, {
      lambdaFunction: fns.cancelRestore,
      comment: 'The deadline passed: cancel the Atlas job where Atlas allows it; the job is watched until it ends',
      payload: sfn.TaskInput.fromJsonPathAt('$'),
      outputPath: '$.Payload',
      retryOnServiceExceptions: false, // LAMBDA_RETRY covers them
    })
      .addRetry(TRANSIENT_RETRY)
      .addRetry(LAMBDA_RETRY)
      // The job may still be running: a cancel that cannot finish is tried again after the wait, never an end.
      .addCatch(wait, CATCH_LOOK_FAILURE);

    const poll = new tasks.LambdaInvoke(this, TASK_STATES.poll, {
      lambdaFunction: fns.pollRestore,
      comment: 'Read the Atlas job, map it onto the restore status model, decide what comes next',
      payload: sfn.TaskInput.fromJsonPathAt('$'),
      outputPath: '$.Payload',
      retryOnServiceExceptions: false, // LAMBDA_RETRY covers them
    })
      .addRetry(TRANSIENT_RETRY)
      .addRetry(LAMBDA_RETRY)
      // A poll that cannot finish is not the end of the job: keep the state, count it at the next poll, keep watching.
      .addCatch(wait, CATCH_LOOK_FAILURE);

    const finished = new sfn.Choice(this, 'RestoreFinished?', {
      comment: 'What poll, cancel or create decided ($.poll.next): report (an end or an interim notice), cancel at the deadline, or wait',
    })
      .when(sfn.Condition.stringEquals('$.poll.next', 'report'), postRestore.entry)
      .when(sfn.Condition.stringEquals('$.poll.next', 'cancel'), cancel);
    waitOn(finished);
    cancel.next(finished);
    if (alertWait) RestoreWorkflow.endAlertWait(alertWait, poll, wait);

    const create = new tasks.LambdaInvoke(this, TASK_STATES.create, {
      lambdaFunction: fns.createRestore,
      comment: 'Resolve the plan or request, apply the guards, create or adopt exactly one Atlas restore job',
      // The execution name is the restore id (= the idempotency key HTTP callers chose).
      payload: sfn.TaskInput.fromObject({ input: sfn.JsonPath.entirePayload, restoreId: sfn.JsonPath.stringAt('$$.Execution.Name') }),
      outputPath: '$.Payload',
    })
      .addRetry(TRANSIENT_RETRY)
      .addRetry(AMBIGUOUS_CREATE_RETRY);
    // A run that failed at create has no restore context: give notify the restore id (the
    // execution name), so its report id is this run's own and the delivery ledger never takes
    // another run's report for it.
    const noteRestoreId = new sfn.Pass(this, 'NoteRestoreId', { parameters: { 'restoreId.$': '$$.Execution.Name' }, resultPath: '$.run' }).next(notify);
    // Every try of create may have died after its POST (a retry adopting the job, then dying too):
    // the job must not run unwatched. One look for the job of this request; found, it is watched
    // like any other (its report names it); not found, or the look fails, the failure is reported.
    const findCreatedJob = new tasks.LambdaInvoke(this, TASK_STATES.findCreatedJob, {
      lambdaFunction: fns.createRestore,
      comment: 'Create failed: if a POST of this restore may have landed, look for its job (never POST) and watch it',
      payload: sfn.TaskInput.fromObject({
        input: sfn.JsonPath.stringAt('$$.Execution.Input'),
        restoreId: sfn.JsonPath.stringAt('$$.Execution.Name'),
        afterFailure: sfn.JsonPath.stringAt('$.error'),
      }),
      resultSelector: { 'answer.$': '$.Payload' },
      resultPath: '$.found',
    })
      .addRetry(TRANSIENT_RETRY)
      .addCatch(noteRestoreId, { errors: [sfn.Errors.ALL], resultPath: '$.findError' });
    create.addCatch(findCreatedJob, CATCH_INTO_ERROR);

    const dryRun = new sfn.Choice(this, 'IsDryRun', {
      comment: 'A dry run resolves and checks only, a repeated trigger event does nothing: stop before any wait or poll',
    })
      // A schedule or alarm event delivered twice: create answered {duplicate: true} and made nothing (functions/core/orchestrate/runGuards.ts).
      .when(
        sfn.Condition.and(sfn.Condition.isPresent('$.duplicate'), sfn.Condition.booleanEquals('$.duplicate', true)),
        new sfn.Succeed(this, 'DuplicateTrigger', { comment: 'Another restore already took this trigger event: no job, no report' }),
      )
      // IsPresent first: a Choice on a missing path is a runtime error, and most inputs have no dryRun.
      .when(
        sfn.Condition.and(sfn.Condition.isPresent('$.dryRun'), sfn.Condition.booleanEquals('$.dryRun', true)),
        new sfn.Succeed(this, 'DryRunDone', { comment: 'Nothing was created; the output says what would have been done' }),
      );
    waitOn(dryRun);
    // The job of this request was found after create failed: its state (an adopted job's) goes on as create's would have.
    findCreatedJob.next(
      new sfn.Choice(this, 'CreatedJobFound?', { comment: 'A job of this request in flight after create failed: watch it; otherwise report the failure' })
        .when(
          sfn.Condition.isPresent('$.found.answer.restore'),
          new sfn.Pass(this, 'WatchCreatedJob', { comment: "The found job's state replaces the failed create's", inputPath: '$.found.answer' }).next(dryRun),
        )
        .otherwise(noteRestoreId),
    );

    create.next(dryRun);
    wait.next(poll);
    poll.next(finished);
    const stillWatching = new sfn.Choice(this, 'StillWatching?', {
      comment: 'An interim report (the job may still run): keep watching; otherwise end as reported',
    });
    waitOn(
      stillWatching,
      sfn.Condition.and(sfn.Condition.isPresent('$.notification.watching'), sfn.Condition.booleanEquals('$.notification.watching', true)),
    );
    notify.next(stillWatching.otherwise(this.outcomeChoice()));
    notifyLastTry.next(stillWatching);
    notifyDeadLetter.next(stillWatching);

    this.logGroup = props.logging.logGroup(
      this,
      'Logs',
      // The vendedlogs prefix keeps CloudWatch Logs' resource policy small however many machines log.
      `/aws/vendedlogs/states/${Stack.of(this).stackName}-RestoreWorkflow`,
    );
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Atlas backup restore: create, wait and poll, cancel on deadline, notify',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(create),
      timeout: WORKFLOW_TIMEOUT,
      tracingEnabled: true,
      // Payloads carry no secrets (contract.ts), so full execution data helps without exposing any.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    this.acknowledgeFindings(fns);
    postRestore.acknowledgeGrants(this.stateMachine.role);
  }

  /**
   * Lets the HTTP front end start restores, read their progress (status, output, and the history
   * for the job id) and stop one that has created nothing yet; tells it the machine's ARN.
   */
  grantSubmit(fn: lambda.Function): void {
    this.stateMachine.grantStartExecution(fn);
    this.stateMachine.grantExecution(fn, 'states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution');
    // The busy-target check lists this machine's running executions before starting another.
    this.stateMachine.grant(fn, 'states:ListExecutions');
    fn.addEnvironment(ENV.stateMachineArn, this.stateMachine.stateMachineArn);
    const stack = Stack.of(this);
    const machineId = stack.resolve(stack.getLogicalId(this.stateMachine.node.defaultChild as sfn.CfnStateMachine)) as string;
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}:*`;
    Validations.of(fn.role ?? fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${executions}]`,
      reason: "Executions of this one state machine (execution ARNs end in the execution name, unknown until started); nothing else.",
    });
  }

  /**
   * WaitForAlert: Step Functions hands the awaitAlert function a task token and waits until the
   * alert receiver (or awaitAlert itself, for an alert it finds it missed) sends it back, or until
   * the backstop delay passes (the task's timeout, from the poll's `waitSeconds`). Both go on to
   * the poll; `$.wake` tells it which it was. If the wait cannot even be registered, the plain
   * Wait takes over: push only ever shortens a wait, it never blocks one.
   */
  private alertWait(awaitAlert: lambda.IFunction): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, ALERT_WAIT_STATE, {
      lambdaFunction: awaitAlert,
      comment: 'Wait for an Atlas restore alert on the restore projects, or the backstop delay, whichever comes first',
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        taskToken: sfn.JsonPath.taskToken,
        restoreId: sfn.JsonPath.stringAt('$.restore.restoreId'),
        groupIds: sfn.JsonPath.listAt('$.restore.push.groupIds'),
        since: sfn.JsonPath.stringAt('$.poll.lookedAt'),
        waitSeconds: sfn.JsonPath.numberAt('$.poll.waitSeconds'),
      }),
      taskTimeout: sfn.Timeout.at('$.poll.waitSeconds'),
      resultPath: '$.wake',
      retryOnServiceExceptions: false, // LAMBDA_RETRY covers them
    });
    task.addRetry(LAMBDA_RETRY);
    return task;
  }

  /** Wires WaitForAlert's two non-alert ends: the backstop (a timeout) polls; a failed registration waits plainly. */
  private static endAlertWait(task: tasks.LambdaInvoke, poll: sfn.IChainable, fallback: sfn.Wait): void {
    task.next(poll);
    task.addCatch(poll, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.wake' });
    task.addCatch(fallback, { errors: [sfn.Errors.ALL], resultPath: '$.wake' });
  }

  private outcomeChoice(): sfn.Choice {
    const choice = new sfn.Choice(this, 'RestoreOutcome', { comment: 'End the execution the way the restore ended' });
    let failed: sfn.Fail | undefined;
    for (const [outcome, spec] of Object.entries(OUTCOME_STATES) as [Outcome, (typeof OUTCOME_STATES)[Outcome]][]) {
      const end =
        outcome === 'SUCCEEDED'
          ? new sfn.Succeed(this, spec.state, { comment: 'The restore finished and was reported' })
          : new sfn.Fail(this, spec.state, { error: spec.state, cause: spec.cause });
      if (outcome === 'FAILED') failed = end as sfn.Fail;
      choice.when(sfn.Condition.stringEquals('$.notification.outcome', outcome), end);
    }
    // Notify only returns known outcomes; anything else is a failure, never a silent success.
    return choice.otherwise(failed!);
  }

  private acknowledgeFindings(fns: RestoreFunctions): void {
    const stack = Stack.of(this);
    const role = this.stateMachine.role;
    for (const fn of [fns.createRestore, fns.pollRestore, fns.cancelRestore, fns.notifyRestore, ...(fns.push ? [fns.push.awaitAlert] : [])]) {
      const logicalId = stack.resolve(stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)) as string;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'LambdaInvoke grants invoke on the function and its versions/aliases (<arn>:*); the wildcard covers only this function.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs delivery (logs:CreateLogDelivery and friends) support no resource-level permissions.',
    });
  }
}
