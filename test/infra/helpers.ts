import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { buildRestoreApp, SKIP_BUNDLING_CONTEXT, type RestoreAppOptions } from '../../lib/app.js';
import type { RestoreStack } from '../../lib/restore-stack.js';

/** The simulator's default world ids (local/simulator/worlds/default.json). */
export const PROD = '65f1a0000000000000000001';
export const STAGING = '65f1a0000000000000000002';

/**
 * A plans config made for the assertions: two schedules (one with the default time zone), two
 * alarm plans, two webhooks, a download and a plan with no trigger but HTTP.
 */
export const fixturePlans = {
  protectedTargets: [{ groupId: PROD, clusters: ['prod-*'] }],
  plans: [
    {
      name: 'nightly-staging',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      notify: { webhook: { format: 'slack', secretName: 'team/slack-hook' } },
      triggers: { schedule: { cron: 'cron(0 3 * * ? *)', timeZone: 'Europe/Paris' } },
    },
    {
      name: 'weekly-sharded',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-sharded' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-sharded' } },
      triggers: { schedule: { cron: 'cron(30 4 ? * SUN *)' } },
    },
    {
      name: 'recover-prod',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'pointInTime', pointInTime: { minutesBeforeTrigger: 10 }, target: { groupId: PROD, clusterName: 'recovery-cluster' } },
      notify: { webhook: { format: 'teams', secretName: 'team/teams-hook' } },
      triggers: { alarms: ['corruption-detector', 'failed-deploy'] },
    },
    {
      name: 'recover-sharded',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-sharded' },
      restore: { type: 'pointInTime', pointInTime: { minutesBeforeTrigger: 5 }, target: { groupId: STAGING, clusterName: 'staging-sharded-2' } },
      triggers: { alarms: ['sharded-corruption'] },
    },
    {
      name: 'download-latest',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'download' },
    },
  ],
};

export interface Synthesized {
  stack: RestoreStack;
  template: Template;
  /** The logical id CloudFormation knows a construct by. */
  logicalId(construct: IConstruct): string;
}

/** One synth with bundling skipped and nag off (the nag test turns it on). */
export function synthesize(options: RestoreAppOptions = {}): Synthesized {
  const { stack } = buildRestoreApp({
    plansConfig: fixturePlans,
    nag: false,
    ...options,
    context: { ...SKIP_BUNDLING_CONTEXT, ...options.context },
  });
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    logicalId: (construct) => {
      const element = (construct.node.defaultChild ?? construct) as CfnElement;
      return Stack.of(construct).resolve(Stack.of(construct).getLogicalId(element)) as string;
    },
  };
}

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of every inline policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export const actionsOf = (statements: PolicyStatementJson[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
