import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_TABLE_ENV } from '../../functions/core/history/names.js';
import { ENV, METRICS_NAMESPACE } from '../../functions/core/domain/observability.js';
import { ATLAS_CALL_CEILING_MS } from '../../functions/core/atlas/limits.js';
import { DEFAULT_RETRY } from '../../functions/core/atlas/retry.js';
import { MAX_CREATE_SETTLE_SECONDS } from '../../functions/core/plans/schema.js';
import { ATLAS_CALLS_PER_STEP, HANDLER_NAMES } from '../../lib/functions.js';
import { actionsOf, statementsOfRole, synthesize, type PolicyStatementJson, type Synthesized } from './helpers.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ context: { atlasSecretName: 'cfn/atlas/profile/team-a', alarmEmail: 'dba@example.com' } });
});

const roleOf = (name: (typeof HANDLER_NAMES)[number]) => s.logicalId(s.stack.functions.byName(name).role!);
const resourcesText = (statements: { Resource: unknown }[]) => JSON.stringify(statements.map((st) => st.Resource));

describe('Lambda functions', () => {
  it('give every Atlas-calling step more time than its Atlas calls can take at worst, within Lambda\'s 15 minutes', () => {
    // A step that times out while Atlas is slow cannot tell anyone what it saw: the client must give up first.
    const timeoutOf = (name: (typeof HANDLER_NAMES)[number]) =>
      s.template.findResources('AWS::Lambda::Function')[s.logicalId(s.stack.functions.byName(name))]!.Properties.Timeout as number;
    const worstCall = ATLAS_CALL_CEILING_MS / 1000;
    expect(worstCall).toBeGreaterThanOrEqual(DEFAULT_RETRY.totalBudgetMs / 1000);
    for (const name of ['pollRestore', 'cancelRestore'] as const) {
      expect(timeoutOf(name)).toBeGreaterThan(ATLAS_CALLS_PER_STEP[name] * worstCall);
      expect(ATLAS_CALLS_PER_STEP[name]).toBeGreaterThanOrEqual(2); // an OAuth token, then the read
    }
    // Create also waits out the settle window after a lost answer.
    expect(timeoutOf('createRestore')).toBeGreaterThan(ATLAS_CALLS_PER_STEP.createRestore * worstCall + MAX_CREATE_SETTLE_SECONDS);
    for (const name of HANDLER_NAMES) expect(timeoutOf(name)).toBeLessThanOrEqual(900);
  });

  it.each(HANDLER_NAMES)('%s runs nodejs24.x on arm64 with active tracing, explicit memory and timeout', (name) => {
    const fn = s.template.findResources('AWS::Lambda::Function')[s.logicalId(s.stack.functions.byName(name))];
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: expect.any(Number),
      Timeout: expect.any(Number),
      Handler: 'index.handler',
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'atlas-restore',
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          LOG_LEVEL: 'INFO',
        },
      },
      LoggingConfig: { LogGroup: { Ref: s.logicalId(s.stack.functions.logGroups[name]) } },
    });
  });

  it('keeps submit under the API Gateway 29 s limit', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^HTTP API'), Timeout: 25 });
  });

  it('sets each function exactly the environment variables it needs', () => {
    const env = (name: (typeof HANDLER_NAMES)[number]) =>
      s.template.findResources('AWS::Lambda::Function')[s.logicalId(s.stack.functions.byName(name))]!.Properties.Environment.Variables;
    for (const name of ['createRestore', 'pollRestore', 'cancelRestore', 'submitRestore'] as const) {
      expect(env(name)[ENV.atlasSecretName]).toBe('cfn/atlas/profile/team-a');
    }
    expect(env('notifyRestore')).not.toHaveProperty(ENV.atlasSecretName);
    for (const name of ['createRestore', 'notifyRestore', 'submitRestore'] as const) {
      expect(env(name)[ENV.lockTable]).toEqual({ Ref: s.logicalId(s.stack.locks.table) });
    }
    expect(env('pollRestore')).not.toHaveProperty(ENV.lockTable);
    // GET /restores reads the history table (notify writes it).
    for (const name of ['notifyRestore', 'submitRestore'] as const) expect(env(name)[HISTORY_TABLE_ENV]).toEqual({ Ref: s.logicalId(s.stack.history.table) });
    expect(env('submitRestore')[ENV.stateMachineArn]).toEqual({ Ref: s.logicalId(s.stack.workflow.stateMachine) });
    expect(env('notifyRestore')[ENV.topicArn]).toEqual({ Ref: s.logicalId(s.stack.notifications.topic) });
    expect(env('notifyRestore')[ENV.eventBusName]).toBe('default');
    // The plans travel inside the bundle (esbuild define), never as a plain environment variable.
    for (const name of HANDLER_NAMES) expect(env(name)).not.toHaveProperty(ENV.plansJson);
  });

  it('writes logs to encrypted log groups with a retention', () => {
    for (const name of HANDLER_NAMES) {
      const group = s.template.findResources('AWS::Logs::LogGroup')[s.logicalId(s.stack.functions.logGroups[name])];
      expect(group?.Properties).toMatchObject({ KmsKeyId: { 'Fn::GetAtt': [s.logicalId(s.stack.logging.key), 'Arn'] }, RetentionInDays: 90 });
    }
  });
});

