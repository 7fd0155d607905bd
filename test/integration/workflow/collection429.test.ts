import { describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness } from './helpers.js';

/**
 * Issue 23: a collection restore's create rides out a 429 storm like the other kinds (the client's
 * own retries, then the state machine's TRANSIENT_RETRY on AtlasThrottled), and makes one job.
 */

const plans = PlansConfig.parse({
  ...TEST_PLANS,
  plans: [
    ...TEST_PLANS.plans,
    {
      name: 'orders-back',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'collections', target: { groupId: STAGING, clusterName: 'staging-cluster' }, writeStrategy: 'OVERWRITE_EXISTING', collections: [{ sourceNamespace: 'shop.orders' }] },
      triggers: { http: true, manual: true },
    },
  ],
});
const h = useWorkflowHarness(plans);

describe('a 429 storm on every Atlas request at create', () => {
  it.each([
    ['collection', 'orders-back'],
    ['cloud', 'cloud-refresh'],
  ] as const)('%s: rides it out and makes one job', async (family, planName) => {
    const before = h.sim.jobs({ family }).length;
    // 30 answers 429 in a row: more than the client's 5 attempts on the create, fewer than the state machine's retries allow.
    h.sim.setFaults({ rules: [{ match: '*', script: Array.from({ length: 30 }, () => ({ status: 429 })) }] });
    const result = await h.run({ planName, trigger: { type: 'manual' } }, `storm-${family}`);
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(h.sim.jobs({ family }).length - before).toBe(1);
  });
});
