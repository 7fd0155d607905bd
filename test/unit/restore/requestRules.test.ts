import { describe, expect, it } from 'vitest';
import { RestoreRequestInvalidError } from '../../../functions/core/domain/errors.js';
import { ClusterName, EpochSeconds, ObjectId } from '../../../functions/core/restore/fields.js';
import { parseRestoreRequest } from '../../../functions/core/restore/request.js';
import { IDS, PROD, STAGING } from './fakeAtlas.js';

/**
 * The field patterns, the error message format, and the clock rules at their edges. Each rule of
 * a request, field by field, is in request.test.ts.
 */

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

  it('Flex and shared-tier names (targetDeploymentItemName): the ASCII cluster rule too (every Flex and shared-tier cluster is created under it)', () => {
    for (const ok of ['flex-staging', 'Flex-2026', 'a'.repeat(64)]) expect(ClusterName.safeParse(ok).success).toBe(true);
    const lookalikes = ['Données_2026', 'тест', '测试集群', "o'brien+co@(eu):1,2&3.x", '٣', '\u212Aafka-flex', 'k\u0430fka', 'flex\u200Bdev', 'flex\u00ADdev'];
    for (const bad of ['', 'a'.repeat(65), 'has space', 'slash/name', 'semi;colon', 'emoji😀', 'quote"d', ...lookalikes]) expect(ClusterName.safeParse(bad).success).toBe(false);
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

  it('legacy: pointInTimeUTCMillis exactly 24 h ago is allowed; a millisecond earlier or later than now is not', () => {
    const legacy = { kind: 'legacy', source: PROD, delivery: { methodName: 'AUTOMATED_RESTORE', target: STAGING } } as const;
    expect(() => parseRestoreRequest({ ...legacy, pointInTimeUTCMillis: NOW.getTime() - DAY_MS }, NOW)).not.toThrow();
    expect(refusal({ ...legacy, pointInTimeUTCMillis: NOW.getTime() - DAY_MS - 1 }).problems).toEqual([
      { path: 'pointInTimeUTCMillis', rule: 'must fall within the last 24 hours' },
    ]);
    expect(refusal({ ...legacy, pointInTimeUTCMillis: NOW.getTime() + 1 }).problems).toEqual([{ path: 'pointInTimeUTCMillis', rule: 'must not be in the future' }]);
  });
});
