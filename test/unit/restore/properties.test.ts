import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SubmitRestoreBody } from '../../../functions/core/api/schemas.js';
import { RestoreRequestInvalidError } from '../../../functions/core/domain/errors.js';
import { parseRestoreRequest } from '../../../functions/core/restore/request.js';
import { ExecutionInput } from '../../../functions/core/workflow/contract.js';
import { PROTOTYPE_KEYS, SEED, badClusterName, badEpochSeconds, badObjectId, unknownKey } from '../../adversarial/arbitraries.js';

/**
 * Every restore request schema under generated bad input (fixed seed): a bad request is always a
 * RestoreRequestInvalidError naming at least one field and its rule, never another error, never
 * a request that parses. The envelopes around them (HTTP body, execution input) never throw.
 */

const G1 = '65f1a0000000000000000001';
const G2 = '65f1a0000000000000000002';
const SNAP = '65f1b0000000000000000101';
const NOW = new Date('2026-01-01T00:00:00Z');

const VALID: Record<string, Record<string, any>> = {
  cloudAutomated: { kind: 'cloud', source: { groupId: G1, clusterName: 'prod' }, deliveryType: 'automated', snapshotId: SNAP, target: { groupId: G2, clusterName: 'stage' } },
  cloudPit: { kind: 'cloud', source: { groupId: G1, clusterName: 'prod' }, deliveryType: 'pointInTime', pointInTimeUTCSeconds: 1_760_000_000, target: { groupId: G2, clusterName: 'stage' } },
  cloudDownload: { kind: 'cloud', source: { groupId: G1, clusterName: 'prod' }, deliveryType: 'download', snapshotId: SNAP },
  flex: { kind: 'flex', source: { groupId: G2, clusterName: 'flex-dev' }, snapshotId: SNAP, target: { groupId: G2, clusterName: 'flex-target' } },
  tenant: { kind: 'tenant', source: { groupId: G2, clusterName: 'm2' }, deliveryType: 'download', snapshotId: SNAP },
  legacy: { kind: 'legacy', source: { groupId: G1, clusterName: 'legacy-rs' }, checkpointId: SNAP, delivery: { methodName: 'AUTOMATED_RESTORE', target: { groupId: G2, clusterName: 'stage' } } },
  legacyPit: { kind: 'legacy', source: { groupId: G1, clusterName: 'legacy-rs' }, pointInTimeUTCMillis: NOW.getTime() - 3_600_000, delivery: { methodName: 'AUTOMATED_RESTORE', target: { groupId: G2, clusterName: 'stage' } } },
};

/** A change that makes any of the valid requests wrong. */
type Change = (r: Record<string, any>) => void;
const targetOf = (r: Record<string, any>) => (r.kind === 'legacy' ? r.delivery.target : r.target) ?? (r.target = { groupId: G2, clusterName: 'stage' });

