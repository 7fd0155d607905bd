import { describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { localEnvironment } from '../../../functions/runtime/local.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness } from './helpers.js';

/**
 * Collection-level restores end to end: the synthesised workflow, the real handlers, the simulator
 * as Atlas. Only the named collections change; the report carries documents and per-collection
 * states; a dry run lists what the snapshot holds and refuses names it does not; CREATE_NEW may
 * write beside a protected cluster's data but still holds the target's lock.
 */

const collections = (name: string, restore: Record<string, unknown>, target = { groupId: STAGING, clusterName: 'staging-cluster' }) => ({
  name,
  source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
  restore: { type: 'collections', target, ...restore },
  triggers: { http: true, manual: true },
});

const plans = PlansConfig.parse({
  ...TEST_PLANS,
  plans: [
    ...TEST_PLANS.plans,
    collections('orders-back', { writeStrategy: 'OVERWRITE_EXISTING', collections: [{ sourceNamespace: 'shop.orders' }] }),
    collections('orders-beside', { writeStrategy: 'CREATE_NEW', collectionSuffix: '_copy', collections: [{ sourceNamespace: 'shop.orders' }] }, { groupId: PROD, clusterName: 'prod-cluster' }),
    collections('carts-back', { writeStrategy: 'OVERWRITE_EXISTING', collections: [{ sourceNamespace: 'shop.carts' }] }),
  ],
});
const h = useWorkflowHarness(plans);

const sns = () => h.world.sent.filter((s) => s.channel === 'sns');

describe('collection-level restores through the workflow', () => {
  it('OVERWRITE_EXISTING brings back only the named collection; the report counts documents and names each collection', async () => {
    const before = h.sim.cluster(STAGING, 'staging-cluster');
    const result = await h.run({ planName: 'orders-back', trigger: { type: 'manual' } }, 'orders-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const after = h.sim.cluster(STAGING, 'staging-cluster');
    // The latest completed snapshot of prod-cluster (2 h old) holds prod-v4.
    expect(after.namespaces).toEqual({ ...before.namespaces, 'shop.orders': 'prod-v4' });
    expect(after.dataVersion).toBe(before.dataVersion);
    expect(h.sim.jobs({ family: 'collection' })).toHaveLength(1);
    const report = sns();
    expect(report).toHaveLength(1);
    expect(report[0]!.report!.outcome).toBe('SUCCEEDED');
    expect(report[0]!.text).toContain('Documents restored: 1200 of 1200');
    expect(report[0]!.text).toContain('shop.orders: SUCCESSFUL');
  });

  it('CREATE_NEW writes beside the data of a protected cluster (its own source) and leaves every existing collection alone', async () => {
    const before = h.sim.cluster(PROD, 'prod-cluster');
    const result = await h.run({ planName: 'orders-beside', trigger: { type: 'manual' } }, 'orders-beside-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const after = h.sim.cluster(PROD, 'prod-cluster');
    expect(after.namespaces).toEqual({ ...before.namespaces, 'shop.orders_copy': 'prod-v4' });
    expect(sns()[0]!.text).toContain('shop.orders → shop.orders_copy: SUCCESSFUL');
  });

  it('CREATE_NEW still holds the target lock while the job runs (Atlas allows one collection restore per cluster), and frees it at the end', async () => {
    const target = { groupId: PROD, clusterName: 'prod-cluster' };
    const held: (string | undefined)[] = [];
    const result = await h.run({ planName: 'orders-beside', trigger: { type: 'manual' } }, 'orders-beside-lock', {
      poll: async (payload, real) => {
        held.push((await localEnvironment()!.locks!.holder(target))?.restoreId);
        return real(payload);
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((id) => id === 'orders-beside-lock')).toBe(true);
    expect(await localEnvironment()!.locks!.holder(target)).toBeUndefined();
  });

  it('a dry run lists the collections in the snapshot and creates nothing', async () => {
    h.sim.clearRequests();
    const result = await h.run({ planName: 'orders-back', trigger: { type: 'manual' }, dryRun: true }, 'orders-dry');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const output = result.output as { dryRun: boolean; checks: string[] };
    expect(output.dryRun).toBe(true);
    expect(output.checks.join('\n')).toContain('holds 3 collection(s): analytics.events, shop.orders, shop.users');
    expect(h.sim.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a collection the snapshot does not hold is refused before anything is created, naming what it holds', async () => {
    const jobsBefore = h.sim.jobs({ family: 'collection' }).length;
    const dry = await h.run({ planName: 'carts-back', trigger: { type: 'manual' }, dryRun: true }, 'carts-dry');
    expect(dry.status).toBe('FAILED');
    const run = await h.run({ planName: 'carts-back', trigger: { type: 'manual' } }, 'carts-1');
    expect(run.status).toBe('FAILED');
    expect(h.sim.jobs({ family: 'collection' })).toHaveLength(jobsBefore);
    const text = sns().map((s) => s.text).join('\n');
    expect(text).toContain('shop.carts');
    expect(text).toContain('analytics.events, shop.orders, shop.users');
  });
});
