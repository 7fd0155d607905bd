import { describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { STAGING, TEST_PLANS, useWorkflowHarness } from './helpers.js';

/**
 * Atlas retired the shared-tier (tenant) restore API. A tenant request that still reaches the
 * workflow (an operator's direct start) runs as Flex when Atlas reports the cluster as Flex, and the
 * report says so; onto a cluster Atlas does not report as Flex, it is refused and names the Flex
 * equivalent. The simulator answers the old endpoints 410, so any call to them would fail the run.
 */

const plans = PlansConfig.parse({
  ...TEST_PLANS,
  adHoc: {
    restores: [
      {
        kinds: ['tenant', 'flex'],
        sources: [{ groupId: STAGING, clusters: ['flex-dev', 'm2-legacy'] }],
        targets: [{ groupId: STAGING, clusters: ['flex-target', 'm2-target'] }],
        triggers: ['manual'],
      },
    ],
  },
});
const h = useWorkflowHarness(plans);

const tenantRequest = (clusterName: string, target: string, snapshotId: string) => ({
  request: { kind: 'tenant', source: { groupId: STAGING, clusterName }, snapshotId, target: { groupId: STAGING, clusterName: target } },
  trigger: { type: 'manual' },
});

describe('a tenant request after the shared-tier API was retired', () => {
  it('runs as a Flex restore when Atlas reports the cluster as Flex, and the report says so', async () => {
    h.sim.clearRequests();
    const result = await h.run(tenantRequest('flex-dev', 'flex-target', '65f1b0000000000000001403'), 'tenant-as-flex');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(h.sim.cluster(STAGING, 'flex-target').dataVersion).toBe('flex-dev-v2');
    expect(h.sim.requests().some((r) => r.path.includes('/backup/tenant'))).toBe(false);
    expect(h.sim.jobs({ family: 'flex' })).toHaveLength(1);
    const sns = h.world.sent.filter((s) => s.channel === 'sns');
    expect(sns).toHaveLength(1);
    expect(sns[0]!.report!.outcome).toBe('SUCCEEDED');
    expect(sns[0]!.text).toContain('run as a Flex restore because Atlas retired the shared-tier API');
  });

  it('is refused, naming the Flex equivalent, when Atlas does not report the cluster as Flex', async () => {
    const result = await h.run(tenantRequest('m2-legacy', 'm2-target', '65f1b0000000000000001602'), 'tenant-not-flex');
    expect(result.status).toBe('FAILED');
    expect(h.sim.jobs({ clusterName: 'm2-legacy' })).toHaveLength(0);
    const sns = h.world.sent.filter((s) => s.channel === 'sns');
    expect(sns).toHaveLength(1);
    expect(sns[0]!.text).toContain('shared-tier (M2/M5) restore API was retired');
    expect(sns[0]!.text).toContain('"kind":"flex"');
  });
});
