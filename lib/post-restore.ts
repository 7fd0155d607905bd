import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { stepKey } from '../functions/core/postRestore/results.js';
import type { PostRestoreStep } from '../functions/core/postRestore/schema.js';
import type { Plan } from '../functions/core/plans/schema.js';

/**
 * Post-restore steps, built at synth from the plans file: for each plan that lists steps, a chain
 * that runs them in order once Atlas says the restore SUCCEEDED, then goes to notify. Notify frees
 * the target, so the target stays locked until the last step ends. A step that fails or passes its
 * timeout goes straight to notify (the later steps do not run), which reports VERIFICATION_FAILED
 * (functions/core/domain/redact.ts).
 *
 * Per step, four states: a Pass noting when it started (and what it is), the Task, and a Pass
 * noting when it ended, on success or after the catch. Results land under `$.steps.sN`
 * (functions/core/postRestore/results.ts). The timing uses `$$.State.EnteredTime`, which the local
 * runner supplies from its clock (local/runner/execute.ts).
 *
 * The machine's role gets exactly the functions and state machines the plans name, nothing wider.
 */

/** The Choice in front of notify that sends a successful restore of a plan with steps to its chain. */
export const POST_RESTORE_CHOICE = 'PostRestoreSteps?';

/** State names stay under Step Functions' 80 characters: a plan name is at most 64. */
export const stepStateName = (planName: string, n: number): string => `${planName} step ${n}`;
const startedStateName = (planName: string, n: number) => `${planName} step ${n} starts`;
const endedStateName = (planName: string, n: number) => `${planName} step ${n} ended`;
const failedStateName = (planName: string, n: number) => `${planName} step ${n} failed`;

export interface PostRestoreStepsProps {
  plans: readonly Plan[];
  /** Where every chain ends, and where restores without steps go directly. */
  notify: sfn.IChainable;
}

export class PostRestoreSteps extends Construct {
  /** The state to go to instead of notify when a restore ends; notify itself when no plan has steps. */
  readonly entry: sfn.IChainable;
  private readonly lambdaArns: string[] = [];

  constructor(scope: Construct, id: string, props: PostRestoreStepsProps) {
    super(scope, id);
    const withSteps = props.plans.filter((p) => p.postRestore?.length);
    if (!withSteps.length) {
      this.entry = props.notify;
      return;
    }
    const choice = new sfn.Choice(this, POST_RESTORE_CHOICE, {
      comment: "A restore Atlas finished successfully, of a plan with post-restore steps: run them before notify frees the target",
    });
    for (const plan of withSteps) {
      choice.when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.restore.planName'),
          sfn.Condition.stringEquals('$.restore.planName', plan.name),
          sfn.Condition.isPresent('$.status.state'),
          sfn.Condition.stringEquals('$.status.state', 'SUCCEEDED'),
        ),
        this.chain(plan, props.notify),
      );
    }
    choice.otherwise(props.notify);
    this.entry = choice;
  }

  /** Called once the state machine exists: the nag findings of the grants CDK made for the steps. */
  acknowledgeGrants(role: iam.IRole): void {
    for (const arn of this.lambdaArns) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arn}:*]`,
        reason: 'LambdaInvoke grants the post-restore function named in the plans file and its versions/aliases (<arn>:*); nothing else.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule]',
      reason: 'A .sync state machine step: Step Functions watches the child execution through this one managed rule.',
    });
    for (const arn of this.stateMachineArns) {
      // CDK builds the executions' ARN in the stack's own account and region (StepFunctionsStartExecution).
      const name = arn.split(':')[6];
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}*]`,
        reason: 'Executions of the post-restore state machine named in the plans file (to watch and stop them); nothing else.',
      });
    }
  }

  private readonly stateMachineArns: string[] = [];

  private chain(plan: Plan, notify: sfn.IChainable): sfn.IChainable {
    const steps = plan.postRestore!;
    let first: sfn.IChainable | undefined;
    let previous: sfn.INextable | undefined;
    steps.forEach((step, i) => {
      const n = i + 1;
      const key = stepKey(n);
      const note = { name: step.name, type: step.type, 'startedAt.$': '$$.State.EnteredTime' };
      // The first step makes `$.steps`; the later ones add to it.
      const started = new sfn.Pass(this, startedStateName(plan.name, n), {
        comment: `Post-restore step ${n} of plan ${plan.name}: ${step.name}`,
        parameters: n === 1 ? { [key]: note } : note,
        resultPath: n === 1 ? '$.steps' : `$.steps.${key}`,
      });
      const task = this.task(plan, step, n, key);
      const ended = new sfn.Pass(this, endedStateName(plan.name, n), {
        parameters: { 'at.$': '$$.State.EnteredTime' },
        resultPath: `$.steps.${key}.ended`,
      });
      const failed = new sfn.Pass(this, failedStateName(plan.name, n), {
        comment: 'The step failed or timed out: the later steps do not run; notify reports VERIFICATION_FAILED',
        parameters: { 'at.$': '$$.State.EnteredTime' },
        resultPath: `$.steps.${key}.ended`,
      });
      task.addCatch(failed.next(notify), { errors: [sfn.Errors.ALL], resultPath: `$.steps.${key}.error` });
      started.next(task).next(ended);
      if (previous) previous.next(started);
      else first = started;
      previous = ended;
    });
    previous!.next(notify);
    return first!;
  }

  /** The step's input: the restore context, Atlas's status and the steps before it (no secrets: see the contract). */
  private task(plan: Plan, step: PostRestoreStep, n: number, key: string): sfn.TaskStateBase {
    const input = { 'restore.$': '$.restore', 'status.$': '$.status', 'steps.$': '$.steps' };
    const common = {
      comment: `${step.name}: ${step.type === 'lambda' ? step.functionArn : step.stateMachineArn}`,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(step.timeoutSeconds)),
      resultPath: `$.steps.${key}.result`,
    };
    const id = stepStateName(plan.name, n);
    if (step.type === 'lambda') {
      this.lambdaArns.push(step.functionArn);
      return new tasks.LambdaInvoke(this, id, {
        ...common,
        lambdaFunction: lambda.Function.fromFunctionArn(this, `Fn-${plan.name}-${n}`, step.functionArn),
        payload: sfn.TaskInput.fromObject(input),
        resultSelector: { 'output.$': '$.Payload' },
      });
    }
    this.stateMachineArns.push(step.stateMachineArn);
    return new tasks.StepFunctionsStartExecution(this, id, {
      ...common,
      stateMachine: sfn.StateMachine.fromStateMachineArn(this, `Sm-${plan.name}-${n}`, step.stateMachineArn),
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      input: sfn.TaskInput.fromObject(input),
      resultSelector: { 'output.$': '$.Output', 'executionArn.$': '$.ExecutionArn' },
    });
  }
}
