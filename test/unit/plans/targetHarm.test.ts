import { describe, expect, it } from 'vitest';
import { precheckPlan } from '../../../functions/core/api/precheck.js';
import { checkAdHocRequest } from '../../../functions/core/plans/check.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { parseRestoreRequest } from '../../../functions/core/restore/request.js';
import { validatePlansConfig } from '../../../lib/plans.js';

/**
 * A refusal says truly what the restore would do to the guarded cluster: a snapshot restore wipes
 * it; a collections restore with OVERWRITE_EXISTING overwrites only the collections it names.
 */

const PROD = '65f1a0000000000000000001';
const STAGING = '65f1a0000000000000000002';
const NOW = new Date('2026-06-01T00:00:00Z');
const COLLECTIONS = { writeStrategy: 'OVERWRITE_EXISTING', collections: [{ sourceNamespace: 'shop.orders' }] };
const WIPES = 'Atlas deletes all data on the target first';
const OVERWRITES = 'overwrites the collections it names on the target';

const config = (restore: object, extra: object = {}) => ({
  protectedTargets: [{ groupId: STAGING, clusters: ['billing'] }],
  plans: [{ name: 'p', source: { kind: 'cloud', groupId: PROD, clusterName: 'prod' }, restore, triggers: { http: true }, ...extra }],
  adHoc: { restores: [{ kinds: ['collection'], sources: [{ groupId: PROD, clusters: ['prod'] }], targets: [{ groupId: STAGING, clusters: ['scratch-*'] }] }] },
});

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('what a refusal says the restore would do to a protected target', () => {
  it('at synth: a snapshot plan wipes it; a collections plan overwrites the collections it names', () => {
    const billing = { groupId: STAGING, clusterName: 'billing' };
    const snapshot = refusal(() => validatePlansConfig(config({ type: 'snapshot', target: billing }), 'plans.json'));
    expect(snapshot).toContain(WIPES);
    const collections = refusal(() => validatePlansConfig(config({ type: 'collections', target: billing, ...COLLECTIONS }), 'plans.json'));
    expect(collections).toContain(OVERWRITES);
    expect(collections).not.toMatch(/wipe|deletes all data/);
  });

  it('at run time: a collections plan with its target overridden, and an ad-hoc collection request', () => {
    const scratch = { groupId: STAGING, clusterName: 'scratch-1' };
    const plans = PlansConfig.parse(config({ type: 'collections', target: scratch, ...COLLECTIONS }, { allowOverrides: ['target'] }));
    const overridden = refusal(() => precheckPlan(plans, 'p', { target: { groupId: STAGING, clusterName: 'billing' } }, NOW));
    expect(overridden).toContain(OVERWRITES);
    expect(overridden).not.toMatch(/wipe|deletes all data/);

    const request = parseRestoreRequest(
      { kind: 'collection', source: { groupId: PROD, clusterName: 'prod' }, target: { groupId: STAGING, clusterName: 'billing' }, snapshotId: '65f1b0000000000000000106', ...COLLECTIONS },
      NOW,
    );
    const adHoc = refusal(() => checkAdHocRequest(plans, request, 'http'));
    expect(adHoc).toContain(OVERWRITES);
    expect(adHoc).not.toMatch(/wipe|deletes all data/);
  });
});
