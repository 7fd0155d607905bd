import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleExpressionOf } from '../functions/core/plans/scheduleExpression.js';
import type { PlansConfig } from '../functions/core/plans/schema.js';
import type { ExecutionInput } from '../functions/core/workflow/contract.js';
import { deadLetterQueue } from './dead-letter.js';
import { alarmPlans, scheduledPlans } from './plans.js';

/** How long AWS keeps trying to start a restore it could not start, and how often. */
export const TRIGGER_RETRY = { attempts: 5, maxAge: Duration.hours(1) } as const;

/** Scheduler replaces this placeholder with the invocation's scheduled time (ISO-8601, UTC). */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

export interface RestoreTriggersProps {
  plans: PlansConfig;
  stateMachine: sfn.IStateMachine;
}

/**
 * What starts a plan without a person: an EventBridge Scheduler schedule per plan with a cron, and
 * an EventBridge rule per plan with alarms (CloudWatch alarm → ALARM). Both start the state machine
 * with the plan's name and the trigger, and park what they could not deliver in one dead-letter queue.
 */
export class RestoreTriggers extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  /** Assumed by EventBridge Scheduler: may only start this state machine and write the dead-letter queue. */
  readonly schedulerRole: iam.Role;
  /** Assumed by EventBridge rules' targets, same limits. */
  readonly rulesRole: iam.Role;
  readonly schedules: Record<string, scheduler.CfnSchedule> = {};
  readonly alarmRules: Record<string, events.Rule> = {};

  constructor(scope: Construct, id: string, props: RestoreTriggersProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', 'restore schedules and alarm rules that could not start the workflow');
    // aws:SourceAccount: no other account's schedule or rule can borrow these roles (confused deputy).
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
      description: 'Lets the restore schedules start the restore workflow',
    });
    this.rulesRole = new iam.Role(this, 'AlarmRulesRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
      description: 'Lets the restore alarm rules start the restore workflow',
    });

    const scheduled = scheduledPlans(props.plans);
    if (scheduled.length) {
      props.stateMachine.grantStartExecution(this.schedulerRole);
      // Scheduler delivers to the dead-letter queue with the schedule's own role.
      this.deadLetterQueue.grantSendMessages(this.schedulerRole);
    }
    for (const plan of scheduled) {
      const schedule = plan.triggers.schedule!;
      // The scheduled time is the same on every retry of one invocation (the execution id is not):
      // it is what the create step recognises a repeated delivery by.
      const input: ExecutionInput = { planName: plan.name, trigger: { type: 'schedule', time: SCHEDULED_TIME } };
      this.schedules[plan.name] = new scheduler.CfnSchedule(this, `Schedule-${plan.name}`, {
        description: `Starts the "${plan.name}" restore plan`,
        scheduleExpression: scheduleExpressionOf(schedule),
        scheduleExpressionTimezone: schedule.timeZone,
        // A restore at 03:00 means 03:00: no flexible window.
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: props.stateMachine.stateMachineArn,
          roleArn: this.schedulerRole.roleArn,
          input: JSON.stringify(input),
          retryPolicy: {
            maximumRetryAttempts: TRIGGER_RETRY.attempts,
            maximumEventAgeInSeconds: TRIGGER_RETRY.maxAge.toSeconds(),
          },
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
      });
    }

    for (const plan of alarmPlans(props.plans)) {
      const rule = new events.Rule(this, `Alarm-${plan.name}`, {
        description: `Starts the "${plan.name}" restore plan when one of its alarms goes to ALARM`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          detail: { alarmName: [...plan.triggers.alarms], state: { value: ['ALARM'] } },
        },
      });
      rule.addTarget(
        new targets.SfnStateMachine(props.stateMachine, {
          // The event's time is when the alarm changed state: minutesBeforeTrigger counts back from it.
          // Time, alarm name and event id are also what the create step recognises a repeated delivery by.
          input: events.RuleTargetInput.fromObject({
            planName: plan.name,
            trigger: {
              type: 'alarm',
              time: events.EventField.time,
              alarmName: events.EventField.fromPath('$.detail.alarmName'),
              eventId: events.EventField.eventId,
            },
          }),
          role: this.rulesRole,
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: TRIGGER_RETRY.attempts,
          maxEventAge: TRIGGER_RETRY.maxAge,
        }),
      );
      this.alarmRules[plan.name] = rule;
    }
  }
}
