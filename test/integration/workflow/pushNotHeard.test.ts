import { beforeAll, describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { detectionGoalSeconds } from '../../../functions/core/restore/pollPolicy.js';
import type { DeliveryFaultRuleInput } from '../../../local/simulator/alerts/deliveryFaults.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness, wireAlerts } from './helpers.js';
import { runPushRestore, simulatorAlerts } from './pushRun.js';

/**
 * Push on, in projects no Atlas alert has come from yet (functions/core/push/heard.ts): alerts may
 * not be set up there, so the backstop alone (20 % of the age) would see a long restore end far
 * later than plain polling. Such a restore is polled as usual, still woken by an alert, and its
 * report says alerts were not heard. Once an alert has come, the project's restores wait on the
 * backstop. Its own harness: a world whose receiver has taken no alert before these tests.
 */

const PLANS = PlansConfig.parse({ ...TEST_PLANS, alerts: { webhookSecretName: 'atlas/alert-webhook' } });
const h = useWorkflowHarness(PLANS);

/** The backstop makes at most this many looks in a 90-minute restore (see push.test.ts). */
const BACKSTOP_LOOKS_IN_90_MIN = 22;

beforeAll(async () => {
  await wireAlerts(h, [PROD, STAGING]);
});

const simulatorAlertsOn = (faults?: DeliveryFaultRuleInput[]) => simulatorAlerts(h, faults);

const runRestore = (id: string, hours: number) => runPushRestore(h, id, hours * 3600);

describe('push completion in projects no alert has come from', () => {
  it('with every alert lost, a restore is polled as usual and its report says alerts were not heard', async () => {
    simulatorAlertsOn([{ lostRate: 1 }]);
    const run = await runRestore('unheard-lost', 1.5);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(h.sim.deliveries.log()).toEqual([expect.objectContaining({ outcome: 'lost' })]);
    // The plain policy's goal (max(30 s, 5 % of the age)), not the backstop's 20 %.
    expect(run.delaySeconds).toBeLessThanOrEqual(detectionGoalSeconds(run.ageSeconds));
    expect(run.polls).toBeGreaterThan(BACKSTOP_LOOKS_IN_90_MIN);
    // It still listened: every wait could have been ended by an alert.
    expect(run.alertWaits).toBe(run.polls);
    expect(run.report?.alertsNotHeardFrom).toEqual([PROD, STAGING]);
    expect(run.text).toContain(`Atlas alerts: none came from project ${PROD} or ${STAGING} lately`);
    expect(run.text).toContain(`alerts check --project ${PROD} --url <the stack's AlertReceiverUrl>`);
  });

  it('the first alert still ends the wait at once, and its report has no warning', async () => {
    simulatorAlertsOn();
    const run = await runRestore('unheard-first-alert', 1.5);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.wakes).toBe(1);
    expect(run.delaySeconds).toBeLessThanOrEqual(10);
    expect(run.polls).toBeGreaterThan(BACKSTOP_LOOKS_IN_90_MIN);
    expect(run.report?.alertsNotHeardFrom).toBeUndefined();
    expect(run.text).not.toContain('Atlas alerts:');
  });

  it('once a project has alerted, its next restore waits on the backstop', async () => {
    expect(await h.world.alerts.waiters.lastAlert(PROD)).toBeDefined();
    simulatorAlertsOn();
    const run = await runRestore('heard-next', 1.5);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.delaySeconds).toBeLessThanOrEqual(10);
    expect(run.polls).toBeLessThanOrEqual(BACKSTOP_LOOKS_IN_90_MIN);
  });
});
