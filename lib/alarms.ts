import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CHANNEL_DIMENSION, METRIC, METRICS_NAMESPACE, outcomeMetricName, PLAN_DIMENSION } from '../functions/core/domain/observability.js';
import type { Plan, PlansConfig } from '../functions/core/plans/schema.js';
import { SERVICE_NAME } from './functions.js';
import { scheduledPlans } from './plans.js';
import { rateMinutes, scheduleExpressionOf } from '../functions/core/plans/scheduleExpression.js';
import { longestGapMinutes } from './schedule-interval.js';
import { drillAlarms } from './drill-alarms.js';
import { planMetric } from './plan-metric.js';

export interface RestoreAlarmsProps {
  /** Where every alarm goes: the notifications topic, or an ops topic (context `opsTopicArn`). */
  topic: sns.ITopic;
  triggerDeadLetterQueue: sqs.IQueue;
  stateMachine: sfn.StateMachine;
  notifyFunction: lambda.IFunction;
  plans: PlansConfig;
}

/**
 * The sum of a handler metric over every plan, ad-hoc included, as a Metrics Insights query: one
 * alarm covers plans added later, and there is no 10-metric limit as with metric math.
 */
function allPlansSum(metricName: string, period: Duration = Duration.minutes(5)): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SELECT SUM(${metricName}) FROM SCHEMA("${METRICS_NAMESPACE}", ${PLAN_DIMENSION}, service) WHERE service = '${SERVICE_NAME}'`,
    label: `${metricName} (all plans)`,
    period,
  });
}

/**
 * ReportUndelivered over every plan and channel (notify adds the Channel dimension): one alarm for
 * every channel; `groupByChannel` gives the dashboard one line per channel.
 */
export function reportUndeliveredQuery(options: { groupByChannel?: boolean; period?: Duration } = {}): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression:
      `SELECT SUM(${METRIC.reportUndelivered}) FROM SCHEMA("${METRICS_NAMESPACE}", ${CHANNEL_DIMENSION}, ${PLAN_DIMENSION}, service) WHERE service = '${SERVICE_NAME}'` +
      (options.groupByChannel ? ` GROUP BY ${CHANNEL_DIMENSION}` : ''),
    // Grouped, each line is labelled by its channel.
    ...(options.groupByChannel ? {} : { label: `${METRIC.reportUndelivered} (all plans and channels)` }),
    period: options.period ?? Duration.minutes(5),
  });
}

/** Hourly datapoints; CloudWatch allows at most 7 days of them in one alarm (period × evaluation periods). */
const RUN_ALARM_PERIOD = Duration.hours(1);
const MAX_EVALUATION = Duration.days(7);
/** EMF ingestion delay, hour rounding and a daylight-saving shift of the schedule. */
const RUN_ALARM_MARGIN = Duration.hours(2);

/**
 * How far back the "last scheduled run did not succeed" alarm looks for a RestoreSucceeded of the
 * plan: the longest gap between two runs of its cron, plus its deadline (a healthy run may take that
 * long to succeed), plus a margin. A healthy plan therefore always has a success inside the window;
 * a run that failed, timed out, was refused or never started leaves the window empty by the time
 * the next run is due to have finished. Skipped (with the reason) when the window cannot be
 * alarmed on: longer than CloudWatch's 7 days, or a cron this cannot evaluate.
 */
export function scheduledRunWindow(plan: Plan): { hours: number } | { skipped: string } {
  const schedule = plan.triggers.schedule;
  if (!schedule) return { skipped: 'no schedule' };
  const gap = schedule.rate !== undefined ? rateMinutes(schedule.rate) : longestGapMinutes(schedule.cron ?? '');
  if (gap === undefined) return { skipped: `its cron ${schedule.cron} uses L, W, # or a year, which this check does not evaluate` };
  const minutes = gap + plan.deadlineMinutes + RUN_ALARM_MARGIN.toMinutes();
  const hours = Math.ceil(minutes / 60);
  if (hours > MAX_EVALUATION.toHours()) {
    return {
      skipped: `runs up to ${Math.round(gap / 60)} h apart plus a ${plan.deadlineMinutes}-minute deadline is longer than the 7 days a CloudWatch alarm can look back`,
    };
  }
  return { hours };
}

