import { beforeAll, describe, expect, it } from 'vitest';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { ALERTS_THROTTLE } from '../../lib/api.js';
import { WAITERS_TABLE_ACCESS, WAITERS_TABLE_ACCESS_BY_NOTIFY, WAITERS_TABLE_READ_BY_CREATE } from '../../lib/push.js';
import { ALERT_WAIT_STATE } from '../../lib/workflow.js';
import { actionsOf, fixturePlans, statementsOfRole, synthesize, type Synthesized } from './helpers.js';

/**
 * Push completion's part of the template: only when the plans file has `alerts`; POST /alerts is
 * the one method without IAM (Atlas signs with HMAC), on its own throttle; each push function holds
 * exactly what it uses, and ends waits of this state machine only.
 */

const SECRET = 'atlas-restore/alert-webhook';
let on: Synthesized;
let off: Synthesized;

beforeAll(() => {
  on = synthesize({ plansConfig: { ...fixturePlans, alerts: { webhookSecretName: SECRET } } });
  off = synthesize({ plansConfig: fixturePlans });
}, 120_000);

const roleOf = (s: Synthesized, fn: 'awaitAlert' | 'receiveAlert') => s.logicalId(s.stack.functions.push![fn].role as iam.Role);
const definitionOf = (s: Synthesized) => JSON.stringify(s.template.findResources('AWS::StepFunctions::StateMachine'));

