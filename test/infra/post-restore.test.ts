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
