import { describe, expect, it } from 'vitest';
import { handler as notifyRestore } from '../../../functions/notifyRestore/index.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { summarize } from '../../../functions/core/history/summary.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness } from './helpers.js';

/**
 * The restore history through the synthesised state machine and the real notify: one record per
 * restore however often notify runs, and a drill's RTO and RPO on the simulator's clock.
 */

const VERIFY = 'arn:aws:lambda:eu-west-1:123456789012:function:verify-drill';
const plans = PlansConfig.parse({
  ...TEST_PLANS,
  plans: [
    ...TEST_PLANS.plans,
    {
      name: 'weekly-drill',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      drill: { passWithinDays: 7 },
      postRestore: [{ type: 'lambda', name: 'verify', functionArn: VERIFY, timeoutSeconds: 60 }],
    },
  ],
});

const h = useWorkflowHarness(plans);
const manual = (planName: string, time?: string) => ({ planName, trigger: { type: 'manual', ...(time ? { time } : {}) } });

describe('restore history', () => {
  it('is written once when notify runs again after writing it', async () => {
    let tries = 0;
    const result = await h.run(manual('cloud-refresh'), 'history-once', {
      notify: async (payload) => {
        const answer = await notifyRestore(payload);
        // The answer of the first try is lost on the way back: Step Functions runs notify again.
        if (++tries === 1) throw Object.assign(new Error('Service error'), { name: 'Lambda.ServiceException' });
        return answer;
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(tries).toBe(2);
    const records = await h.world.history.list({ plan: 'cloud-refresh' });
    expect(records.filter((r) => r.restoreId === 'history-once')).toHaveLength(1);
    expect(records.find((r) => r.restoreId === 'history-once')).toMatchObject({ outcome: 'SUCCEEDED', drill: false, trigger: { type: 'manual' } });
  });

  it('a drill records RTO to restored and to verified, and RPO from the snapshot and from the data', async () => {
    const triggerAt = new Date(h.sim.clock.now()).toISOString();
    // The verification found its newest marker document 30 minutes before the trigger; it takes 2 simulated minutes.
    const newestMarkerAt = new Date(h.sim.clock.now() - 30 * 60_000).toISOString();
    const result = await h.run(manual('weekly-drill', triggerAt), 'drill-1', {
      steps: {
        [VERIFY]: async () => {
          h.sim.clock.advance(120_000);
          return { passed: true, newestMarkerAt };
        },
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const [record] = await h.world.history.list({ plan: 'weekly-drill' });
    expect(record).toBeDefined();
    expect(record!.drill).toBe(true);
    expect(record!.snapshotTakenAt).toBeDefined();
    const restored = (Date.parse(record!.restoreEndedAt) - Date.parse(triggerAt)) / 1000;
    expect(record!.rto.restoreSeconds).toBe(Math.round(restored));
    expect(record!.rto.verifiedSeconds).toBeGreaterThanOrEqual(record!.rto.restoreSeconds + 120);
    expect(record!.rpo.seconds).toBe(Math.round((Date.parse(triggerAt) - Date.parse(record!.snapshotTakenAt!)) / 1000));
    expect(record!.rpo.dataSeconds).toBe(30 * 60);
    expect(summarize([record!])).toMatchObject({ drills: 1, drillsPassed: 1, rto: { max: record!.rto.restoreSeconds }, rpoDataMax: 1800 });
  });

  it('a drill whose verification fails is recorded as a failed drill', async () => {
    const result = await h.run(manual('weekly-drill'), 'drill-2', {
      steps: {
        [VERIFY]: async () => {
          throw Object.assign(new Error('orders has 0 documents'), { name: 'CheckFailed' });
        },
      },
    });
    expect(result.status).toBe('FAILED');
    const record = (await h.world.history.list({ plan: 'weekly-drill' })).find((r) => r.restoreId === 'drill-2');
    expect(record).toMatchObject({ outcome: 'VERIFICATION_FAILED', drill: true, steps: [{ name: 'verify', passed: false }] });
    expect(record!.rto.verifiedSeconds).toBeUndefined();
    expect(summarize([record!])).toMatchObject({ drills: 1, drillsPassed: 0 });
  });
});
