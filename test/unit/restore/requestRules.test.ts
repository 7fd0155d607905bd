import { describe, expect, it } from 'vitest';
import { RestoreRequestInvalidError } from '../../../functions/core/errors.js';
import { ClusterName, DeploymentItemName, EpochSeconds, ObjectId } from '../../../functions/core/restore/fields.js';
import { isDestructive, parseRestoreRequest, restoreTarget } from '../../../functions/core/restore/request.js';
import { IDS, PROD, STAGING } from './fakeAtlas.js';

/** The field patterns, the error message format, and the clock rules at their edges. */

const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const DAY_MS = 86_400_000;

function refusal(input: unknown, now = NOW): RestoreRequestInvalidError {
  try {
    parseRestoreRequest(input, now);
  } catch (e) {
    expect(e).toBeInstanceOf(RestoreRequestInvalidError);
    return e as RestoreRequestInvalidError;
  }
  throw new Error('expected a refusal');
}

describe('fields', () => {
  it('ObjectId: exactly 24 lowercase hex', () => {
    expect(ObjectId.safeParse(IDS.prodGroup).success).toBe(true);
    for (const bad of [IDS.prodGroup.toUpperCase(), IDS.prodGroup.slice(1), `${IDS.prodGroup}0`, 'g'.repeat(24), '']) expect(ObjectId.safeParse(bad).success).toBe(false);
  });

  it('ClusterName: letters, digits, hyphens, starting with a letter or digit, 1-64', () => {
    for (const ok of ['prod', 'Prod-Cluster-0', '0cluster', 'a'.repeat(64)]) expect(ClusterName.safeParse(ok).success).toBe(true);
    for (const bad of ['', '-prod', 'prod_cluster', 'prod.cluster', 'prod cluster', 'a'.repeat(65), 'prodé']) expect(ClusterName.safeParse(bad).success).toBe(false);
  });

  it('DeploymentItemName: the ASCII cluster rule too (every Flex and shared-tier cluster is created under it)', () => {
    for (const ok of ['flex-staging', 'Flex-2026', 'a'.repeat(64)]) expect(DeploymentItemName.safeParse(ok).success).toBe(true);
    const lookalikes = ['Données_2026', 'тест', '测试集群', "o'brien+co@(eu):1,2&3.x", '٣', '\u212Aafka-flex', 'k\u0430fka', 'flex\u200Bdev', 'flex\u00ADdev'];
    for (const bad of ['', 'a'.repeat(65), 'has space', 'slash/name', 'semi;colon', 'emoji😀', 'quote"d', ...lookalikes]) expect(DeploymentItemName.safeParse(bad).success).toBe(false);
  });

  it('EpochSeconds: whole seconds from 2008-01-01, fitting int32', () => {
    expect(EpochSeconds.safeParse(1_199_145_600).success).toBe(true);
    expect(EpochSeconds.safeParse(1_199_145_599).success).toBe(false);
    expect(EpochSeconds.safeParse(2_147_483_648).success).toBe(false);
    expect(EpochSeconds.safeParse(1_772_000_000.5).success).toBe(false);
  });
});

describe('the error names field path and rule', () => {
  it('message: "Invalid restore request: <path>: <rule>; ..." with nested paths', () => {
    const err = refusal({ kind: 'cloud', source: { groupId: 'XYZ', clusterName: 'prod' }, deliveryType: 'automated', snapshotId: IDS.snapshotNew, target: { ...STAGING, clusterName: '-bad' } });
    expect(err.name).toBe('RestoreRequestInvalid');
    expect(err.message.startsWith('Invalid restore request: ')).toBe(true);
    expect(err.message).toContain('source.groupId: must be a 24-character lowercase hex id');
    expect(err.message).toContain('target.clusterName: must start with a letter or digit');
    expect(err.problems.map((p) => p.path).sort()).toEqual(['source.groupId', 'target.clusterName']);
  });

  it('every broken cloud rule is reported at once', () => {
    const err = refusal({ kind: 'cloud', source: PROD, deliveryType: 'download', target: STAGING, pointInTimeUTCSeconds: NOW_S - 60, oplogTs: NOW_S - 60 });
    expect(err.problems.map((p) => p.path).sort()).toEqual(['oplogTs', 'pointInTimeUTCSeconds', 'snapshotId', 'target']);
  });
});

