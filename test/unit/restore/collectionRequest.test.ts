import { describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { planMoment } from '../../../functions/core/plans/planMoment.js';
import { overrideProblems } from '../../../functions/core/plans/check.js';
import { RestoreRequestInvalidError } from '../../../functions/core/domain/errors.js';
import { guardedTarget, isDestructive, parseRestoreRequest, restoreTarget } from '../../../functions/core/restore/request.js';

/** Collection-level restore requests and plans: the spec's rules, ours, and which ones the guards see. */

const G1 = '65f1a0000000000000000001';
const G2 = '65f1a0000000000000000002';
const SNAP = '65f1b0000000000000000106';
const NOW = new Date('2026-06-01T00:00:00Z');
const base = {
  kind: 'collection',
  source: { groupId: G1, clusterName: 'prod' },
  target: { groupId: G2, clusterName: 'stage' },
  snapshotId: SNAP,
  writeStrategy: 'OVERWRITE_EXISTING',
  collections: [{ sourceNamespace: 'shop.orders' }],
};
const problems = (input: object) => {
  try {
    parseRestoreRequest(input, NOW);
  } catch (e) {
    if (e instanceof RestoreRequestInvalidError) return e.problems.map((p) => p.path);
    throw e;
  }
  return [];
};

describe('collection restore requests', () => {
  it('defaults indexStrategy to ALL and checks the spec’s required fields and limits', () => {
    expect(parseRestoreRequest(base, NOW)).toMatchObject({ indexStrategy: 'ALL', databases: [] });
    expect(problems({ ...base, writeStrategy: undefined })).toEqual(['writeStrategy']);
    expect(problems({ ...base, target: undefined })).toEqual(['target']);
    expect(problems({ ...base, collections: Array.from({ length: 101 }, (_, i) => ({ sourceNamespace: `db.c${i}` })) })).toEqual(['collections']);
    expect(problems({ ...base, collections: [{ sourceNamespace: 'no-dot' }] })).toEqual(['collections.0.sourceNamespace']);
  });

  it('needs at least one namespace and exactly one of a snapshot, a time, or an oplog position', () => {
    expect(problems({ ...base, collections: [] })).toEqual(['collections']);
    expect(problems({ ...base, snapshotId: undefined })).toEqual(['snapshotId']);
    expect(problems({ ...base, pointInTimeUTCSeconds: 1_700_000_000 })).toEqual(['snapshotId']);
    expect(problems({ ...base, snapshotId: undefined, oplogTs: 1_700_000_000 })).toEqual(['oplogInc']);
  });

  it('OVERWRITE_EXISTING is destructive (the guards see its target); CREATE_NEW is not, but still names a target to lock', () => {
    const overwrite = parseRestoreRequest(base, NOW);
    const createNew = parseRestoreRequest({ ...base, writeStrategy: 'CREATE_NEW' }, NOW);
    expect(isDestructive(overwrite)).toBe(true);
    expect(guardedTarget(overwrite)).toEqual(base.target);
    expect(isDestructive(createNew)).toBe(false);
    expect(guardedTarget(createNew)).toBeUndefined();
    expect(restoreTarget(createNew)).toEqual(base.target);
  });
});

describe('collection restore plans', () => {
  const plan = (restore: object, source: object = { kind: 'cloud', groupId: G1, clusterName: 'prod' }) =>
    PlansConfig.safeParse({
      protectedTargets: [{ groupId: G1, clusters: ['prod'] }],
      plans: [{ name: 'p', source, restore: { type: 'collections', target: { groupId: G1, clusterName: 'prod' }, collections: [{ sourceNamespace: 'shop.orders' }], ...restore } }],
    });

  it('CREATE_NEW may write beside the source itself; OVERWRITE_EXISTING onto the source needs allowRestoreOntoSource', () => {
    expect(plan({ writeStrategy: 'CREATE_NEW', collectionSuffix: '_copy' }).success).toBe(true);
    const overwrite = plan({ writeStrategy: 'OVERWRITE_EXISTING' });
    expect(overwrite.success).toBe(false);
    expect(overwrite.error!.issues[0]!.path).toEqual(['plans', 0, 'restore', 'target']);
  });

  it('is for cloud sources, names at least one namespace, and refuses source.kind "collection"', () => {
    expect(plan({ writeStrategy: 'CREATE_NEW' }, { kind: 'flex', groupId: G1, clusterName: 'prod' }).error!.issues.map((i) => i.path.join('.'))).toContain('plans.0.restore.type');
    expect(plan({ writeStrategy: 'CREATE_NEW', collections: [] }).error!.issues.map((i) => i.path.join('.'))).toEqual(['plans.0.restore.collections']);
    expect(plan({ writeStrategy: 'CREATE_NEW' }, { kind: 'collection', groupId: G1, clusterName: 'prod' }).error!.issues.map((i) => i.path.join('.'))).toContain('plans.0.source.kind');
  });
  it('restores the latest snapshot by default, a point in time when restore.pointInTime is set, never both', () => {
    const onto = { writeStrategy: 'CREATE_NEW' };
    const bySnapshot = plan(onto);
    expect(bySnapshot.success).toBe(true);
    expect(planMoment(bySnapshot.data!.plans[0]!)).toEqual({ snapshot: { by: 'latest' } });
    const byId = plan({ ...onto, snapshot: { by: 'id', id: SNAP } });
    expect(planMoment(byId.data!.plans[0]!)).toEqual({ snapshot: { by: 'id', id: SNAP } });
    const minutesAgo = plan({ ...onto, pointInTime: { minutesBeforeTrigger: 15 } });
    expect(minutesAgo.success).toBe(true);
    expect(planMoment(minutesAgo.data!.plans[0]!)).toEqual({ pointInTime: { minutesBeforeTrigger: 15 } });
    expect(plan({ ...onto, pointInTime: { utcSeconds: 1_780_000_000 } }).success).toBe(true);
    const both = plan({ ...onto, snapshot: { by: 'latest' }, pointInTime: { minutesBeforeTrigger: 0 } });
    expect(both.error!.issues.map((i) => i.path.join('.'))).toEqual(['plans.0.restore.pointInTime']);
    expect(both.error!.issues[0]!.message).toContain('restore.snapshot');
  });

  it('a point in time follows the spec’s field rules at synth: int32 seconds from 2008, a whole number of minutes within 7 days', () => {
    const at = (pointInTime: object) => plan({ writeStrategy: 'CREATE_NEW', pointInTime }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(at({ utcSeconds: 2_147_483_648 })).toEqual([expect.stringMatching(/^plans\.0\.restore\.pointInTime\.utcSeconds: must fit in 32 bits/)]);
    expect(at({ utcSeconds: 1_000_000_000 })).toEqual([expect.stringMatching(/^plans\.0\.restore\.pointInTime\.utcSeconds: must be at least/)]);
    expect(at({ minutesBeforeTrigger: 1.5 })[0]).toMatch(/^plans\.0\.restore\.pointInTime/);
    expect(at({ minutesBeforeTrigger: 8 * 24 * 60 })[0]).toMatch(/^plans\.0\.restore\.pointInTime/);
    expect(at({ minutesAgo: 5 })[0]).toMatch(/^plans\.0\.restore\.pointInTime/);
  });

  it('overrides follow the moment the plan restores: pointInTimeUTCSeconds for a point in time, snapshotId for a snapshot', () => {
    const allow = { allowOverrides: ['snapshotId', 'pointInTime'] };
    const withOverrides = (restore: object) =>
      PlansConfig.parse({
        plans: [{ name: 'p', source: { kind: 'cloud', groupId: G1, clusterName: 'prod' }, ...allow, restore: { type: 'collections', target: { groupId: G2, clusterName: 'stage' }, writeStrategy: 'CREATE_NEW', collections: [{ sourceNamespace: 'shop.orders' }], ...restore } }],
      }).plans[0]!;
    const pit = withOverrides({ pointInTime: { minutesBeforeTrigger: 5 } });
    const snap = withOverrides({});
    const seconds = Math.floor(NOW.getTime() / 1000) - 60;
    expect(overrideProblems(pit, { pointInTimeUTCSeconds: seconds }, NOW)).toEqual([]);
    expect(overrideProblems(pit, { snapshotId: SNAP }, NOW).map((p) => p.path)).toEqual(['overrides.snapshotId']);
    expect(overrideProblems(pit, { pointInTimeUTCSeconds: seconds + 3600 }, NOW)[0]!.rule).toContain('future');
    expect(overrideProblems(snap, { snapshotId: SNAP }, NOW)).toEqual([]);
    expect(overrideProblems(snap, { pointInTimeUTCSeconds: seconds }, NOW)[0]!.rule).toContain('collections plan that restores a snapshot');
  });
});
