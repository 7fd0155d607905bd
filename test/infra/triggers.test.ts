import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExecutionInput } from '../../functions/core/workflow/contract.js';
import { SCHEDULED_TIME, TRIGGER_RETRY } from '../../lib/triggers.js';
import { actionsOf, fixturePlans, statementsOfRole, synthesize, type Synthesized } from './helpers.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const machineRef = () => ({ Ref: s.logicalId(s.stack.workflow.stateMachine) });
const dlqArn = () => ({ 'Fn::GetAtt': [s.logicalId(s.stack.triggers.deadLetterQueue), 'Arn'] });

describe('schedules (EventBridge Scheduler)', () => {
  it('creates one schedule per plan with a cron, in the plan time zone (UTC by default)', () => {
    s.template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 4 ? * SUN *)',
      ScheduleExpressionTimezone: 'UTC',
    });
  });

  it('gives Scheduler a plan\'s rate expression as it is', () => {
    const cfg = structuredClone(fixturePlans) as { plans: Record<string, any>[] };
    cfg.plans[0]!.triggers.schedule = { rate: 'rate(6 hours)' };
    const rated = synthesize({ plansConfig: cfg });
    rated.template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(6 hours)', ScheduleExpressionTimezone: 'UTC' });
  });

  it('starts the state machine with the plan name and the scheduled time, retrying into a dead-letter queue', () => {
    const schedule = s.template.findResources('AWS::Scheduler::Schedule')[s.logicalId(s.stack.triggers.schedules['nightly-staging']!)]!;
    const target = schedule.Properties.Target;
    expect(target.Arn).toEqual(machineRef());
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': [s.logicalId(s.stack.triggers.schedulerRole), 'Arn'] });
    expect(target.RetryPolicy).toEqual({
      MaximumRetryAttempts: TRIGGER_RETRY.attempts,
      MaximumEventAgeInSeconds: TRIGGER_RETRY.maxAge.toSeconds(),
    });
    expect(target.DeadLetterConfig).toEqual({ Arn: dlqArn() });
    const input = JSON.parse(target.Input as string);
    expect(input).toEqual({ planName: 'nightly-staging', trigger: { type: 'schedule', time: SCHEDULED_TIME } });
    // What Scheduler sends, with its placeholder filled in, is a valid execution input.
    const delivered = JSON.parse((target.Input as string).replace(SCHEDULED_TIME, '2026-01-02T03:00:00Z'));
    expect(ExecutionInput.safeParse(delivered).success).toBe(true);
  });

  it('lets the scheduler role only start this state machine and write the dead-letter queue', () => {
    const statements = statementsOfRole(s.template, s.logicalId(s.stack.triggers.schedulerRole));
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'states:StartExecution', Resource: machineRef() }));
    const others = statements.filter((st) => st.Action !== 'states:StartExecution');
    for (const st of others) expect(st.Resource).toEqual(dlqArn());
    expect(actionsOf(others)).toContain('sqs:SendMessage');
    s.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });
});

describe('alarm rules (EventBridge)', () => {
  it('matches only the plan alarms going to ALARM', () => {
    s.template.resourceCountIs('AWS::Events::Rule', 2);
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: ['corruption-detector', 'failed-deploy'], state: { value: ['ALARM'] } },
      },
    });
  });

  it('starts the state machine with the plan, the event time and the alarm name, with retries and a dead-letter queue', () => {
    const rule = s.template.findResources('AWS::Events::Rule')[s.logicalId(s.stack.triggers.alarmRules['recover-prod']!)]!;
    const [target] = rule.Properties.Targets;
    expect(target).toMatchObject({
      Arn: machineRef(),
      RoleArn: { 'Fn::GetAtt': [s.logicalId(s.stack.triggers.rulesRole), 'Arn'] },
      DeadLetterConfig: { Arn: dlqArn() },
      RetryPolicy: { MaximumRetryAttempts: TRIGGER_RETRY.attempts, MaximumEventAgeInSeconds: TRIGGER_RETRY.maxAge.toSeconds() },
      InputTransformer: { InputPathsMap: { time: '$.time', 'detail-alarmName': '$.detail.alarmName', id: '$.id' } },
    });
    // EventBridge substitutes <time>, <detail-alarmName> and <id> as JSON strings: fill them and check the contract.
    const template = target.InputTransformer.InputTemplate as string;
    const filled = template
      .replace('<time>', '"2026-01-02T03:04:05Z"')
      .replace('<detail-alarmName>', '"corruption-detector"')
      .replace('<id>', '"4b7a6e2c-0d6f-4c1e-9a55-2f1f6b0c7d11"');
    const input = ExecutionInput.parse(JSON.parse(filled));
    // Time, alarm name and event id: what the create step recognises a repeated delivery by.
    expect(input).toEqual({
      planName: 'recover-prod',
      trigger: { type: 'alarm', time: '2026-01-02T03:04:05Z', alarmName: 'corruption-detector', eventId: '4b7a6e2c-0d6f-4c1e-9a55-2f1f6b0c7d11' },
    });
  });

  it('lets EventBridge write to the encrypted, TLS-only dead-letter queue only from these rules', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const policy = Object.values(s.template.findResources('AWS::SQS::QueuePolicy'))
      .map((p) => p.Properties)
      .find((p) => JSON.stringify(p.Queues).includes(s.logicalId(s.stack.triggers.deadLetterQueue)))!;
    const statements = policy.PolicyDocument.Statement as Record<string, any>[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const fromEvents = statements.filter((st) => st.Principal?.Service === 'events.amazonaws.com');
    expect(fromEvents).toHaveLength(2);
    for (const st of fromEvents) expect(st.Condition.ArnEquals['aws:SourceArn']).toBeDefined();
  });
});

describe('without triggered plans', () => {
  it('creates no schedule and no rule, and grants the trigger roles nothing', () => {
    const quiet = synthesize({ plansConfig: { plans: [] } });
    quiet.template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    quiet.template.resourceCountIs('AWS::Events::Rule', 0);
    expect(statementsOfRole(quiet.template, quiet.logicalId(quiet.stack.triggers.schedulerRole))).toEqual([]);
  });
});
