import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { scheduledRunWindow } from '../../lib/alarms.js';
import { validatePlansConfig } from '../../lib/plans.js';
import { fixturePlans, synthesize, type Synthesized } from './helpers.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const alarmProps = (alarm: cloudwatch.Alarm) => s.template.findResources('AWS::CloudWatch::Alarm')[s.logicalId(alarm)]!.Properties;
const stateMachineArn = () => ({ Ref: s.logicalId(s.stack.workflow.stateMachine) });

describe('orchestrator alarms', () => {
  it('sends every alarm to the notifications topic by default', () => {
    const alarms = s.template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(s.stack.alarms.all.length);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: s.logicalId(s.stack.notifications.topic) }]);
    }
  });

  it('fires on a failed execution', () => {
    expect(alarmProps(s.stack.alarms.executionsFailed)).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: stateMachineArn() }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires on a timed-out execution', () => {
    expect(alarmProps(s.stack.alarms.workflowTimedOut)).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsTimedOut',
      Dimensions: [{ Name: 'StateMachineArn', Value: stateMachineArn() }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('fires when the schedule dead-letter queue is not empty', () => {
    expect(alarmProps(s.stack.alarms.triggerNotDelivered)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [s.logicalId(s.stack.triggers.deadLetterQueue), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each([
    ['notificationsFailed', 'NotificationsFailed'],
    ['atlasAuthFailures', 'AtlasAuthFailures'],
    ['historyRecordMissing', 'HistoryRecordMissing'],
  ] as const)('fires when %s > 0 for any plan (a Metrics Insights sum over the Plan dimension)', (key, metricName) => {
    const props = alarmProps(s.stack.alarms[key]);
    expect(props).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(props.Metrics).toEqual([
      expect.objectContaining({
        Expression: `SELECT SUM(${metricName}) FROM SCHEMA("AtlasRestore", Plan, service) WHERE service = 'atlas-restore'`,
        Period: 300,
        ReturnData: true,
      }),
    ]);
  });

  it('fires ReportUndelivered when a channel missed a report through the retries, any plan and any channel (Channel is a dimension)', () => {
    const props = alarmProps(s.stack.alarms.reportUndelivered);
    expect(props).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(props.Metrics).toEqual([
      expect.objectContaining({
        Expression: `SELECT SUM(ReportUndelivered) FROM SCHEMA("AtlasRestore", Channel, Plan, service) WHERE service = 'atlas-restore'`,
        ReturnData: true,
      }),
    ]);
    expect(props.AlarmDescription).toContain('reports replay');
  });

  it('fires when a daily plan has not succeeded within its interval + deadline, missing data breaching', () => {
    // nightly-staging: every 24 h, default deadline 12 h, + 2 h margin = 38 hourly datapoints.
    const alarm = s.stack.alarms.scheduledRunNotSucceeded['nightly-staging']!;
    expect(alarmProps(alarm)).toMatchObject({
      Namespace: 'AtlasRestore',
      MetricName: 'RestoreSucceeded',
      Dimensions: expect.arrayContaining([
        { Name: 'service', Value: 'atlas-restore' },
        { Name: 'Plan', Value: 'nightly-staging' },
      ]),
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 38,
      DatapointsToAlarm: 38,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmDescription: expect.stringContaining('(cron(0 3 * * ? *), Europe/Paris) has not succeeded in the last 38 hours'),
    });
  });

  it('makes no such alarm where CloudWatch cannot look back far enough (weekly), and warns at synth', () => {
    expect(Object.keys(s.stack.alarms.scheduledRunNotSucceeded)).toEqual(['nightly-staging']);
    Annotations.fromStack(s.stack).hasWarning('/AtlasRestore/Alarms', Match.stringLikeRegexp('plan "weekly-sharded".*7 days'));
  });

  it('sizes the window from the cron and the plan deadline', () => {
    const plans = validatePlansConfig({
      plans: [
        { ...fixturePlans.plans[0], name: 'every-6h', deadlineMinutes: 60, triggers: { schedule: { cron: 'cron(0 */6 * * ? *)' } } },
        { ...fixturePlans.plans[0], name: 'month-start', triggers: { schedule: { cron: 'cron(0 3 1 * ? *)' } } },
        { ...fixturePlans.plans[0], name: 'last-day', triggers: { schedule: { cron: 'cron(0 3 L * ? *)' } } },
        { ...fixturePlans.plans[0], name: 'rate-4h', deadlineMinutes: 60, triggers: { schedule: { rate: 'rate(4 hours)' } } },
      ],
    });
    expect(scheduledRunWindow(plans.plans[3]!)).toEqual({ hours: 4 + 1 + 2 });
    expect(scheduledRunWindow(plans.plans[0]!)).toEqual({ hours: 6 + 1 + 2 });
    expect(scheduledRunWindow(plans.plans[1]!)).toEqual({ skipped: expect.stringContaining('7 days') });
    expect(scheduledRunWindow(plans.plans[2]!)).toEqual({ skipped: expect.stringContaining('L, W, #') });
  });
});

describe('ops topic (context opsTopicArn)', () => {
  const ops = 'arn:aws:sns:eu-west-1:123456789012:ops-alarms';

  it('sends every orchestrator alarm there instead of the notifications topic', () => {
    const withOps = synthesize({ context: { opsTopicArn: ops } });
    const alarms = Object.values(withOps.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([ops]);
  });

  it('refuses something that is not a topic ARN, naming the setting', () => {
    expect(() => synthesize({ context: { opsTopicArn: 'ops-alarms' } })).toThrow(/Context value "opsTopicArn" must be an SNS topic ARN/);
  });
});
