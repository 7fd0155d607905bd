import { describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';

/** A shared-tier (tenant) plan would pass locally and fail on its first call to Atlas: synth refuses it. */

const G = '65f1a0000000000000000002';

describe('a tenant plan', () => {
  it('is refused at parse (synth) on source.kind, with the equivalent Flex source', () => {
    const parsed = PlansConfig.safeParse({
      plans: [{ name: 'm2-refresh', source: { kind: 'tenant', groupId: G, clusterName: 'm2' }, restore: { type: 'snapshot', target: { groupId: G, clusterName: 'm5' } } }],
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(['plans', 0, 'source', 'kind']);
    expect(issues[0]!.message).toContain('retired by Atlas');
    expect(issues[0]!.message).toContain(`"source": {"kind":"flex","groupId":"${G}","clusterName":"m2"}`);
  });

  it('the same plan as Flex passes', () => {
    const parsed = PlansConfig.safeParse({
      plans: [{ name: 'm2-refresh', source: { kind: 'flex', groupId: G, clusterName: 'm2' }, restore: { type: 'snapshot', target: { groupId: G, clusterName: 'm5' } } }],
    });
    expect(parsed.success).toBe(true);
  });
});
