import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { detectionGoalSeconds } from '../../../functions/core/restore/pollPolicy.js';
import type { DeliveryFaultRuleInput } from '../../../local/simulator/alerts/deliveryFaults.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness, wireAlerts } from './helpers.js';
import { runPushRestore, simulatorAlerts } from './pushRun.js';

/**
 * Push on, in projects whose alerts were arriving and then stop (a rotated webhook secret, a
 * deleted alert configuration): the first restore to end without its alert is seen by the
 * backstop, reported as such and counted (AlertMissed); the projects' next restores are polled as
 * usual until an alert arrives again, which puts them back on the backstop
 * (functions/core/push/missed.ts, heard.ts). One world for the whole story, in order.
 */

const PLANS = PlansConfig.parse({ ...TEST_PLANS, alerts: { webhookSecretName: 'atlas/alert-webhook' } });
const h = useWorkflowHarness(PLANS);

/** The backstop makes at most this many looks in a 90-minute restore (see push.test.ts). */
const BACKSTOP_LOOKS_IN_90_MIN = 22;

beforeAll(async () => {
  await wireAlerts(h, [PROD, STAGING]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const simulatorAlertsOn = (faults?: DeliveryFaultRuleInput[]) => simulatorAlerts(h, faults);

/** A restore of `seconds`, with the AlertMissed counts notify made for it. */
async function runRestore(id: string, seconds: number) {
  const addMetric = vi.spyOn(Metrics.prototype, 'addMetric');
  const run = await runPushRestore(h, id, seconds);
  const missedCounts = addMetric.mock.calls.filter(([name]) => name === 'AlertMissed').map(([, , value]) => value);
  vi.restoreAllMocks();
  return { ...run, missedCounts };
}

describe('push completion in projects whose alerts stop arriving', () => {
  it('notices the first missed alert, polls the next restore as usual, and goes back to the backstop once an alert arrives', async () => {
    // Primed: a short restore whose alert arrives, as in steady use.
    simulatorAlertsOn();
    const primer = await runRestore('missed-primer', 120);
    expect(primer.result.status).toBe('SUCCEEDED');
    expect(await h.world.alerts.waiters.lastAlert(PROD)).toBeDefined();

    // Then every alert is lost. Restore 1 waits on the backstop, which sees the end late.
    simulatorAlertsOn([{ lostRate: 1 }]);
    const first = await runRestore('missed-1', 1.5 * 3600);
    expect(first.result.status).toBe('SUCCEEDED');
    expect(h.sim.deliveries.log()).toEqual([expect.objectContaining({ outcome: 'lost' })]);
    expect(first.polls).toBeLessThanOrEqual(BACKSTOP_LOOKS_IN_90_MIN);
    expect(first.delaySeconds, 'the backstop saw the end more than a minute late').toBeGreaterThan(60);
    expect(first.report?.alertMissedFrom).toEqual([PROD, STAGING]);
    expect(first.text).toContain(`Atlas alerts: none came from project ${PROD} or ${STAGING} for this restore's end, so the backstop saw it`);
    expect(first.text).toContain(`npm run restore -- alerts check --project ${PROD}`);
    expect(first.missedCounts).toEqual([1]);
    expect(await h.world.alerts.waiters.lastMissed(PROD)).toBeDefined();
    expect((await h.world.history.list({ plan: 'cloud-refresh' })).find((r) => r.restoreId === 'missed-1')?.alertMissed).toBe(true);

    // Restore 2 in the same projects, alerts still lost: polled as usual (still listening), not counted again.
    const second = await runRestore('missed-2', 1.5 * 3600);
    expect(second.result.status).toBe('SUCCEEDED');
    expect(second.delaySeconds).toBeLessThanOrEqual(detectionGoalSeconds(second.ageSeconds));
    expect(second.polls).toBeGreaterThan(BACKSTOP_LOOKS_IN_90_MIN);
    expect(second.alertWaits).toBe(second.polls);
    expect(second.report?.alertMissedFrom).toBeUndefined();
    expect(second.report?.alertsNotHeardFrom).toEqual([PROD, STAGING]);
    expect(second.missedCounts).toEqual([]);

    // The wiring is fixed and an alert arrives (a short restore's end): restore 3 waits on the backstop again.
    simulatorAlertsOn();
    const healing = await runRestore('missed-heal', 120);
    expect(healing.wakes).toBe(1);
    const third = await runRestore('missed-3', 1.5 * 3600);
    expect(third.result.status).toBe('SUCCEEDED');
    expect(third.wakes).toBe(1);
    expect(third.delaySeconds).toBeLessThanOrEqual(10);
    expect(third.polls).toBeLessThanOrEqual(BACKSTOP_LOOKS_IN_90_MIN);
    expect(third.report?.alertsNotHeardFrom).toBeUndefined();
    expect(third.missedCounts).toEqual([]);
  });
});