describe('push completion in the template', () => {
  it('is absent without `alerts`: no WaitForAlert, no receiver route, no waiters table', () => {
    expect(off.stack.functions.push).toBeUndefined();
    expect(definitionOf(off)).not.toContain(ALERT_WAIT_STATE);
    expect(Object.values(off.template.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart)).not.toContain('alerts');
    expect(Object.keys(off.template.findResources('AWS::DynamoDB::Table'))).toHaveLength(Object.keys(on.template.findResources('AWS::DynamoDB::Table')).length - 1);
  });

  it('adds WaitForAlert as a callback task whose timeout is the poll decision', () => {
    const definition = definitionOf(on);
    expect(definition).toContain(ALERT_WAIT_STATE);
    expect(definition).toContain('lambda:invoke.waitForTaskToken');
    expect(definition).toContain('\\"TimeoutSecondsPath\\":\\"$.poll.waitSeconds\\"');
  });

  it('opens POST /alerts without IAM, on its own throttle; every other method keeps IAM', () => {
    const methods = Object.values(on.template.findResources('AWS::ApiGateway::Method'));
    const open = methods.filter((m) => m.Properties.AuthorizationType === 'NONE');
    expect(open).toHaveLength(1);
    expect(open[0]!.Properties.HttpMethod).toBe('POST');
    expect(methods.filter((m) => m.Properties.HttpMethod !== 'OPTIONS' && m.Properties.AuthorizationType !== 'NONE').every((m) => m.Properties.AuthorizationType === 'AWS_IAM')).toBe(true);
    const [stage] = Object.values(on.template.findResources('AWS::ApiGateway::Stage'));
    expect(stage!.Properties.MethodSettings).toContainEqual(
      expect.objectContaining({ HttpMethod: 'POST', ResourcePath: '/~1alerts', ThrottlingRateLimit: ALERTS_THROTTLE.rateLimit, ThrottlingBurstLimit: ALERTS_THROTTLE.burstLimit }),
    );
  });

  it('gives each push function exactly what it uses', () => {
    for (const fn of ['awaitAlert', 'receiveAlert'] as const) {
      const statements = statementsOfRole(on.template, roleOf(on, fn));
      const dynamo = actionsOf(statements).filter((a) => a.startsWith('dynamodb:'));
      expect(new Set(dynamo)).toEqual(new Set(WAITERS_TABLE_ACCESS[fn]));
      const ends = statements.filter((s) => actionsOf([s]).includes('states:SendTaskSuccess'));
      expect(ends).toHaveLength(1);
      expect(actionsOf(ends)).toEqual(['states:SendTaskSuccess']);
      expect(JSON.stringify(ends[0]!.Resource)).toContain(on.logicalId(on.stack.workflow.stateMachine));
      const secrets = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));
      if (fn === 'awaitAlert') expect(secrets).toEqual([]);
      else {
        expect(actionsOf(secrets)).toEqual(['secretsmanager:GetSecretValue']);
        expect(JSON.stringify(secrets[0]!.Resource)).toContain(`secret:${SECRET}-??????`);
      }
    }
  });

  it('grants the receiver kms:Decrypt for its secret alone when webhook secrets are under a customer managed key', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const withKey = synthesize({ plansConfig: { ...fixturePlans, alerts: { webhookSecretName: SECRET } }, context: { webhookSecretKmsKeyArn: key } });
    const decrypt = (s: Synthesized, fn: 'awaitAlert' | 'receiveAlert') => statementsOfRole(s.template, roleOf(s, fn)).filter((st) => actionsOf([st]).includes('kms:Decrypt'));
    const [grant, ...more] = decrypt(withKey, 'receiveAlert');
    expect(more).toEqual([]);
    expect(grant!.Resource).toBe(key);
    expect(JSON.stringify(grant)).toContain(`secret:${SECRET}-??????`);
    expect(decrypt(withKey, 'awaitAlert')).toEqual([]);
    expect(decrypt(on, 'receiveAlert')).toEqual([]);
  });

  it('lets create read the waiters table (whether alerts arrive), and nothing else of it', () => {
    const createRole = (s: Synthesized) => s.logicalId(s.stack.functions.createRestore.role as iam.Role);
    const table = on.logicalId(on.stack.push!.table);
    const onTable = (s: Synthesized) =>
      statementsOfRole(s.template, createRole(s)).filter((st) => JSON.stringify(st.Resource).includes(table));
    expect(actionsOf(onTable(on))).toEqual([...WAITERS_TABLE_READ_BY_CREATE]);
    const fn = on.template.findResources('AWS::Lambda::Function')[on.logicalId(on.stack.functions.createRestore)];
    expect(JSON.stringify(fn!.Properties.Environment.Variables)).toContain(table);
  });

  it('lets notify read a project’s last alert and note a missed one on the waiters table, and nothing else of it', () => {
    const notifyRole = (s: Synthesized) => s.logicalId(s.stack.functions.notifyRestore.role as iam.Role);
    const table = on.logicalId(on.stack.push!.table);
    const onTable = statementsOfRole(on.template, notifyRole(on)).filter((st) => JSON.stringify(st.Resource).includes(table));
    expect(new Set(actionsOf(onTable))).toEqual(new Set(WAITERS_TABLE_ACCESS_BY_NOTIFY));
    expect(new Set(WAITERS_TABLE_ACCESS_BY_NOTIFY)).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:PutItem']));
    const fn = on.template.findResources('AWS::Lambda::Function')[on.logicalId(on.stack.functions.notifyRestore)];
    expect(JSON.stringify(fn!.Properties.Environment.Variables)).toContain(table);
    // Without push, notify's role names no waiters table (there is none) and its environment none.
    const offFn = off.template.findResources('AWS::Lambda::Function')[off.logicalId(off.stack.functions.notifyRestore)];
    expect(JSON.stringify(offFn!.Properties.Environment.Variables)).not.toContain('ALERT_WAITERS_TABLE');
  });

  it('alarms on a missed alert (AlertMissed, any plan, one in an hour) only with push on', () => {
    expect(off.stack.alarms.alertMissed).toBeUndefined();
    expect(JSON.stringify(off.template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('AlertMissed');
    const alarm = on.template.findResources('AWS::CloudWatch::Alarm')[on.logicalId(on.stack.alarms.alertMissed!)]!.Properties;
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    expect(alarm.Metrics).toEqual([
      expect.objectContaining({ Expression: `SELECT SUM(AlertMissed) FROM SCHEMA("AtlasRestore", Plan, service) WHERE service = 'atlas-restore'`, Period: 3600 }),
    ]);
    expect(alarm.AlarmDescription).toContain('npm run restore -- alerts check --project');
    expect(alarm.AlarmActions).toEqual([{ Ref: on.logicalId(on.stack.notifications.topic) }]);
    expect(on.stack.alarms.all).toContain(on.stack.alarms.alertMissed);
  });

  it('outputs the receiver URL and the exact setup command', () => {
    const outputs = on.template.findOutputs('*');
    expect(outputs.AlertReceiverUrl).toBeDefined();
    expect(JSON.stringify(outputs.AlertSetupCommand)).toContain(`--secret-name ${SECRET}`);
  });
});
