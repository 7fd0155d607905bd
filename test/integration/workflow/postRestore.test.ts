import { describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { localEnvironment } from '../../../functions/runtime/local.js';
import { OUTCOME_STATES } from '../../../lib/workflow.js';
import { PROD, STAGING, TEST_PLANS, scheduled, useWorkflowHarness } from './helpers.js';

/**
 * Post-restore steps through the synthesised state machine: local functions stand in for the
 * plan's Lambda function and state machine (keyed by their ARNs), the rest is the real workflow.
 */

const MASK = 'arn:aws:lambda:eu-west-1:123456789012:function:mask-staging';
const VERIFY = 'arn:aws:states:eu-west-1:123456789012:stateMachine:verify-staging';
const SLOW = 'arn:aws:lambda:eu-west-1:123456789012:function:slow-check';
const TARGET = { groupId: STAGING, clusterName: 'staging-cluster' };

const plans = PlansConfig.parse({
  ...TEST_PLANS,
  plans: [
    ...TEST_PLANS.plans,
    {
      name: 'verified-refresh',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: TARGET },
      postRestore: [
        { type: 'lambda', name: 'mask', functionArn: MASK, timeoutSeconds: 60 },
        { type: 'stateMachine', name: 'verify', stateMachineArn: VERIFY, timeoutSeconds: 60 },
      ],
    },
    {
      name: 'echo-refresh',
      triggers: { manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: TARGET },
      notify: { sns: true, eventBridge: true, webhook: { format: 'slack', secretName: 'hook' } },
      postRestore: [
        { type: 'lambda', name: 'mask', functionArn: MASK, timeoutSeconds: 60 },
        { type: 'stateMachine', name: 'verify', stateMachineArn: VERIFY, timeoutSeconds: 60 },
      ],
    },
    {
      name: 'slow-check-refresh',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: TARGET },
      postRestore: [{ type: 'lambda', name: 'slow-check', functionArn: SLOW, timeoutSeconds: 1 }],
    },
  ],
});

const h = useWorkflowHarness(plans);
const manual = (planName: string) => ({ planName, trigger: { type: 'manual' } });

type Notified = { notification: { outcome: string; message: string } };
const snsReport = () => h.world.sent.find((s) => s.channel === 'sns')?.report;
const locks = () => localEnvironment()!.locks!;

