import { describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness } from './helpers.js';

/**
 * Point-in-time collection restores from plans, end to end: the synthesised workflow, the real
 * handlers, the simulator as Atlas. The default world's prod-cluster keeps 48 h of continuous
 * backup, snapshots at -48 h, -24 h, -12 h, -6 h and -2 h (a failed one at -30 h), and prod-v4 from
 * -5 h to -1 h, prod-v5 since.
 */

const pit = (name: string, minutesBeforeTrigger: number, collections: string[]) => ({
  name,
  source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
  restore: {
    type: 'collections',
    pointInTime: { minutesBeforeTrigger },
    target: { groupId: STAGING, clusterName: 'staging-cluster' },
    writeStrategy: 'OVERWRITE_EXISTING',
    collections: collections.map((sourceNamespace) => ({ sourceNamespace })),
  },
  triggers: { http: true, manual: true },
});

const plans = PlansConfig.parse({
  ...TEST_PLANS,
  plans: [
    ...TEST_PLANS.plans,
    pit('orders-90-minutes-ago', 90, ['shop.orders']),
    pit('carts-90-minutes-ago', 90, ['shop.orders', 'shop.carts']),
    pit('orders-50-hours-ago', 50 * 60, ['shop.orders']),
  ],
});
const h = useWorkflowHarness(plans);

const LATEST_BEFORE = '65f1b0000000000000000106';
const OLDEST = '65f1b0000000000000000101';
const sns = () => h.world.sent.filter((s) => s.channel === 'sns');
const collectionJobs = () => h.sim.jobs({ family: 'collection' });

describe('point-in-time collection restores from a plan', () => {
  it('a dry run names the point in time and the snapshot it starts from, lists what that snapshot holds, and creates nothing', async () => {
    h.sim.clearRequests();
    const result = await h.run({ planName: 'orders-90-minutes-ago', trigger: { type: 'manual' }, dryRun: true }, 'orders-pit-dry');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const output = result.output as { summary: string; checks: string[]; request: Record<string, unknown> };
    const asked = output.request.pointInTimeUTCSeconds as number;
    const time = new Date(asked * 1000).toISOString();
    expect(asked).toBe(Math.floor(h.sim.clock.now() / 1000) - 90 * 60);
    expect(output.request.snapshotId).toBeUndefined();
    expect(output.summary).toContain(`as of ${time}`);
    const start = output.checks.find((c) => c.startsWith(`point in time ${time} starts from snapshot ${LATEST_BEFORE}, taken `));
    expect(start, output.checks.join('\n')).toMatch(/taken \S+ \(the newest completed at or before it\)$/);
    expect(output.checks.join('\n')).toContain('holds 3 collection(s): analytics.events, shop.orders, shop.users');
    expect(h.sim.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('restores the named collection as it was at the point in time, and the report says which point in time', async () => {
    const before = h.sim.cluster(STAGING, 'staging-cluster');
    const result = await h.run({ planName: 'orders-90-minutes-ago', trigger: { type: 'manual' } }, 'orders-pit-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const jobs = collectionJobs();
    expect(jobs).toHaveLength(1);
    // 90 minutes ago the cluster held prod-v4 (prod-v5 came an hour ago).
    expect(h.sim.cluster(STAGING, 'staging-cluster').namespaces).toEqual({ ...before.namespaces, 'shop.orders': 'prod-v4' });
    const report = sns();
    expect(report).toHaveLength(1);
    expect(report[0]!.report!.outcome).toBe('SUCCEEDED');
    expect(report[0]!.report!.pointInTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(report[0]!.text).toContain(`Point in time: ${report[0]!.report!.pointInTime}`);
    expect(report[0]!.text).toContain('shop.orders: SUCCESSFUL');
  });

  it('a collection missing from the snapshot the point in time starts from is refused, dry run and real run, and no job is created', async () => {
    const jobsBefore = collectionJobs().length;
    const dry = await h.run({ planName: 'carts-90-minutes-ago', trigger: { type: 'manual' }, dryRun: true }, 'carts-pit-dry');
    expect(dry.status).toBe('FAILED');
    const run = await h.run({ planName: 'carts-90-minutes-ago', trigger: { type: 'manual' } }, 'carts-pit-1');
    expect(run.status).toBe('FAILED');
    expect(collectionJobs()).toHaveLength(jobsBefore);
    const text = sns().map((s) => s.text).join('\n');
    expect(text).toContain(`collection "shop.carts" is not in snapshot ${LATEST_BEFORE}`);
    expect(text).toContain('analytics.events, shop.orders, shop.users');
  });

  it('a point in time before every snapshot is refused naming the time and the oldest snapshot; no job is created', async () => {
    const jobsBefore = collectionJobs().length;
    const run = await h.run({ planName: 'orders-50-hours-ago', trigger: { type: 'manual' } }, 'orders-too-early');
    expect(run.status).toBe('FAILED');
    expect(collectionJobs()).toHaveLength(jobsBefore);
    const text = sns().map((s) => s.text).join('\n');
    expect(text).toContain('no completed snapshot of the source was taken at or before');
    expect(text).toContain(`the oldest is ${OLDEST}`);
  });
});