describe('clock rules against the given now', () => {
  const pit = { kind: 'cloud', source: PROD, deliveryType: 'pointInTime', target: STAGING } as const;

  it('cloud: pointInTimeUTCSeconds exactly now is allowed, one second later is not', () => {
    expect(parseRestoreRequest({ ...pit, pointInTimeUTCSeconds: NOW_S }, NOW)).toMatchObject({ pointInTimeUTCSeconds: NOW_S });
    expect(refusal({ ...pit, pointInTimeUTCSeconds: NOW_S + 1 }).problems).toEqual([{ path: 'pointInTimeUTCSeconds', rule: 'must not be in the future' }]);
  });

  it('cloud: an oplogTs in the future is refused', () => {
    expect(refusal({ ...pit, oplogTs: NOW_S + 3600, oplogInc: 1 }).problems).toEqual([{ path: 'oplogTs', rule: 'must not be in the future' }]);
  });

  it('the same request is valid or not depending only on now', () => {
    const request = { ...pit, pointInTimeUTCSeconds: NOW_S + 10 };
    expect(() => parseRestoreRequest(request, new Date(NOW.getTime() + 10_000))).not.toThrow();
    expect(() => parseRestoreRequest(request, NOW)).toThrow(RestoreRequestInvalidError);
  });

  it('legacy: pointInTimeUTCMillis exactly 24 h ago is allowed; a millisecond earlier or later than now is not', () => {
    const legacy = { kind: 'legacy', source: PROD, delivery: { methodName: 'AUTOMATED_RESTORE', target: STAGING } } as const;
    expect(() => parseRestoreRequest({ ...legacy, pointInTimeUTCMillis: NOW.getTime() - DAY_MS }, NOW)).not.toThrow();
    expect(refusal({ ...legacy, pointInTimeUTCMillis: NOW.getTime() - DAY_MS - 1 }).problems).toEqual([
      { path: 'pointInTimeUTCMillis', rule: 'must fall within the last 24 hours' },
    ]);
    expect(refusal({ ...legacy, pointInTimeUTCMillis: NOW.getTime() + 1 }).problems).toEqual([{ path: 'pointInTimeUTCMillis', rule: 'must not be in the future' }]);
  });
});

describe('legacy exactly-one-of', () => {
  const automated = { kind: 'legacy', source: PROD, delivery: { methodName: 'AUTOMATED_RESTORE', target: STAGING } } as const;

  it('names what was given when more than one choice is made, and "none" when none is', () => {
    const two = refusal({ ...automated, snapshotId: IDS.snapshotNew, checkpointId: IDS.checkpoint });
    expect(two.message).toContain('got snapshotId, checkpointId');
    expect(refusal(automated).message).toContain('got none');
  });

  it('the oplog pair counts as one choice, and each half needs the other', () => {
    expect(() => parseRestoreRequest({ ...automated, oplogTs: '2026-03-01T11:00:00Z', oplogInc: 2 }, NOW)).not.toThrow();
    expect(refusal({ ...automated, oplogInc: 2 }).problems.map((p) => p.path)).toContain('oplogTs');
    expect(refusal({ ...automated, oplogTs: '2026-03-01T11:00:00Z' }).problems.map((p) => p.path)).toContain('oplogInc');
  });

  it('HTTP delivery of a checkpoint is refused on delivery.methodName', () => {
    const err = refusal({ kind: 'legacy', source: PROD, checkpointId: IDS.checkpoint, delivery: { methodName: 'HTTP' } });
    expect(err.problems.map((p) => p.path)).toEqual(['delivery.methodName']);
  });
});

describe('restoreTarget and isDestructive', () => {
  it('flex restore onto a deployment is destructive; a flex download is not', () => {
    const flex = { kind: 'flex', source: { groupId: IDS.prodGroup, clusterName: 'flex-prod' }, snapshotId: IDS.snapshotNew } as const;
    const onto = parseRestoreRequest({ ...flex, target: { groupId: IDS.stagingGroup, clusterName: 'flex-staging' } }, NOW);
    expect(restoreTarget(onto)).toEqual({ groupId: IDS.stagingGroup, clusterName: 'flex-staging' });
    expect(isDestructive(onto)).toBe(true);
    const dl = parseRestoreRequest({ ...flex, deliveryType: 'download' }, NOW);
    expect(restoreTarget(dl)).toBeUndefined();
    expect(isDestructive(dl)).toBe(false);
  });

  it('legacy: only AUTOMATED_RESTORE overwrites a cluster', () => {
    const http = parseRestoreRequest({ kind: 'legacy', source: PROD, snapshotId: IDS.snapshotNew, delivery: { methodName: 'HTTP' } }, NOW);
    expect(isDestructive(http)).toBe(false);
    const auto = parseRestoreRequest({ kind: 'legacy', source: PROD, snapshotId: IDS.snapshotNew, delivery: { methodName: 'AUTOMATED_RESTORE', target: STAGING } }, NOW);
    expect(restoreTarget(auto)).toEqual(STAGING);
  });
});