/**
 * Alarms on the orchestrator itself, for what a restore notification cannot say: a restore that never
 * started (trigger in the dead-letter queue), an execution that failed or hit the backstop timeout, a
 * notification that did not go out, Atlas refusing our credentials, and a scheduled plan that has not
 * succeeded when it should have. Each goes to one topic; docs/operations.md says what to do about each.
 */
export class RestoreAlarms extends Construct {
  readonly triggerNotDelivered: cloudwatch.Alarm;
  readonly notifyErrors: cloudwatch.Alarm;
  readonly workflowTimedOut: cloudwatch.Alarm;
  readonly executionsFailed: cloudwatch.Alarm;
  readonly notificationsFailed: cloudwatch.Alarm;
  readonly atlasAuthFailures: cloudwatch.Alarm;
  /** Data restored, then a post-restore step failed or timed out (any plan). */
  readonly verificationFailed: cloudwatch.Alarm;
  /** A restore ended without its history record: the table could not be written (any plan). */
  readonly historyRecordMissing: cloudwatch.Alarm;
  /** A channel did not take a report through notify's retries: the report is kept for replay (any plan, any channel). */
  readonly reportUndelivered: cloudwatch.Alarm;
  /** Push on only: a restore ended without the Atlas alert its projects had been sending (functions/core/push/missed.ts). */
  readonly alertMissed?: cloudwatch.Alarm;
  /** One per scheduled plan whose schedule fits in an alarm (see scheduledRunWindow). */
  readonly scheduledRunNotSucceeded: Record<string, cloudwatch.Alarm> = {};
  /** A drill failed, and no drill passed within the window, per drill plan (./drill-alarms.ts). */
  readonly drills: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RestoreAlarmsProps) {
    super(scope, id);
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    this.triggerNotDelivered = new cloudwatch.Alarm(this, 'TriggerNotDelivered', {
      ...atLeastOnce,
      alarmDescription: 'A schedule or alarm rule could not start a restore: see the trigger dead-letter queue',
      metric: props.triggerDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    });
    this.notifyErrors = new cloudwatch.Alarm(this, 'NotifyErrors', {
      ...atLeastOnce,
      alarmDescription: 'The notify step failed: a restore outcome may not have been reported',
      metric: props.notifyFunction.metricErrors({ period: Duration.minutes(5) }),
    });
    this.workflowTimedOut = new cloudwatch.Alarm(this, 'WorkflowTimedOut', {
      ...atLeastOnce,
      alarmDescription: 'A restore execution hit the state machine timeout without being reported',
      metric: props.stateMachine.metricTimedOut({ period: Duration.minutes(5) }),
    });
    this.executionsFailed = new cloudwatch.Alarm(this, 'ExecutionsFailed', {
      ...atLeastOnce,
      alarmDescription:
        'A restore execution failed: the restore failed, was cancelled, expired, timed out or was refused, or its outcome could not be reported. See the execution and its notification.',
      metric: props.stateMachine.metricFailed({ period: Duration.minutes(5) }),
    });
    this.notificationsFailed = new cloudwatch.Alarm(this, 'NotificationsFailed', {
      ...atLeastOnce,
      alarmDescription: 'A restore outcome could not be delivered on at least one channel (SNS, EventBridge or webhook): see the notify logs',
      metric: allPlansSum(METRIC.notificationsFailed),
    });
    this.atlasAuthFailures = new cloudwatch.Alarm(this, 'AtlasAuthFailures', {
      ...atLeastOnce,
      alarmDescription:
        'Atlas refused the API credentials (401/403): key revoked or expired, wrong secret, or the caller IP is not on the API access list',
      metric: allPlansSum(METRIC.atlasAuthFailures),
    });
    this.verificationFailed = new cloudwatch.Alarm(this, 'VerificationFailed', {
      ...atLeastOnce,
      alarmDescription:
        "A restore's data was restored but one of its plan's post-restore steps (masking, verification) failed or timed out: the target holds restored data that did not pass. See the notification (which step, what it said) and docs/operations.md.",
      metric: allPlansSum(outcomeMetricName('VERIFICATION_FAILED')),
    });
    this.historyRecordMissing = new cloudwatch.Alarm(this, 'HistoryRecordMissing', {
      ...atLeastOnce,
      alarmDescription:
        'A restore ended and was reported, but its history record (the audit evidence) could not be written after notify\'s retries. The notify log line "HistoryRecordMissing" holds the whole record: backfill it (docs/operations.md).',
      metric: allPlansSum(METRIC.historyRecordMissing),
    });
    this.reportUndelivered = new cloudwatch.Alarm(this, 'ReportUndelivered', {
      ...atLeastOnce,
      alarmDescription:
        'A restore report was not taken by a channel through every retry of notify; the restore itself ended as reported elsewhere. ' +
        'The metric\'s Channel dimension (dashboard: "Reports undelivered") and the notify log line "ReportUndelivered" name the channel and the report id; ' +
        'fix the channel, then replay: npm run restore -- reports replay --report <reportId> --function <NotifyFunctionName> (docs/operations.md).',
      metric: reportUndeliveredQuery(),
    });
    if (props.plans.alerts) {
      this.alertMissed = new cloudwatch.Alarm(this, 'AlertMissed', {
        ...atLeastOnce,
        alarmDescription:
          "A restore ended without the Atlas alert its projects had been sending: the backstop saw it, late, and the projects' next restores are polled as usual until an alert arrives. " +
          'The report and the notify log line "AlertMissed" name the projects; run npm run restore -- alerts check --project <GROUP_ID> --url <AlertReceiverUrl> for each (docs/operations.md).',
        // An hour: Metrics Insights alarms evaluate the last 3 hours at most; one miss is enough to say.
        metric: allPlansSum(METRIC.alertMissed, Duration.hours(1)),
      });
    }

    for (const plan of scheduledPlans(props.plans)) {
      const window = scheduledRunWindow(plan);
      if ('skipped' in window) {
        Annotations.of(this).addWarningV2(
          `atlas-restore:scheduledRunAlarm:${plan.name}`,
          `No "last scheduled run did not succeed" alarm for plan "${plan.name}": ${window.skipped}. The ExecutionsFailed and TriggerNotDelivered alarms still cover it.`,
        );
        continue;
      }
      this.scheduledRunNotSucceeded[plan.name] = new cloudwatch.Alarm(this, `ScheduledRunNotSucceeded-${plan.name}`, {
        alarmDescription:
          `Plan "${plan.name}" (${scheduleExpressionOf(plan.triggers.schedule!)}, ${plan.triggers.schedule!.timeZone}) has not succeeded in the last ${window.hours} hours ` +
          '(longest gap between runs + deadline + 2 h): its last scheduled run failed, was refused, is still running past its deadline, or never started.',
        metric: planMetric(outcomeMetricName('SUCCEEDED'), plan.name, { period: RUN_ALARM_PERIOD }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        // Every hourly datapoint of the window must lack a success: one success anywhere clears it.
        evaluationPeriods: window.hours,
        datapointsToAlarm: window.hours,
        // No success reported is exactly what this alarm is about.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }

    this.drills = drillAlarms(this, props.plans.plans);

    const action = new actions.SnsAction(props.topic);
    for (const alarm of this.all) alarm.addAlarmAction(action);
  }

  /** Every alarm, in a fixed order (the dashboard shows their states). */
  get all(): cloudwatch.Alarm[] {
    return [
      this.executionsFailed,
      this.workflowTimedOut,
      this.triggerNotDelivered,
      this.notifyErrors,
      this.notificationsFailed,
      this.atlasAuthFailures,
      this.verificationFailed,
      this.historyRecordMissing,
      this.reportUndelivered,
      ...(this.alertMissed ? [this.alertMissed] : []),
      ...Object.values(this.scheduledRunNotSucceeded),
      ...this.drills,
    ];
  }
}