describe('post-restore steps', () => {
  it('run in order after the restore, each with the restore and the steps before it, and the report says what each returned', async () => {
    const calls: { step: string; input: { restore: { restoreId: string }; status: { state: string }; steps: Record<string, { name: string }> } }[] = [];
    const result = await h.run(manual('verified-refresh'), 'steps-in-order', {
      steps: {
        [MASK]: async (input) => {
          calls.push({ step: 'mask', input: input as never });
          return { maskedDocuments: 1200 };
        },
        [VERIFY]: async (input) => {
          calls.push({ step: 'verify', input: input as never });
          return { passed: true, documents: 5000 };
        },
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(calls.map((c) => c.step)).toEqual(['mask', 'verify']);
    expect(calls[0]!.input.restore.restoreId).toBe('steps-in-order');
    expect(calls[0]!.input.status.state).toBe('SUCCEEDED');
    // The second step sees the first one's answer.
    expect(calls[1]!.input.steps.s1).toMatchObject({ name: 'mask', result: { output: { maskedDocuments: 1200 } } });
    expect((result.output as Notified).notification.outcome).toBe('SUCCEEDED');
    expect(snsReport()?.steps).toMatchObject([
      { name: 'mask', type: 'lambda', passed: true, output: { maskedDocuments: 1200 } },
      { name: 'verify', type: 'stateMachine', passed: true, output: { passed: true, documents: 5000 }, executionArn: expect.stringContaining(':execution:verify-staging:') },
    ]);
    expect(snsReport()?.steps?.every((s) => s.seconds !== undefined)).toBe(true);
    expect((result.output as Notified).notification.message).toContain('Step 1 mask: passed in 0 s: {"maskedDocuments":1200}');
  });

  it('time each step on the workflow clock ($$.State.EnteredTime, which the local runner must keep moving)', async () => {
    const result = await h.run(manual('verified-refresh'), 'steps-timed', {
      steps: {
        [MASK]: async () => {
          h.sim.clock.advance(90_000);
          return { maskedDocuments: 1 };
        },
        [VERIFY]: async () => {
          h.sim.clock.advance(30_000);
          return { passed: true };
        },
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(snsReport()?.steps?.map((s) => s.seconds)).toEqual([90, 30]);
  });

  it('keep the target locked until the last step ends, then notify frees it', async () => {
    const holders: (string | undefined)[] = [];
    const result = await h.run(manual('verified-refresh'), 'steps-lock', {
      steps: {
        [MASK]: async () => void holders.push((await locks().holder(TARGET))?.restoreId),
        [VERIFY]: async () => void holders.push((await locks().holder(TARGET))?.restoreId),
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(holders).toEqual(['steps-lock', 'steps-lock']);
    expect(await locks().holder(TARGET)).toBeUndefined();
  });

  it('a failing step ends the restore VERIFICATION_FAILED, naming the step and its error; the later steps do not run', async () => {
    const ran: string[] = [];
    const result = await h.run(manual('verified-refresh'), 'steps-fail', {
      steps: {
        [MASK]: async () => {
          ran.push('mask');
          throw Object.assign(new Error('collection users has 0 documents, expected at least 1'), { name: 'CheckFailed' });
        },
        [VERIFY]: async () => void ran.push('verify'),
      },
    });
    expect(ran).toEqual(['mask']);
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(OUTCOME_STATES.VERIFICATION_FAILED.state);
    const report = snsReport();
    expect(report?.outcome).toBe('VERIFICATION_FAILED');
    expect(report?.title).toBe('Atlas Restore Verification Failed');
    expect(report?.reason).toContain('post-restore step 1 (mask) failed: CheckFailed: collection users has 0 documents, expected at least 1');
    expect(report?.reason).not.toMatch(/\.(ts|js):\d+/); // no stack trace
    expect(await locks().holder(TARGET)).toBeUndefined();
  });

  it('a step past its timeout ends the restore VERIFICATION_FAILED, saying it timed out', async () => {
    const result = await h.run(manual('slow-check-refresh'), 'steps-timeout', {
      // Never answers: the state's TimeoutSeconds (1) ends it.
      steps: { [SLOW]: () => new Promise(() => undefined) },
    });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(OUTCOME_STATES.VERIFICATION_FAILED.state);
    expect(snsReport()?.reason).toContain('post-restore step 1 (slow-check) timed out');
  });

  it('a plan without steps goes straight to notify', async () => {
    const result = await h.run(scheduled('cloud-refresh'), 'no-steps');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(snsReport()?.steps).toBeUndefined();
  });

  describe('secrets a step echoes never reach a channel (issue 24)', () => {
    const PASSWORD = 'Pa55wordFromStep';
    const API_KEY = 'apiKeyValue-9f8e7d6c';
    const TOKEN = 'tok-abcdef0123456789';
    const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGVwIn0.c2lnbmF0dXJl';
    const SECRETS = [PASSWORD, API_KEY, TOKEN, BEARER];
    // Every form the issue names: connection strings, JSON fields, key=value text, bearer tokens.
    const echo = {
      uri: `mongodb+srv://restore-user:${PASSWORD}@staging.abcd.mongodb.net/app?retryWrites=true`,
      plainUri: `mongodb://restore-user:${PASSWORD}@10.0.0.1:27017/app`,
      apiKey: API_KEY,
      config: JSON.stringify({ token: TOKEN, password: PASSWORD }),
      log: `connected with password=${PASSWORD} secret: ${TOKEN} Authorization: Bearer ${BEARER}`,
    };
    const leaks = () => {
      const everything = JSON.stringify(h.world.sent);
      return SECRETS.filter((s) => everything.includes(s));
    };

    it("a passing step's output: no channel (SNS, EventBridge, webhook) carries a secret; the report still says what it returned", async () => {
      const result = await h.run(manual('echo-refresh'), 'echo-output', { steps: { [MASK]: async () => echo, [VERIFY]: async () => ({ passed: true, note: `apiKey=${API_KEY}` }) } });
      expect(result.status, result.cause).toBe('SUCCEEDED');
      expect(h.world.sent.map((s) => s.channel).sort()).toEqual(['eventBridge', 'sns', 'webhook']);
      expect(leaks()).toEqual([]);
      expect(JSON.stringify(h.world.sent)).toContain('mongodb+srv://[redacted]@staging.abcd.mongodb.net');
      expect(snsReport()?.steps?.[0]).toMatchObject({ name: 'mask', passed: true, output: { apiKey: '[redacted]' } });
    });

    it("a failing step's error text: the reason and the step's failure carry no secret", async () => {
      const result = await h.run(manual('echo-refresh'), 'echo-error', {
        steps: {
          [MASK]: async () => {
            throw Object.assign(new Error(`could not connect to ${echo.uri} (${echo.config}; ${echo.log})`), { name: 'ConnectFailed' });
          },
        },
      });
      expect(result.error).toBe(OUTCOME_STATES.VERIFICATION_FAILED.state);
      expect(snsReport()?.reason).toContain('ConnectFailed: could not connect to mongodb+srv://[redacted]@');
      expect(leaks()).toEqual([]);
    });
  });
});