const change: fc.Arbitrary<Change> = fc.oneof(
  badClusterName.map((name): Change => (r) => (r.source.clusterName = name)),
  badClusterName.map((name): Change => (r) => (targetOf(r).clusterName = name)),
  badObjectId.map((id): Change => (r) => (r.source.groupId = id)),
  badObjectId.map((id): Change => (r) => (targetOf(r).groupId = id)),
  badObjectId.map((id): Change => (r) => (r.kind === 'legacy' ? (r.checkpointId = id, delete r.pointInTimeUTCMillis) : (r.snapshotId = id))),
  badEpochSeconds.map((s): Change => (r) => (r.kind === 'legacy' ? (r.pointInTimeUTCMillis = typeof s === 'number' ? s * 1000 : s, delete r.checkpointId) : ((r.deliveryType = 'pointInTime'), delete r.snapshotId, (r.pointInTimeUTCSeconds = s)))),
  // A point in time in the future, or (legacy) older than 24 hours.
  fc.integer({ min: 1, max: 10_000_000 }).map((ahead): Change => (r) => {
    if (r.kind === 'legacy') {
      delete r.checkpointId;
      r.pointInTimeUTCMillis = NOW.getTime() + (ahead % 2 ? ahead * 1000 : -(86_400_000 + ahead * 1000));
    } else {
      Object.assign(r, { kind: 'cloud', deliveryType: 'pointInTime', pointInTimeUTCSeconds: Math.floor(NOW.getTime() / 1000) + ahead, target: targetOf(r) });
      delete r.snapshotId;
    }
  }),
  // Conflicting or half point-in-time fields.
  fc.constantFrom<Change>(
    (r) => Object.assign(r, { kind: 'cloud', deliveryType: 'pointInTime', target: targetOf(r), pointInTimeUTCSeconds: 1_700_000_000, oplogTs: 1_700_000_000, oplogInc: 1 }),
    (r) => Object.assign(r, { kind: 'cloud', deliveryType: 'pointInTime', target: targetOf(r), oplogTs: 1_700_000_000, snapshotId: undefined }),
    (r) => Object.assign(r, { kind: 'cloud', deliveryType: 'pointInTime', target: targetOf(r), oplogInc: 5, snapshotId: undefined }),
    (r) => Object.assign(r, { kind: 'cloud', deliveryType: 'download', target: targetOf(r), snapshotId: SNAP }),
    (r) => Object.assign(r, { kind: 'legacy', checkpointId: SNAP, snapshotId: SNAP, delivery: { methodName: 'AUTOMATED_RESTORE', target: { groupId: G2, clusterName: 'x' } } }),
    (r) => Object.assign(r, { kind: 'legacy', delivery: { methodName: 'HTTP', target: { groupId: G2, clusterName: 'x' } }, snapshotId: SNAP }),
    (r) => Object.assign(r, { kind: 'serverless' }),
  ),
  // Unknown and misspelt fields, prototype keys included (as own keys, the way JSON.parse makes them).
  unknownKey(['kind', 'source', 'deliveryType', 'snapshotId', 'target', 'pointInTimeUTCSeconds', 'oplogTs', 'oplogInc', 'checkpointId', 'pointInTimeUTCMillis', 'delivery']).map(
    (key): Change => (r) => Object.defineProperty(r, key, { value: 1, enumerable: true, writable: true, configurable: true }),
  ),
  fc.constantFrom('snapshotID', 'snapshot_id', 'SnapshotId', 'targetClusterName', 'pointInTimeUtcSeconds').map((key): Change => (r) => (r[key] = SNAP)),
);

describe('restore request schemas under generated bad input', () => {
  it('every valid request here parses (so every failure below is the change)', () => {
    for (const r of Object.values(VALID)) expect(() => parseRestoreRequest(structuredClone(r), NOW)).not.toThrow();
  });

  it('a changed request is a RestoreRequestInvalidError naming fields and rules, never another error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(VALID)), change, (which, apply) => {
        const request = structuredClone(VALID[which]!);
        apply(request);
        // Through JSON, as every request arrives (undefined fields drop out, __proto__ stays a key).
        const text = JSON.stringify(request);
        let error: unknown;
        try {
          parseRestoreRequest(JSON.parse(text), NOW);
        } catch (err) {
          error = err;
        }
        expect(error, text).toBeInstanceOf(RestoreRequestInvalidError);
        const problems = (error as RestoreRequestInvalidError).problems;
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) {
          expect(typeof p.path).toBe('string');
          expect(p.rule.length).toBeGreaterThan(0);
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('the HTTP body and the execution input never throw on any JSON, prototype keys included', () => {
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => JSON.parse(`{"${k}":${JSON.stringify(v) ?? 'null'},"plan":"x"}`) as unknown),
    );
    fc.assert(
      fc.property(json, (value) => {
        expect(() => SubmitRestoreBody.safeParse(value)).not.toThrow();
        expect(() => ExecutionInput.safeParse(value)).not.toThrow();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
