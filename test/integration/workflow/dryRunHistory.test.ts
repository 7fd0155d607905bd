import { describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness } from './helpers.js';

/**
 * A dry run creates nothing, so it leaves no restore in the history: through the synthesised state
 * machine, a dry run that create refuses (a held target) or cannot check (no such snapshot) goes to
 * notify like a real run, is reported, and writes no record. The same run for real is recorded:
 * that is what shows the dry run's missing record is the rule and not a test that cannot see one.
 */

const plans = PlansConfig.parse({
  ...TEST_PLANS,
  plans: [
    ...TEST_PLANS.plans,
    {
      name: 'pick-snapshot',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      allowOverrides: ['snapshotId'],
    },
  ],
});

const h = useWorkflowHarness(plans);
const NO_SUCH_SNAPSHOT = '0123456789abcdef01234567';
const run = (restoreId: string, dryRun: boolean) =>
  h.run(
    { planName: 'pick-snapshot', overrides: { snapshotId: NO_SUCH_SNAPSHOT }, trigger: { type: 'manual' }, ...(dryRun ? { dryRun: true } : {}) },
    restoreId,
  );
const recordOf = async (restoreId: string) => (await h.world.history.list({})).find((r) => r.restoreId === restoreId);

describe('a dry run in the history', () => {
  it('one that cannot find its snapshot is reported and writes no record; the real run writes FAILED', async () => {
    const dry = await run('dry-no-snapshot', true);
    expect(dry.status).not.toBe('SUCCEEDED');
    expect(h.world.sent.length).toBeGreaterThan(0);
    expect(await recordOf('dry-no-snapshot')).toBeUndefined();

    const real = await run('real-no-snapshot', false);
    expect(real.status).toBe(dry.status);
    expect(await recordOf('real-no-snapshot')).toMatchObject({ outcome: 'FAILED' });
  });

  it('one refused by a hold writes no record; the real run writes REFUSED', async () => {
    await h.world.holds.place({
      target: { groupId: STAGING, clusterName: 'staging-cluster' },
      heldBy: 'alice',
      reason: 'schema migration',
      since: new Date(h.sim.clock.now()).toISOString(),
      until: new Date(h.sim.clock.now() + 3_600_000).toISOString(),
    });
    try {
      await run('dry-held', true);
      expect(await recordOf('dry-held')).toBeUndefined();
      await run('real-held', false);
      expect(await recordOf('real-held')).toMatchObject({ outcome: 'REFUSED' });
    } finally {
      await h.world.holds.release({ groupId: STAGING, clusterName: 'staging-cluster' });
    }
  });
});