describe('least privilege', () => {
  it('lets only the Atlas-calling functions read the Atlas secret', () => {
    for (const name of ['createRestore', 'pollRestore', 'cancelRestore', 'submitRestore'] as const) {
      const statements = statementsOfRole(s.template, roleOf(name));
      expect(resourcesText(statements.filter((st) => actionsOf([st]).includes('secretsmanager:GetSecretValue')))).toContain(
        ':secret:cfn/atlas/profile/team-a-??????',
      );
    }
    const notify = statementsOfRole(s.template, roleOf('notifyRestore'));
    expect(resourcesText(notify)).not.toContain('cfn/atlas/profile');
  });

  it('lets notify read only the webhook secrets the plans name', () => {
    const notify = statementsOfRole(s.template, roleOf('notifyRestore'));
    const secretResources = notify.filter((st) => actionsOf([st]).includes('secretsmanager:GetSecretValue')).map((st) => JSON.stringify(st.Resource));
    expect(secretResources).toHaveLength(2);
    expect(secretResources.join()).toContain(':secret:team/slack-hook-??????');
    expect(secretResources.join()).toContain(':secret:team/teams-hook-??????');
    for (const name of ['createRestore', 'pollRestore', 'cancelRestore', 'submitRestore'] as const) {
      expect(resourcesText(statementsOfRole(s.template, roleOf(name)))).not.toContain('team/slack-hook');
    }
  });

  it('gives the lock table to create and notify, and to submit reads plus writes of hold# items only (exact actions: least-privilege.test.ts)', () => {
    const table = s.logicalId(s.stack.locks.table);
    const onTable = (name: (typeof HANDLER_NAMES)[number]) =>
      statementsOfRole(s.template, roleOf(name)).filter((st) => JSON.stringify(st.Resource).includes(table)) as (PolicyStatementJson & { Condition?: unknown })[];
    for (const name of ['createRestore', 'notifyRestore'] as const) for (const st of onTable(name)) expect(st.Condition).toBeUndefined();
    const submit = onTable('submitRestore');
    expect(actionsOf(submit.filter((st) => !st.Condition)).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Scan']);
    const writes = submit.filter((st) => st.Condition);
    expect(writes).toHaveLength(1);
    expect(actionsOf(writes).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
    expect(writes[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['hold#*'] } });
    for (const name of ['pollRestore', 'cancelRestore'] as const) {
      expect(resourcesText(statementsOfRole(s.template, roleOf(name)))).not.toContain(table);
    }
  });

  it('lets notify publish to the topic and put events on the default bus only', () => {
    const notify = statementsOfRole(s.template, roleOf('notifyRestore'));
    expect(notify).toContainEqual(expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: s.logicalId(s.stack.notifications.topic) } }));
    const putEvents = notify.find((st) => st.Action === 'events:PutEvents');
    expect(JSON.stringify(putEvents?.Resource)).toContain(':event-bus/default');
    for (const name of ['createRestore', 'pollRestore', 'cancelRestore', 'submitRestore'] as const) {
      const actions = actionsOf(statementsOfRole(s.template, roleOf(name)));
      expect(actions).not.toContain('sns:Publish');
      expect(actions).not.toContain('events:PutEvents');
    }
  });

  it('lets only submit start, list, read and stop executions, of this state machine only', () => {
    const statements = statementsOfRole(s.template, roleOf('submitRestore')).filter((st) => actionsOf([st]).some((a) => a.startsWith('states:')));
    expect(actionsOf(statements).sort()).toEqual([
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:ListExecutions',
      'states:StartExecution',
      'states:StopExecution',
    ]);
    for (const st of statements) expect(JSON.stringify(st.Resource)).toContain(`{"Ref":"${s.logicalId(s.stack.workflow.stateMachine)}"}`);
    for (const name of ['createRestore', 'pollRestore', 'cancelRestore', 'notifyRestore'] as const) {
      expect(actionsOf(statementsOfRole(s.template, roleOf(name))).some((a) => a.startsWith('states:'))).toBe(false);
    }
  });

  it('uses no AWS managed policy on the function roles', () => {
    for (const name of HANDLER_NAMES) {
      const role = s.template.findResources('AWS::IAM::Role')[roleOf(name)];
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('lock table', () => {
  it('keys on the target, expires locks by TTL, keeps point-in-time recovery and encryption', () => {
    // The lock table and the restore history (lib/history-table.ts).
    s.template.resourceCountIs('AWS::DynamoDB::Table', 2);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'target', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'target', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
});

describe('notifications', () => {
  it('encrypts the topic with a rotating customer key and refuses plain HTTP publishes', () => {
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [s.logicalId(s.stack.notifications.key), 'Arn'] } });
    s.template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('notifications topic'), EnableKeyRotation: true });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes the alarm email with a dead-letter queue', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'dba@example.com',
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
  });

  it('alarms on undelivered triggers, notify errors and workflow timeouts, to the topic', () => {
    // 9 orchestrator alarms (ReportUndelivered among them) + "did not succeed" for the one daily plan (alarms.test.ts has the details).
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: [{ Ref: s.logicalId(s.stack.notifications.topic) }],
    });
  });

  it('outputs the API URL, the state machine ARN and the topic ARN', () => {
    const outputs = s.template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'StateMachineArn', 'TopicArn']));
  });
});

describe('without optional context', () => {
  it('defaults the Atlas secret to the CloudFormation default profile and subscribes no email', () => {
    const plain = synthesize();
    plain.template.resourceCountIs('AWS::SNS::Subscription', 0);
    plain.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.atlasSecretName]: 'cfn/atlas/profile/default' }) },
    });
  });
});
