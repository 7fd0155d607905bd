import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRestoreApp, SKIP_BUNDLING_CONTEXT } from '../../lib/app.js';
import { POST_RESTORE_CHOICE, stepStateName } from '../../lib/post-restore.js';
import { synthesizeWorkflowDefinition } from '../../lib/workflow-definition.js';
import { fixturePlans, statementsOfRole, synthesize, type Synthesized } from './helpers.js';

/** Post-restore steps at synth: the state machine's role gets exactly the ARNs the plans name, and cdk-nag stays clean. */

const MASK = 'arn:aws:lambda:eu-west-1:123456789012:function:mask-staging';
const VERIFY = 'arn:aws:states:eu-west-1:123456789012:stateMachine:verify-staging';
const withSteps = {
  ...fixturePlans,
  plans: fixturePlans.plans.map((p) =>
    p.name === 'nightly-staging'
      ? {
          ...p,
          postRestore: [
            { type: 'lambda', name: 'mask', functionArn: MASK, timeoutSeconds: 120 },
            { type: 'stateMachine', name: 'verify', stateMachineArn: VERIFY },
          ],
        }
      : p,
  ),
};

const resources = (r: unknown): string[] => (Array.isArray(r) ? r : [r]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));

describe('post-restore steps in the stack', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ plansConfig: withSteps });
  });

  it("grants the state machine invoke on the step's function and start on the step's state machine, nothing wider", () => {
    const role = s.logicalId(s.stack.workflow.stateMachine.role);
    const statements = statementsOfRole(s.template, role);
    const onAction = (action: string) =>
      statements.filter((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]).includes(action)).flatMap((st) => resources(st.Resource));
    const invoked = onAction('lambda:InvokeFunction').filter((r) => r.startsWith('arn:'));
    expect(invoked.sort()).toEqual([MASK, `${MASK}:*`]);
    expect(onAction('lambda:InvokeFunction')).not.toContain('*');
    expect(onAction('states:StartExecution')).toEqual([VERIFY]);
    expect(onAction('states:DescribeExecution').join(' ')).toContain(':execution:verify-staging');
  });

  it('a stack whose plans have no steps grants no step and adds no state', () => {
    const plain = synthesize();
    const statements = statementsOfRole(plain.template, plain.logicalId(plain.stack.workflow.stateMachine.role));
    expect(statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]))).not.toContain('states:StartExecution');
    const states = Object.keys((synthesizeWorkflowDefinition({ plansConfig: fixturePlans }) as { States: object }).States);
    expect(states).not.toContain(POST_RESTORE_CHOICE);
  });

  it('sets each step timeout as the task state TimeoutSeconds', () => {
    const states = (synthesizeWorkflowDefinition({ plansConfig: withSteps }) as { States: Record<string, { TimeoutSeconds?: number; Resource?: string }> }).States;
    expect(states[stepStateName('nightly-staging', 1)]?.TimeoutSeconds).toBe(120);
    expect(states[stepStateName('nightly-staging', 2)]?.TimeoutSeconds).toBe(3600);
    expect(states[stepStateName('nightly-staging', 2)]?.Resource).toContain('states:startExecution.sync');
  });

  it('cdk-nag finds nothing unacknowledged with steps', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'nag-steps-'));
    const { app } = buildRestoreApp({ plansConfig: withSteps, outdir, context: { ...SKIP_BUNDLING_CONTEXT, alarmEmail: 'dba@example.com' } });
    let error: Error | undefined;
    try {
      app.synth();
    } catch (err) {
      error = err as Error;
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string }[] }[];
    };
    expect(report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName))).toEqual([]);
    expect(error).toBeUndefined();
  });
});

describe('drills in the stack', () => {
  const drillPlans = {
    ...fixturePlans,
    plans: fixturePlans.plans.map((p) => (p.name === 'weekly-sharded' ? { ...p, drill: { passWithinDays: 7 } } : p)),
  };

  it('alarms per drill plan when a drill fails and when none passed within its window', () => {
    const s = synthesize({ plansConfig: drillPlans });
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Record<string, unknown>);
    const failed = alarms.find((a) => a.MetricName === 'DrillsFailed');
    const none = alarms.find((a) => a.MetricName === 'DrillsPassed');
    expect(failed).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(none).toMatchObject({ Threshold: 1, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 168, DatapointsToAlarm: 168, Period: 3600, TreatMissingData: 'breaching' });
    expect(JSON.stringify(none!.Dimensions)).toContain('weekly-sharded');
  });

  it('a stack without drill plans has no drill alarms', () => {
    const s = synthesize();
    const metrics = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((a) => (a.Properties as { MetricName?: string }).MetricName);
    expect(metrics).not.toContain('DrillsPassed');
    expect(metrics).not.toContain('DrillsFailed');
  });

  it('refuses a drill window longer than a CloudWatch alarm can look back, naming the setting', () => {
    const bad = { ...fixturePlans, plans: [{ ...fixturePlans.plans[0]!, drill: { passWithinDays: 30 } }] };
    expect(() => synthesize({ plansConfig: bad })).toThrow(/drill\.passWithinDays/);
  });
});
